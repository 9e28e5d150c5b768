import CAlertRows
import Foundation
import GRDB
import GRDBSQLite
import TradsecCore

/// History v10: alerts are stored packed, up to ``rowTarget`` to a row of `alert_rows`, as
/// fixed-size records (layout in `CAlertRows.h`), and read back through the virtual table
/// `alerts` (module `tradsec_alerts`, in C), one row per alert, so readers keep their SQL.
///
/// A SQLite row per alert, with the unique (time, fingerprint) index that kept duplicates
/// out, was more than half of an ingest's time (`make bench-sqlite` measures it). A packed
/// row costs about the same for 256 alerts.
/// Duplicates are found instead by ``SeenAlerts``, from the records of the packed rows whose
/// time range a batch overlaps. Text columns are ids into `alert_texts` (a few hundred
/// distinct rules, containers, hosts…), resolved once per batch per distinct text.
enum AlertRows {
    static let migrationName = "v10: alerts packed many to a row, read through a virtual table"
    /// Alerts per packed row: small enough that reading one alert copies ~18 KB, large
    /// enough that the row's own cost vanishes per alert.
    static let rowTarget = 256
    /// A newest row with fewer alerts than this takes the next batch's first ones.
    static let topUpBelow = 64
    static let recordSize = Int(TRADSEC_ALERT_RECORD_SIZE)

    /// Registers the `tradsec_alerts` module on one connection (every connection of the pool).
    static func register(on connection: OpaquePointer) throws {
        let rc = tradsec_register_alerts_module(connection)
        guard rc == SQLITE_OK else { throw StoreError.sqlite(operation: "registering the alerts table", message: String(cString: sqlite3_errstr(rc))) }
    }

    static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE alert_rows (
                first_id INTEGER PRIMARY KEY,     -- base of the records' id deltas; none is lower
                last_id INTEGER NOT NULL,         -- the highest id among its records
                count INTEGER NOT NULL,
                min_time_ns INTEGER NOT NULL,
                max_time_ns INTEGER NOT NULL,
                records BLOB NOT NULL             -- fixed-size records in id order (CAlertRows.h); last, so
                                                  -- the columns before it are read without its overflow pages
            );
            -- Which rows a batch's times overlap (the duplicate check), from the index alone.
            CREATE INDEX alert_rows_time ON alert_rows(max_time_ns, min_time_ns);
            -- Rules, containers, hosts, sources, processes, users and origins, by id. Ids are
            -- never reused (AUTOINCREMENT), so a reader's cache of them cannot go stale.
            CREATE TABLE alert_texts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                text TEXT NOT NULL UNIQUE,
                newest_id INTEGER NOT NULL        -- the newest alert naming it: retention drops the rest
            );
            """)
    }

    /// Moves the v9 rows into packed rows and puts the virtual table in the old table's place.
    static func migrate(_ db: Database) throws {
        try createTables(db)
        var after: Int64 = 0
        while true {
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, time_ns, priority, rule, source, hostname, container_id, proc_name, user_name, fingerprint,
                       ingested_ns, origin, raw_chunk, raw_offset, raw_length
                FROM alerts WHERE id > ? ORDER BY id LIMIT 4096
                """, arguments: [after])
            guard let last = rows.last else { break }
            // The fingerprint function changed with this layout (four lanes): stored ones are
            // recomputed from the raw lines, so re-ingesting an old file still finds its alerts.
            let lines = try RawChunks.lines(rows.map { RawChunks.Location(chunk: $0[12], offset: $0[13], length: $0[14]) }, db: db)
            var writer = PackedRowWriter()
            for (row, line) in zip(rows, lines) {
                AlertTexts.with([row[3], row[4], row[5], row[6], row[7], row[8], row[11]]) { texts in
                    _ = writer.add(id: row[0], time: row[1], fingerprint: line.map(Fingerprint.of) ?? row[9], ingested: row[10],
                               location: RawChunks.Location(chunk: row[12], offset: row[13], length: row[14]), priority: row[2],
                               texts: texts)
                }
            }
            try writer.write(db: db)
            after = last[0]
        }
        try db.execute(sql: """
            DROP TRIGGER alerts_fts_delete;
            DROP TRIGGER alerts_enrichment_delete;
            DROP TABLE alerts;
            CREATE VIRTUAL TABLE alerts USING tradsec_alerts;
            """)
    }

    // MARK: - Records

    @inline(__always)
    static func load64(_ p: UnsafeRawPointer, _ offset: Int32) -> Int64 {
        Int64(littleEndian: p.loadUnaligned(fromByteOffset: Int(offset), as: Int64.self))
    }

    @inline(__always)
    static func load32(_ p: UnsafeRawPointer, _ offset: Int32) -> UInt32 {
        UInt32(littleEndian: p.loadUnaligned(fromByteOffset: Int(offset), as: UInt32.self))
    }

    @inline(__always)
    static func store64(_ p: UnsafeMutableRawPointer, _ offset: Int32, _ value: Int64) {
        p.storeBytes(of: value.littleEndian, toByteOffset: Int(offset), as: Int64.self)
    }

    @inline(__always)
    static func store32(_ p: UnsafeMutableRawPointer, _ offset: Int32, _ value: UInt32) {
        p.storeBytes(of: value.littleEndian, toByteOffset: Int(offset), as: UInt32.self)
    }

    /// The id of a record: its packed row's first id plus the record's delta, checked (the
    /// first id is read from the file).
    @inline(__always)
    static func id(first: Int64, _ record: UnsafeRawPointer) throws -> Int64 {
        let (id, overflow) = first.addingReportingOverflow(Int64(load32(record, TRADSEC_AR_ID_DELTA)))
        guard !overflow else { throw StoreError.damaged(place: "alert_rows row \(first)", problem: "a record's id is past the largest id") }
        return id
    }

    /// How many records `bytes` of a packed row hold; an error when they are not whole.
    static func recordCount(_ bytes: Int, first: Int64) throws -> Int {
        guard bytes % recordSize == 0 else {
            throw StoreError.damaged(place: "alert_rows row \(first)", problem: "records of \(bytes) bytes are not whole \(recordSize)-byte records")
        }
        return bytes / recordSize
    }

    static let textFields: [Int32] = [TRADSEC_AR_RULE, TRADSEC_AR_SOURCE, TRADSEC_AR_HOSTNAME, TRADSEC_AR_CONTAINER,
                                      TRADSEC_AR_PROC, TRADSEC_AR_USER, TRADSEC_AR_ORIGIN]
}

