import ArgumentParser
import Benchmarks
import Foundation

/// `tradsec bench serve`: Falco-style load on the processor. Each connection posts one alert
/// per request (as Falco's http_output does) on a kept-alive connection, paced so that all
/// connections together offer `--rate` alerts/s for `--duration` seconds.
struct BenchServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Post alerts to the processor at a fixed rate and report throughput and ingest latency.",
        discussion: """
            Without --url, starts a processor in this process on 127.0.0.1 and a fresh history under /tmp,
            and checks at the end that every acknowledged alert is in the history. Latency is measured from
            the moment each request was due to be sent (so a stalled server cannot hide its backlog) to its
            2xx, which the processor sends only after the commit.
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

    func run() throws {
        let bench = ServeBenchmark(rate: rate, duration: duration, connections: connections, batch: batch)
        print("generating \(bench.total) alerts…")
        bench.prepare()

        let history = BenchHistory.scratch("serve")
        defer { history.remove() }
        let host: String, port: Int
        if let url {
            guard let parsed = URLComponents(string: url), let h = parsed.host else { throw CLIError("--url: expected http://HOST:PORT") }
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
            if stored < load.acknowledged { throw CLIError("alerts acknowledged but not stored", exitCode: 1) }
        }
    }
}
