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
    /// Only the alerts of this incident.
    public var incident: Int64?
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
    public init(id: Int64, alert: Alert) {
        self.id = id
        self.alert = alert
    }
}

extension AlertStore {
    /// The newest alerts matching `query`, newest first.
    public func alerts(_ query: AlertQuery) throws -> [StoredAlert] {
        try readHistory { db in
            var unsearched = query
            unsearched.search = nil
            let (whereSQL, arguments) = try Self.filter(unsearched, db: db)
            var rows: [StoredAlert] = []
            if let search = query.search, let match = Self.ftsQuery(search) {
                // Walk the full-text index newest row first and stop at the limit, instead of
                // sorting every match by time (a common word matches a large share of the history).
                // Results are therefore newest *ingested* first.
                let filters = whereSQL.isEmpty ? "" : " AND " + String(whereSQL.dropFirst(" WHERE ".count))
                rows = try Self.storedAlerts(db, sql: """
                    SELECT alerts.id, alerts.raw_chunk, alerts.raw_offset, alerts.raw_length FROM alerts_fts
                    JOIN alerts ON alerts.id = alerts_fts.rowid WHERE alerts_fts MATCH ?\(filters) ORDER BY alerts_fts.rowid DESC LIMIT ?
                    """, arguments: StatementArguments([match]) + arguments + [query.limit])
                // Rows the index has not caught up with yet (the processor indexes behind its writer).
                // Ranges never overlap, so walking them newest first, each by id descending (which
                // the alerts table serves in order), stops at the limit without a sort.
                if let backlog = Self.backlogSearch(search) {
                    var recent: [StoredAlert] = []
                    let ranges = try Row.fetchAll(db, sql: "SELECT first_id, last_id FROM fts_pending ORDER BY first_id DESC")
                    for range in ranges where recent.count < query.limit {
                        recent += try Self.storedAlerts(db, sql: """
                            SELECT id, raw_chunk, raw_offset, raw_length FROM alerts
                            WHERE id BETWEEN ? AND ? AND \(backlog.sql)\(filters) ORDER BY id DESC LIMIT ?
                            """, arguments: StatementArguments([range[0], range[1]] as [Int64]) + backlog.arguments + arguments
                                + [query.limit - recent.count])
                    }
                    if !recent.isEmpty {
                        rows = Array((recent + rows).sorted { $0.id > $1.id }.prefix(query.limit))
                    }
                }
            } else {
                rows = try Self.newestByPostings(groups: try Self.termGroups(unsearched, db: db), query: unsearched,
                                                 whereSQL: whereSQL, arguments: arguments, db: db)
            }
            return rows
        }
    }

    /// Alerts stored after row `id` that match `query`, oldest first (at most `query.limit`):
    /// what a live view appends. Time bounds and full-text words apply as in ``alerts(_:)``.
    public func alerts(after id: Int64, matching query: AlertQuery) throws -> [StoredAlert] {
        var q = query
        q.afterID = max(id, query.afterID ?? 0)
        return try readHistory { db in
            let (whereSQL, arguments) = try Self.filter(q, db: db)
            return try Self.storedAlerts(db, sql: "SELECT id, raw_chunk, raw_offset, raw_length FROM alerts\(whereSQL) ORDER BY id LIMIT ?",
                                         arguments: arguments + [q.limit])
        }
    }

    /// Rows selected as `id, raw_chunk, raw_offset, raw_length`, in that order, with their alerts.
    static func storedAlerts(_ db: Database, sql: String, arguments: StatementArguments) throws -> [StoredAlert] {
        var ids: [Int64] = []
        var locations: [RawChunks.Location] = []
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() {
            ids.append(row[0])
            locations.append(RawChunks.Location(chunk: row[1], offset: row[2], length: row[3]))
        }
        return try decoded(ids: ids, locations: locations, db: db)
    }

    /// The alerts `ids`, decoded from their raw lines at `locations`.
    static func decoded(ids: [Int64], locations: [RawChunks.Location], db: Database) throws -> [StoredAlert] {
        let lines = try RawChunks.lines(locations, db: db)
        var out: [StoredAlert] = []
        out.reserveCapacity(ids.count)
        for (i, (id, line)) in zip(ids, lines).enumerated() {
            guard let line else {
                let l = locations[i]
                throw StoreError.damaged(place: "alerts row \(id)", problem: "its raw line (offset \(l.offset), \(l.length) bytes) is not in alert_chunks row \(l.chunk)")
            }
            // What was stored was accepted by the same decoder, so this cannot fail unless the
            // line was edited; such a row is skipped rather than hiding every other alert.
            guard let alert = try? AlertDecoder.decode(line: line) else { continue }
            out.append(StoredAlert(id: id, alert: alert))
        }
        return out
    }

    /// The postings terms `query` filters on, as groups: an alert must carry a term of every
    /// group. Nil when the query filters on none of them; an empty group matches nothing.
    static func termGroups(_ query: AlertQuery, db: Database) throws -> [[String]]? {
        var groups: [[String]] = []
        if let priorities = query.priorities, priorities.allowed.count < Priority.allCases.count {
            groups.append(priorities.allowed.map { Postings.priorityTerm($0.rawValue) })
        }
        if let glob = query.ruleGlob {
            groups.append(try Postings.terms(prefix: "r:", like: likePattern(fromGlob: glob), db: db))
        }
        if let container = query.container {
            groups.append(try containerIDs(matching: container, db: db).map(Postings.containerTerm))
        }
        if let host = query.hostname { groups.append([Postings.hostTerm(host)]) }
        if let incident = query.incident { groups.append([ProcessingStore.incidentTerm(incident)]) }
        return groups.isEmpty ? nil : groups
    }