/// Which alerts of one batch are duplicates: of an earlier alert in the batch, or of a stored
/// one (the same time and fingerprint). Open addressing over the batch's own pairs only; the
/// stored records of the packed rows the batch's times overlap are probed against it, not
/// added to it.
///
/// Adding every overlapping stored record to one table (as at first) cost a table the size of
/// the history when alert times arrive out of order over a long span (a shuffled file in
/// which every batch overlaps every row): its growth and page faults dominated that ingest.
/// Probing a table of a few thousand entries stays in the cache.
struct SeenAlerts {
    private let times: [Int64]
    private let fingerprints: [Int64]
    /// Slot → batch index, -1 when empty.
    private var table: [Int32]
    /// Per batch index.
    private(set) var isDuplicate: [Bool]

    init(times: [Int64], fingerprints: [Int64]) {
        precondition(times.count == fingerprints.count)
        self.times = times
        self.fingerprints = fingerprints
        var size = 64
        while size < times.count * 2 { size *= 2 }
        table = [Int32](repeating: -1, count: size)
        isDuplicate = [Bool](repeating: false, count: times.count)
        // The first of equal alerts is stored, the later ones are duplicates.
        for i in 0..<times.count {
            let (slot, found) = find(times[i], fingerprints[i])
            if found >= 0 {
                isDuplicate[i] = true
            } else {
                table[slot] = Int32(i)
            }
        }
    }

    /// The slot where the pair is or would go, and the batch index holding it (-1: none).
    @inline(__always)
    private func find(_ time: Int64, _ fingerprint: Int64) -> (slot: Int, index: Int) {
        let mask = table.count - 1
        // The fingerprint is already a good hash; the time separates equal lines.
        var slot = Int(truncatingIfNeeded: SplitMix64.mix(UInt64(bitPattern: fingerprint) ^ UInt64(bitPattern: time))) & mask
        while true {
            let i = Int(table[slot])
            if i < 0 { return (slot, -1) }
            if times[i] == time && fingerprints[i] == fingerprint { return (slot, i) }
            slot = (slot + 1) & mask
        }
    }

