import Foundation
import GRDB
import GRDBSQLite
import TradsecCore

/// The intake journal: alerts taken in one or a few at a time (Falco's `http_output` posts one
/// alert per request and waits for the reply before the next) are committed here first, a
/// row each, which is cheap; they move into the packed history in batches shortly after.
/// Storing a single alert in the packed layout rewrites a packed row, a chunk and a block's
/// postings, which is what made one request cost the better part of a millisecond. A line
/// in the journal is as durable as a stored alert (the same WAL); the move deletes it in the
/// transaction that stores it, so after a crash it is moved exactly once.
enum Intake {
    static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE intake (
                id INTEGER PRIMARY KEY,
                time_ns INTEGER NOT NULL,
                fingerprint INTEGER NOT NULL,
                received_ns INTEGER NOT NULL,
                origin TEXT,
                raw BLOB NOT NULL,                  -- the alert's line as accepted
                UNIQUE (time_ns, fingerprint)       -- the same line waits once
            );
            """)
    }

    /// Journals `batch`'s alerts that are neither stored nor waiting already.
    static func append(_ batch: AlertBatch, origin: String?, db: Database) throws -> CommitResult {
        var result = CommitResult()
        let insert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO intake (time_ns, fingerprint, received_ns, origin, raw) VALUES (?, ?, ?, ?, ?)
            """).sqliteStatement
        defer { sqlite3_reset(insert) }
        let now = Timestamp.now().nanoseconds
        try batch.withBytes { bytes in
            let entries = batch.entries
            let fingerprints = entries.map { Fingerprint.hash($0.raw.bytes(in: bytes)!) }
            var seen = SeenAlerts(times: entries.map(\.time.nanoseconds), fingerprints: fingerprints)
            try seen.loadStored(db: db)
            for (index, entry) in entries.enumerated() {
                guard !seen.isDuplicate[index] else { result.duplicates += 1; continue }
                let raw = entry.raw.bytes(in: bytes)!
                sqlite3_reset(insert)
                sqlite3_bind_int64(insert, 1, entry.time.nanoseconds)
                sqlite3_bind_int64(insert, 2, fingerprints[index])
                sqlite3_bind_int64(insert, 3, now)
                bindText(insert, 4, origin)
                sqlite3_bind_blob(insert, 5, raw.baseAddress, Int32(raw.count), sqliteTransient)
                guard sqlite3_step(insert) == SQLITE_DONE else {
                    throw StoreError("history: intake write failed: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
                }
                if sqlite3_changes(db.sqliteConnection) == 1 {
                    result.inserted += 1
                    result.added.append(InsertedAlert(index: index, id: db.lastInsertedRowID))
                } else {
                    result.duplicates += 1   // already waiting
                }
            }
        }
        return result
    }
}

/// What one move from the journal stored.
public struct IntakeMove: Sendable {
    /// The alerts moved, and which of them were new to the history (ids assigned now).
    public var batch: AlertBatch
    public var result: CommitResult
    /// Journal rows moved (stored or found to be duplicates).
    public var moved: Int
    /// The journal row each batch entry came from.
    public var journalIDs: [Int64]
}

extension AlertStore {
    /// Moves up to `limit` journaled alerts (oldest first) into the history, in one transaction
    /// that also removes them from the journal. Nil when the journal is empty.
    public func moveIntake(limit: Int = 4096, fullText: FullText = .deferred) throws -> IntakeMove? {
        try writeHistory { db in
            var batch = AlertBatch()
            var last: Int64 = 0
            var moved = 0
            var origin: String?
            var journalIDs: [Int64] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT id, origin, raw FROM intake ORDER BY id LIMIT ?", arguments: [limit])
            while let row = try rows.next() {
                let id = try row.integer(0, "intake")
                // One origin per move: alerts keep the feed that brought them.
                let rowOrigin: String? = row[1]
                if moved > 0 && rowOrigin != origin { break }
                origin = rowOrigin
                let raw = try row.blob(2, "intake row \(id)")
                // A line that no longer decodes cannot have been journaled by this version:
                // it is dropped with the move rather than block the journal forever.
                let before = batch.count
                _ = raw.withUnsafeBytes { try? AlertDecoder.decodeRecord(line: $0, into: &batch) }
                if batch.count > before { journalIDs.append(id) }
                last = id
                moved += 1
            }
            guard moved > 0 else { return nil }
            var result = CommitResult()
            if !batch.isEmpty {
                var added: [InsertedAlert] = []
                result = try insertAlerts(batch, origin: origin, fullText: fullText, db: db, added: { added.append($0) })
                result.added = added
            }
            try db.execute(sql: "DELETE FROM intake WHERE id <= ?", arguments: [last])
            return IntakeMove(batch: batch, result: result, moved: moved, journalIDs: journalIDs)
        }
    }

    /// Alerts waiting in the journal.
    public func intakeCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM intake") ?? 0 }
    }
}
