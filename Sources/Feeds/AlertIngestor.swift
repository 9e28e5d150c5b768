import AlertStore
import TradsecCore

/// What an ingest did, for the user: counts, reasons and where the first rejects are.
public struct IngestReport: Sendable, Equatable {
    public struct Reject: Sendable, Equatable {
        public var lineNumber: Int
        public var code: AlertRejection.Code
        public var message: String
    }

    public var linesRead = 0
    public var blankLines = 0
    public var accepted = 0
    public var stored = 0
    public var duplicates = 0
    public var rejectedByCode: [AlertRejection.Code: Int] = [:]
    /// The first rejects, in input order (at most ``AlertIngestor/sampleLimit``).
    public var firstRejects: [Reject] = []

    public var rejected: Int { rejectedByCode.values.reduce(0, +) }

    public init() {}

    /// The human summary `tradsec ingest` prints.
    public func summary(source: String) -> String {
        var lines = ["\(source): \(linesRead) lines read, \(accepted) accepted (\(stored) stored, \(duplicates) already in the history), \(rejected) rejected, \(blankLines) blank"]
        for (code, n) in rejectedByCode.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key.rawValue < $1.key.rawValue) }) {
            lines.append("  rejected \(n) × \(code.rawValue)")
        }
        if !firstRejects.isEmpty {
            lines.append("  first rejects:")
            for r in firstRejects { lines.append("    line \(r.lineNumber): \(r.message)") }
        }
        return lines.joined(separator: "\n")
    }
}

/// Decodes alert lines and stores them in batches. One transaction per batch keeps
/// ingest fast; the caller decides when a batch must be committed (end of input, or a
/// follow checkpoint) with ``flush(checkpoint:)``.
public final class AlertIngestor {
    public static let sampleLimit = 10

    public let store: AlertStore
    public let origin: String
    public let batchSize: Int
    public private(set) var report = IngestReport()
    /// The history needs only the indexed fields and the raw line: the lean decoder gives
    /// those at ~3× the speed of a full ``Alert`` (same acceptance, same rejections), into
    /// one buffer reused from batch to batch.
    private var batch = AlertBatch()
    private var rejects: [AlertStore.RejectRecord] = []

    public init(store: AlertStore, origin: String, batchSize: Int = 2000) {
        self.store = store
        self.origin = origin
        self.batchSize = batchSize
        // Work an earlier run deferred (and did not finish) is picked up too.
        fullTextBacklog = ((try? store.fullTextBacklogCount()) ?? 0) > 0
    }

    /// A batch holding this many bytes is full whatever its count: lines may be up to
    /// ``LineReader/maxLineLength`` long, and a batch of them must not take gigabytes.
    public static let batchByteLimit = 64 << 20

    /// Rejects waiting for the next commit: a writer sending only garbage must fill
    /// batches too, or they would wait in memory without limit.
    public static let rejectBatchLimit = 1000

    /// True when enough alerts (or rejects) are waiting that the caller should flush.
    public var batchIsFull: Bool {
        batch.count >= batchSize || batch.byteCount >= Self.batchByteLimit || rejects.count >= Self.rejectBatchLimit
    }
    public var pendingCount: Int { batch.count }
    public var pendingRejectCount: Int { rejects.count }

    /// Handles one event from a ``LineReader``.
    public func take(_ event: LineReader.Event) {
        switch event {
        case .line(let bytes, let lineNumber, _):
            accept(line: bytes, lineNumber: lineNumber)
        case .tooLong(let lineNumber, let length, _):
            report.linesRead += 1
            reject(AlertRejection(.tooLong, "line of \(length) bytes is longer than the limit"), lineNumber: lineNumber, excerpt: "")
        }
    }

    public func accept(line: UnsafeRawBufferPointer, lineNumber: Int) {
        report.linesRead += 1
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            report.blankLines += 1
            return
        }
        do {
            try AlertDecoder.decodeRecord(line: line, into: &batch)
            report.accepted += 1
        } catch {
            let excerpt = TerminalSafe.escape(String(decoding: line.prefix(256), as: UTF8.self))
            reject(error, lineNumber: lineNumber, excerpt: excerpt)
        }
    }

    private func reject(_ rejection: AlertRejection, lineNumber: Int, excerpt: String) {
        report.rejectedByCode[rejection.code, default: 0] += 1
        if report.firstRejects.count < Self.sampleLimit {
            report.firstRejects.append(.init(lineNumber: lineNumber, code: rejection.code, message: rejection.message))
        }
        rejects.append(.init(origin: origin, lineNumber: lineNumber, code: rejection.code.rawValue,
                             message: rejection.message, excerpt: excerpt))
    }

    /// Batches at least this large (a file read in bulk, a follower catching up) leave the
    /// full-text index to trail them: indexing in the commit costs about as much as the rest
    /// of it. Smaller batches (a live feed) index inline and also work off what is waiting.
    public static let deferFullTextAt = 1000
    private var fullTextBacklog = false

    /// Called with each committed batch and the alerts it added (the processing step takes
    /// them from here); the batch is reused after the call returns.
    public var handOver: ((AlertBatch, [InsertedAlert]) -> Void)?
    /// The id of the newest alert this ingestor stored (0: none yet).
    public private(set) var newestStored: Int64 = 0

    /// Commits the waiting alerts (and rejects, and the checkpoint) in one transaction.
    public func flush(checkpoint: FollowCheckpoint? = nil) throws {
        guard !batch.isEmpty || !rejects.isEmpty || checkpoint != nil else { return }
        let bulk = batch.count >= Self.deferFullTextAt
        let result = try store.commit(CommitPlan(alerts: batch, origin: origin, checkpoint: checkpoint, rejects: rejects,
                                                 fullText: bulk ? .deferred : .inline))
        handOver?(batch, result.added)
        if let last = result.added.last { newestStored = last.id }
        report.stored += result.inserted
        report.duplicates += result.duplicates
        batch.removeAll()
        rejects.removeAll()
        if bulk {
            fullTextBacklog = true
        } else if fullTextBacklog {
            fullTextBacklog = try store.indexFullTextBacklog(limit: 20_000) == 20_000
        }
    }

    /// Brings the full-text index up to date with everything this ingestor deferred; returns
    /// how many alerts it indexed. Searches find deferred alerts before this, only slower.
    @discardableResult
    public func finishFullText() throws -> Int {
        guard fullTextBacklog else { return 0 }
        var total = 0
        while case let n = try store.indexFullTextBacklog(limit: 50_000), n > 0 { total += n }
        fullTextBacklog = false
        return total
    }
}