    /// The newest `query.limit` alerts by time among the postings' candidates (every alert of
    /// a block when `groups` is nil). Blocks are read newest first and the walk stops once no
    /// older block can hold anything newer than the results so far; in a history ingested in
    /// time order that is after one or two blocks.
    static func newestByPostings(groups: [[String]]?, query: AlertQuery, whereSQL: String, arguments: StatementArguments,
                                 db: Database) throws -> [StoredAlert] {
        guard groups?.contains(where: \.isEmpty) != true, query.limit > 0 else { return [] }
        struct Hit { var id: Int64; var time: Int64; var location: RawChunks.Location }
        var hits: [Hit] = []
        let filters = whereSQL.isEmpty ? "" : " AND " + String(whereSQL.dropFirst(" WHERE ".count))
        // Only the newest `limit` of a block can make the results.
        let columns = "SELECT id, time_ns, raw_chunk, raw_offset, raw_length FROM alerts"
        let byIDs = "\(columns) WHERE id IN (SELECT value FROM json_each(?))\(filters) ORDER BY time_ns DESC, id DESC LIMIT ?"
        let byRange = "\(columns) WHERE id BETWEEN ? AND ?\(filters) ORDER BY time_ns DESC, id DESC LIMIT ?"
        for block in try Postings.blocks(since: query.since?.nanoseconds, until: query.until?.nanoseconds, afterID: query.afterID, db: db) {
            if hits.count >= query.limit, block.maxTime < hits[query.limit - 1].time { break }
            let cursor: RowCursor
            if let groups {
                let ids = try Postings.candidates(in: block, groups: groups, db: db)
                guard !ids.isEmpty else { continue }
                let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
                cursor = try Row.fetchCursor(db, sql: byIDs, arguments: StatementArguments([list]) + arguments + [query.limit])
            } else {
                cursor = try Row.fetchCursor(db, sql: byRange, arguments: StatementArguments([block.firstID, block.lastID]) + arguments + [query.limit])
            }
            while let row = try cursor.next() {
                hits.append(Hit(id: row[0], time: row[1], location: RawChunks.Location(chunk: row[2], offset: row[3], length: row[4])))
            }
            hits.sort { $0.time != $1.time ? $0.time > $1.time : $0.id > $1.id }
            if hits.count > query.limit { hits.removeSubrange(query.limit...) }
        }
        return try decoded(ids: hits.map(\.id), locations: hits.map(\.location), db: db)
    }

    /// How many alerts match `query` (its limit is ignored).
    public func count(_ query: AlertQuery) throws -> Int {
        try readHistory { db in
            let (whereSQL, arguments) = try Self.filter(query, db: db)
            if query.search == nil, let groups = try Self.termGroups(query, db: db) {
                return try Self.countByPostings(groups: groups, query: query, whereSQL: whereSQL, arguments: arguments, db: db)
            }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM alerts\(whereSQL)", arguments: arguments) ?? 0
        }
    }

    /// Counts from the postings: a block wholly inside the query's time and id bounds, and
    /// untouched by retention, counts its candidates without reading a row.
    static func countByPostings(groups: [[String]], query: AlertQuery, whereSQL: String, arguments: StatementArguments,
                                db: Database) throws -> Int {
        guard !groups.contains(where: \.isEmpty) else { return 0 }
        let since = query.since?.nanoseconds, until = query.until?.nanoseconds
        let filters = whereSQL.isEmpty ? "" : " AND " + String(whereSQL.dropFirst(" WHERE ".count))
        var total = 0
        for block in try Postings.blocks(since: since, until: until, afterID: query.afterID, db: db) {
            let ids = try Postings.candidates(in: block, groups: groups, db: db)
            guard !ids.isEmpty else { continue }
            let whole = !block.trimmed && block.minTime >= (since ?? .min) && block.maxTime <= (until ?? .max)
                && block.firstID > (query.afterID ?? .min)
            if whole {
                total += ids.count
            } else {
                let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
                total += try Int.fetchOne(db, sql: "SELECT count(*) FROM alerts WHERE id IN (SELECT value FROM json_each(?))\(filters)",
                                          arguments: StatementArguments([list]) + arguments) ?? 0
            }
        }
        return total
    }

    /// How many alerts matching `query` were stored with ids in `(after, upTo]`: keeps a
    /// count current as alerts arrive without recounting the history.
    public func countAdded(_ query: AlertQuery, after: Int64, upTo: Int64) throws -> Int {
        guard upTo > after else { return 0 }
        var q = query
        q.afterID = nil
        return try readHistory { db in
            let (whereSQL, arguments) = try Self.filter(q, db: db)
            let extra = whereSQL.isEmpty ? "" : " AND " + String(whereSQL.dropFirst(" WHERE ".count))
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM alerts WHERE id > ? AND id <= ?\(extra)",
                                    arguments: StatementArguments([after, upTo]) + arguments) ?? 0
        }
    }

    /// The SQL WHERE clause for `query` (empty when it filters nothing) and its arguments.
    static func filter(_ query: AlertQuery, db: Database) throws -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let incident = query.incident {
            let ids = try Postings.allIDs(term: ProcessingStore.incidentTerm(incident), db: db)
            clauses.append("id IN (SELECT value FROM json_each(?))")
            arguments += ["[" + ids.map(String.init).joined(separator: ",") + "]"]
        }
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
            clauses.append("(id IN (SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH ?) OR (\(OutputOutOfRowSchema.pending("alerts.id")) AND \(backlog.sql)))")
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
