import GRDB
import TradsecCore

/// Migration v8: the history's compact layout. Raw lines move from each alert row into
/// compressed chunks (``RawChunks``), and the four column indexes (priority, rule, container,
/// host) give way to per-block postings (``Postings``). Rows keep their ids, so
/// acknowledgements, enrichment and live-feed cursors stay valid.
enum CompactHistorySchema {
    static let migrationName = "v8: raw lines in compressed chunks, postings instead of column indexes"

    static func migrate(_ db: Database) throws {
        try RawChunks.createTables(db)
        try Postings.createTables(db)
        try db.execute(sql: """
            ALTER TABLE alerts ADD COLUMN raw_chunk INTEGER;
            ALTER TABLE alerts ADD COLUMN raw_offset INTEGER;
            ALTER TABLE alerts ADD COLUMN raw_length INTEGER;
            """)
        // Existing alerts, in id order, a block at a time.
        var after: Int64 = 0
        while true {
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, time_ns, priority, rule, container_id, hostname, raw FROM alerts WHERE id > ? ORDER BY id LIMIT ?
                """, arguments: [after, Postings.blockTarget])
            guard let last = rows.last else { break }
            var chunks = try RawChunkWriter(db: db)
            var postings = PostingWriter()
            // The fingerprint function changed with this layout: stored ones are recomputed so
            // that re-ingesting an old file still finds its alerts already there.
            let update = try db.cachedStatement(sql: "UPDATE alerts SET raw_chunk = ?, raw_offset = ?, raw_length = ?, fingerprint = ? WHERE id = ?")
            for row in rows {
                let raw: String = row[6]
                let location = chunks.next
                try update.execute(arguments: [location.chunk, location.offset, raw.utf8.count, Fingerprint.of(raw), row[0] as Int64])
                try withUTF8(raw) { try chunks.append($0, db: db) }
                try postings.add(id: row[0], time: row[1], priority: row[2], rule: row[3], container: row[4], host: row[5], db: db)
            }
            try chunks.flush(db: db)
            try postings.write(db: db)
            after = last[0]
        }
        try db.execute(sql: """
            ALTER TABLE alerts DROP COLUMN raw;
            DROP INDEX alerts_priority_time;
            DROP INDEX alerts_rule_time;
            DROP INDEX alerts_container_time;
            DROP INDEX alerts_host_time;
            """)
    }
}
