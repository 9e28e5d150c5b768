import GRDB
import TradsecCore

/// How much history to keep. Both limits are optional; with neither, everything is kept.
public struct RetentionPolicy: Sendable, Equatable {
    /// Alerts older than this (by alert time) are deleted.
    public var maxAge: Int64?
    /// Only the newest this many alerts (by ingest order) are kept.
    public var maxRows: Int?

    public init(maxAge: Int64? = nil, maxRows: Int? = nil) {
        self.maxAge = maxAge
        self.maxRows = maxRows
    }

    public var isUnlimited: Bool { maxAge == nil && maxRows == nil }
}

extension AlertStore {
    /// Deletes what the policy no longer keeps, in small transactions so that a feed
    /// writing at the same time is never held up for long. Returns how many were deleted.
    @discardableResult
    public func applyRetention(_ policy: RetentionPolicy, now: Timestamp = .now(), chunk: Int = 5000) throws -> Int {
        var deleted = 0
        if let maxAge = policy.maxAge {
            let cutoff = now.nanoseconds - maxAge
            while true {
                let n = try writeHistory { db -> Int in
                    let doomed = try Int64.fetchAll(db, sql: "SELECT id FROM alerts WHERE time_ns < ? LIMIT ?", arguments: [cutoff, chunk])
                    try Self.delete(doomed, db: db)
                    return doomed.count
                }
                deleted += n
                if n < chunk { break }
            }
        }
        if let maxRows = policy.maxRows {
            while true {
                let n = try writeHistory { db -> Int in
                    guard let boundary = try Self.newestBeyond(maxRows, db: db) else { return 0 }
                    let doomed = try Int64.fetchAll(db, sql: "SELECT id FROM alerts WHERE id <= ? ORDER BY id LIMIT ?",
                                                    arguments: [boundary, chunk])
                    try Self.delete(doomed, db: db)
                    return doomed.count
                }
                deleted += n
                if n < chunk { break }
            }
        }
        if deleted > 0 {
            try writeHistory { db in try Self.dropEmptyBlocks(db) }
        }
        return deleted
    }

    /// The id of the newest alert that is not among the newest `keep` (nil when there are no
    /// more than `keep`): counted from the packed rows' counts, reading only the one row
    /// where the boundary falls.
    static func newestBeyond(_ keep: Int, db: Database) throws -> Int64? {
        var newer = 0
        let rows = try Row.fetchCursor(db, sql: "SELECT first_id, count FROM alert_rows ORDER BY first_id DESC")
        while let row = try rows.next() {
            let first = try row.integer(0, "alert_rows")
            let count = try row.int(1, "alert_rows row \(first)")
            guard count >= 0, count <= AlertRows.rowTarget else {
                throw StoreError.damaged(place: "alert_rows row \(first)", problem: "its count \(count) is not what a row holds")
            }
            if newer + count > keep {
                // This row's newest (keep - newer) alerts stay; the one below them is the boundary.
                let position = count - (keep - newer) - 1
                return try Int64.fetchOne(db, sql: "SELECT id FROM alerts WHERE id >= ? ORDER BY id LIMIT 1 OFFSET ?",
                                          arguments: [first, position])
            }
            newer += count
        }
        return nil
    }

