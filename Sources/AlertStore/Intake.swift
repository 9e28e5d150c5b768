import Foundation
import GRDB
import GRDBSQLite
import TradsecCore

/// The SQLite intake journal of earlier versions (a row per alert taken one at a time), now
/// replaced by the intake log beside the history (``IntakeLog``). Its table stays in the
/// schema, and what a history still holds there is moved into the history once at start.
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