    /// A stored alert: the batch's alert with the same pair, if any, is a duplicate.
    @inline(__always)
    private mutating func markStored(time: Int64, fingerprint: Int64) {
        let index = find(time, fingerprint).index
        if index >= 0 { isDuplicate[index] = true }
    }

    /// Probes the records of the packed rows overlapping the batch's times. Times are grouped
    /// into runs without a gap over a minute, and each run asks for the rows it overlaps: one
    /// stray old alert in a batch of new ones must not read the whole history between them.
    mutating func loadStored(db: Database) throws {
        guard !times.isEmpty else { return }
        let sorted = times.sorted()
        let gap: Int64 = 60_000_000_000
        var runs: [(Int64, Int64)] = []
        var start = sorted[0], end = sorted[0]
        for t in sorted.dropFirst() {
            if t - end > gap {
                runs.append((start, end))
                start = t
            }
            end = t
        }
        runs.append((start, end))
        let statement = try db.cachedStatement(sql: """
            SELECT first_id, records FROM alert_rows WHERE max_time_ns >= ? AND min_time_ns <= ?
            """).sqliteStatement
        var loaded = Set<Int64>()
        defer { sqlite3_reset(statement) }
        for (low, high) in runs {
            sqlite3_reset(statement)
            sqlite3_bind_int64(statement, 1, low)
            sqlite3_bind_int64(statement, 2, high)
            while true {
                let rc = sqlite3_step(statement)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw StoreError.sqlite(operation: "duplicate check", message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
                let first = sqlite3_column_int64(statement, 0)
                guard loaded.insert(first).inserted, let blob = sqlite3_column_blob(statement, 1) else { continue }
                let n = try AlertRows.recordCount(Int(sqlite3_column_bytes(statement, 1)), first: first)
                for i in 0..<n {
                    let r = blob + i * AlertRows.recordSize
                    markStored(time: AlertRows.load64(r, TRADSEC_AR_TIME), fingerprint: AlertRows.load64(r, TRADSEC_AR_FINGERPRINT))
                }
            }
        }
    }
}

/// One alert's text columns as bytes (nil: NULL), borrowed for one call.
struct AlertTexts {
    var rule, source, hostname, container, proc, user, origin: UnsafeRawBufferPointer?

    /// The same from strings (rule, source, hostname, container, proc, user, origin), copied
    /// to one buffer for the call (the migration; ingest borrows its batch's bytes).
    static func with<R>(_ strings: [String?], _ body: (AlertTexts) throws -> R) rethrows -> R {
        precondition(strings.count == 7)
        var buffer: [UInt8] = []
        var spans: [Range<Int>?] = []
        for string in strings {
            guard let string else { spans.append(nil); continue }
            let start = buffer.count
            buffer.append(contentsOf: string.utf8)
            spans.append(start..<buffer.count)
        }
        return try buffer.withUnsafeBytes { b in
            func at(_ i: Int) -> UnsafeRawBufferPointer? { spans[i].map { UnsafeRawBufferPointer(rebasing: b[$0]) } }
            return try body(AlertTexts(rule: at(0), source: at(1), hostname: at(2), container: at(3), proc: at(4), user: at(5), origin: at(6)))
        }
    }
}

/// Room for one record (``AlertRows/recordSize`` bytes, checked in ``PackedRowWriter/init()``).
typealias PackedRecord = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

/// Collects one transaction's new alerts as packed records and writes them at its end:
/// first topping up the newest packed row, then in rows of ``AlertRows/rowTarget``.
struct PackedRowWriter {
    /// One alert before packing. Text fields hold batch-local text slots plus one (0: NULL)
    /// until ``write(db:)`` swaps in their `alert_texts` ids.
    struct Record {
        var id: Int64
        var time: Int64
        var fingerprint: Int64
        var ingested: Int64
        var chunk: Int64
        var offset: Int
        var length: Int
        var priority: Int
        var rule: UInt32 = 0
        var source: UInt32 = 0
        var hostname: UInt32 = 0
        var container: UInt32 = 0
        var proc: UInt32 = 0
        var user: UInt32 = 0
        var origin: UInt32 = 0
    }

    private var bytes: [UInt8] = []
    private var firstID: Int64 = 0
    private var texts = TextInterner()
    private var newest: [Int64] = []

    init() {
        precondition(MemoryLayout<PackedRecord>.size == AlertRows.recordSize)
    }

