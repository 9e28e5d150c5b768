#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Foundation
import GRDB
import TestSupport
import TradsecCore

/// A corrupt history file: one edit of what the store keeps in its own formats (the packed
/// alert records read by the `alerts` virtual table in C, posting varints, LZ4 chunks, block
/// and row ranges, interned texts), made to a small real history with a separate connection,
/// then the history opened by `AlertStore` and asked what the console and `tradsec query` ask.
/// It must answer or throw an error: never trap, read out of bounds or return more than asked.
///
/// Input: the edit (byte 0), which row (byte 1), then the new value: a whole blob, a patch
/// (two bytes of offset, then bytes written there), or integers (8 bytes each, little-endian).
enum HistoryHarness {
    static let target = FuzzTarget(
        "history",
        "one corrupting edit of a real history file (packed records, postings, LZ4 chunks, ranges, texts), then AlertStore queries, stats, retention: errors, never traps",
        maxLength: 4096, dictionary: nil
    ) { bytes in check(bytes) }

    struct Edit {
        var table: String
        /// Orders the rows, to pick one by number.
        var key: String
        var column: String
        enum Kind { case replace, patch, integers([String]) }
        var kind: Kind
    }

    static let edits: [Edit] = [
        Edit(table: "alert_rows", key: "first_id", column: "records", kind: .replace),
        Edit(table: "alert_rows", key: "first_id", column: "records", kind: .patch),
        Edit(table: "alert_rows", key: "first_id", column: "", kind: .integers(["first_id", "last_id", "count", "min_time_ns", "max_time_ns"])),
        Edit(table: "alert_postings", key: "block_id, term", column: "ids", kind: .replace),
        Edit(table: "alert_postings", key: "block_id, term", column: "ids", kind: .patch),
        Edit(table: "alert_chunks", key: "id", column: "data", kind: .replace),
        Edit(table: "alert_chunks", key: "id", column: "data", kind: .patch),
        Edit(table: "alert_chunks", key: "id", column: "", kind: .integers(["codec", "size"])),
        Edit(table: "alert_blocks", key: "id", column: "", kind: .integers(["first_id", "last_id", "min_time_ns", "max_time_ns", "trimmed"])),
        Edit(table: "alert_texts", key: "id", column: "text", kind: .replace),
        Edit(table: "alert_terms", key: "term", column: "term", kind: .replace),
        Edit(table: "fts_pending", key: "first_id", column: "", kind: .integers(["first_id", "last_id"])),
    ]

