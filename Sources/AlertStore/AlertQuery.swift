import GRDB
import TradsecCore

/// The questions the console and `tradsec query` ask of the history. Every filter is
/// optional; results are the newest `limit` alerts that pass all of them.
public struct AlertQuery: Sendable, Equatable {
    public var since: Timestamp?
    public var until: Timestamp?
    public var priorities: PriorityFilter?
    /// Rule name glob (`*` and `?`), case-insensitive.
    public var ruleGlob: String?
    /// Container id (full or the 12-character short form, or a prefix of it) or name; `host` for the host.
    public var container: String?
    public var hostname: String?
    /// Words to find in the output text (full-text search; every word must occur, as a prefix).
    public var search: String?
    /// Only alerts with an id above this one (for resuming live feeds).
    public var afterID: Int64?
    public var limit: Int = 100

    public init(since: Timestamp? = nil, until: Timestamp? = nil, priorities: PriorityFilter? = nil,
                ruleGlob: String? = nil, container: String? = nil, hostname: String? = nil,
                search: String? = nil, afterID: Int64? = nil, limit: Int = 100) {
        self.since = since
        self.until = until
        self.priorities = priorities
        self.ruleGlob = ruleGlob
        self.container = container
        self.hostname = hostname
        self.search = search
        self.afterID = afterID
        self.limit = limit
    }
}

/// An alert as kept in the history, with its row id (stable, increasing in ingest order).
public struct StoredAlert: Sendable, Equatable {
    public var id: Int64
    public var alert: Alert
}

extension AlertStore {
    /// The newest alerts matching `query`, newest first.
    public func alerts(_ query: AlertQuery) throws -> [StoredAlert] {
        try pool.read { db in
            var unsearched = query
            unsearched.search = nil
            let (whereSQL, arguments) = try Self.filter(unsearched, db: db)
            func fetch(_ sql: String, _ arguments: StatementArguments, into rows: inout [StoredAlert]) throws {
                let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try cursor.next() {
                    let raw: String = row[1]
                    // What was stored was accepted by the same decoder, so this cannot fail
                    // unless the file was edited by hand; skip such rows rather than abort.
                    guard let alert = try? AlertDecoder.decode(line: raw) else { continue }
                    rows.append(StoredAlert(id: row[0], alert: alert))
                }
            }
            var rows: [StoredAlert] = []
            if let search = query.search, let match = Self.ftsQuery(search) {
                // Walk the full-text index newest row first and stop at the limit, instead of
                // sorting every match by time (a common word matches a large share of the history).
                // Results are therefore newest *ingested* first.
                let filters = whereSQL.isEmpty ? "" : " AND " + String(whereSQL.dropFirst(" WHERE ".count))
                try fetch("SELECT alerts.id, alerts.raw FROM alerts_fts JOIN alerts ON alerts.id = alerts_fts.rowid WHERE alerts_fts MATCH ?\(filters) ORDER BY alerts_fts.rowid DESC LIMIT ?",
                          StatementArguments([match]) + arguments + [query.limit], into: &rows)
                // Rows the index has not caught up with yet (the processor indexes behind its writer).
                if let backlog = Self.backlogSearch(search) {
                    var recent: [StoredAlert] = []
                    try fetch("SELECT alerts.id, alerts.raw FROM fts_backlog JOIN alerts ON alerts.id = fts_backlog.alert_id WHERE \(backlog.sql)\(filters) ORDER BY fts_backlog.alert_id DESC LIMIT ?",
                              backlog.arguments + arguments + [query.limit], into: &recent)
                    if !recent.isEmpty {
                        rows = Array((recent + rows).sorted { $0.id > $1.id }.prefix(query.limit))
                    }
                }
            } else {
                try fetch("SELECT id, raw FROM alerts\(whereSQL) ORDER BY time_ns DESC, id DESC LIMIT ?", arguments + [query.limit], into: &rows)
            }
            return rows
        }
    }

    /// Alerts stored after row `id` that match `query`, oldest first (at most `query.limit`):
    /// what a live view appends. Time bounds and full-text words apply as in ``alerts(_:)``.
    public func alerts(after id: Int64, matching query: AlertQuery) throws -> [StoredAlert] {
        var q = query
        q.afterID = max(id, query.afterID ?? 0)
        return try pool.read { db in
            let (whereSQL, arguments) = try Self.filter(q, db: db)
            let cursor = try Row.fetchCursor(db, sql: "SELECT id, raw FROM alerts\(whereSQL) ORDER BY id LIMIT ?",
                                             arguments: arguments + [q.limit])
            var rows: [StoredAlert] = []
            while let row = try cursor.next() {
                let raw: String = row[1]
                guard let alert = try? AlertDecoder.decode(line: raw) else { continue }
                rows.append(StoredAlert(id: row[0], alert: alert))
            }
            return rows
        }
    }