    /// Each field's previous slot: a host, a source or a user mostly repeats from one alert
    /// to the next, and comparing bytes is cheaper than hashing them.
    private var previous = [Int](repeating: -1, count: Field.allCases.count)

    private enum Field: Int, CaseIterable { case rule, source, hostname, container, proc, user, origin }

    /// The batch slot (plus one) of a text value; 0 for nil.
    @inline(__always)
    private mutating func text(_ bytes: UnsafeRawBufferPointer?, _ field: Field) -> UInt32 {
        guard let bytes else { return 0 }
        let last = previous[field.rawValue]
        let slot = last >= 0 && bytes.count > 0 && texts.holds(last, bytes) ? last : texts.slot(bytes)
        previous[field.rawValue] = slot
        if slot >= newest.count { newest.append(0) }
        return UInt32(slot + 1)
    }

    /// Appends an alert (ids must increase); returns its record, whose text fields are the
    /// texts' batch slots (plus one; 0 for nil), which the postings reuse.
    @discardableResult
    mutating func add(id: Int64, time: Int64, fingerprint: Int64, ingested: Int64, location: RawChunks.Location, priority: Int,
                      texts t: AlertTexts) -> Record {
        var r = Record(id: id, time: time, fingerprint: fingerprint, ingested: ingested, chunk: location.chunk,
                       offset: location.offset, length: location.length, priority: priority)
        r.rule = text(t.rule, .rule)
        r.source = text(t.source, .source)
        r.hostname = text(t.hostname, .hostname)
        r.container = text(t.container, .container)
        r.proc = text(t.proc, .proc)
        r.user = text(t.user, .user)
        r.origin = text(t.origin, .origin)
        if bytes.isEmpty { firstID = r.id }
        // Built on the stack and appended in one copy: appending 72 zeros and writing them
        // in place cost a third of this function.
        var packed: PackedRecord = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &packed) { buffer in
            let p = buffer.baseAddress!
            AlertRows.store64(p, TRADSEC_AR_TIME, r.time)
            AlertRows.store64(p, TRADSEC_AR_FINGERPRINT, r.fingerprint)
            AlertRows.store64(p, TRADSEC_AR_INGESTED, r.ingested)
            AlertRows.store32(p, TRADSEC_AR_CHUNK, UInt32(truncatingIfNeeded: r.chunk))
            AlertRows.store32(p, TRADSEC_AR_OFFSET, UInt32(truncatingIfNeeded: r.offset))
            AlertRows.store32(p, TRADSEC_AR_LENGTH, UInt32(truncatingIfNeeded: r.length))
            // Relative to the batch's first id for now; rebased on the packed row in write().
            AlertRows.store32(p, TRADSEC_AR_ID_DELTA, UInt32(truncatingIfNeeded: r.id - firstID))
            AlertRows.store32(p, TRADSEC_AR_RULE, r.rule)
            AlertRows.store32(p, TRADSEC_AR_SOURCE, r.source)
            AlertRows.store32(p, TRADSEC_AR_HOSTNAME, r.hostname)
            AlertRows.store32(p, TRADSEC_AR_CONTAINER, r.container)
            AlertRows.store32(p, TRADSEC_AR_PROC, r.proc)
            AlertRows.store32(p, TRADSEC_AR_USER, r.user)
            AlertRows.store32(p, TRADSEC_AR_ORIGIN, r.origin)
            p.storeBytes(of: UInt8(truncatingIfNeeded: r.priority), toByteOffset: Int(TRADSEC_AR_PRIORITY), as: UInt8.self)
        }
        withUnsafeBytes(of: packed) { bytes.append(contentsOf: $0) }
        mark(r.rule, r.id); mark(r.source, r.id); mark(r.hostname, r.id); mark(r.container, r.id)
        mark(r.proc, r.id); mark(r.user, r.id); mark(r.origin, r.id)
        return r
    }

    @inline(__always)
    private mutating func mark(_ slot: UInt32, _ id: Int64) {
        if slot > 0 { newest[Int(slot) - 1] = id }
    }

