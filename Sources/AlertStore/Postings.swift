import Foundation
import GRDB
import GRDBSQLite
import TradsecCore

/// Which alerts have a given priority, rule, container or host: an inverted index kept per
/// block of consecutive alert ids, in place of one B-tree index per column.
///
/// Four column indexes cost a B-tree insert each per alert, which alone capped ingest before
/// any parsing. A block instead collects, for each *term* (`p:2`, `r:<rule>`,
/// `c:<container id>`, `h:<host>`), the ids that carry it, and writes one row per term per
/// batch: a batch writes a row per distinct term, not four index entries per alert. A query reads the postings of its terms block by block, newest first,
/// intersects them, and fetches only those rows.
///
/// Ids inside a block are stored as LEB128 varints of `id - first_id`, appended in id order,
/// so a reopened block (a feed that commits a few alerts at a time) grows by concatenation.
enum Postings {
    /// A block takes new alerts until it holds this many; then the next batch starts a new one.
    static let blockTarget = 4096

    static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE alert_blocks (
                id INTEGER PRIMARY KEY,
                first_id INTEGER NOT NULL,
                last_id INTEGER NOT NULL,
                min_time_ns INTEGER NOT NULL,
                max_time_ns INTEGER NOT NULL,
                trimmed INTEGER NOT NULL DEFAULT 0     -- retention deleted some of its alerts
            );
            CREATE INDEX alert_blocks_max_time ON alert_blocks(max_time_ns);
            CREATE TABLE alert_postings (
                block_id INTEGER NOT NULL,
                term TEXT NOT NULL,
                ids BLOB NOT NULL,
                PRIMARY KEY (block_id, term)
            ) WITHOUT ROWID;
            -- Every rule seen (terms `r:<rule>`): resolves a rule glob without scanning alerts.
            CREATE TABLE alert_terms (
                term TEXT PRIMARY KEY,
                newest_id INTEGER NOT NULL
            ) WITHOUT ROWID;
            """)
    }

    /// The statements on one term's ids in one block (cached wherever they run).
    static let readSQL = "SELECT ids FROM alert_postings WHERE block_id = ? AND term = ?"
    static let writeSQL = "INSERT OR REPLACE INTO alert_postings (block_id, term, ids) VALUES (?, ?, ?)"

    static func priorityTerm(_ p: Int) -> String { "p:\(p)" }
    static func containerTerm(_ id: String) -> String { "c:" + id }
    static func hostTerm(_ host: String) -> String { "h:" + host }

    // MARK: - Varints

    @inline(__always)
    static func appendVarint(_ value: Int, to bytes: inout [UInt8]) {
        var v = UInt(value)
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Calls `body` with each offset in a posting blob; nil when the blob is not a sequence of
    /// whole varints below 2⁶³ (a damaged file).
    @inline(__always)
    static func forEachOffset(_ blob: UnsafeRawBufferPointer, _ body: (Int) -> Void) -> Bool {
        var i = 0
        let n = blob.count
        while i < n {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard i < n, shift < 63 || (shift == 63 && blob[i] <= 1) else { return false }
                let b = blob[i]
                i += 1
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { break }
                shift += 7
            }
            guard value <= UInt64(Int.max) else { return false }
            body(Int(value))
        }
        return true
    }

    // MARK: - Blocks

    struct Block: Sendable {
        var id: Int64
        var firstID: Int64
        var lastID: Int64
        var minTime: Int64
        var maxTime: Int64
        var trimmed: Bool
    }

    /// Ids a block may span: a batch's alerts go to one block, and a batch is bounded (by
    /// count and 64 MiB of lines), so a wider block is damage, not data.
    static let maxBlockSpan: Int64 = 1 << 24

    static func block(_ row: Row) throws -> Block {
        let id = try row.integer(0, "alert_blocks")
        let place = "alert_blocks row \(id)"
        let block = Block(id: id, firstID: try row.integer(1, place), lastID: try row.integer(2, place),
                          minTime: try row.integer(3, place), maxTime: try row.integer(4, place), trimmed: try row.integer(5, place) != 0)
        let (span, overflow) = block.lastID.subtractingReportingOverflow(block.firstID)
        guard !overflow, span >= 0, span < maxBlockSpan else {
            throw StoreError.damaged(place: place, problem: "ids \(block.firstID)...\(block.lastID) are not a block")
        }
        return block
    }

    /// The blocks that may hold alerts in `[since, until]` with ids above `afterID`, newest first.
    static func blocks(since: Int64?, until: Int64?, afterID: Int64?, db: Database) throws -> [Block] {
        try Row.fetchAll(db, sql: """
            SELECT id, first_id, last_id, min_time_ns, max_time_ns, trimmed FROM alert_blocks
            WHERE max_time_ns >= ? AND min_time_ns <= ? AND last_id > ?
            ORDER BY max_time_ns DESC, id DESC
            """, arguments: [since ?? Int64.min, until ?? Int64.max, afterID ?? Int64.min]).map { try block($0) }
    }

    /// The ids in `block` that carry at least one term of every group, ascending.
    static func candidates(in block: Block, groups: [[String]], db: Database) throws -> [Int64] {
        // Checked by block(_:): 1...maxBlockSpan.
        let size = Int(block.lastID - block.firstID + 1)
        var hits = [UInt8](repeating: 0, count: size)
        var inGroup = [Bool](repeating: false, count: size)
        let statement = try db.cachedStatement(sql: Postings.readSQL)
        let handle = statement.sqliteStatement
        for (g, group) in groups.enumerated() {
            for i in 0..<size { inGroup[i] = false }
            for term in group {
                sqlite3_reset(handle)
                sqlite3_bind_int64(handle, 1, block.id)
                bindText(handle, 2, term)
                guard sqlite3_step(handle) == SQLITE_ROW, let blob = sqlite3_column_blob(handle, 0) else { continue }
                let buffer = UnsafeRawBufferPointer(start: blob, count: Int(sqlite3_column_bytes(handle, 0)))
                var outside = -1
                let whole = forEachOffset(buffer) { offset in
                    if offset < size { inGroup[offset] = true } else { outside = offset }
                }
                guard whole, outside < 0 else {
                    sqlite3_reset(handle)
                    throw StoreError.damaged(place: "alert_postings block \(block.id), term \(TerminalSafe.escape(String(term.prefix(80))))", problem:
                                             whole ? "offset \(outside) is outside the block's \(size) ids" : "the ids are not whole varints")
                }
            }
            sqlite3_reset(handle)
            for i in 0..<size where inGroup[i] && Int(hits[i]) == g { hits[i] = UInt8(g + 1) }
        }
        var out: [Int64] = []
        let want = UInt8(groups.count)
        for i in 0..<size where hits[i] == want { out.append(block.firstID + Int64(i)) }
        return out
    }

    /// Every id listed under `term`, in any block (an incident's alerts; its index is partial).
    static func allIDs(term: String, db: Database) throws -> [Int64] {
        var out: [Int64] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT b.id, b.first_id, b.last_id, b.min_time_ns, b.max_time_ns, b.trimmed, p.ids
            FROM alert_postings p JOIN alert_blocks b ON b.id = p.block_id WHERE p.term = ? ORDER BY b.first_id
            """, arguments: [term]) {
            let block = try block(row)
            let blob = try row.blob(6, "alert_postings block \(block.id)")
            let size = block.lastID - block.firstID + 1
            var outside = false
            let whole = blob.withUnsafeBytes { b in
                forEachOffset(b) { offset in
                    if Int64(offset) < size { out.append(block.firstID + Int64(offset)) } else { outside = true }
                }
            }
            guard whole, !outside else { throw StoreError.damaged(place: "alert_postings block \(block.id)", problem: "the ids of \(term) are not in the block") }
        }
        return out
    }

    /// Lists `ids` (increasing) under `term` in the blocks that hold them, after what each
    /// block already lists (the processing step writes incident terms after the alerts).
    static func append(term: String, ids: [Int64], db: Database) throws {
        // Cached: processing appends under every incident it touched in each batch.
        let findBlock = try db.cachedStatement(sql: """
            SELECT id, first_id, last_id, min_time_ns, max_time_ns, trimmed FROM alert_blocks
            WHERE first_id <= ? ORDER BY first_id DESC LIMIT 1
            """)
        let read = try db.cachedStatement(sql: Postings.readSQL)
        let write = try db.cachedStatement(sql: Postings.writeSQL)
        var k = 0
        while k < ids.count {
            guard let row = try Row.fetchOne(findBlock, arguments: [ids[k]]) else { throw StoreError.noBlockHolds(alert: ids[k]) }
            let block = try block(row)
            var bytes = try Data.fetchOne(read, arguments: [block.id, term]).map { [UInt8]($0) } ?? []
            let before = k
            while k < ids.count, ids[k] <= block.lastID {
                appendVarint(Int(ids[k] - block.firstID), to: &bytes)
                k += 1
            }
            guard k > before else { throw StoreError.noBlockHolds(alert: ids[k]) }
            try write.execute(arguments: [block.id, term, Data(bytes)])
        }
    }

    /// Terms of one kind (`r:` for rules, say) whose text matches a SQL LIKE pattern.
    static func terms(prefix: String, like pattern: String, db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT term FROM alert_terms WHERE term >= ? AND term < ? AND substr(term, ?) LIKE ? ESCAPE '\\'",
                            arguments: [prefix, prefix.dropLast() + String(UnicodeScalar(prefix.unicodeScalars.last!.value + 1)!),
                                        prefix.count + 1, pattern])
    }
}

