#if canImport(Glibc)
import Glibc
#endif
import GRDB
import GRDBSQLite
import TradsecCore

/// One pass over the alerts a query matches, for the aggregates (stats, rate histograms,
/// container activity), reading only the columns they group by.
///
/// The aggregates used to run one SQL `GROUP BY` per grouping: five sorts of the whole time
/// window, 6 s for `tradsec stats` over a million alerts. This visits each matching row once,
/// block by block (a rowid range each, or only the ids the postings name when the query
/// filters on priority, rule, container or host), and hands the caller interned text slots,
/// so grouping is integer work in Swift.
struct MatchScan {
    /// One matching alert. Text columns are slots in ``texts`` (-1 when NULL).
    struct Row {
        var time: Int64
        var priority: Int
        var rule: Int
        var container: Int
        var host: Int
    }

    private(set) var texts = TextInterner()

    /// Calls `body` with every alert matching `query` (its limit is ignored).
    mutating func run(_ query: AlertQuery, db: Database, _ body: (Row) -> Void) throws {
        let (whereSQL, arguments) = try AlertStore.filter(query, db: db)
        let filters = whereSQL.isEmpty ? "" : " AND " + String(whereSQL.dropFirst(" WHERE ".count))
        let groups = try AlertStore.termGroups(query, db: db)
        let columns = "SELECT time_ns, priority, rule, container_id, hostname FROM alerts"
        // Words: one statement, so the full-text matches are looked up once, not once per block.
        if query.search != nil {
            try visit(try db.makeStatement(sql: "SELECT time_ns, priority, rule, container_id, hostname FROM alerts\(whereSQL)"), arguments, body)
            return
        }
        let byRange = try db.makeStatement(sql: "\(columns) WHERE id BETWEEN ? AND ?\(filters)")
        let byIDs = try db.makeStatement(sql: "\(columns) WHERE id IN (SELECT value FROM json_each(?))\(filters)")
        // A filter no term can satisfy (a rule glob matching no rule) matches nothing in a block.
        let blocks = groups?.contains(where: \.isEmpty) == true ? []
            : try Postings.blocks(since: query.since?.nanoseconds, until: query.until?.nanoseconds, afterID: query.afterID, db: db)
        for block in blocks {
            if let groups {
                let ids = try Postings.candidates(in: block, groups: groups, db: db)
                guard !ids.isEmpty else { continue }
                let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
                try visit(byIDs, StatementArguments([list]) + arguments, body)
            } else {
                try visit(byRange, StatementArguments([block.firstID, block.lastID]) + arguments, body)
            }
        }
    }

    private mutating func visit(_ statement: Statement, _ arguments: StatementArguments, _ body: (Row) -> Void) throws {
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw StoreError("history: scan failed: \(String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))))") }
            body(Row(time: sqlite3_column_int64(handle, 0), priority: Int(sqlite3_column_int64(handle, 1)),
                     rule: texts.slot(handle, 2), container: texts.slot(handle, 3), host: texts.slot(handle, 4)))
        }
    }
}

/// Text values to small integers, looked up by their bytes: no `String` per row. Keys live
/// in one flat buffer and are compared with `memcmp` (no array per key to retain).
struct TextInterner {
    private(set) var strings: [String] = []
    private var bytes: [UInt8] = []
    private var spans: [(start: Int, count: Int, hash: UInt64)] = []
    private var table = [Int32](repeating: -1, count: 256)

    func text(_ slot: Int) -> String? { slot >= 0 ? strings[slot] : nil }

    /// The slot of column `column`'s text in the current row, -1 for NULL.
    mutating func slot(_ statement: OpaquePointer, _ column: Int32) -> Int {
        guard sqlite3_column_type(statement, column) != SQLITE_NULL, let text = sqlite3_column_text(statement, column) else { return -1 }
        let bytes = UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, column)))
        return slot(bytes)
    }

    /// Whether slot `slot` holds exactly `key`.
    @inline(__always)
    func holds(_ slot: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let span = spans[slot]
        guard span.count == key.count else { return false }
        guard span.count > 0 else { return true }
        return bytes.withUnsafeBytes { memcmp($0.baseAddress! + span.start, key.baseAddress!, span.count) == 0 }
    }

    mutating func slot(_ key: UnsafeRawBufferPointer) -> Int {
        let hash = UInt64(bitPattern: Fingerprint.hash(key))
        let mask = table.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while table[i] >= 0 {
            let s = Int(table[i])
            if spans[s].hash == hash && holds(s, key) { return s }
            i = (i + 1) & mask
        }
        let s = strings.count
        spans.append((bytes.count, key.count, hash))
        bytes.append(contentsOf: key)
        strings.append(String(decoding: key, as: UTF8.self))
        table[i] = Int32(s)
        if strings.count * 2 > table.count { grow() }
        return s
    }

    private mutating func grow() {
        table = [Int32](repeating: -1, count: table.count * 2)
        let mask = table.count - 1
        for (s, span) in spans.enumerated() {
            var i = Int(truncatingIfNeeded: span.hash) & mask
            while table[i] >= 0 { i = (i + 1) & mask }
            table[i] = Int32(s)
        }
    }
}
