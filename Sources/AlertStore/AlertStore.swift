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
                    throw StoreError("cannot lock \(lockPath): \(reason)")
                }
            }
        }
        defer { if lock >= 0 { flock(lock, LOCK_UN); close(lock) } }
        // The files are made owner-only before SQLite creates or opens them (it would use the umask).
        fileNotices = readOnly ? [] : try HistoryFiles.secure(path)
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError("cannot open history \(path): \(error)")
        }
        if !readOnly {
            // The writer folds the WAL into the file every 16,000 pages (64 MiB). Each of those
            // checkpoints waits for two fdatasync calls (16–25 ms each on this machine's disk);
            // at 4,000 pages they took a fifth of a bulk ingest (1 M alerts: 154,000 and 189,000
            // alerts/s against 193,000 and 240,000 at 16,000, interleaved; performance.md).
            try pool.write { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 16000") }
            try Schema.migrator().migrate(pool)
        }
    }

    // MARK: - Writing

    /// What a batch insert did.
    public struct InsertResult: Sendable, Equatable {
        public var inserted = 0
        /// Alerts already in the history (same raw JSON), skipped.
        public var duplicates = 0
        public init() {}
        public static func += (a: inout InsertResult, b: InsertResult) {
            a.inserted += b.inserted
            a.duplicates += b.duplicates
        }
    }

    /// An alert this batch added (duplicates are not listed): its place in the batch and its row id.
    public struct InsertedAlert: Sendable, Equatable {
        public var index: Int
        public var id: Int64
    }

    /// Stores `alerts` in one transaction, together with an optional follow checkpoint, so
    /// that after a crash either both the alerts and the new position are there, or neither.
    /// `within` runs in the same transaction with the rows just added, so what the processor
    /// derives from them (enrichment, incidents, notifications) commits with them or not at all.
    @discardableResult
    public func insert(_ alerts: [Alert], origin: String? = nil, checkpoint: FollowCheckpoint? = nil,
                       rejects: [RejectRecord] = [], fullText: FullText = .inline,
                       within: ((Database, [InsertedAlert]) throws -> Void)? = nil) throws -> InsertResult {
        var batch = AlertBatch()
        for alert in alerts { batch.append(alert.record) }
        return try insert(batch, origin: origin, checkpoint: checkpoint, rejects: rejects, fullText: fullText, within: within)
    }

    /// The same for a decoded batch (what ingest uses: no `String` per field). An
    /// ``InsertedAlert``'s index is the alert's place in the batch.
    @discardableResult
    public func insert(_ batch: AlertBatch, origin: String? = nil, checkpoint: FollowCheckpoint? = nil,
                       rejects: [RejectRecord] = [], fullText: FullText = .inline,
                       within: ((Database, [InsertedAlert]) throws -> Void)? = nil) throws -> InsertResult {
        try writeHistory { db in
            var result = InsertResult()
            var added: [InsertedAlert] = []
            if !batch.isEmpty {
                result = try insertAlerts(batch, origin: origin, fullText: fullText, db: db,
                                          added: within == nil ? nil : { added.append($0) })
            }
            if let within { try within(db, added) }
            for reject in rejects { try record(reject, db: db) }
            // Keep the table bounded (a flood of garbage must not fill the disk); once per
            // batch, not per reject: the trim walks ten thousand rows.
            if !rejects.isEmpty {
                try db.execute(sql: "DELETE FROM rejects WHERE id <= (SELECT id FROM rejects ORDER BY id DESC LIMIT 1 OFFSET 10000)")
            }
            if let checkpoint { try save(checkpoint, db: db) }
            return result
        }
    }

    private func insertAlerts(_ batch: AlertBatch, origin: String?, fullText: FullText, db: Database,
                              added: ((InsertedAlert) -> Void)?) throws -> InsertResult {
        let fts = try db.cachedStatement(sql: "INSERT INTO alerts_fts(rowid, output) VALUES (?, ?)").sqliteStatement
        defer { sqlite3_reset(fts) }
        let now = Timestamp.now().nanoseconds
        var result = InsertResult()
        // Per container (by its postings slot): the batch's last alert naming it, first and last time.
        var containers: [(last: Int, first: Int64, newest: Int64)?] = []
        var chunks = try RawChunkWriter(db: db)
        var postings = PostingWriter()
        var packed = PackedRowWriter()
        // Ids are given explicitly and never reused, even after retention deleted the newest
        // rows: postings blocks and live-feed cursors rely on ids only growing. The newest
        // block outlives retention, so its last id is the high-water mark.
        var nextID = try Int64.fetchOne(db, sql: """
            SELECT max(coalesce((SELECT last_id FROM alert_rows ORDER BY first_id DESC LIMIT 1), 0), coalesce((SELECT max(last_id) FROM alert_blocks), 0)) + 1
            """) ?? 1
        // Read from the file: ids must stay positive and far from overflowing as batches add to them.
        guard nextID > 0, nextID < Int64.max - (1 << 40) else {
            throw StoreError.damaged("alert_rows/alert_blocks", "the next alert id would be \(nextID)")
        }
        let originBytes = origin.map { Array($0.utf8) } ?? []
        try originBytes.withUnsafeBytes { originBytes in
        try batch.withBytes { bytes in
        try batch.entries.withUnsafeBufferPointer { entries in
            @inline(__always) func text(_ span: AlertBatch.Span) -> UnsafeRawBufferPointer? { span.bytes(in: bytes) }
            // The same raw line at the same time is stored once (a re-read file, a replaying feed).
            let fingerprints = entries.map { Fingerprint.hash(text($0.raw)!) }
            var seen = SeenAlerts(times: entries.map(\.time.nanoseconds), fingerprints: fingerprints)
            try seen.loadStored(db: db)
            for index in 0..<entries.count {
                let alert = entries[index]
                let time = alert.time.nanoseconds
                let raw = text(alert.raw)!
                let fingerprint = fingerprints[index]
                guard !seen.isDuplicate[index] else {
                    result.duplicates += 1
                    continue
                }
                result.inserted += 1
                let rowID = nextID
                nextID += 1
                var location = chunks.next
                location.length = raw.count
                try chunks.append(raw, db: db)
                let rule = text(alert.rule)!, container = text(alert.containerID)!, hostname = text(alert.hostname)
                let record = packed.add(id: rowID, time: time, fingerprint: fingerprint, ingested: now, location: location,
                                        priority: alert.priority.rawValue,
                                        texts: AlertTexts(rule: rule, source: text(alert.source), hostname: hostname, container: container,
                                                          proc: text(alert.processName), user: text(alert.userName),
                                                          origin: origin == nil ? nil : originBytes))
                added?(InsertedAlert(index: index, id: rowID))
                let slot = try postings.add(id: rowID, time: time, priority: alert.priority.rawValue,
                                            rule: (record.rule, rule), container: (record.container, container),
                                            host: hostname.map { (record.hostname, $0) }, db: db)
                if fullText == .inline {
                    sqlite3_reset(fts)
                    sqlite3_bind_int64(fts, 1, rowID)
                    bindText(fts, 2, text(alert.output)!)
                    guard sqlite3_step(fts) == SQLITE_DONE else {
                        throw StoreError("full-text insert failed: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
                    }
                }
                if slot >= containers.count { containers.append(contentsOf: repeatElement(nil, count: slot - containers.count + 1)) }
                if let seen = containers[slot] {
                    containers[slot] = (index, min(seen.first, time), max(seen.newest, time))
                } else {
                    containers[slot] = (index, time, time)
                }
            }
        }
        }
        }
        try packed.write(db: db)
        try chunks.flush(db: db)
        try postings.write(db: db)
        // The ids this batch added are consecutive (a duplicate takes none).
        if fullText == .deferred, result.inserted > 0 {
            try Self.deferFullText(nextID - Int64(result.inserted), nextID - 1, db: db)
        }
        // One upsert per container per batch rather than per alert.
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO containers (id, name, image, hostname, first_seen_ns, last_seen_ns) VALUES (?,?,?,?,?,?)
            ON CONFLICT(id) DO UPDATE SET
                name = CASE WHEN excluded.last_seen_ns >= containers.last_seen_ns THEN excluded.name ELSE containers.name END,
                image = COALESCE(CASE WHEN excluded.last_seen_ns >= containers.last_seen_ns THEN excluded.image END, containers.image),
                hostname = COALESCE(excluded.hostname, containers.hostname),
                first_seen_ns = MIN(containers.first_seen_ns, excluded.first_seen_ns),
                last_seen_ns = MAX(containers.last_seen_ns, excluded.last_seen_ns)
            """)
        for case let (last, first, newest)? in containers {
            let alert = batch.entries[last]
            try upsert.execute(arguments: [batch.string(alert.containerID), batch.string(alert.containerName),
                                           batch.string(alert.containerImage), batch.string(alert.hostname), first, newest])
        }
        return result
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

    private func record(_ r: RejectRecord, db: Database) throws {
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

public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