/// Collects the postings of one write transaction and writes them at its end.
struct PostingWriter {
    private var block: Postings.Block?
    private var reopened = false
    private var terms = TermTable()
    private var prioritySlots = [Int](repeating: -1, count: 8)
    // Term slots by the caller's text slot (see PackedRowWriter.text), per kind: the texts
    // were interned once already, so no string is hashed again here.
    private var ruleTerms: [Int] = []
    private var containerTerms: [Int] = []
    private var hostTerms: [Int] = []
    /// For callers without text slots (the v8 migration).
    private var interner = TextInterner()

    init() {}

    /// Records one stored alert. Ids must increase (the store hands them out in order).
    /// Returns the container's slot in this batch (small, dense: the caller's per-container index).
    @discardableResult
    mutating func add(id: Int64, time: Int64, priority: Int, rule: String, container: String, host: String?, db: Database) throws -> Int {
        try AlertTexts.with([rule, nil, host, container, nil, nil, nil]) { t in
            let ruleSlot = UInt32(interner.slot(t.rule!) + 1)
            let containerSlot = UInt32(interner.slot(t.container!) + 1)
            let hostSlot = t.hostname.map { UInt32(interner.slot($0) + 1) } ?? 0
            return try add(id: id, time: time, priority: priority, rule: (ruleSlot, t.rule!), container: (containerSlot, t.container!),
                           host: t.hostname.map { (hostSlot, $0) }, db: db)
        }
    }

