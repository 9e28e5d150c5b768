#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AlertStore
import ArgumentParser
import Foundation
import Feeds
import TradsecCore

struct BenchIngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Alert parse rate, parse-and-commit rate, and query latencies over a large history.",
        discussion: """
            Generates realistic Falco alerts (about 700 bytes, 10-16 output fields), parses them,
            stores them in a fresh history on one thread, then times the console's questions:
            the latest 100 of a priority, one container's latest 100, and a full-text search.
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

    func run() throws {
        // It measures building a history from empty; an existing --db is never overwritten.
        if let db, access(db, F_OK) == 0 { throw ValidationError("--db \(db) exists; the benchmark builds a new history") }
        let history = db.map { BenchHistory(path: $0, scratch: false) } ?? BenchHistory.scratch("ingest")
        defer { history.remove() }
        let path = history.path

        print("generating \(count) alerts…")
        var generator = AlertGenerator()
        var input: [UInt8] = []
        input.reserveCapacity(count * 700)
        if shuffled {
            var lines = (0..<count).map { generator.next(index: $0) }
            var rng = SplitMix64(seed: 7)
            lines.shuffle(using: &rng)
            for line in lines {
                input.append(contentsOf: line.utf8)
                input.append(0x0A)
            }
        } else {
            for i in 0..<count {
                input.append(contentsOf: generator.next(index: i).utf8)
                input.append(0x0A)
            }
        }
        let megabytes = Double(input.count) / 1_048_576
        print(String(format: "  %d alerts, %.1f MiB, %.0f bytes each on average", count, megabytes, Double(input.count) / Double(count)))

        // Parse alone: the full alert (what the console and the processor use), then the
        // lean record the ingestor stores (same acceptance, only the indexed fields).
        func parseSeconds(_ decode: (UnsafeRawBufferPointer) -> Bool) -> Double {
            var parsed = 0
            let t0 = Monotonic.seconds()
            let reader = LineReader()
            input.withUnsafeBytes { bytes in
                reader.feed(bytes) { event in
                    if case .line(let line, _, _) = event, decode(line) { parsed += 1 }
                }
            }
            let seconds = Monotonic.seconds() - t0
            precondition(parsed == count, "generator produced lines the decoder refused")
            return seconds
        }
        let fullSeconds = parseSeconds { (try? AlertDecoder.decode(line: $0)) != nil }
        print(String(format: "parse (full alert): %8.0f alerts/s  (%.2f s, %.0f MiB/s)", Double(count) / fullSeconds, fullSeconds,
                     megabytes / fullSeconds))
        // Into a reused batch emptied every 5,000 alerts, as the ingestor does.
        var batch = AlertBatch()
        let parseSeconds = parseSeconds { line in
            if batch.count == 5000 { batch.removeAll() }
            do { try AlertDecoder.decodeRecord(line: line, into: &batch) } catch { return false }
            return true
        }
        print(String(format: "parse (record):     %8.0f alerts/s  (%.2f s, %.0f MiB/s; what ingest stores)", Double(count) / parseSeconds,
                     parseSeconds, megabytes / parseSeconds))

        // Parse and commit, one thread, batches of 5000 per transaction.
        let store = try AlertStore(path: path)
        let ingestor = AlertIngestor(store: store, origin: "bench", batchSize: 5000)
        var t0 = Monotonic.seconds()
        var storeSeconds = 0.0
        func flush() throws {
            let start = Monotonic.seconds()
            try ingestor.flush()
            storeSeconds += Monotonic.seconds() - start
        }
        try input.withUnsafeBytes { bytes in
            try LineReader().feed(bytes) { event in
                ingestor.take(event)
                if ingestor.batchIsFull { try flush() }
            }
        }
        try flush()
        let commitSeconds = Monotonic.seconds() - t0
        precondition(ingestor.report.stored == count, "not every alert was stored: \(ingestor.report.stored)")
        print(String(format: "parse and commit:  %9.0f alerts/s  (%.2f s, %.2f s of it in the history's transactions; full-text index deferred)",
                     Double(count) / commitSeconds, commitSeconds, storeSeconds))
        t0 = Monotonic.seconds()
        let indexed = try ingestor.finishFullText()
        let indexSeconds = Monotonic.seconds() - t0
        print(String(format: "full-text catch-up: %8.0f alerts/s  (%.2f s for %d alerts)", Double(indexed) / indexSeconds, indexSeconds, indexed))
        try store.checkpointWAL()
        var st = stat()
        stat(path, &st)
        print(String(format: "  history size %.0f MiB (%.0f bytes per alert)", Double(st.st_size) / 1_048_576, Double(st.st_size) / Double(count)))
        let raw = try store.rawChunkSizes()
        print(String(format: "  raw lines %.0f bytes per alert, %.0f compressed (LZ4, %.1fx)", Double(raw.lines) / Double(count),
                     Double(raw.stored) / Double(count), Double(raw.lines) / Double(max(1, raw.stored))))

        // Queries over the full history (warm cache, as in a running console).
        let total = try store.totalCount()
        print("queries over \(total) alerts (\(queryRuns) runs each, milliseconds):")
        let cases: [(String, AlertQuery)] = [
            ("latest 100 Critical", AlertQuery(priorities: PriorityFilter("critical"), limit: 100)),
            ("latest 100 >=Error", AlertQuery(priorities: PriorityFilter(">=error"), limit: 100)),
            ("container latest 100", AlertQuery(container: "trading-7", limit: 100)),
            ("full-text 'keystore' latest 100", AlertQuery(search: "keystore", limit: 100)),
            ("full-text 'keystore root trading-42'", AlertQuery(search: "keystore root trading-42", limit: 100)),
        ]
        for (name, query) in cases {
            var found = 0
            let samples = try Clock.samples(queryRuns) { found = try store.alerts(query).count }
            print("  " + CellWidth.fit(name, to: 34) + String(format: "p50 %7.2f  p95 %7.2f  max %7.2f  (%d rows)",
                                                                samples.percentile(50), samples.percentile(95), samples.last ?? 0, found))
        }
        // What `tradsec stats` and the console's container view aggregate (one pass each).
        let aggregates: [(String, AlertQuery)] = [
            ("stats, whole history", AlertQuery(limit: 0)),
            ("stats, one container", AlertQuery(container: "trading-7", limit: 0)),
        ]
        for (name, query) in aggregates {
            var counted = 0
            let samples = try Clock.samples(min(queryRuns, 5)) { counted = try store.stats(query).total }
            print("  " + CellWidth.fit(name, to: 34) + String(format: "p50 %7.2f  p95 %7.2f  max %7.2f  (%d alerts)",
                                                                samples.percentile(50), samples.percentile(95), samples.last ?? 0, counted))
        }
    }
}
