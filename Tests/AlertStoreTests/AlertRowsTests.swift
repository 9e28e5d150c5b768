import GRDB
import Testing
@testable import AlertStore
import TradsecCore

/// History v10: alerts packed into `alert_rows`, read through the `alerts` virtual table.
/// The table is checked against a plain copy of itself under the same SQL, so every plan the
/// module offers SQLite (id lookups, IN lists, ranges either way, time hints) must give what
/// an ordinary table gives.
@Suite struct AlertRowsTests {
    /// A history of `batches` batches of mixed sizes, some going back in time, some repeating
    /// lines already stored.
    static func filledStore(batches: Int = 40, seed: UInt64 = 11) throws -> (TemporaryStore, [Alert]) {
        let t = try TemporaryStore()
        var rng = SplitMix64(seed: seed)
        var second: Int64 = 0
        var stored: [Alert] = []
        for batch in 0..<batches {
            let size = batch % 9 == 0 ? 700 : Int(rng.next() % 30) + 1
            if batch % 8 == 7 { second -= 3000 }
            var alerts: [Alert] = []
            for _ in 0..<size {
                second += Int64(rng.next() % 3)
                alerts.append(CompactHistoryTests.randomAlert(&rng, seconds: second))
            }
            if batch % 5 == 4, let old = stored.randomElement(using: &rng) { alerts.append(old) }
            try t.store.insert(alerts, origin: batch % 2 == 0 ? "file:/var/log/falco.json" : nil)
            stored += alerts
        }
        return (t, stored)
    }