    /// The same with each text's slot plus one (nonzero), the same slot for the same text.
    @inline(__always)
    mutating func add(id: Int64, time: Int64, priority: Int, rule: (UInt32, UnsafeRawBufferPointer), container: (UInt32, UnsafeRawBufferPointer),
                      host: (UInt32, UnsafeRawBufferPointer)?, db: Database) throws -> Int {
        if block == nil { try openBlock(firstID: id, time: time, db: db) }
        block!.lastID = id
        block!.minTime = min(block!.minTime, time)
        block!.maxTime = max(block!.maxTime, time)
        let offset = Int(id - block!.firstID)
        if priority >= 0 && priority < 8 {
            if prioritySlots[priority] < 0 { prioritySlots[priority] = terms.add(Postings.priorityTerm(priority)) }
            terms.record(prioritySlots[priority], offset, id)
        }
        terms.record(terms.slot(&ruleTerms, rule, "r:"), offset, id)
        let containerSlot = terms.slot(&containerTerms, container, "c:")
        terms.record(containerSlot, offset, id)
        if let host { terms.record(terms.slot(&hostTerms, host, "h:"), offset, id) }
        return containerSlot
    }

    private mutating func openBlock(firstID id: Int64, time: Int64, db: Database) throws {
        var next: Int64 = 1
        if let row = try Row.fetchOne(db, sql: "SELECT id, first_id, last_id, min_time_ns, max_time_ns, trimmed FROM alert_blocks ORDER BY id DESC LIMIT 1") {
            let last = try Postings.block(row)
            let (distance, overflow) = id.subtractingReportingOverflow(last.firstID)
            if !last.trimmed && last.lastID < id && !overflow && distance < Int64(Postings.blockTarget) {
                block = last
                reopened = true
                return
            }
            guard last.id < Int64.max else { throw StoreError.damaged(place: "alert_blocks row \(last.id)", problem: "no block id can follow it") }
            next = last.id + 1
        }
        block = Postings.Block(id: next, firstID: id, lastID: id, minTime: time, maxTime: time, trimmed: false)
    }