    /// How many alerts match `query` (its limit is ignored).
    public func count(_ query: AlertQuery) throws -> Int {
        try pool.read { db in
            let (whereSQL, arguments) = try Self.filter(query, db: db)
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM alerts\(whereSQL)", arguments: arguments) ?? 0
        }
    }

    /// How many alerts matching `query` were stored with ids in `(after, upTo]`: keeps a
    /// count current as alerts arrive without recounting the history. `NOT INDEXED` makes
    /// SQLite walk just that id range instead of a priority or rule index over everything.
    public func countAdded(_ query: AlertQuery, after: Int64, upTo: Int64) throws -> Int {
        guard upTo > after else { return 0 }
        var q = query
        q.afterID = nil
        return try pool.read { db in
            let (whereSQL, arguments) = try Self.filter(q, db: db)
            let extra = whereSQL.isEmpty ? "" : " AND " + String(whereSQL.dropFirst(" WHERE ".count))
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM alerts NOT INDEXED WHERE id > ? AND id <= ?\(extra)",
                                    arguments: StatementArguments([after, upTo]) + arguments) ?? 0
        }
    }

    /// The SQL WHERE clause for `query` (empty when it filters nothing) and its arguments.
    static func filter(_ query: AlertQuery, db: Database) throws -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let since = query.since {
            clauses.append("time_ns >= ?")
            arguments += [since.nanoseconds]
        }
        if let until = query.until {
            clauses.append("time_ns <= ?")
            arguments += [until.nanoseconds]
        }
        if let priorities = query.priorities, priorities.allowed.count < Priority.allCases.count {
            let values = priorities.allowed.map(\.rawValue).sorted()
            clauses.append("priority IN (\(values.map(String.init).joined(separator: ",")))")
        }
        if let glob = query.ruleGlob {
            clauses.append("rule LIKE ? ESCAPE '\\'")
            arguments += [likePattern(fromGlob: glob)]
        }
        if let container = query.container {
            let ids = try containerIDs(matching: container, db: db)
            if ids.isEmpty {
                clauses.append("0")
            } else {
                clauses.append("container_id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ",")))")
                arguments += StatementArguments(ids)
            }
        }
        if let host = query.hostname {
            clauses.append("hostname = ?")
            arguments += [host]
        }
        if let search = query.search, let match = ftsQuery(search), let backlog = backlogSearch(search) {
            clauses.append("(id IN (SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH ?) OR (id IN (SELECT alert_id FROM fts_backlog) AND \(backlog.sql)))")
            arguments += [match]
            arguments += backlog.arguments
        }
        if let after = query.afterID {
            clauses.append("id > ?")
            arguments += [after]
        }
        return (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    /// Container ids whose id starts with `text` (Falco prints 12-character ids) or whose name is `text`.
    static func containerIDs(matching text: String, db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT id FROM containers WHERE name = ?1 OR id = ?1 OR (length(?1) >= 4 AND substr(id, 1, length(?1)) = ?1)
            """, arguments: [text])
    }

    /// `*`/`?` glob to a LIKE pattern with `%`/`_`/`\` escaped.
    static func likePattern(fromGlob glob: String) -> String {
        var out = ""
        for c in glob {
            switch c {
            case "*": out.append("%")
            case "?": out.append("_")
            case "%", "_", "\\": out.append("\\"); out.append(c)
            default: out.append(c)
            }
        }
        return out
    }

    /// User text to an FTS5 query: every word required, the last one as a prefix (the word
    /// still being typed); whole words before it match exactly, which keeps common short
    /// prefixes from expanding to thousands of terms. Quoting keeps FTS5 syntax characters in
    /// the text (`"`, `*`, `-`, `:`) literal.
    static func ftsQuery(_ text: String) -> String? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard !words.isEmpty else { return nil }
        return words.enumerated().map { index, word in
            "\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (index == words.count - 1 ? "*" : "")
        }.joined(separator: " AND ")
    }
}

extension Substring {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        String(self).split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
