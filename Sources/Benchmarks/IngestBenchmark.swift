#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AlertStore
import Feeds
import TradsecCore

/// `tradsec bench ingest`: generated Falco alert lines parsed, then parsed and committed into a
/// fresh history on one thread, then the console's questions timed over that history. One
/// method per stage, so the command can print each figure as soon as it is known.
public final class IngestBenchmark {
    public let count: Int
    /// The alert lines, each followed by a line feed.
    public let input: [UInt8]
    private var store: AlertStore?
    private var ingestor: AlertIngestor?

    /// What the console and `tradsec stats` ask a history, by the name the benchmark prints.
    public static let queries: [(name: String, query: AlertQuery)] = [
        ("latest 100 Critical", AlertQuery(priorities: PriorityFilter("critical"), limit: 100)),
        ("latest 100 >=Error", AlertQuery(priorities: PriorityFilter(">=error"), limit: 100)),
        ("container latest 100", AlertQuery(container: "trading-7", limit: 100)),
        ("full-text 'keystore' latest 100", AlertQuery(search: "keystore", limit: 100)),
        ("full-text 'keystore root trading-42'", AlertQuery(search: "keystore root trading-42", limit: 100)),
    ]
    /// What `tradsec stats` and the console's container view aggregate (one pass each).
    public static let aggregates: [(name: String, query: AlertQuery)] = [
        ("stats, whole history", AlertQuery(limit: 0)),
        ("stats, one container", AlertQuery(container: "trading-7", limit: 0)),
    ]

    /// Generates `count` alert lines; `shuffled` feeds them out of time order over their whole
    /// span (the duplicate check's worst case).
    public init(count: Int, shuffled: Bool) {
        self.count = count
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
        self.input = input
    }

    /// Seconds to parse every line into the full alert (what the console and the processor use).
    public func parseFullSeconds() -> Double {
        parseSeconds { (try? AlertDecoder.decode(line: $0)) != nil }
    }

    /// Seconds to parse every line into the lean record the ingestor stores (same acceptance,
    /// only the indexed fields), into a reused batch emptied every 5,000 alerts as the
    /// ingestor does.
    public func parseRecordSeconds() -> Double {
        var batch = AlertBatch()
        return parseSeconds { line in
            if batch.count == 5000 { batch.removeAll() }
            do { try AlertDecoder.decodeRecord(line: line, into: &batch) } catch { return false }
            return true
        }
    }

    private func parseSeconds(_ decode: (UnsafeRawBufferPointer) -> Bool) -> Double {
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

    public struct Commit: Sendable {
        /// Parse and commit, start to end.
        public var seconds: Double
        /// The part of it spent in the history's transactions.
        public var storeSeconds: Double
        /// With processing: from the start until processing had every alert (it trails the
        /// commits on its own thread, so this is the rate that holds for a steady stream).
        public var processedSeconds: Double?
    }

    /// The processing step (enrich → correlate → respond → notify) for a run with processing
    /// on: built by the caller from the history (the executable builds it as `ingest --config`
    /// does), so this module needs nothing of the command's assembly.
    public struct Processing {
        /// The ingestor whose committed batches go on to processing.
        public var ingestor: AlertIngestor
        /// Waits until processing reached the given alert id and stops it; why not, if it did not.
        public var finish: (_ newest: Int64) -> String?
        public init(ingestor: AlertIngestor, finish: @escaping (_ newest: Int64) -> String?) {
            self.ingestor = ingestor
            self.finish = finish
        }
    }

    /// Parses and commits every line into a new history at `path`, one thread, 5,000 alerts per
    /// transaction, the full-text index deferred (as `tradsec ingest` of a file does). The
    /// queries then run over this history.
    public func commit(path: String) throws -> Commit {
        let store = try AlertStore(path: path)
        let ingestor = AlertIngestor(store: store, origin: "bench", batchSize: 5000)
        self.store = store
        self.ingestor = ingestor
        return try commit(ingestor, processing: nil)
    }

    /// The same into another new history at `path` with the processing step on (built by
    /// `processing` on that history), waiting until it has processed every alert.
    public func commitProcessing(path: String, processing: (AlertStore) throws -> Processing) throws -> Commit {
        let store = try AlertStore(path: path)
        let step = try processing(store)
        return try commit(step.ingestor, processing: step)
    }

    private func commit(_ ingestor: AlertIngestor, processing step: Processing?) throws -> Commit {
        let t0 = Monotonic.seconds()
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
        let seconds = Monotonic.seconds() - t0
        precondition(ingestor.report.stored == count, "not every alert was stored: \(ingestor.report.stored)")
        var processedSeconds: Double?
        if let step {
            if let behind = step.finish(ingestor.newestStored) { throw BenchmarkError.failed("processing did not keep up: \(behind)") }
            processedSeconds = Monotonic.seconds() - t0
        }
        return Commit(seconds: seconds, storeSeconds: storeSeconds, processedSeconds: processedSeconds)
    }

    /// Indexes the deferred full text after ``commit(path:)``: alerts indexed and seconds.
    public func catchUpFullText() throws -> (indexed: Int, seconds: Double) {
        guard let ingestor else { preconditionFailure("commit(path:) first") }
        let t0 = Monotonic.seconds()
        let indexed = try ingestor.finishFullText()
        return (indexed, Monotonic.seconds() - t0)
    }

    public struct Size: Sendable {
        /// The history file after a WAL checkpoint.
        public var fileBytes: Int
        /// The raw lines as received, and as stored in compressed chunks.
        public var rawLineBytes: Int
        public var rawStoredBytes: Int
    }

    /// The history's size after ``commit(path:)``, the WAL folded in first.
    public func size() throws -> Size {
        guard let store else { preconditionFailure("commit(path:) first") }
        try store.checkpointWAL()
        var st = stat()
        stat(store.path, &st)
        let raw = try store.rawChunkSizes()
        return Size(fileBytes: Int(st.st_size), rawLineBytes: raw.lines, rawStoredBytes: raw.stored)
    }

    /// Alerts in the history built by ``commit(path:)``.
    public func totalCount() throws -> Int {
        guard let store else { preconditionFailure("commit(path:) first") }
        return try store.totalCount()
    }

    /// `runs` timings of one query over the history (warm cache, as in a running console),
    /// sorted milliseconds, and the rows it returned.
    public func time(_ query: AlertQuery, runs: Int) throws -> (milliseconds: [Double], rows: Int) {
        guard let store else { preconditionFailure("commit(path:) first") }
        var found = 0
        let samples = try Timing.samples(runs) { found = try store.alerts(query).count }
        return (samples, found)
    }

    /// `runs` timings of one aggregate pass (`tradsec stats`), sorted milliseconds, and the
    /// alerts it counted.
    public func timeStats(_ query: AlertQuery, runs: Int) throws -> (milliseconds: [Double], alerts: Int) {
        guard let store else { preconditionFailure("commit(path:) first") }
        var counted = 0
        let samples = try Timing.samples(runs) { counted = try store.stats(query).total }
        return (samples, counted)
    }
}