    /// Writes the block and its postings (extending the reopened block's rows).
    mutating func write(db: Database) throws {
        guard let block else { return }
        try db.execute(sql: """
            INSERT INTO alert_blocks (id, first_id, last_id, min_time_ns, max_time_ns) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET last_id = excluded.last_id, min_time_ns = excluded.min_time_ns, max_time_ns = excluded.max_time_ns
            """, arguments: [block.id, block.firstID, block.lastID, block.minTime, block.maxTime])
        let read = try db.cachedStatement(sql: Postings.readSQL).sqliteStatement
        let write = try db.cachedStatement(sql: Postings.writeSQL).sqliteStatement
        let termsStatement = try db.cachedStatement(sql: """
            INSERT INTO alert_terms (term, newest_id) VALUES (?, ?)
            ON CONFLICT(term) DO UPDATE SET newest_id = max(newest_id, excluded.newest_id)
            """).sqliteStatement
        for (s, term) in terms.texts.enumerated() {
            var bytes = terms.bytes[s]
            if reopened {
                sqlite3_reset(read)
                sqlite3_bind_int64(read, 1, block.id)
                bindText(read, 2, term)
                if sqlite3_step(read) == SQLITE_ROW, let blob = sqlite3_column_blob(read, 0) {
                    bytes = Array(UnsafeRawBufferPointer(start: blob, count: Int(sqlite3_column_bytes(read, 0)))) + bytes
                }
                sqlite3_reset(read)
            }
            sqlite3_reset(write)
            sqlite3_bind_int64(write, 1, block.id)
            bindText(write, 2, term)
            let rc = bytes.withUnsafeBytes { b in
                sqlite3_bind_blob(write, 3, b.baseAddress, Int32(b.count), sqliteTransient)
                return sqlite3_step(write)
            }
            guard rc == SQLITE_DONE else { throw StoreError.sqlite(operation: "postings write", message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
            // Only rules are looked up by pattern; the other kinds are asked for exactly.
            guard term.hasPrefix("r:") else { continue }
            sqlite3_reset(termsStatement)
            bindText(termsStatement, 1, term)
            sqlite3_bind_int64(termsStatement, 2, terms.newest[s])
            guard sqlite3_step(termsStatement) == SQLITE_DONE else { throw StoreError.sqlite(operation: "terms write", message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
        }
        sqlite3_reset(write)
        sqlite3_reset(termsStatement)
    }
}

/// One batch's terms: their text, the varint offsets of the alerts carrying each, and the
/// newest id per term.
private struct TermTable {
    var texts: [String] = []
    var bytes: [[UInt8]] = []
    var newest: [Int64] = []

    mutating func add(_ term: String) -> Int {
        texts.append(term)
        bytes.append([])
        newest.append(0)
        return texts.count - 1
    }

    /// The term slot of text slot `text.0` (plus one), added as `kind` + `text.1` when new.
    @inline(__always)
    mutating func slot(_ slots: inout [Int], _ text: (UInt32, UnsafeRawBufferPointer), _ kind: String) -> Int {
        let i = Int(text.0)
        if i < slots.count, slots[i] >= 0 { return slots[i] }
        if i >= slots.count { slots.append(contentsOf: repeatElement(-1, count: i - slots.count + 1)) }
        let s = add(kind + String(decoding: text.1, as: UTF8.self))
        slots[i] = s
        return s
    }

    @inline(__always)
    mutating func record(_ slot: Int, _ offset: Int, _ id: Int64) {
        Postings.appendVarint(offset, to: &bytes[slot])
        newest[slot] = id
    }
}
