import GRDB
import GRDBSQLite
import TradsecCore

/// Full-text indexing that may trail the writer. The processor's writer answers each request
/// only after its commit; making the full-text insert part of that commit costs about a third
/// of it, and a bulk ingest goes twice as fast without it. So those writers store alerts with
/// ``FullText/deferred``: each batch's ids go to `fts_backlog` as one range, and
/// ``AlertStore/indexFullTextBacklog(limit:)`` moves rows into the index in large batches
/// when the writer has a moment. Searches look in the index and, word by word, in the
/// backlog, so an alert is findable the moment it is stored.
enum FullTextBacklogSchema {
    static let migrationName = "v7: full-text index may trail the alerts"

    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE fts_backlog (alert_id INTEGER PRIMARY KEY);
            CREATE TRIGGER alerts_fts_backlog_delete AFTER DELETE ON alerts BEGIN
                DELETE FROM fts_backlog WHERE alert_id = old.id;
            END;
            """)
    }
}

/// Migration v9: the output text leaves the alert row (it is read from the raw line, see
/// ``OutputFromChunks``), the full-text index becomes contentless, and the backlog holds id
/// ranges, one row per batch instead of one per alert.
enum OutputOutOfRowSchema {
    static let migrationName = "v9: output read from the raw chunks, full-text backlog as id ranges"

    /// True when row `id` has not been indexed yet (ranges never overlap).
    static func pending(_ id: String) -> String {
        "EXISTS (SELECT 1 FROM (SELECT last_id FROM fts_pending WHERE first_id <= \(id) ORDER BY first_id DESC LIMIT 1) WHERE last_id >= \(id))"
    }

    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            DROP TRIGGER alerts_fts_delete;
            DROP TRIGGER alerts_fts_backlog_delete;
            CREATE TABLE fts_pending (
                first_id INTEGER PRIMARY KEY,
                last_id INTEGER NOT NULL
            );
            -- Consecutive backlog ids become one range (gaps and islands).
            INSERT INTO fts_pending (first_id, last_id)
                SELECT min(alert_id), max(alert_id) FROM (SELECT alert_id, alert_id - row_number() OVER (ORDER BY alert_id) AS island FROM fts_backlog)
                GROUP BY island;
            DROP TABLE fts_backlog;
            -- Contentless: the index keeps no copy and never reads a content table; a deleted
            -- row is removed with its text, which the trigger below reads from the raw line.
            DROP TABLE alerts_fts;
            CREATE VIRTUAL TABLE alerts_fts USING fts5(output, content='');
            -- Indexed through alert_output, as every later insert and delete reads the text:
            -- a contentless index removes a row only with exactly the text it was given.
            INSERT INTO alerts_fts (rowid, output)
                SELECT id, \(OutputFromChunks.name)(raw_chunk, raw_offset, raw_length) FROM alerts WHERE NOT \(pending("alerts.id"));
            ALTER TABLE alerts DROP COLUMN output;
            -- Only rows the index holds are removed from it: a 'delete' of text that was never
            -- indexed corrupts an FTS5 index (v7 to v8 did that for backlog rows).
            CREATE TRIGGER alerts_fts_delete AFTER DELETE ON alerts WHEN NOT \(pending("old.id")) BEGIN
                INSERT INTO alerts_fts (alerts_fts, rowid, output)
                VALUES ('delete', old.id, \(OutputFromChunks.name)(old.raw_chunk, old.raw_offset, old.raw_length));
            END;
            """)
    }
}

/// How an insert maintains the full-text index.
public enum FullText: Sendable {
    /// In the same transaction (live feeds' small batches).
    case inline
    /// Later, from the backlog (bulk batches and the processor's writer).
    case deferred
}

extension AlertStore {
    /// Indexes up to `limit` ids of the backlog, oldest first, in one transaction; returns how
    /// many ids it worked off (0 when the backlog is empty). Ids that retention already
    /// deleted count too: they are in the ranges.
    @discardableResult
    public func indexFullTextBacklog(limit: Int = 10_000) throws -> Int {
        try writeHistory { db in
            var done = 0
            while done < limit,
                  let range = try Row.fetchOne(db, sql: "SELECT first_id, last_id FROM fts_pending ORDER BY first_id LIMIT 1") {
                let first = try range.integer(0, "fts_pending"), last = try range.integer(1, "fts_pending row \(first)")
                guard first > 0, first <= last, last < Int64.max - Int64(Int32.max) else {
                    throw StoreError.damaged(place: "fts_pending row \(first)", problem: "\(first)...\(last) is not a range of alert ids")
                }
                let end = min(last, first + Int64(min(limit - done, Int(Int32.max))) - 1)
                try db.execute(sql: """
                    INSERT INTO alerts_fts (rowid, output)
                    SELECT id, \(OutputFromChunks.name)(raw_chunk, raw_offset, raw_length) FROM alerts WHERE id BETWEEN ? AND ? ORDER BY id
                    """, arguments: [first, end])
                // The range's start is its key: what is left of it becomes a new row.
                try db.execute(sql: "DELETE FROM fts_pending WHERE first_id = ?", arguments: [first])
                if end < last {
                    try db.execute(sql: "INSERT INTO fts_pending (first_id, last_id) VALUES (?, ?)", arguments: [end + 1, last])
                }
                done += Int(end - first + 1)
            }
            return done
        }
    }

    /// Rows stored but not yet in the full-text index.
    public func fullTextBacklogCount() throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT coalesce(sum((SELECT count(*) FROM alerts WHERE id BETWEEN first_id AND last_id)), 0) FROM fts_pending
                """) ?? 0
        }
    }

    /// Records that ids `first...last`, just stored, wait for the full-text index: one row per
    /// batch, or the newest range grown when it ends right before `first`.
    static func deferFullText(_ first: Int64, _ last: Int64, db: Database) throws {
        let grown = try db.cachedStatement(sql: """
            UPDATE fts_pending SET last_id = ?2 WHERE first_id = (SELECT max(first_id) FROM fts_pending) AND last_id = ?1 - 1
            """)
        try grown.execute(arguments: [first, last])
        if db.changesCount == 0 {
            try db.cachedStatement(sql: "INSERT INTO fts_pending (first_id, last_id) VALUES (?, ?)").execute(arguments: [first, last])
        }
    }

    /// The backlog's share of a search: every word must occur in the output (case-insensitive
    /// for ASCII; a substring match, slightly broader than the index's word-prefix match).
    /// The output is read from the raw lines: slow per row, but the backlog is small except
    /// during a bulk load, which indexes it right after.
    static func backlogSearch(_ text: String) -> (sql: String, arguments: StatementArguments)? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard !words.isEmpty else { return nil }
        let output = "\(OutputFromChunks.name)(alerts.raw_chunk, alerts.raw_offset, alerts.raw_length)"
        let clauses = words.map { _ in "\(output) LIKE ? ESCAPE '\\'" }.joined(separator: " AND ")
        let arguments = StatementArguments(words.map { "%" + likeEscape(String($0)) + "%" })
        return (clauses, arguments)
    }

    static func likeEscape(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
