#if canImport(Glibc)
import Glibc
#endif
import CAlertRows
import Foundation
import GRDB
import Testing
@testable import AlertStore
import TradsecCore

/// A history damaged on purpose (bytes written with SQL into the tables the store reads
/// sizes, offsets and ids from) gives an error that names the table and row, never a trap:
/// each of these damages stopped the process before.
@Suite struct DamagedHistoryTests {
    /// 600 alerts (three packed rows, several chunks), five priorities, three containers.
    func filled() throws -> TemporaryStore {
        let t = try TemporaryStore()
        var rng = SplitMix64(seed: 5)
        try t.store.insert((0..<600).map { CompactHistoryTests.randomAlert(&rng, seconds: Int64($0)) }, origin: "test")
        return t
    }

    func write(_ t: TemporaryStore, _ sql: String, _ arguments: StatementArguments = []) throws {
        try t.store.pool.write { db in try db.execute(sql: sql, arguments: arguments) }
    }

    /// The newest packed row's records, changed by `change` and written back.
    func patchNewestRecords(_ t: TemporaryStore, _ change: (inout [UInt8]) -> Void) throws {
        try t.store.pool.write { db in
            let row = try Row.fetchOne(db, sql: "SELECT first_id, records FROM alert_rows ORDER BY first_id DESC LIMIT 1")!
            var records = [UInt8](row[1] as Data)
            change(&records)
            try db.execute(sql: "UPDATE alert_rows SET records = ? WHERE first_id = ?", arguments: [Data(records), row[0] as Int64])
        }
    }

