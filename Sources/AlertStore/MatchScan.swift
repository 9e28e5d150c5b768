#if canImport(Glibc)
import Glibc
#endif
import CAlertRows
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
        let groups = try AlertStore.termGroups(query, db: db)
        // Words: one statement, so the full-text matches are looked up once, not once per block.
        if query.search != nil {
            try visit(try db.makeStatement(sql: "SELECT time_ns, priority, rule, container_id, hostname FROM alerts\(whereSQL)"), arguments, body)
            return
        }
        // Otherwise the packed records are read directly, without the alerts table: the text
        // columns stay text ids (integers to group by), and each block's records are decoded
        // once. The postings name exactly the alerts matching priority, rule, container and
        // host (ids retention deleted are simply not found); time and cursor bounds are
        // checked here.
        let blocks = groups?.contains(where: \.isEmpty) == true ? []
            : try Postings.blocks(since: query.since?.nanoseconds, until: query.until?.nanoseconds, afterID: query.afterID, db: db)
        let since = query.since?.nanoseconds ?? .min, until = query.until?.nanoseconds ?? .max, after = query.afterID ?? .min
        let reader = try PackedRecordReader(db: db)
        defer { reader.finish() }
        func emit(_ id: Int64, _ r: UnsafeRawPointer) {
            let time = AlertRows.load64(r, TRADSEC_AR_TIME)
            guard time >= since, time <= until, id > after else { return }
            body(Row(time: time, priority: Int(r.load(fromByteOffset: Int(TRADSEC_AR_PRIORITY), as: UInt8.self)),
                     rule: texts.slot(id: AlertRows.load32(r, TRADSEC_AR_RULE)),
                     container: texts.slot(id: AlertRows.load32(r, TRADSEC_AR_CONTAINER)),
                     host: texts.slot(id: AlertRows.load32(r, TRADSEC_AR_HOSTNAME))))
        }
        for block in blocks {
            if let groups {
                let ids = try Postings.candidates(in: block, groups: groups, db: db)
                guard let first = ids.first, let last = ids.last else { continue }
                var next = 0
                try reader.visit(from: first, to: last) { id, r in
                    while next < ids.count && ids[next] < id { next += 1 }
                    if next < ids.count && ids[next] == id { emit(id, r) }
                }
            } else {
                try reader.visit(from: block.firstID, to: block.lastID, emit)
            }
        }
        try texts.resolveIDs(db: db)
    }

    private mutating func visit(_ statement: Statement, _ arguments: StatementArguments, _ body: (Row) -> Void) throws {
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw StoreError.sqlite(operation: "scan", message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))) }
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

    // Slots by `alert_texts` id, for scans of the packed records; their strings are read by
    // resolveIDs(db:) once the scan is done. Ids grow by one per distinct text ever stored,
    // so an array by id serves them; an id past that (only a damaged record has one) goes to
    // a dictionary rather than grow the array to its size.
    private var idSlots: [Int32] = []
    private var farIDSlots: [UInt32: Int] = [:]
    private var pendingIDs: [(slot: Int, id: UInt32)] = []
    private static let denseIDLimit = 1 << 22

    /// The slot of text id `id` (0: NULL, -1).
    @inline(__always)
    mutating func slot(id: UInt32) -> Int {
        guard id > 0 else { return -1 }
        let i = Int(id)
        if i < idSlots.count, idSlots[i] >= 0 { return Int(idSlots[i]) }
        if i >= Self.denseIDLimit {
            if let s = farIDSlots[id] { return s }
            let s = newIDSlot(id)
            farIDSlots[id] = s
            return s
        }
        if i >= idSlots.count { idSlots.append(contentsOf: repeatElement(-1, count: i - idSlots.count + 1)) }
        let s = newIDSlot(id)
        idSlots[i] = Int32(s)
        return s
    }

    private mutating func newIDSlot(_ id: UInt32) -> Int {
        let s = strings.count
        strings.append("")
        spans.append((bytes.count, 0, 0))
        pendingIDs.append((s, id))
        return s
    }

    /// Reads the strings of the text ids seen since the last call.
    mutating func resolveIDs(db: Database) throws {
        for (slot, id) in pendingIDs {
            strings[slot] = try String.fetchOne(db, sql: "SELECT text FROM alert_texts WHERE id = ?", arguments: [Int64(id)]) ?? ""
        }
        pendingIDs.removeAll()
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

/// The packed records of an id range, in id order, read straight from `alert_rows`.
struct PackedRecordReader {
    private let seek: OpaquePointer
    private let scan: OpaquePointer
    private let connection: OpaquePointer?

    init(db: Database) throws {
        seek = try db.cachedStatement(sql: "SELECT first_id FROM alert_rows WHERE first_id <= ? ORDER BY first_id DESC LIMIT 1").sqliteStatement
        scan = try db.cachedStatement(sql: "SELECT first_id, records FROM alert_rows WHERE first_id BETWEEN ? AND ? ORDER BY first_id").sqliteStatement
        connection = db.sqliteConnection
    }

    func finish() {
        sqlite3_reset(seek)
        sqlite3_reset(scan)
    }

    /// Calls `body` with the id and record of every alert with an id in `low...high`.
    func visit(from low: Int64, to high: Int64, _ body: (Int64, UnsafeRawPointer) -> Void) throws {
        sqlite3_reset(seek)
        sqlite3_bind_int64(seek, 1, low)
        let start = sqlite3_step(seek) == SQLITE_ROW ? sqlite3_column_int64(seek, 0) : low
        sqlite3_reset(seek)
        sqlite3_reset(scan)
        sqlite3_bind_int64(scan, 1, start)
        sqlite3_bind_int64(scan, 2, high)
        defer { sqlite3_reset(scan) }
        let size = AlertRows.recordSize
        while true {
            let rc = sqlite3_step(scan)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw StoreError.sqlite(operation: "scan", message: String(cString: sqlite3_errmsg(connection))) }
            let first = sqlite3_column_int64(scan, 0)
            guard let blob = sqlite3_column_blob(scan, 1) else { continue }
            let count = try AlertRows.recordCount(Int(sqlite3_column_bytes(scan, 1)), first: first)
            for i in 0..<count {
                let r = blob + i * size
                let id = try AlertRows.id(first: first, r)
                if id < low { continue }
                if id > high { return }
                body(id, r)
            }
        }
    }
}
