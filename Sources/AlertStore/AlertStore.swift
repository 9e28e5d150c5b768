#if canImport(Glibc)
import Glibc
#endif
import GRDB
import GRDBSQLite
import TradsecCore

/// The alert history: one SQLite database in WAL mode.
///
/// Writers go through one connection (SQLite allows one writer); readers use the pool's
/// reader connections and never block the writer, so the console can query while a feed
/// ingests. Every write is a transaction: a process killed mid-batch leaves the last
/// committed state, never a half-written one.
public final class AlertStore: Sendable {
    public let path: String
    let pool: DatabasePool
    /// What opening changed about the history's files (a history readable by others made
    /// owner-only), for the caller to tell the user.
    public let fileNotices: [String]

    /// Opens (creating if needed) the history at `path` and brings its schema up to date.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        if !readOnly, let slash = path.lastIndex(of: "/") {
            let dir = String(path[..<slash])
            if !dir.isEmpty { try Paths.makeDirectory(dir) }
        }
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(10)
        config.label = "tradsec.history"
        config.prepareDatabase { db in
            // NORMAL is durable against process crashes in WAL mode; only power loss can
            // drop the last transactions, and it never corrupts the file.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -65536")   // 64 MiB: keeps index pages hot during bulk ingest
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            if let connection = db.sqliteConnection {
                try OutputFromChunks.register(on: connection)
                try AlertRows.register(on: connection)
            }
        }
        // Two processes opening a new history at once (a follower and a console, say) would
        // both switch it to WAL and both run the migrations; SQLite refuses the second
        // ("database is locked", "table already exists"). A lock on a file beside the history
        // makes writers open it one after the other; it is held only while opening.
        var lock: Int32 = -1
        if !readOnly {
            let lockPath = path + ".open-lock"
            lock = try HistoryFiles.openLock(lockPath)
            while flock(lock, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let reason = String(cString: strerror(errno))
                    close(lock)
                    throw StoreError.cannotLock(path: lockPath, role: .lock, reason: reason)
                }
            }
        }
        defer { if lock >= 0 { flock(lock, LOCK_UN); close(lock) } }
        // The files are made owner-only before SQLite creates or opens them (it would use the umask).
        fileNotices = readOnly ? [] : try HistoryFiles.secure(path)
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError.cannotOpen(path: path, role: .history, reason: "\(error)")
        }
        if !readOnly {
            // The writer folds the WAL into the file every 16,000 pages (64 MiB). Each of those
            // checkpoints waits for two fdatasync calls; at SQLite's default interval they took
            // a large share of a bulk ingest (`tradsec bench ingest`).
            try pool.write { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 16000") }
            try Schema.migrator().migrate(pool)
        }
    }

    // MARK: - Rejects

    /// A refused input line, kept for `tradsec rejects` and the console's pipeline view.
    public struct RejectRecord: Sendable {
        public var origin: String?
        public var lineNumber: Int?
        public var code: String
        public var message: String
        public var excerpt: String
        public init(origin: String?, lineNumber: Int?, code: String, message: String, excerpt: String) {
            self.origin = origin
            self.lineNumber = lineNumber
            self.code = code
            self.message = message
            self.excerpt = excerpt
        }
    }

    func record(_ r: RejectRecord, db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO rejects (time_ns, origin, line_number, code, message, excerpt) VALUES (?,?,?,?,?,?)")
            .execute(arguments: [Timestamp.now().nanoseconds, r.origin, r.lineNumber, r.code, r.message, r.excerpt])
    }

    public func recentRejects(limit: Int = 50) throws -> [RejectRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT origin, line_number, code, message, excerpt FROM rejects ORDER BY id DESC LIMIT ?",
                             arguments: [limit]).map {
                // decode: a value of the wrong type is an error, where a subscript would trap.
                RejectRecord(origin: try $0.decode(atIndex: 0), lineNumber: try $0.decode(atIndex: 1), code: try $0.decode(atIndex: 2),
                             message: try $0.decode(atIndex: 3), excerpt: try $0.decode(atIndex: 4))
            }
        }
    }

    // MARK: - Maintenance

    /// Folds the WAL back into the main file (used on clean shutdown and after bulk loads).
    public func checkpointWAL() throws {
        try pool.writeWithoutTransaction { db in _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// Verifies the database file; returns SQLite's findings ("ok" when sound).
    public func integrityCheck() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }
}

/// A string's UTF-8 bytes without copying a native string (`withUTF8` needs a mutable copy,
/// which costs a retain and release).
@inline(__always)
func withUTF8<R>(_ text: String, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    if let result = try text.utf8.withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) { return result }
    var copy = text
    return try copy.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
}

/// SQLITE_TRANSIENT is a cast macro that does not import: SQLite copies the text.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Binds bytes as text (copied by SQLite).
@inline(__always)
func bindText(_ statement: OpaquePointer, _ index: Int32, _ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, bytes.count > 0 else {
        _ = sqlite3_bind_text(statement, index, "", 0, sqliteTransient)
        return
    }
    _ = sqlite3_bind_text(statement, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), sqliteTransient)
}

@inline(__always)
func bindText(_ statement: OpaquePointer, _ index: Int32, _ text: String?) {
    guard var text else {
        sqlite3_bind_null(statement, index)
        return
    }
    text.withUTF8 { buffer in
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            _ = sqlite3_bind_text(statement, index, "", 0, sqliteTransient)
            return
        }
        _ = sqlite3_bind_text(statement, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                              Int32(buffer.count), sqliteTransient)
    }
}

