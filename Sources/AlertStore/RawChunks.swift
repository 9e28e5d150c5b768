import CLZ4
import GRDB
import GRDBSQLite

/// The raw JSON of every alert, kept verbatim in LZ4-compressed chunks of about 64 KiB.
///
/// Storing each alert's line in its own row roughly doubled the history's size per alert and
/// made SQLite's page writes the largest part of ingest. Alert lines repeat most of their
/// text, so a chunk of them compresses several times over, and LZ4 is fast enough to do it
/// inline on the writer. Each alert row records where its line is: `raw_chunk`, `raw_offset`,
/// `raw_length` (offsets into the uncompressed chunk). A chunk is written in the same
/// transaction as the rows that point into it, so a crash leaves both or neither.
enum RawChunks {
    /// Uncompressed size at which a chunk is closed: small enough that reading one alert
    /// decompresses little, large enough to compress well.
    static let targetSize = 64 * 1024

    enum Codec: Int {
        case stored = 0
        case lz4 = 1
    }

    static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE alert_chunks (
                id INTEGER PRIMARY KEY,
                codec INTEGER NOT NULL,       -- 0 stored as is, 1 LZ4 block
                size INTEGER NOT NULL,        -- uncompressed bytes
                data BLOB NOT NULL            -- the lines, each followed by a line feed
            )
            """)
    }

    static func compress(_ bytes: [UInt8]) -> (Codec, [UInt8]) {
        let bound = Int(LZ4_compressBound(Int32(bytes.count)))
        var out = [UInt8](repeating: 0, count: bound)
        let written = bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                src.baseAddress!.withMemoryRebound(to: CChar.self, capacity: src.count) { s in
                    dst.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bound) { d in
                        LZ4_compress_default(s, d, Int32(src.count), Int32(bound))
                    }
                }
            }
        }
        guard written > 0, Int(written) < bytes.count else { return (.stored, bytes) }
        out.removeSubrange(Int(written)...)
        return (.lz4, out)
    }

    /// The chunk's bytes, uncompressed up to `prefix` bytes at least (all of it when nil):
    /// LZ4 can stop early, which halves the cost of reading one alert on average.
    /// A chunk's size as read from the file is checked against what its data can hold
    /// (stored: exactly; LZ4: at most 255 bytes per compressed byte, the format's limit) before
    /// anything is allocated for it; liblz4 takes sizes as `Int32`.
    static func decompress(chunk id: Int64, codec: Int, size: Int, data: UnsafeRawBufferPointer, prefix: Int? = nil) throws(StoreError) -> [UInt8] {
        func damaged(_ problem: String) -> StoreError { .damaged(place: "alert_chunks row \(id)", problem: problem) }
        guard size >= 0, size <= Int(Int32.max) else { throw damaged("its size \(size) is impossible") }
        switch Codec(rawValue: codec) {
        case .stored?:
            guard size == data.count else { throw damaged("its size \(size) is not its \(data.count) stored bytes") }
            return Array(data.bindMemory(to: UInt8.self))
        case .lz4?:
            guard size <= data.count * 255 + 16 else {
                throw damaged("its size \(size) is more than \(data.count) compressed bytes can hold")
            }
            let want = min(size, max(0, prefix ?? size))
            guard want > 0 else { return [] }
            guard let source = data.baseAddress else { throw damaged("it has no data for its size \(size)") }
            // liblz4 ≥ 1.9 stops at `want` with a buffer of just that size.
            var out = [UInt8](repeating: 0, count: want)
            let n = out.withUnsafeMutableBufferPointer { dst in
                LZ4_decompress_safe_partial(source.assumingMemoryBound(to: CChar.self),
                                            UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self),
                                            Int32(data.count), Int32(want), Int32(want))
            }
            guard Int(n) == want else { throw damaged("it does not decompress (\(n) of \(want) bytes)") }
            return out
        case nil:
            throw damaged("its format \(codec) is unknown")
        }
    }

    /// Reads one chunk, uncompressed (at least its first `prefix` bytes); nil when it is not there.
    static func read(_ id: Int64, prefix: Int? = nil, db: Database) throws -> [UInt8]? {
        try read(id, prefix: prefix, statement: try db.cachedStatement(sql: selectSQL).sqliteStatement)
    }

    static let selectSQL = "SELECT codec, size, data FROM alert_chunks WHERE id = ?"

    /// The same through a prepared ``selectSQL`` (for callers without a GRDB `Database`).
    static func read(_ id: Int64, prefix: Int? = nil, statement handle: OpaquePointer) throws -> [UInt8]? {
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, id)
        defer { sqlite3_reset(handle) }
        guard sqlite3_step(handle) == SQLITE_ROW else { return nil }
        guard sqlite3_column_type(handle, 0) == SQLITE_INTEGER, sqlite3_column_type(handle, 1) == SQLITE_INTEGER else {
            throw StoreError.damaged(place: "alert_chunks row \(id)", problem: "codec or size is not an integer")
        }
        let codec = Int(sqlite3_column_int64(handle, 0))
        let size = Int(sqlite3_column_int64(handle, 1))
        let count = Int(sqlite3_column_bytes(handle, 2))
        let blob = sqlite3_column_blob(handle, 2)
        return try decompress(chunk: id, codec: codec, size: size, data: UnsafeRawBufferPointer(start: blob, count: blob == nil ? 0 : count),
                              prefix: prefix)
    }

    /// Where one alert's line is.
    struct Location: Sendable {
        var chunk: Int64
        var offset: Int
        var length: Int

        /// Where the line ends; nil when that is past any offset (a damaged record).
        var end: Int? {
            let (end, overflow) = offset.addingReportingOverflow(length)
            return overflow ? nil : end
        }
    }

    /// The raw lines at `locations`, each chunk decompressed once.
    static func lines(_ locations: [Location], db: Database) throws -> [String?] {
        // Each chunk is read once, uncompressed as far as its furthest requested line.
        var needed: [Int64: Int] = [:]
        for l in locations { needed[l.chunk] = max(needed[l.chunk] ?? 0, l.end ?? 0) }
        var chunks: [Int64: [UInt8]] = [:]
        var out: [String?] = []
        out.reserveCapacity(locations.count)
        for location in locations {
            if chunks[location.chunk] == nil { chunks[location.chunk] = try read(location.chunk, prefix: needed[location.chunk], db: db) ?? [] }
            let bytes = chunks[location.chunk]!
            guard location.offset >= 0, location.length >= 0, let end = location.end, end <= bytes.count else {
                out.append(nil)
                continue
            }
            out.append(bytes[location.offset..<end].withUnsafeBufferPointer {
                String(decoding: $0, as: UTF8.self)
            })
        }
        return out
    }
}

/// Appends alert lines to chunks during one write transaction. The newest chunk is reopened
/// when it is not full, so a feed committing one alert at a time still fills whole chunks;
/// its old bytes are read back only when new lines are actually written to it.
struct RawChunkWriter {
    /// New lines for the open chunk (after the `kept` bytes it already holds).
    private var buffer: [UInt8] = []
    private var chunkID: Int64
    /// Bytes already stored in the reopened chunk (0 for a new one).
    private var kept: Int

    init(db: Database) throws {
        if let row = try Row.fetchOne(db, sql: "SELECT id, size FROM alert_chunks ORDER BY id DESC LIMIT 1") {
            let id = try row.integer(0, "alert_chunks"), size = try row.int(1, "alert_chunks row \(id)")
            guard size >= 0, id < Int64(UInt32.max) else {
                // Records keep chunk ids in 32 bits.
                throw StoreError.damaged(place: "alert_chunks row \(id)", problem: size < 0 ? "its size \(size) is negative" : "no chunk id can follow it")
            }
            (chunkID, kept) = size < RawChunks.targetSize ? (id, size) : (id + 1, 0)
        } else {
            (chunkID, kept) = (1, 0)
        }
        buffer.reserveCapacity(RawChunks.targetSize + 4096)
    }

    /// Where the next line will go (its length is the caller's to record).
    var next: RawChunks.Location { RawChunks.Location(chunk: chunkID, offset: kept + buffer.count, length: 0) }

    /// Adds one line at ``next``. Writes the chunk out when it is full.
    mutating func append(_ raw: UnsafeRawBufferPointer, db: Database) throws {
        buffer.append(contentsOf: raw)
        buffer.append(0x0A)
        if kept + buffer.count >= RawChunks.targetSize { try flush(db: db) }
    }

    /// Writes the open chunk (if lines were added) and, when it is full, starts a new one.
    mutating func flush(db: Database) throws {
        guard !buffer.isEmpty else { return }
        var bytes = buffer
        if kept > 0 {
            guard let old = try RawChunks.read(chunkID, db: db), old.count == kept else {
                throw StoreError.chunkChanged(chunkID)
            }
            bytes = old + buffer
        }
        let (codec, data) = RawChunks.compress(bytes)
        let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO alert_chunks (id, codec, size, data) VALUES (?, ?, ?, ?)")
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, chunkID)
        sqlite3_bind_int64(handle, 2, Int64(codec.rawValue))
        sqlite3_bind_int64(handle, 3, Int64(bytes.count))
        let rc = data.withUnsafeBytes { b in
            sqlite3_bind_blob(handle, 4, b.baseAddress, Int32(b.count), sqliteTransient)
            return sqlite3_step(handle)
        }
        sqlite3_reset(handle)
        guard rc == SQLITE_DONE else { throw StoreError.sqlite(operation: "raw chunk write", message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
        buffer.removeAll(keepingCapacity: true)
        if bytes.count >= RawChunks.targetSize {
            chunkID += 1
            kept = 0
        } else {
            kept = bytes.count
        }
    }
}

extension AlertStore {
    /// The raw lines' bytes as accepted and as stored in the chunks (what compression saves).
    public func rawChunkSizes() throws -> (lines: Int, stored: Int) {
        try pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT coalesce(sum(size), 0), coalesce(sum(length(data)), 0) FROM alert_chunks")!
            return (row[0], row[1])
        }
    }
}