    @Test func theVirtualTableAnswersLikeAPlainTable() throws {
        let (t, _) = try Self.filledStore()
        try t.store.pool.write { db in
            try db.execute(sql: "CREATE TEMP TABLE plain AS SELECT id, * FROM alerts")
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM plain ORDER BY id")
            let (low, high) = (ids[ids.count / 4], ids[ids.count * 3 / 4])
            let times = try Int64.fetchAll(db, sql: "SELECT time_ns FROM plain ORDER BY time_ns")
            let (early, late) = (times[times.count / 3], times[times.count * 2 / 3])
            let wheres = [
                "1", "id = \(low)", "id = \(high + 1_000_000)", "id IN (\(ids[3]), \(ids[77]), \(high), -4, \(ids[3]))",
                "id > \(low)", "id >= \(low)", "id < \(high)", "id <= \(high)", "id > \(low) AND id < \(high)",
                "id BETWEEN \(low) AND \(high)", "id > \(low).5", "id <= \(high).5", "id = \(low).5", "id = '\(low)'",
                "id < 'text'", "id > 'text'", "id > NULL", "id < 1e300", "id > -1e300", "id > 1e300",
                "time_ns >= \(early)", "time_ns <= \(late)", "time_ns BETWEEN \(early) AND \(late) AND id > \(low)",
                "priority <= 3 AND rule LIKE 'Exchange%'", "container_id = '3ad7b26ded6d' AND hostname = 'trade-host'",
                "origin IS NULL", "source = 'syscall' AND proc_name = 'cat' AND user_name = 'root'",
                "id IN (SELECT value FROM json_each('[\(ids[5]),\(ids[6]),\(ids[900])]'))",
            ]
            let columns = "id, time_ns, priority, rule, source, hostname, container_id, proc_name, user_name, fingerprint, ingested_ns, origin, raw_chunk, raw_offset, raw_length"
            for condition in wheres {
                for order in ["id", "id DESC", "time_ns DESC, id DESC"] {
                    let sql = "SELECT \(columns) FROM %@ WHERE \(condition) ORDER BY \(order) LIMIT 5000"
                    let got = try Row.fetchAll(db, sql: sql.replacingOccurrences(of: "%@", with: "alerts"))
                    let want = try Row.fetchAll(db, sql: sql.replacingOccurrences(of: "%@", with: "plain"))
                    let same = got == want   // not inside #expect: it would print every row
                    #expect(same, "WHERE \(condition) ORDER BY \(order): \(got.count) rows vs \(want.count), first \(got.first.map(String.init(describing:)) ?? "none")")
                }
                let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM alerts WHERE \(condition)")
                #expect(count == (try Int.fetchOne(db, sql: "SELECT count(*) FROM plain WHERE \(condition)")), "count WHERE \(condition)")
            }
            // A join the way the search uses it: the table looked up once per outer row.
            let joined = "SELECT a.id, a.rule FROM json_each('[\(ids[9]),\(ids[1]),\(low)]') j JOIN %@ a ON a.id = j.value ORDER BY j.key"
            #expect(try Row.fetchAll(db, sql: joined.replacingOccurrences(of: "%@", with: "alerts"))
                    == (try Row.fetchAll(db, sql: joined.replacingOccurrences(of: "%@", with: "plain"))))
            #expect(throws: (any Error).self) { try db.execute(sql: "DELETE FROM alerts") }
        }
    }

    @Test func packsAlertsAndSpendsOneTextIDPerDistinctText() throws {
        let (t, stored) = try Self.filledStore()
        let rows = try t.store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT first_id, last_id, count, min_time_ns, max_time_ns, length(records) FROM alert_rows ORDER BY first_id")
        }
        var previousLast: Int64 = 0
        var total = 0
        for row in rows {
            let (first, last, count): (Int64, Int64, Int) = (row[0], row[1], row[2])
            #expect(first > previousLast && last >= first && count <= AlertRows.rowTarget)
            #expect((row[5] as Int) == count * AlertRows.recordSize)
            let times = try t.store.pool.read { try Int64.fetchAll($0, sql: "SELECT time_ns FROM alerts WHERE id BETWEEN ? AND ?", arguments: [first, last]) }
            #expect(times.count == count && times.min() == row[3] && times.max() == row[4])
            previousLast = last
            total += count
        }
        #expect(total == Set(stored.map(\.raw)).count)
        // Small batches top up the newest row instead of leaving a row each.
        #expect(rows.count < total / 20, "\(rows.count) rows for \(total) alerts")
        let (texts, highest) = try t.store.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM alert_texts") ?? 0, try Int.fetchOne(db, sql: "SELECT max(id) FROM alert_texts") ?? 0)
        }
        #expect(texts == highest, "\(texts) texts but ids up to \(highest)")
        var distinct = Set<String>()
        for a in stored {
            distinct.formUnion([a.rule, a.source, a.hostname, a.container.id, a.processName, a.userName].compactMap { $0 })
        }
        distinct.insert("file:/var/log/falco.json")
        #expect(texts == distinct.count)
    }

    @Test func duplicatesAreFoundInOldRowsAndWithinABatch() throws {
        let t = try TemporaryStore()
        let early = (0..<300).map { makeAlert(Int64($0), output: "early \($0)") }
        let late = (0..<300).map { makeAlert(100_000 + Int64($0), output: "late \($0)") }
        #expect(try t.store.insert(early).inserted == 300)
        #expect(try t.store.insert(late).inserted == 300)
        // A batch mixing old lines (far back in time), a repeat inside itself and new ones.
        let mixed = [early[5], late[7], early[250], makeAlert(50_000, output: "new"), makeAlert(50_000, output: "new")]
        let result = try t.store.insert(mixed)
        #expect(result.inserted == 1 && result.duplicates == 4)
        // The same line with another time is another alert.
        var moved = early[5]
        moved.time = Timestamp(nanoseconds: moved.time.nanoseconds + 1)
        #expect(try t.store.insert([moved]).inserted == 1)
        #expect(try t.store.totalCount() == 602)
    }

    /// Alert times out of order over a long span: every batch overlaps every stored row. Each
    /// alert is still stored once, whatever batch or order it comes back in, and the first of
    /// equal alerts in one batch is the one kept.
    @Test func duplicatesAreFoundWhenTimesArriveShuffled() throws {
        let t = try TemporaryStore()
        var rng = SplitMix64(seed: 3)
        let alerts = (0..<3000).map { makeAlert(Int64($0) * 7, output: "alert \($0)") }
        var order = Array(alerts.indices)
        order.shuffle(using: &rng)
        var stored = 0
        for start in stride(from: 0, to: 2000, by: 250) {
            stored += try t.store.insert(order[start..<(start + 250)].map { alerts[$0] }).inserted
        }
        #expect(stored == 2000)
        // All 3,000 again, shuffled another way, with repeats inside the batches.
        order.shuffle(using: &rng)
        var result = CommitResult()
        for start in stride(from: 0, to: 3000, by: 500) {
            var batch = order[start..<(start + 500)].map { alerts[$0] }
            batch += batch.prefix(20)
            result += try t.store.insert(batch)
        }
        #expect(result.inserted == 1000 && result.duplicates == 2000 + 6 * 20)
        #expect(try t.store.totalCount() == 3000)
        let outputs = try t.store.pool.read { db in try String.fetchAll(db, sql: "SELECT alert_output(raw_chunk, raw_offset, raw_length) FROM alerts") }
        #expect(Set(outputs) == Set(alerts.map(\.output)) && outputs.count == 3000)
    }

    @Test func retentionByRowCountKeepsExactlyTheNewest() throws {
        let (t, _) = try Self.filledStore(batches: 20, seed: 3)
        let ids = try t.store.pool.read { try Int64.fetchAll($0, sql: "SELECT id FROM alerts ORDER BY id") }
        for keep in [ids.count + 5, ids.count, ids.count - 1, 1000, 257, 256, 255, 1] where keep <= ids.count + 5 {
            try t.store.applyRetention(RetentionPolicy(maxRows: keep), chunk: 97)
            let left = try t.store.pool.read { try Int64.fetchAll($0, sql: "SELECT id FROM alerts ORDER BY id") }
            #expect(left == Array(ids.suffix(min(keep, ids.count))), "keep \(keep)")
            #expect(try t.store.totalCount() == left.count)
        }
        // Texts no alert names any more are gone; the ones still named stay.
        let orphans = try t.store.pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM alert_texts t WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE t.text IN
                    (a.rule, a.source, a.hostname, a.container_id, a.proc_name, a.user_name, a.origin))
                """) ?? -1
        }
        #expect(orphans == 0)
        #expect(try t.store.alerts(AlertQuery(limit: 10)).count == 1)
    }

    @Test func aNewTextIsReadByAReaderThatCachedTheOlderOnes() throws {
        let t = try TemporaryStore()
        try t.store.insert([makeAlert(1, rule: "Known rule")])
        _ = try t.store.alerts(AlertQuery(limit: 10))   // fills a reader's text cache
        let added = try t.store.insert([makeAlert(2, rule: "Brand new rule")]).added
        #expect(try t.store.alerts(after: added[0].id - 1, matching: AlertQuery(limit: 10)).map(\.alert.rule) == ["Brand new rule"])
        #expect(try t.store.alerts(AlertQuery(ruleGlob: "brand*", limit: 10)).map(\.alert.rule) == ["Brand new rule"])
    }
}