    /// `body` fails with an error whose message says `expected`: a StoreError from the
    /// store's API, SQLite's error from SQL run directly (`sql: true`).
    func expectDamage(_ expected: String, sql: Bool = false, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("no error; expected one about \(expected)", sourceLocation: sourceLocation)
        } catch {
            let message = String(describing: error)
            #expect(message.contains(expected), "\(message)", sourceLocation: sourceLocation)
            // The store's API says where the damage is, whether its Swift readers or SQLite's alerts
            // table found it.
            var damaged = false
            if case .damaged(let place, _)? = error as? StoreError { damaged = !place.isEmpty }
            #expect(sql || damaged, "\(type(of: error)): \(message)", sourceLocation: sourceLocation)
        }
    }

    let warnings = AlertQuery(priorities: PriorityFilter(allowed: [.warning]), limit: 1000)
    let everything = AlertQuery(limit: 1000)

    @Test(arguments: [
        ("80808080808080808001", "not whole varints"),            // 2⁶³: Int.min, which indexed an array below 0
        ("FFFFFFFFFFFFFFFFFFFF01", "not whole varints"),          // past 64 bits
        ("0180", "not whole varints"),                            // the last varint cut short
        ("FF7F", "outside the block"),                            // 16,383 in a block of a few hundred ids
    ])
    func postingsThatAreNotOffsetsInTheirBlockAreAnError(hex: String, problem: String) throws {
        let t = try filled()
        let bytes = stride(from: 0, to: hex.count, by: 2).map { UInt8(hex.dropFirst($0).prefix(2), radix: 16)! }
        try write(t, "UPDATE alert_postings SET ids = ? WHERE term = ?", [Data(bytes), Postings.priorityTerm(Priority.warning.rawValue)])
        expectDamage("alert_postings block") { _ = try t.store.alerts(warnings) }
        expectDamage(problem) { _ = try t.store.count(warnings) }
        expectDamage(problem) { _ = try t.store.stats(warnings) }
        // What does not read those postings still works.
        #expect(try t.store.alerts(AlertQuery(priorities: PriorityFilter(allowed: [.error]), limit: 1000)).count > 0)
    }

    @Test(arguments: [(Int64(1), Int64.max), (Int64.min, Int64.max), (Int64(10), Int64(9)), (Int64(1), Int64(1) << 40)])
    func blocksThatCannotSpanTheirIdsAreAnError(first: Int64, last: Int64) throws {
        let t = try filled()
        try write(t, "UPDATE alert_blocks SET first_id = ?, last_id = ?", [first, last])
        expectDamage("alert_blocks row") { _ = try t.store.alerts(everything) }
        expectDamage("alert_blocks row") { _ = try t.store.alerts(warnings) }
        expectDamage("alert_blocks row") { _ = try t.store.stats(everything) }
        expectDamage("history is damaged") { try t.store.insert([makeAlert(9_000)]) }
    }

    @Test(arguments: [Int64(3_000_000_000), Int64(Int32.max) + 1, Int64.max, -1, Int64.min])
    func chunkSizesBeyondTheirDataAreAnError(size: Int64) throws {
        let t = try filled()
        try write(t, "UPDATE alert_chunks SET size = ? WHERE id = 1", [size])
        expectDamage("alert_chunks row 1") { _ = try t.store.alerts(everything) }
        expectDamage("alert_chunks row 1", sql: true) {
            _ = try t.store.pool.read { db in try String.fetchAll(db, sql: "SELECT alert_output(raw_chunk, raw_offset, raw_length) FROM alerts") }
        }
    }

    @Test func chunksInAnUnknownFormatOrThatDoNotDecompressAreAnError() throws {
        let t = try filled()
        try write(t, "UPDATE alert_chunks SET codec = 9 WHERE id = 1")
        expectDamage("alert_chunks row 1") { _ = try t.store.alerts(everything) }
        try write(t, "UPDATE alert_chunks SET codec = 1, data = randomblob(2000), size = 60000 WHERE id = 1")
        expectDamage("alert_chunks row 1") { _ = try t.store.alerts(everything) }
        try write(t, "UPDATE alert_chunks SET codec = 'lz4' WHERE id = 1")
        expectDamage("alert_chunks row 1") { _ = try t.store.alerts(everything) }
        // Retention unindexes what it deletes through the same chunks: an error, not a wrong text.
        expectDamage("alert_chunks row 1") { try t.store.applyRetention(RetentionPolicy(maxRows: 10)) }
    }

    @Test func rawLinesOutsideTheirChunkAreAnError() throws {
        let t = try filled()
        try patchNewestRecords(t) { records in
            AlertRows.store32UInt(&records, Int(TRADSEC_AR_OFFSET), 0xFFFF_FF00)
        }
        expectDamage("is not in alert_chunks row") { _ = try t.store.alerts(everything) }
        expectDamage("alert_chunks row", sql: true) {
            _ = try t.store.pool.read { db in try String.fetchAll(db, sql: "SELECT alert_output(raw_chunk, raw_offset, raw_length) FROM alerts") }
        }
    }

    @Test func packedRowsThatAreNotWholeRecordsAreAnError() throws {
        let t = try filled()
        try patchNewestRecords(t) { $0.removeLast(5) }
        expectDamage("are not whole") { _ = try t.store.alerts(everything) }
        expectDamage("are not whole") { _ = try t.store.stats(everything) }
        expectDamage("are not whole") { _ = try t.store.count(everything) }
        // Storing more reads the newest row back (to top it up, to find duplicates).
        expectDamage("are not whole") { try t.store.insert([makeAlert(9_000)]) }
        expectDamage("are not whole") { try t.store.applyRetention(RetentionPolicy(maxRows: 10)) }
    }

    @Test func packedRowsWhoseIdsOverflowAreAnError() throws {
        let t = try filled()
        try write(t, "UPDATE alert_rows SET first_id = ? WHERE first_id = (SELECT max(first_id) FROM alert_rows)", [Int64.max - 100])
        expectDamage("alert_rows row \(Int64.max - 100)", sql: true) {
            _ = try t.store.pool.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM alerts ORDER BY id DESC") }
        }
        expectDamage("alert_rows row \(Int64.max - 100)") { _ = try t.store.count(everything) }
    }

    @Test func recordsNamingTextsThatAreNotThereStillCount() throws {
        // Text ids near 2³² in every record of a row: a scan must not size an array by them
        // (16 GiB) and the alerts are still counted.
        let t = try filled()
        try patchNewestRecords(t) { records in
            for r in stride(from: 0, to: records.count, by: AlertRows.recordSize) {
                for field in AlertRows.textFields { AlertRows.store32UInt(&records, r + Int(field), 0xFFFF_FFF0 + UInt32(field % 7)) }
            }
        }
        let stats = try t.store.stats(everything)
        #expect(stats.total == 600)
        #expect(stats.byRule.contains { $0.key == "" })
    }

    @Test func extremeTimesInRecordsAreShown() throws {
        let t = try filled()
        try patchNewestRecords(t) { records in
            AlertRows.store64Int(&records, Int(TRADSEC_AR_TIME), Int64.min)
            AlertRows.store64Int(&records, AlertRows.recordSize + Int(TRADSEC_AR_TIME), Int64.max)
        }
        let stats = try t.store.stats(everything)
        #expect(stats.oldest?.nanoseconds == Int64.min && stats.newest?.nanoseconds == Int64.max)
        #expect(stats.oldest?.rfc3339().hasPrefix("1677-") == true && stats.newest?.rfc3339().hasPrefix("2262-") == true)
    }

    @Test func valuesOfTheWrongTypeAreAnErrorNotATrap() throws {
        let t = try filled()
        try write(t, "UPDATE alert_blocks SET last_id = 'many'")
        expectDamage("last_id is text, not an integer") { _ = try t.store.alerts(everything) }
        try t.store.insert([Alert](), rejects: [.init(origin: "o", lineNumber: 1, code: "not_json", message: "m", excerpt: "e")])
        try write(t, "UPDATE rejects SET line_number = 'first'")
        #expect(throws: (any Error).self) { _ = try t.store.recentRejects() }
    }

    /// The packed-row module in C, built with AddressSanitizer and UndefinedBehaviorSanitizer,
    /// over damaged rows (ids at the top of the range, records not whole, deltas and times at
    /// their extremes): every query ends in rows or an error naming the row, with no undefined
    /// behaviour (the sanitizers abort on the first). The ids past 2⁶³ were signed overflow.
    @Test func theCModuleHasNoUndefinedBehaviourOnDamagedRows() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let compiler = ["/opt/swift/usr/bin/clang", "/usr/bin/clang", "/usr/bin/cc"].first { (path: String) in access(path, X_OK) == 0 }
        try #require(compiler != nil, "no C compiler")
        var template = Array("/tmp/tradsec-ubsan-XXXXXX".utf8CString)
        let dir = String(cString: mkdtemp(&template)!)
        defer { for name in ["driver", "build.out", "run.out"] { unlink(dir + "/" + name) }; rmdir(dir) }
        let build = try Spawn.start([compiler!, "-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                                     "-I", root + "/Sources/CAlertRows/include", root + "/Tests/Fixtures/sanitizers/alert_rows_damaged.c",
                                     root + "/Sources/CAlertRows/alert_rows.c", "-lsqlite3", "-o", dir + "/driver"],
                                    stdout: dir + "/build.out", stderr: dir + "/build.out", environment: ["PATH=/usr/bin:/bin"])
        #expect(Spawn.wait(build) == 0, "\((try? TextFile.read(dir + "/build.out")) ?? "")")
        let run = try Spawn.start([dir + "/driver"], stdout: dir + "/run.out", stderr: dir + "/run.out", environment: ["PATH=/usr/bin:/bin"])
        let status = Spawn.wait(run)
        let output = (try? TextFile.read(dir + "/run.out")) ?? ""
        #expect(status == 0 && output.hasSuffix("ok\n"), "\(output)")
    }
}

extension AlertRows {
    static func store32UInt(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt32) {
        bytes.withUnsafeMutableBytes { store32($0.baseAddress!, Int32(offset), value) }
    }

    static func store64Int(_ bytes: inout [UInt8], _ offset: Int, _ value: Int64) {
        bytes.withUnsafeMutableBytes { store64($0.baseAddress!, Int32(offset), value) }
    }
}