    /// Resolves the texts, then writes the records.
    mutating func write(db: Database) throws {
        guard !bytes.isEmpty else { return }
        let ids = try resolveTexts(db: db)
        let size = AlertRows.recordSize
        let count = bytes.count / size
        bytes.withUnsafeMutableBytes { buffer in
            for i in 0..<count {
                let p = buffer.baseAddress! + i * size
                for field in AlertRows.textFields {
                    let slot = AlertRows.load32(p, field)
                    if slot > 0 { AlertRows.store32(p, field, ids[Int(slot) - 1]) }
                }
            }
        }
        var done = 0
        // Top up the newest packed row while it is small, so small batches (a live feed's
        // one or two alerts) do not leave a row per batch. Only while small: topping up
        // rewrites the row, and a live feed must not rewrite 18 KB per alert.
        if let newest = try Row.fetchOne(db, sql: "SELECT first_id, last_id, records FROM alert_rows ORDER BY first_id DESC LIMIT 1") {
            // Values from the file: the row's count is its records', whatever the column says.
            let rowFirst = try newest.integer(0, "alert_rows")
            let place = "alert_rows row \(rowFirst)"
            let rowLast = try newest.integer(1, place)
            let old = try newest.blob(2, place)
            let held = try AlertRows.recordCount(old.count, first: rowFirst)
            if held < AlertRows.topUpBelow, rowLast < firstID {
                let take = min(count, AlertRows.rowTarget - held)
                try writeRow(first: rowFirst, prefix: old, from: 0, to: take, db: db)
                done = take
            }
        }
        while done < count {
            let end = min(count, done + AlertRows.rowTarget)
            try writeRow(first: firstID + Int64(deltaAt(done)), prefix: [], from: done, to: end, db: db)
            done = end
        }
        bytes.removeAll(keepingCapacity: true)
    }

    private func deltaAt(_ i: Int) -> UInt32 {
        bytes.withUnsafeBytes { AlertRows.load32($0.baseAddress! + i * AlertRows.recordSize, TRADSEC_AR_ID_DELTA) }
    }

    /// Writes `prefix` (an existing row's records) followed by records `from..<to`, rebased on `first`.
    private func writeRow(first: Int64, prefix: [UInt8], from: Int, to: Int, db: Database) throws {
        let size = AlertRows.recordSize
        var row = prefix
        row.reserveCapacity(prefix.count + (to - from) * size)
        row.append(contentsOf: bytes[(from * size)..<(to * size)])
        let count = row.count / size
        try row.withUnsafeMutableBytes { buffer in
            for i in (prefix.count / size)..<count {
                let p = buffer.baseAddress! + i * size
                let id = firstID + Int64(AlertRows.load32(p, TRADSEC_AR_ID_DELTA))
                // `first` may come from the file (a row topped up): the delta must fit a record.
                let (delta, overflow) = id.subtractingReportingOverflow(first)
                guard !overflow, delta >= 0, delta <= Int64(UInt32.max) else {
                    throw StoreError.damaged(place: "alert_rows row \(first)", problem: "alert \(id) cannot be packed into it")
                }
                AlertRows.store32(p, TRADSEC_AR_ID_DELTA, UInt32(delta))
            }
        }
        try AlertRows.put(first: first, records: row, db: db)
    }

