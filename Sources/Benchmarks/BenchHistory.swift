#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import TradsecCore

/// The history a benchmark runs on: `--db` as given, or a fresh one under /tmp that the
/// benchmark removes (with its WAL, shared-memory and lock files) when it is done.
public struct BenchHistory: Sendable {
    public let path: String
    /// Made by the benchmark, so removed after it.
    public let scratch: Bool

    public init(path: String, scratch: Bool) {
        self.path = path
        self.scratch = scratch
    }

    /// A scratch path for `name` (removed files of an earlier run with the same pid first).
    public static func scratch(_ name: String) -> BenchHistory {
        let history = BenchHistory(path: "/tmp/tradsec-bench-\(name)-\(getpid()).sqlite", scratch: true)
        history.remove()
        return history
    }

    /// `db` when given; otherwise a scratch history filled with `count` generated alerts
    /// (`log` hears that it is being generated).
    public static func existingOrGenerated(db: String?, name: String, count: Int, log: (String) -> Void) throws -> BenchHistory {
        if let db { return BenchHistory(path: db, scratch: false) }
        let history = scratch(name)
        log("generating a history of \(count) alerts…")
        let store = try AlertStore(path: history.path)
        var generator = AlertGenerator()
        var batch: [Alert] = []
        for i in 0..<count {
            batch.append(try AlertDecoder.decode(line: generator.next(index: i)))
            if batch.count == 5000 { try store.insert(batch); batch.removeAll(keepingCapacity: true) }
        }
        try store.insert(batch)
        try store.checkpointWAL()
        return history
    }

    /// Removes a scratch history's files; a history named with `--db` is left alone.
    public func remove() {
        guard scratch else { return }
        for suffix in ["", "-wal", "-shm", ".open-lock", "-notify.lock"] { unlink(path + suffix) }
    }
}
