import GRDB
import GRDBSQLite
import TradsecCore

/// The SQL function `alert_output(raw_chunk, raw_offset, raw_length)`: an alert's `output`
/// text, read from its raw line in the compressed chunks.
///
/// The output is most of an alert row's bytes, and every byte a row puts in the WAL costs
/// ingest time (`make bench-sqlite`). The raw line already holds the text, so the row no
/// longer does (history v9). The three places that need the text in SQL use this
/// function: the full-text indexer catching up, the search over rows not yet indexed, and the
/// trigger that removes a deleted row from the (contentless) full-text index. Each reads rows
/// in id order, so a one-chunk cache per connection makes a chunk's lines one
/// decompression.
enum OutputFromChunks {
    static let name = "alert_output"

    /// Registers the function on one connection (every connection of the pool: readers search
    /// the backlog, the writer indexes and deletes).
    static func register(on connection: OpaquePointer) throws {
        let cache = Unmanaged.passRetained(ChunkCache()).toOpaque()
        // Not SQLITE_INNOCUOUS: the result depends on table contents, not only on the
        // arguments. The delete trigger uses it, so a SQLite with trusted_schema=OFF (not
        // the default) or a tool without the function (the sqlite3 shell) cannot delete alerts.
        let rc = sqlite3_create_function_v2(connection, name, 3, SQLITE_UTF8, cache, { context, count, values in
            guard let context, count == 3, let values,
                  let chunk = values[0], let offset = values[1], let length = values[2],
                  sqlite3_value_type(chunk) == SQLITE_INTEGER else {
                if let context { sqlite3_result_null(context) }
                return
            }
            let cache = Unmanaged<ChunkCache>.fromOpaque(sqlite3_user_data(context)).takeUnretainedValue()
            let outcome = cache.withOutput(chunk: sqlite3_value_int64(chunk), offset: Int(sqlite3_value_int64(offset)),
                                           length: Int(sqlite3_value_int64(length)), db: sqlite3_context_db_handle(context)) { text in
                guard let base = text.baseAddress, text.count > 0 else {
                    sqlite3_result_text(context, "", 0, sqliteTransient)
                    return
                }
                sqlite3_result_text(context, base.assumingMemoryBound(to: CChar.self), Int32(text.count), sqliteTransient)
            }
            switch outcome {
            case .found: break
            case .notAnAlert: sqlite3_result_null(context)
            // The statement fails with this message (a damaged history), rather than index or
            // unindex a wrong text.
            case .damaged(let message): sqlite3_result_error(context, message, -1)
            }
        }, nil, nil, { cache in
            if let cache { Unmanaged<ChunkCache>.fromOpaque(cache).release() }
        })
        // On failure SQLite has already called the destructor above, which released the cache.
        guard rc == SQLITE_OK else { throw StoreError.sqlite(operation: "registering \(name)()", message: String(cString: sqlite3_errstr(rc))) }
    }

    /// The last chunk one connection read. Chunk ids are never reused and a chunk only ever
    /// grows at its end (a reopened chunk), so cached bytes stay valid; a line past them
    /// re-reads the chunk.
    final class ChunkCache {
        private var id: Int64 = -1
        private var bytes: [UInt8] = []
        /// The line being read, decoded (reused: one alert at a time).
        private var decoded = AlertBatch()

        enum Outcome: Equatable {
            case found
            /// The line is there but is not an alert the decoder accepts.
            case notAnAlert
            case damaged(String)
        }

        /// Calls `body` with the output text of the line at `offset`.
        func withOutput(chunk: Int64, offset: Int, length: Int, db: OpaquePointer?, _ body: (UnsafeRawBufferPointer) -> Void) -> Outcome {
            // Values from the file: a damaged row must give an error, not trap inside SQLite.
            let place = "alert_chunks row \(chunk)"
            let (end, overflow) = offset.addingReportingOverflow(length)
            guard offset >= 0, length >= 0, !overflow else {
                return .damaged(StoreError.damaged(place: place, problem: "a line at offset \(offset), \(length) bytes, cannot be in it").message)
            }
            guard let db else { return .notAnAlert }
            if chunk != id || end > bytes.count {
                switch Self.read(chunk, db: db) {
                case .success(let read?): (id, bytes) = (chunk, read)
                case .success(nil): return .damaged(StoreError.damaged(place: place, problem: "it is missing").message)
                case .failure(let error): return .damaged(error.message)
                }
            }
            guard end <= bytes.count else {
                return .damaged(StoreError.damaged(place: place, problem: "a line at offset \(offset), \(length) bytes, is past its \(bytes.count) bytes").message)
            }
            decoded.removeAll()
            let accepted = bytes.withUnsafeBytes { all in
                (try? AlertDecoder.decodeRecord(line: UnsafeRawBufferPointer(rebasing: all[offset..<end]), into: &decoded)) != nil
            }
            guard accepted, let output = decoded.entries.first?.output else { return .notAnAlert }
            decoded.withBytes { body(output.bytes(in: $0)!) }
            return .found
        }

        /// The whole chunk, uncompressed (nil: no such chunk). Prepared per read (a read serves a
        /// whole chunk's calls): a statement kept in the cache would outlive the connection's close.
        private static func read(_ id: Int64, db: OpaquePointer) -> Result<[UInt8]?, StoreError> {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(db, RawChunks.selectSQL, -1, &statement, nil) == SQLITE_OK, let statement else {
                return .failure(StoreError.sqlite(operation: "reading alert_chunks", message: String(cString: sqlite3_errmsg(db))))
            }
            defer { sqlite3_finalize(statement) }
            do {
                return .success(try RawChunks.read(id, statement: statement))
            } catch let error as StoreError {
                return .failure(error)
            } catch {
                return .failure(StoreError.sqlite(operation: "reading alert_chunks", message: "\(error)"))
            }
        }
    }
}
