import GRDB
import GRDBSQLite
import TradsecCore

/// Full-text indexing that may trail the writer. The processor's writer answers each request
/// only after its commit; making the full-text insert part of that commit costs about a third
/// of it. So `tradsec serve` stores alerts with ``FullText/deferred``: each new row's id goes to
/// `fts_backlog`, and ``AlertStore/indexFullTextBacklog(limit:)`` moves rows into the index in
/// large batches when the writer has a moment. Searches look in the index and, word by word,
/// in the (small) backlog, so an alert is findable the moment it is stored.
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

/// How an insert maintains the full-text index.
public enum FullText: Sendable {
    /// In the same transaction (every writer but the processor).
    case inline
    /// Later, from the backlog (the processor's writer).
    case deferred
}

extension AlertStore {
    /// Indexes up to `limit` rows of the backlog, oldest first, in one transaction; returns how
    /// many it indexed (0 when the backlog is empty).
    @discardableResult
    public func indexFullTextBacklog(limit: Int = 10_000) throws -> Int {
        try pool.write { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT alert_id FROM fts_backlog ORDER BY alert_id LIMIT ?", arguments: [limit])
            guard let last = ids.last else { return 0 }
            try db.execute(sql: """
                INSERT INTO alerts_fts(rowid, output)
                SELECT alerts.id, alerts.output FROM fts_backlog JOIN alerts ON alerts.id = fts_backlog.alert_id
                WHERE fts_backlog.alert_id <= ?
                """, arguments: [last])
            try db.execute(sql: "DELETE FROM fts_backlog WHERE alert_id <= ?", arguments: [last])
            return ids.count
        }
    }

    /// Rows stored but not yet in the full-text index.
    public func fullTextBacklogCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM fts_backlog") ?? 0 }
    }

    /// The backlog's share of a search: every word must occur in the output (case-insensitive
    /// for ASCII; a substring match, slightly broader than the index's word-prefix match).
    static func backlogSearch(_ text: String) -> (sql: String, arguments: StatementArguments)? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard !words.isEmpty else { return nil }
        let clauses = words.map { _ in "alerts.output LIKE ? ESCAPE '\\'" }.joined(separator: " AND ")
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