    /// Each distinct text's id, inserting the new ones and moving every one's newest alert.
    /// Looked up before inserting: an upsert on an AUTOINCREMENT table spends an id even when
    /// it only updates, and ids would run away with the number of batches.
    private func resolveTexts(db: Database) throws -> [UInt32] {
        let find = try db.cachedStatement(sql: "SELECT id, newest_id FROM alert_texts WHERE text = ?").sqliteStatement
        let insert = try db.cachedStatement(sql: "INSERT INTO alert_texts (text, newest_id) VALUES (?, ?)").sqliteStatement
        let raise = try db.cachedStatement(sql: "UPDATE alert_texts SET newest_id = ? WHERE id = ?").sqliteStatement
        defer {
            sqlite3_reset(find)
            sqlite3_reset(insert)
            sqlite3_reset(raise)
        }
        func failed(_ what: String) -> StoreError {
            StoreError.sqlite(operation: "text \(what)", message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        var ids: [UInt32] = []
        ids.reserveCapacity(texts.strings.count)
        for (slot, text) in texts.strings.enumerated() {
            sqlite3_reset(find)
            bindText(find, 1, text)
            var id: Int64
            switch sqlite3_step(find) {
            case SQLITE_ROW:
                id = sqlite3_column_int64(find, 0)
                if sqlite3_column_int64(find, 1) < newest[slot] {
                    sqlite3_reset(raise)
                    sqlite3_bind_int64(raise, 1, newest[slot])
                    sqlite3_bind_int64(raise, 2, id)
                    guard sqlite3_step(raise) == SQLITE_DONE else { throw failed("update") }
                }
            case SQLITE_DONE:
                sqlite3_reset(insert)
                bindText(insert, 1, text)
                sqlite3_bind_int64(insert, 2, newest[slot])
                guard sqlite3_step(insert) == SQLITE_DONE else { throw failed("insert") }
                id = sqlite3_last_insert_rowid(db.sqliteConnection)
            default:
                throw failed("lookup")
            }
            guard id > 0, id <= Int64(UInt32.max) else { throw StoreError.textIDOutOfRange(id) }
            ids.append(UInt32(id))
        }
        return ids
    }
}

extension AlertRows {
    /// Inserts or replaces the packed row keyed `first` with `records` (in id order, not
    /// empty); its last id, count and time range are read from them.
    static func put(first: Int64, records: [UInt8], db: Database) throws {
        let count = try recordCount(records.count, first: first)
        guard count > 0 else { throw StoreError.emptyAlertRow }
        var minTime = Int64.max, maxTime = Int64.min, last = first
        try records.withUnsafeBytes { buffer in
            for i in 0..<count {
                let t = load64(buffer.baseAddress! + i * recordSize, TRADSEC_AR_TIME)
                minTime = min(minTime, t)
                maxTime = max(maxTime, t)
            }
            last = try AlertRows.id(first: first, buffer.baseAddress! + (count - 1) * recordSize)
        }
        let statement = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO alert_rows (first_id, last_id, count, min_time_ns, max_time_ns, records) VALUES (?, ?, ?, ?, ?, ?)
            """).sqliteStatement
        sqlite3_reset(statement)
        sqlite3_bind_int64(statement, 1, first)
        sqlite3_bind_int64(statement, 2, last)
        sqlite3_bind_int64(statement, 3, Int64(count))
        sqlite3_bind_int64(statement, 4, minTime)
        sqlite3_bind_int64(statement, 5, maxTime)
        let rc = records.withUnsafeBytes { b in
            sqlite3_bind_blob(statement, 6, b.baseAddress, Int32(b.count), nil)   // SQLITE_STATIC: stepped right here
            return sqlite3_step(statement)
        }
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        guard rc == SQLITE_DONE else { throw StoreError.sqlite(operation: "alert row write", message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
    }

    /// Removes the alerts `ids` (ascending) from their packed rows; returns the records removed,
    /// as (id, chunk, offset, length), for the caller to clear what refers to them.
    static func remove(_ ids: [Int64], db: Database) throws -> [(id: Int64, location: RawChunks.Location)] {
        var removed: [(id: Int64, location: RawChunks.Location)] = []
        var i = 0
        let size = recordSize
        while i < ids.count {
            guard let row = try Row.fetchOne(db, sql: "SELECT first_id, last_id, records FROM alert_rows WHERE first_id <= ? ORDER BY first_id DESC LIMIT 1",
                                             arguments: [ids[i]]) else { i += 1; continue }
            let first = try row.integer(0, "alert_rows")
            let lastID = try row.integer(1, "alert_rows row \(first)")
            let records = try row.blob(2, "alert_rows row \(first)")
            let recordCount = try AlertRows.recordCount(records.count, first: first)
            var doomed = Set<Int64>()
            while i < ids.count && ids[i] <= lastID {
                doomed.insert(ids[i])
                i += 1
            }
            guard !doomed.isEmpty else { i += 1; continue }
            var kept: [UInt8] = []
            kept.reserveCapacity(records.count)
            try records.withUnsafeBytes { buffer in
                for r in 0..<recordCount {
                    let p = buffer.baseAddress! + r * size
                    let id = try AlertRows.id(first: first, p)
                    if doomed.contains(id) {
                        removed.append((id, RawChunks.Location(chunk: Int64(load32(p, TRADSEC_AR_CHUNK)), offset: Int(load32(p, TRADSEC_AR_OFFSET)),
                                                               length: Int(load32(p, TRADSEC_AR_LENGTH)))))
                    } else {
                        kept.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(r * size)..<((r + 1) * size)]))
                    }
                }
            }
            if kept.isEmpty {
                try db.execute(sql: "DELETE FROM alert_rows WHERE first_id = ?", arguments: [first])
            } else {
                // first_id stays the row's key and base even when its first record went.
                try put(first: first, records: kept, db: db)
            }
        }
        return removed
    }
}
