#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Assembly
import Benchmarks
import Foundation
import TradsecCore

struct BenchIngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Alert parse rate, parse-and-commit rate, and query latencies over a large history.",
        discussion: """
            Generates realistic Falco alerts (about 700 bytes, 10-16 output fields), parses them,
            stores them in a fresh history on one thread, then times the console's questions:
            the latest 100 of a priority, one container's latest 100, and a full-text search.
            With --processing, parses and commits the same alerts a second time into another new
            history with the processing step on (enrichment and correlation, as `ingest --config`
            runs it, from a representative config) and prints both rates side by side.
            """
    )

    @Option(help: ArgumentHelp("Alerts to generate.", valueName: "n"))
    var count = 1_000_000

    @Option(help: ArgumentHelp("Where to build the benchmark history, a path that must not exist yet (default: a new file under /tmp, removed after).",
                               valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("Runs of each query.", valueName: "n"))
    var queryRuns = 50

    @Flag(help: "Feed the alerts in a shuffled order, their times out of order over the whole span (the duplicate check's worst case).")
    var shuffled = false

    @Flag(help: "Also parse and commit with the processing step on (roles, an exchange allowlist, a threat-intel list, correlation), and compare.")
    var processing = false

    @Flag(help: "Falco's file_output into `ingest --follow` and program_output into `ingest --socket`, beside a batch `ingest FILE`.")
    var falcoOutputs = false

    func run() throws {
        if falcoOutputs { return try benchmarkErrors { try runFalcoOutputs() } }
        // It measures building a history from empty; an existing --db is never overwritten.
        if let db, access(db, F_OK) == 0 { throw ValidationError("--db \(db) exists; the benchmark builds a new history") }
        let history = db.map { BenchHistory(path: $0, scratch: false) } ?? BenchHistory.scratch("ingest")
        defer { history.remove() }

        print("generating \(count) alerts…")
        let bench = IngestBenchmark(count: count, shuffled: shuffled)
        let megabytes = Double(bench.input.count) / 1_048_576
        print(String(format: "  %d alerts, %.1f MiB, %.0f bytes each on average", count, megabytes, Double(bench.input.count) / Double(count)))

        let fullSeconds = bench.parseFullSeconds()
        print(String(format: "parse (full alert): %8.0f alerts/s  (%.2f s, %.0f MiB/s)", Double(count) / fullSeconds, fullSeconds,
                     megabytes / fullSeconds))
        let parseSeconds = bench.parseRecordSeconds()
        print(String(format: "parse (record):     %8.0f alerts/s  (%.2f s, %.0f MiB/s; what ingest stores)", Double(count) / parseSeconds,
                     parseSeconds, megabytes / parseSeconds))

        let commit = try bench.commit(path: history.path)
        print(String(format: "parse and commit:  %9.0f alerts/s  (%.2f s, %.2f s of it in the history's transactions; full-text index deferred)",
                     Double(count) / commit.seconds, commit.seconds, commit.storeSeconds))
        if processing {
            let on = try runProcessing(bench)
            let offRate = Double(count) / commit.seconds
            let onRate = Double(count) / (on.processedSeconds ?? on.seconds)
            print(String(format: "parse and commit, processing on: %9.0f alerts/s  (%.2f s until every alert was processed; the commits took %.2f s)",
                         onRate, on.processedSeconds ?? on.seconds, on.seconds))
            print(String(format: "  processing off %.0f, on %.0f alerts/s: on/off %.2f", offRate, onRate, onRate / offRate))
        }
        let (indexed, indexSeconds) = try bench.catchUpFullText()
        print(String(format: "full-text catch-up: %8.0f alerts/s  (%.2f s for %d alerts)", Double(indexed) / indexSeconds, indexSeconds, indexed))
        let size = try bench.size()
        print(String(format: "  history size %.0f MiB (%.0f bytes per alert)", Double(size.fileBytes) / 1_048_576, Double(size.fileBytes) / Double(count)))
        print(String(format: "  raw lines %.0f bytes per alert, %.0f compressed (LZ4, %.1fx)", Double(size.rawLineBytes) / Double(count),
                     Double(size.rawStoredBytes) / Double(count), Double(size.rawLineBytes) / Double(max(1, size.rawStoredBytes))))

        print("queries over \(try bench.totalCount()) alerts (\(queryRuns) runs each, milliseconds):")
        for (name, query) in IngestBenchmark.queries {
            let (samples, found) = try bench.time(query, runs: queryRuns)
            print("  " + CellWidth.fit(name, to: 34) + String(format: "p50 %7.2f  p95 %7.2f  max %7.2f  (%d rows)",
                                                                samples.percentile(50), samples.percentile(95), samples.last ?? 0, found))
        }
        for (name, query) in IngestBenchmark.aggregates {
            let (samples, counted) = try bench.timeStats(query, runs: min(queryRuns, 5))
            print("  " + CellWidth.fit(name, to: 34) + String(format: "p50 %7.2f  p95 %7.2f  max %7.2f  (%d alerts)",
                                                                samples.percentile(50), samples.percentile(95), samples.last ?? 0, counted))
        }
    }

    /// Falco's streaming outputs into real `tradsec ingest` processes, beside the batch import.
    private func runFalcoOutputs() throws {
        let bench = FalcoStreamBenchmark(alerts: count)
        print("generating \(bench.alerts) alerts…")
        bench.prepare()
        let result = try bench.run(tradsec: BundledFiles.executablePath) { print($0) }
        print("Falco's streaming outputs, one write(2) per alert, \(bench.alerts) alerts each (first byte → all in the history):")
        print("                                      alerts/s   seconds   writing s   stored")
        for (name, figures) in [("file_output → ingest --follow", result.follow),
                                ("program_output → ingest --socket", result.socket),
                                ("batch: ingest FILE", result.batch)] {
            print("  " + name.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + String(format: " %10.0f %9.2f %11.2f %8d", figures.alertsPerSecond, figures.seconds, figures.writeSeconds, figures.stored))
        }
        let batch = result.batch.alertsPerSecond
        print(String(format: "  follow / batch %.2f, socket / batch %.2f (goal: ≥ 50,000 alerts/s each)",
                     batch > 0 ? result.follow.alertsPerSecond / batch : 0, batch > 0 ? result.socket.alertsPerSecond / batch : 0))
        if result.follow.stored < bench.alerts || result.socket.stored < bench.alerts || result.batch.stored < bench.alerts {
            throw CLIError.failed("not every alert reached the history")
        }
    }

    /// The parse-and-commit stage again, into its own scratch history, with the processing step
    /// `ingest --config` builds, from ``processingConfig`` (its threat-intel list in a scratch
    /// directory beside it).
    private func runProcessing(_ bench: IngestBenchmark) throws -> IngestBenchmark.Commit {
        let history = BenchHistory.scratch("ingest-processing")
        let directory = history.path + ".config"
        defer {
            history.remove()
            try? FileManager.default.removeItem(atPath: directory)
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Self.threatIntel.write(toFile: directory + "/feodo-ips.txt", atomically: true, encoding: .utf8)
        let config = TradsecConfig.decode(yaml: Self.processingConfig, file: directory + "/config.yaml", directory: directory)
        print("parse and commit with processing (enrichment: \(Self.roleCount) roles, an exchange allowlist, a threat-intel list; correlation window 10m)…")
        return try benchmarkErrors {
            try bench.commitProcessing(path: history.path) { store in
                let step = try ProcessingStep(history: store, config: config, deliver: false, command: "bench")
                for warning in step.warnings { print("  " + warning) }
                step.start()
                let ingestor = step.ingestor(store: store, origin: "bench", batchSize: 5000)
                return IngestBenchmark.Processing(ingestor: ingestor) { newest in
                    switch step.finish(through: newest, timeout: 600) {
                    case nil: return nil
                    case .otherProcess?: return "another process holds the processing"
                    case .failing(let error)?: return error
                    }
                }
            }
        }
    }

    static let roleCount = 3

    /// What a trading host's config.yaml holds for the processing step, for the generated
    /// alerts' containers (trading-N, images ghcr.io/acme/…, redis, postgres).
    static let processingConfig = """
        enrichment:
          roles:
            ai-trading-bot: [trading-1*, "image:ghcr.io/acme/ai-trading-bot*"]
            bluefin-service: [trading-2*, "image:ghcr.io/acme/bluefin*"]
            dashboard: ["image:*dashboard*", "image:*grafana*"]
          exchanges:
            binance: [api.binance.com, stream.binance.com, 52.84.0.0/16]
            kraken: [api.kraken.com, 104.16.0.0/12]
            coinbase: [api.coinbase.com, ws-feed.exchange.coinbase.com]
          threat_intel: [feodo-ips.txt]
        correlation:
          window: 10m
        """

    /// A threat-intelligence list in the format feeds publish (an address a line, comments).
    static let threatIntel: String = {
        var lines = ["# generated for the benchmark: addresses in the documentation ranges"]
        for i in 0..<500 { lines.append("203.0.\(i / 250).\(i % 250)") }
        for i in 0..<500 { lines.append("198.51.\(100 + i / 250).\(i % 250)") }
        lines.append("bad-domain.example")
        return lines.joined(separator: "\n") + "\n"
    }()
}
