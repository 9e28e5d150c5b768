import ArgumentParser
import Assembly
import Benchmarks
import Foundation

/// `tradsec bench serve`: Falco-style load on the processor. Each connection posts one alert
/// per request (as Falco's http_output does) on a kept-alive connection, paced so that all
/// connections together offer `--rate` alerts/s for `--duration` seconds.
struct BenchServeCommand: ParsableCommand {
    /// Past this share of CPU time stolen by the hypervisor, a comparison is flagged as unreliable.
    static let stolenWarning = 0.05

    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Post alerts to the processor at a fixed rate and report throughput and ingest latency.",
        discussion: """
            Without --url, starts a processor in this process on 127.0.0.1 and a fresh history under /tmp,
            and checks at the end that every acknowledged alert is in the history. Latency is measured from
            the moment each request was due to be sent (so a stalled server cannot hide its backlog) to its
            2xx, which the processor sends only after the commit.

            With --falco-http-output, measures Falco's http_output pattern instead: one alert per POST, \
            each sent after the previous reply, on one kept-alive connection, to a `tradsec serve` it \
            starts (this executable) and to a plain receiver it starts beside it (bench/baseline_receiver.py: \
            one SQLite row committed per request, WAL, synchronous=NORMAL), in alternating rounds, with \
            Falco's client (libcurl, one easy handle per receiver, one curl_easy_perform per alert); prints \
            alerts/s, mean and p99 per request side by side and their ratio, and the same client against a bare \
            responder that does no work (the round-trip floor of this machine).
            """
    )

    @Option(help: "Alerts per second offered, all connections together.")
    var rate = 20_000

    @Option(help: "Seconds of load.")
    var duration = 30.0

    @Option(help: "Concurrent keep-alive connections (Falco uses one per output).")
    var connections = 16

    @Option(help: "Alerts per request (1 is Falco's http_output; more is JSON Lines).")
    var batch = 1

    @Option(help: "Post to this running processor instead (http://127.0.0.1:8080).")
    var url: String?

    @Flag(help: "Falco's http_output pattern against a started serve and a baseline receiver, side by side.")
    var falcoHttpOutput = false

    @Option(help: "With --falco-http-output: alerts posted to each receiver.")
    var alerts = 30_000

    @Option(help: "With --falco-http-output: rounds, alternating between the receivers.")
    var rounds = 3

    @Option(help: "With --falco-http-output: the Python 3 that runs the baseline receiver.")
    var python = "/usr/bin/python3"

    @Option(help: "With --falco-http-output: the baseline receiver (default: bench/baseline_receiver.py of the source tree).")
    var baselineScript: String?

    func validate() throws {
        if falcoHttpOutput && url != nil { throw ValidationError("--falco-http-output starts its own serve; it takes no --url") }
        if alerts < 1 || rounds < 1 { throw ValidationError("--alerts and --rounds must be at least 1") }
    }

    func run() throws {
        if falcoHttpOutput { return try benchmarkErrors { try runFalcoPattern() } }
        let bench = ServeBenchmark(rate: rate, duration: duration, connections: connections, batch: batch)
        print("generating \(bench.total) alerts…")
        bench.prepare()

        let history = BenchHistory.scratch("serve")
        defer { history.remove() }
        let host: String, port: Int
        if let url {
            guard let parsed = URLComponents(string: url), let h = parsed.host else { throw CLIError.usage("--url: expected http://HOST:PORT") }
            host = h
            port = parsed.port ?? 80
        } else {
            host = "127.0.0.1"
            port = try bench.startProcessor(historyPath: history.path, version: Tradsec.version)
        }
        print(String(format: "posting %d alerts in %d requests over %d connections at %d alerts/s for %.0f s…",
                     bench.total, bench.bodies.count, connections, rate, duration))

        let load = bench.post(host: host, port: port)
        let all = load.latencies
        print(String(format: "offered:    %8d alerts/s", rate))
        print(String(format: "achieved:   %8.0f alerts/s  (%d acknowledged in %.1f s, %d requests failed)",
                     Double(load.acknowledged) / load.seconds, load.acknowledged, load.seconds, load.failedRequests))
        print(String(format: "ingest latency (due → 2xx after commit): p50 %.1f ms  p99 %.1f ms  p99.9 %.1f ms  max %.1f ms",
                     all.percentile(50), all.percentile(99), all.percentile(99.9), all.last ?? 0))
        if let server = bench.serverSide() {
            print(String(format: "server:     %.0f commits, %.1f alerts per commit, mean transaction %.2f ms, mean request→commit %.2f ms",
                         server.commits, server.alertsPerCommit, server.meanTransactionMilliseconds, server.meanRequestToCommitMilliseconds))
        }
        if let stored = try bench.stopAndCountStored() {
            print("stored:     \(stored) alerts; acknowledged and missing: \(max(0, load.acknowledged - stored))")
            if stored < load.acknowledged { throw CLIError.failed("alerts acknowledged but not stored") }
        }
    }

    /// Falco's pattern on serve and on the baseline receiver, side by side.
    private func runFalcoPattern() throws {
        guard let script = baselineScript ?? BundledFiles.benchFile("baseline_receiver.py") else {
            throw CLIError.noInput("cannot find bench/baseline_receiver.py; pass --baseline-script")
        }
        let bench = FalcoOutputBenchmark(alerts: alerts, rounds: rounds)
        print("generating \(bench.alerts) alerts…")
        bench.prepare()
        let result = try bench.run(.init(tradsec: BundledFiles.executablePath, python: python, baselineScript: script)) { print($0) }
        print("Falco http_output pattern: one alert per POST, sequential, one keep-alive connection; \(bench.alerts) alerts each")
        print("                       alerts/s    mean ms    p50 ms    p99 ms   failed  stored  stolen")
        for (name, figures, stored) in [("tradsec serve", result.serve, result.servedStored),
                                        ("baseline (Python)", result.baseline, result.baselineStored),
                                        ("floor (no work)", result.floor, 0)] {
            print("  " + name.padding(toLength: 18, withPad: " ", startingAt: 0)
                  + String(format: " %10.0f %10.3f %9.3f %9.3f %8d %7d %6.1f%%", figures.alertsPerSecond, figures.meanMilliseconds,
                         figures.latencies.percentile(50), figures.latencies.percentile(99), figures.failedRequests, stored,
                         figures.stolenShare * 100))
        }
        let stolen = [result.serve, result.baseline, result.floor].map(\.stolenShare).max() ?? 0
        if stolen > Self.stolenWarning {
            print(String(format: "  warning: the hypervisor took %.0f%% of this machine's CPU time during a part of the run", stolen * 100)
                  + " (stolen): these figures say more about its neighbours than about the receivers; run again when it is quiet")
        }
        print(String(format: "  serve / baseline: %.2f× (goal: ≥ 3×); floor / baseline: %.2f×", result.ratio,
                     result.baseline.alertsPerSecond > 0 ? result.floor.alertsPerSecond / result.baseline.alertsPerSecond : 0))
        print("  (client: libcurl as Falco's http_output drives it, one easy handle per receiver for the whole run;")
        print("   connections opened: serve \(result.serve.connections), baseline \(result.baseline.connections), floor \(result.floor.connections))")
        print("  (floor: a bare responder on a thread of this process, framing requests on their bytes and answering each")
        print("   with a constant empty 200, nothing stored: the round trip of this machine with a receiver doing nothing)")
        if result.servedStored < result.serve.acknowledged {
            throw CLIError.failed("serve acknowledged \(result.serve.acknowledged) alerts but stored \(result.servedStored)")
        }
        let failed = [("serve", result.serve), ("baseline", result.baseline), ("floor", result.floor)].filter { $0.1.failedRequests > 0 }
        if !failed.isEmpty {
            throw CLIError.failed("requests failed: " + failed.map { "\($0.0) \($0.1.failedRequests) (\($0.1.firstError ?? "non-2xx reply"))" }
                                    .joined(separator: ", "))
        }
    }
}