    /// Deletes alerts by id, with what refers to them: their full-text entries (read back
    /// from their raw lines: a contentless index removes a row only with its exact text) and
    /// their enrichment rows. The blocks they were in are marked as trimmed, so counts stop
    /// trusting those blocks' postings and look at the rows.
    static func delete(_ ids: [Int64], db: Database) throws {
        guard !ids.isEmpty else { return }
        let removed = try AlertRows.remove(ids.sorted(), db: db)
        guard !removed.isEmpty else { return }
        // Rows still in the backlog were never indexed: deleting their text would corrupt the index.
        let ranges = try Row.fetchAll(db, sql: "SELECT first_id, last_id FROM fts_pending WHERE last_id >= ? AND first_id <= ?",
                                      arguments: [removed.first!.id, removed.last!.id]).map { row -> ClosedRange<Int64> in
            let first = try row.integer(0, "fts_pending"), last = try row.integer(1, "fts_pending")
            guard first <= last else { throw StoreError.damaged(place: "fts_pending", problem: "the range \(first)...\(last) is empty") }
            return first...last
        }
        let unindex = try db.cachedStatement(sql: """
            INSERT INTO alerts_fts (alerts_fts, rowid, output) VALUES ('delete', ?, \(OutputFromChunks.name)(?, ?, ?))
            """)
        for (id, location) in removed where !ranges.contains(where: { $0.contains(id) }) {
            try unindex.execute(arguments: [id, location.chunk, location.offset, location.length])
        }
        let list = "[" + removed.map { String($0.id) }.joined(separator: ",") + "]"
        try ProcessingStore.remove(removed.map(\.id), db: db)
        // Only the blocks that held a deleted id: one old file ingested late must not mark
        // every block between it and the newest.
        try db.execute(sql: """
            UPDATE alert_blocks SET trimmed = 1
            WHERE EXISTS (SELECT 1 FROM json_each(?) WHERE value BETWEEN alert_blocks.first_id AND alert_blocks.last_id)
            """, arguments: [list])
    }

    /// Removes blocks, postings and raw chunks no alert refers to any more, and the
    /// containers that no longer appear in any block.
    static func dropEmptyBlocks(_ db: Database) throws {
        let oldest = try Int64.fetchOne(db, sql: "SELECT id FROM alerts ORDER BY id LIMIT 1") ?? Int64.max
        // The newest block stays even when empty: its last id is where new ids continue.
        let newestBlock = try Int64.fetchOne(db, sql: "SELECT max(id) FROM alert_blocks") ?? 0
        try db.execute(sql: "DELETE FROM alert_postings WHERE block_id IN (SELECT id FROM alert_blocks WHERE last_id < ? AND id < ?)",
                       arguments: [oldest, newestBlock])
        try db.execute(sql: "DELETE FROM alert_blocks WHERE last_id < ? AND id < ?", arguments: [oldest, newestBlock])
        try db.execute(sql: "DELETE FROM alert_terms WHERE newest_id < ?", arguments: [oldest])
        try db.execute(sql: "DELETE FROM alert_texts WHERE newest_id < ?", arguments: [oldest])
        // The newest chunk stays too, even when no alert points into it: chunk ids must never
        // be reused, or a reader's cached chunk (OutputFromChunks) would answer for another.
        let oldestChunk = try Int64.fetchOne(db, sql: "SELECT raw_chunk FROM alerts ORDER BY id LIMIT 1") ?? Int64.max
        try db.execute(sql: "DELETE FROM alert_chunks WHERE id < ? AND id < (SELECT max(id) FROM alert_chunks)", arguments: [oldestChunk])
        // Backlog ranges below the oldest alert are gone; one that straddles it starts there.
        try db.execute(sql: "DELETE FROM fts_pending WHERE last_id < ?", arguments: [oldest])
        try db.execute(sql: "UPDATE fts_pending SET first_id = ? WHERE first_id < ?", arguments: [oldest, oldest])
        // Containers with no alerts left are forgotten too. An untouched block's postings are
        // exact; in a trimmed block a container's postings may name deleted rows, so there
        // the rows themselves are asked.
        for id in try String.fetchAll(db, sql: """
            SELECT id FROM containers WHERE 'c:' || id NOT IN (
                SELECT DISTINCT p.term FROM alert_postings p JOIN alert_blocks b ON b.id = p.block_id
                WHERE p.term >= 'c:' AND p.term < 'c;' AND b.trimmed = 0)
            """) {
            let present = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM alert_postings p JOIN alert_blocks b ON b.id = p.block_id
                               JOIN alerts a ON a.id BETWEEN b.first_id AND b.last_id
                               WHERE p.term = 'c:' || ?1 AND a.container_id = ?1)
                """, arguments: [id]) ?? false
            if !present { try db.execute(sql: "DELETE FROM containers WHERE id = ?", arguments: [id]) }
        }
    }
}