    /// A history of 120 alerts in three batches (several packed rows, chunks, postings), as bytes.
    static let template: [UInt8] = {
        let directory = makeTemporaryDirectory(prefix: "tradsec-fuzz-history-template")
        let path = directory + "/history.sqlite"
        do {
            let store = try AlertStore(path: path)
            let rules = ["Terminal shell in container", "Read trading API key", "Outbound connection", "Write below binary dir"]
            let priorities = ["Critical", "Warning", "Notice", "Error", "Informational"]
            for batch in 0..<3 {
                var alerts: [Alert] = []
                for i in 0..<40 {
                    let n = batch * 40 + i
                    let container = n % 5 == 0 ? "host" : "bot-\(n % 3)"
                    let line = #"{"hostname":"host-\#(n % 2)","output":"alert \#(n) \#(String(repeating: "x", count: 40 * (n % 50)))","output_fields":{"container.id":"\#(container == "host" ? "host" : "0123456789a\(n % 3)")","container.name":"\#(container)","proc.name":"bash","user.name":"root"},"priority":"\#(priorities[n % 5])","rule":"\#(rules[n % 4])","source":"syscall","tags":["t"],"time":"2026-11-22T10:\#(String(format2: n / 60)):\#(String(format2: n % 60)).000000000Z"}"#
                    alerts.append(try AlertDecoder.decode(line: line))
                }
                try store.insert(alerts, origin: "fuzz")
            }
            try store.checkpointWAL()
        } catch {
            fatalError("cannot build the template history: \(error)")
        }
        guard let f = fopen(path, "rb") else { fatalError("cannot read the template history") }
        defer { fclose(f); removeTree(directory) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }()

    static let directory = makeTemporaryDirectory(prefix: "tradsec-fuzz-history")

    static func check(_ input: UnsafeRawBufferPointer) {
        var reader = ByteReader(input)
        let edit = edits[Int(reader.byte()) % edits.count]
        let row = Int(reader.byte())
        let path = directory + "/history.sqlite"
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        writeFile(path, template)
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try apply(edit, row: row, &reader, db) }
        } catch {
            return   // an edit SQLite itself refuses (a constraint) is not a corrupt file
        }
        guard let store = try? AlertStore(path: path) else { return }
        query(store)
    }

    /// Makes the edit.
    static func apply(_ edit: Edit, row: Int, _ reader: inout ByteReader, _ db: Database) throws {
        let which = "SELECT \(edit.key) FROM \(edit.table) ORDER BY \(edit.key) LIMIT 1 OFFSET \(row)"
        let match = "(\(edit.key)) IN (\(which))"
        switch edit.kind {
        case .replace:
            let value = Data(reader.rest())
            try db.execute(sql: "UPDATE \(edit.table) SET \(edit.column) = ? WHERE \(match)", arguments: [value])
        case .patch:
            guard var blob = try Data.fetchOne(db, sql: "SELECT \(edit.column) FROM \(edit.table) WHERE \(match)") else { return }
            let offset = reader.uint16()
            let bytes = Array(reader.rest())
            guard offset <= blob.count else { return }
            let end = min(blob.count, offset + bytes.count)
            blob.replaceSubrange(offset..<end, with: bytes[0..<(end - offset)])
            try db.execute(sql: "UPDATE \(edit.table) SET \(edit.column) = ? WHERE \(match)", arguments: [blob])
        case .integers(let columns):
            var assignments: [String] = []
            var values: [DatabaseValueConvertible] = []
            for column in columns where reader.remaining >= 8 {
                let raw = reader.take(8)
                let value = Int64(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(raw[$1]) << (8 * UInt64($1)) })
                values.append(value)
                assignments.append("\(column) = ?")
            }
            guard !assignments.isEmpty else { return }
            try db.execute(sql: "UPDATE \(edit.table) SET \(assignments.joined(separator: ", ")) WHERE \(match)",
                           arguments: StatementArguments(values))
        }
    }

    /// What the console, `tradsec query`/`stats` and the processor's feed ask.
    static func query(_ store: AlertStore) {
        let queries = [
            AlertQuery(limit: 20),
            AlertQuery(priorities: PriorityFilter(">=warning"), limit: 20),
            AlertQuery(ruleGlob: "Read*", limit: 20),
            AlertQuery(container: "bot-1", limit: 20),
            AlertQuery(hostname: "host-1", limit: 20),
            AlertQuery(search: "alert", limit: 20),
            AlertQuery(since: Timestamp(rfc3339: "2026-11-22T10:01:00Z"), until: Timestamp(rfc3339: "2026-11-22T10:01:30Z"), limit: 20),
        ]
        for q in queries {
            if let found = try? store.alerts(q) {
                Invariant.require(found.count <= q.limit, "\(found.count) alerts for a limit of \(q.limit)")
                for stored in found { _ = stored.alert.record }
            }
            if let found = try? store.alerts(after: 30, matching: q) {
                Invariant.require(found.count <= q.limit, "\(found.count) alerts after an id for a limit of \(q.limit)")
            }
            _ = try? store.count(q)
            _ = try? store.stats(q)
        }
        _ = try? store.containers()
        _ = try? store.totalCount()
        _ = try? store.indexFullTextBacklog()
        _ = try? store.applyRetention(RetentionPolicy(maxRows: 60), now: Timestamp(rfc3339: "2026-11-22T12:00:00Z")!)
        _ = try? store.alerts(AlertQuery(limit: 100))
    }
}

extension String {
    fileprivate init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
}
