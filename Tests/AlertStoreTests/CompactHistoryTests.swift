#if canImport(Glibc)
import Glibc
#endif
import GRDB
import Testing
@testable import AlertStore
import TradsecCore

/// The compact layout: raw lines in compressed chunks, postings in place of column indexes.
/// Query answers are checked against a brute-force reading of what was inserted.
@Suite struct CompactHistoryTests {
    static let rules = ["Read sensitive file untrusted", "Terminal shell in container", "Exchange API key read",
                        "Outbound connection", "Write below binary dir"]
    static let containers: [(id: String, name: String)?] = [nil, ("3ad7b26ded6d", "bot"), ("9f00aa11bb22", "dash"), ("0123456789ab", "db")]
    static let hosts = ["trade-host", "other-host"]

    /// A random alert; `seconds` may go backwards (an old file ingested late).
    static func randomAlert(_ rng: inout SplitMix64, seconds: Int64) -> Alert {
        let rule = rules[Int(rng.next() % UInt64(rules.count))]
        let priority = Priority(rawValue: Int(rng.next() % 8))!
        let container = containers[Int(rng.next() % UInt64(containers.count))]
        let host = hosts[Int(rng.next() % 4 == 0 ? 1 : 0)]
        return makeAlert(seconds, rule: rule, priority: priority, container: container, host: host,
                         output: "\(rule) n=\(rng.next() % 1_000_000)")
    }

    /// What a query should return, computed from the alerts alone.
    static func expected(_ all: [(id: Int64, alert: Alert)], _ q: AlertQuery) -> [Int64] {
        let matching = all.filter { entry in
            let a = entry.alert
            if let s = q.since, a.time < s { return false }
            if let u = q.until, a.time > u { return false }
            if let p = q.priorities, !p.allowed.contains(a.priority) { return false }
            if let r = q.ruleGlob, fnmatch(r.lowercased(), a.rule.lowercased(), 0) != 0 { return false }
            if let c = q.container, a.container.id != c && a.container.name != c { return false }
            if let h = q.hostname, a.hostname != h { return false }
            if let after = q.afterID, entry.id <= after { return false }
            return true
        }
        return matching.sorted { $0.alert.time != $1.alert.time ? $0.alert.time > $1.alert.time : $0.id > $1.id }
            .prefix(q.limit).map(\.id)
    }

    @Test func postingsAnswerEveryFilterLikeABruteForceScan() throws {
        let t = try TemporaryStore()
        var rng = SplitMix64(seed: 7)
        var all: [(id: Int64, alert: Alert)] = []
        var second: Int64 = 0
        // Batches of very different sizes, so blocks are both reopened and closed; every
        // tenth batch goes back in time.
        for batch in 0..<60 {
            let size = batch % 7 == 0 ? 3000 : Int(rng.next() % 40) + 1
            if batch % 10 == 9 { second -= 5000 }
            var alerts: [Alert] = []
            for _ in 0..<size {
                second += Int64(rng.next() % 3)
                alerts.append(Self.randomAlert(&rng, seconds: second))
            }
            let before = try t.store.newestID()
            try t.store.insert(alerts)
            var id = before
            var seen = Set(all.map(\.alert.raw))
            for a in alerts where seen.insert(a.raw).inserted {
                id += 1
                all.append((id, a))
            }
            #expect(try t.store.newestID() == id)
        }
        #expect(try t.store.totalCount() == all.count)
        let blocks = try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM alert_blocks") ?? 0 }
        #expect(blocks > 4 && blocks < 30, "blocks: \(blocks)")

        let base = Timestamp(nanoseconds: 1_763_800_000_000_000_000)
        var queries: [AlertQuery] = [
            AlertQuery(priorities: PriorityFilter("critical"), limit: 100),
            AlertQuery(priorities: PriorityFilter(">=error"), limit: 7),
            AlertQuery(container: "bot", limit: 50),
            AlertQuery(container: "9f00aa11bb22", limit: 5000),
            AlertQuery(container: "no-such-container"),
            AlertQuery(hostname: "other-host", limit: 30),
            AlertQuery(ruleGlob: "exchange api key read", limit: 40),
            AlertQuery(ruleGlob: "*file*", limit: 300),
            AlertQuery(priorities: PriorityFilter(">=warning"), ruleGlob: "?erminal shell in *"),
            AlertQuery(ruleGlob: "no such rule*"),
            AlertQuery(priorities: PriorityFilter("warning"), container: "dash", hostname: "trade-host", limit: 1000),
        ]
        for _ in 0..<40 {
            var q = AlertQuery(limit: Int(rng.next() % 200) + 1)
            if rng.next() % 2 == 0 { q.priorities = PriorityFilter([">=critical", "warning", "notice", ">=error", "debug"][Int(rng.next() % 5)]) }
            if rng.next() % 3 == 0 { q.container = ["bot", "dash", "db", "host"][Int(rng.next() % 4)] }
            if rng.next() % 4 == 0 { q.hostname = Self.hosts[Int(rng.next() % 2)] }
            if rng.next() % 4 == 0 {
                let rule = Self.rules[Int(rng.next() % UInt64(Self.rules.count))]
                q.ruleGlob = rng.next() % 2 == 0 ? rule : String(rule.prefix(5)) + "*"
            }
            if q.priorities == nil && q.container == nil && q.hostname == nil && q.ruleGlob == nil { q.priorities = PriorityFilter("alert") }
            if rng.next() % 3 == 0 { q.since = base.adding(nanoseconds: Int64(rng.next() % UInt64(max(1, second))) * 1_000_000_000) }
            if rng.next() % 3 == 0 { q.until = base.adding(nanoseconds: Int64(rng.next() % UInt64(max(1, second))) * 1_000_000_000) }
            if rng.next() % 4 == 0 { q.afterID = Int64(rng.next() % UInt64(all.count)) }
            queries.append(q)
        }
        let now = base.adding(nanoseconds: (second + 5) * 1_000_000_000)
        for q in queries + [AlertQuery(), AlertQuery(since: base.adding(nanoseconds: second / 2 * 1_000_000_000))] {
            #expect(try t.store.alerts(q).map(\.id) == Self.expected(all, q), "\(q)")
            var unlimited = q
            unlimited.limit = Int.max
            #expect(try t.store.count(q) == Self.expected(all, unlimited).count, "\(q)")
            try Self.checkAggregates(t.store, all, q, now: now)
        }

        // Retention trims the oldest blocks; counts and queries stay exact.
        let keep = all.count / 3
        #expect(try t.store.applyRetention(RetentionPolicy(maxRows: keep)) == all.count - keep)
        all.removeFirst(all.count - keep)
        #expect(try t.store.totalCount() == all.count)
        for q in queries + [AlertQuery()] {
            #expect(try t.store.alerts(q).map(\.id) == Self.expected(all, q), "after retention: \(q)")
            var unlimited = q
            unlimited.limit = Int.max
            #expect(try t.store.count(q) == Self.expected(all, unlimited).count, "after retention: \(q)")
            try Self.checkAggregates(t.store, all, q, now: now)
        }
        #expect(try t.store.integrityCheck() == ["ok"])
    }

    /// Stats, the rate histogram and container activity for `q`, against the same numbers
    /// computed from the alerts alone.
    static func checkAggregates(_ store: AlertStore, _ all: [(id: Int64, alert: Alert)], _ q: AlertQuery, now: Timestamp) throws {
        var unlimited = q
        unlimited.limit = Int.max
        let ids = Set(expected(all, unlimited))
        let matching = all.filter { ids.contains($0.id) }.map(\.alert)

        let stats = try store.stats(q, groupLimit: 3)
        #expect(stats.total == matching.count, "\(q)")
        #expect(stats.oldest == matching.map(\.time).min() && stats.newest == matching.map(\.time).max(), "\(q)")
        #expect(stats.byPriority.map(\.0) == Priority.allCases.filter { p in matching.contains { $0.priority == p } }, "\(q)")
        #expect(stats.byPriority.map(\.1) == stats.byPriority.map { p in matching.filter { $0.priority == p.0 }.count }, "\(q)")
        func top(_ key: (Alert) -> String?, label: (String) -> String = { $0 }) -> [AlertStats.Bucket] {
            let groups = Dictionary(grouping: matching, by: key)
            return groups.map { (key: $0.key, count: $0.value.count, newest: $0.value.map(\.time).max()!) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : Array(($0.key ?? "").utf8).lexicographicallyPrecedes(Array(($1.key ?? "").utf8)) }
                .prefix(3).map { AlertStats.Bucket(key: $0.key.map(label) ?? "<none>", count: $0.count, newest: $0.newest) }
        }
        #expect(stats.byRule == top { $0.rule }, "\(q)")
        #expect(stats.byHost == top { $0.hostname }, "\(q)")
        let names = Dictionary(uniqueKeysWithValues: containers.compactMap { $0 }.map { ($0.id, $0.name) })
        #expect(stats.byContainer == top({ $0.container.id }, label: { id in id == "host" ? "host" : "\(names[id]!) (\(id))" }), "\(q)")

        let bucket: Int64 = 600 * 1_000_000_000
        let start = now.nanoseconds - bucket * 30
        var want = [Int](repeating: 0, count: 30)
        for a in matching where a.time.nanoseconds >= start && (a.time.nanoseconds - start) / bucket < 30 {
            want[Int((a.time.nanoseconds - start) / bucket)] += 1
        }
        #expect(try store.histogram(q, bucket: bucket, buckets: 30, now: now) == want, "\(q)")

        let activity = try store.containerActivity(q).sorted { $0.container.ref.id < $1.container.ref.id }
        let grouped = Dictionary(grouping: matching, by: { $0.container.id }).sorted { $0.key < $1.key }
        #expect(activity.map(\.container.ref.id) == grouped.map(\.key), "\(q)")
        #expect(activity.map(\.lastAlert) == grouped.map { $0.value.map(\.time).max()! }, "\(q)")
        #expect(activity.map(\.counts) == grouped.map { Dictionary(grouping: $0.value, by: \.priority).mapValues(\.count) }, "\(q)")
    }

    @Test func aFeedCommittingOneAlertAtATimeStillFillsWholeChunks() throws {
        let t = try TemporaryStore()
        var rng = SplitMix64(seed: 3)
        var raws: [String] = []
        for i in 0..<400 {
            let a = Self.randomAlert(&rng, seconds: Int64(i))
            raws.append(a.raw)
            try t.store.insert([a])
        }
        let (chunks, blocks, stored) = try t.store.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM alert_chunks") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM alert_blocks") ?? 0,
             try Int.fetchOne(db, sql: "SELECT sum(length(data)) FROM alert_chunks") ?? 0)
        }
        let rawBytes = raws.map { $0.utf8.count + 1 }.reduce(0, +)
        #expect(chunks <= rawBytes / RawChunks.targetSize + 1, "\(chunks) chunks for \(rawBytes) bytes")
        #expect(blocks == 1)
        #expect(stored * 3 < rawBytes, "compressed \(rawBytes) to \(stored) bytes")
        // Every line comes back byte for byte.
        let back = try t.store.alerts(AlertQuery(limit: 1000)).sorted { $0.id < $1.id }.map(\.alert.raw)
        #expect(back == raws)
    }

    /// The fingerprint v7 stored (FNV-1a over the raw bytes); v8 recomputes it.
    static func fnv1a(_ raw: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in raw.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return Int64(bitPattern: hash)
    }

    @Test func idsAreNeverReusedAfterRetentionTookTheNewest() throws {
        let t = try TemporaryStore()
        var rng = SplitMix64(seed: 5)
        // Newest ids hold the oldest times (an old file ingested last): age retention takes them.
        let recent = (0..<300).map { Self.randomAlert(&rng, seconds: 100_000 + Int64($0)) }
        let old = (0..<200).map { Self.randomAlert(&rng, seconds: Int64($0)) }
        try t.store.insert(recent)
        try t.store.insert(old)
        let base = Timestamp(nanoseconds: 1_763_800_000_000_000_000)
        #expect(try t.store.applyRetention(RetentionPolicy(maxAge: 50_000 * 1_000_000_000), now: base.adding(nanoseconds: 100_000 * 1_000_000_000)) == 200)
        #expect(try t.store.newestID() == 300)
        let later = (0..<150).map { Self.randomAlert(&rng, seconds: 200_000 + Int64($0)) }
        try t.store.insert(later)
        #expect(try t.store.newestID() == 650, "ids continue after the deleted ones")
        var all = recent.enumerated().map { (id: Int64($0.offset + 1), alert: $0.element) }
        all += later.enumerated().map { (id: Int64(501 + $0.offset), alert: $0.element) }
        for q in [AlertQuery(priorities: PriorityFilter(">=error"), limit: 1000), AlertQuery(container: "bot", limit: 1000),
                  AlertQuery(hostname: "trade-host", limit: 1000), AlertQuery(ruleGlob: "*", limit: 1000)] {
            #expect(try t.store.alerts(q).map(\.id) == Self.expected(all, q), "\(q)")
            #expect(try t.store.count(q) == Self.expected(all, q).count, "\(q)")
        }
        // Everything gone: the next id still follows the last one ever given.
        #expect(try t.store.applyRetention(RetentionPolicy(maxRows: 1)) == all.count - 1)
        #expect(try t.store.applyRetention(RetentionPolicy(maxAge: 1), now: base.adding(nanoseconds: 1_000_000 * 1_000_000_000)) == 1)
        try t.store.insert([Self.randomAlert(&rng, seconds: 300_000)])
        #expect(try t.store.newestID() == 651)
        #expect(try t.store.integrityCheck() == ["ok"])
    }

    @Test func upgradesAHistoryWrittenWithRawLinesInTheRows() throws {
        var template = Array("/tmp/tradsec-upgrade-XXXXXX".utf8CString)
        let directory = String(cString: mkdtemp(&template)!)
        let path = directory + "/history.sqlite"
        defer {
            for suffix in ["", "-wal", "-shm", ".open-lock"] { unlink(path + suffix) }
            rmdir(directory)
        }
        // A history as version 7 left it: raw JSON in each row, four column indexes.
        var rng = SplitMix64(seed: 11)
        let alerts = (0..<5000).map { Self.randomAlert(&rng, seconds: Int64($0)) }
        do {
            let pool = try DatabasePool(path: path)
            try Schema.migrator().migrate(pool, upTo: FullTextBacklogSchema.migrationName)
            try pool.write { db in
                for a in alerts {
                    try db.execute(sql: """
                        INSERT INTO alerts (time_ns, priority, rule, source, hostname, container_id, proc_name, user_name,
                                            output, raw, fingerprint, ingested_ns, origin) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
                        """, arguments: [a.time.nanoseconds, a.priority.rawValue, a.rule, a.source, a.hostname, a.container.id,
                                         a.processName, a.userName, a.output, a.raw, Self.fnv1a(a.raw), 0, "old"])
                    // The last 700 wait in the full-text backlog, as a processor leaves them.
                    if a.time.nanoseconds < alerts[4300].time.nanoseconds {
                        try db.execute(sql: "INSERT INTO alerts_fts(rowid, output) VALUES (last_insert_rowid(), ?)", arguments: [a.output])
                    } else {
                        try db.execute(sql: "INSERT INTO fts_backlog(alert_id) VALUES (last_insert_rowid())")
                    }
                    try db.execute(sql: "INSERT OR IGNORE INTO containers (id, name, first_seen_ns, last_seen_ns) VALUES (?, ?, 0, 0)",
                                   arguments: [a.container.id, a.container.name])
                }
            }
        }
        let store = try AlertStore(path: path)
        let all = alerts.enumerated().map { (id: Int64($0.offset + 1), alert: $0.element) }
        #expect(try store.alerts(AlertQuery(limit: 10_000)).sorted { $0.id < $1.id }.map(\.alert.raw) == alerts.map(\.raw))
        for q in [AlertQuery(priorities: PriorityFilter(">=error")), AlertQuery(container: "bot", limit: 777), AlertQuery(hostname: "other-host")] {
            let got = try store.alerts(q).map(\.id)
            let want = Self.expected(all, q)
            #expect(got == want, "\(q): \(got.count) vs \(want.count); first \(got.prefix(5)) vs \(want.prefix(5))")
        }
        let columns = try store.pool.read { try Row.fetchAll($0, sql: "PRAGMA table_info(alerts)").map { $0["name"] as String } }
        #expect(!columns.contains("raw"))
        #expect(!columns.contains("output"))   // v9: read from the raw line
        // Searches find the same alerts in the rebuilt index and in the backlog, before and
        // after it is worked off.
        #expect(try store.fullTextBacklogCount() == 700)
        for rule in Self.rules {
            let word = rule.split(separator: " ").last!.lowercased()
            let want = all.filter { $0.alert.output.lowercased().split(separator: " ").contains(Substring(word)) }.count
            #expect(try store.count(AlertQuery(search: word)) == want, "\(word)")
        }
        #expect(try store.indexFullTextBacklog(limit: 100_000) == 700)
        #expect(try store.fullTextBacklogCount() == 0)
        for rule in Self.rules {
            let word = rule.split(separator: " ").last!.lowercased()
            let want = all.filter { $0.alert.output.lowercased().split(separator: " ").contains(Substring(word)) }.count
            #expect(try store.count(AlertQuery(search: word)) == want, "\(word)")
        }
        // Retention removes rows from the rebuilt (contentless) index with the text they were
        // indexed with: the index itself then holds exactly the rows left.
        #expect(try store.applyRetention(RetentionPolicy(maxRows: 1000)) == 4000)
        let kept = Array(all.suffix(1000))
        for rule in Self.rules {
            let word = rule.split(separator: " ").last!.lowercased()
            let want = kept.filter { $0.alert.output.lowercased().split(separator: " ").contains(Substring(word)) }.count
            let inIndex = try store.pool.read {
                try Int.fetchOne($0, sql: "SELECT count(*) FROM alerts_fts WHERE alerts_fts MATCH ?", arguments: [word]) ?? 0
            }
            #expect(inIndex == want, "\(word)")
        }
        // The same lines again are recognised as already stored (the kept ones) or stored anew.
        #expect(try store.insert(Array(alerts.suffix(1000))).duplicates == 1000)
        #expect(try store.integrityCheck() == ["ok"])
    }
}

/// v11: what the old processor wrote per alert (a row each in alert_enrichment) moves into
/// the packed form and the incident postings, and processing continues after the newest alert.
@Suite struct ProcessingMigrationTests {
    @Test func enrichmentRowsAndTimelinesSurviveTheMoveToPackedRecords() throws {
        var template = Array("/tmp/tradsec-upgrade-XXXXXX".utf8CString)
        let directory = String(cString: mkdtemp(&template)!)
        let path = directory + "/history.sqlite"
        defer {
            for suffix in ["", "-wal", "-shm", ".open-lock"] { unlink(path + suffix) }
            rmdir(directory)
        }
        var rng = SplitMix64(seed: 5)
        let alerts = (0..<300).map { CompactHistoryTests.randomAlert(&rng, seconds: Int64($0)) }
        do {
            let pool = try DatabasePool(path: path)
            try Schema.migrator().migrate(pool, upTo: FullTextBacklogSchema.migrationName)
            try pool.write { db in
                for (i, a) in alerts.enumerated() {
                    try db.execute(sql: """
                        INSERT INTO alerts (time_ns, priority, rule, source, hostname, container_id, proc_name, user_name,
                                            output, raw, fingerprint, ingested_ns, origin) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
                        """, arguments: [a.time.nanoseconds, a.priority.rawValue, a.rule, a.source, a.hostname, a.container.id,
                                         a.processName, a.userName, a.output, a.raw, CompactHistoryTests.fnv1a(a.raw), 0, "old"])
                    try db.execute(sql: "INSERT INTO fts_backlog(alert_id) VALUES (last_insert_rowid())")
                    // Every third alert was processed: role, tags and one of two incidents.
                    if i % 3 == 0 {
                        try db.execute(sql: "INSERT INTO alert_enrichment (alert_id, role, tags, incident_id) VALUES (?, ?, ?, ?)",
                                       arguments: [i + 1, i % 2 == 0 ? "bot" : nil, i % 6 == 0 ? #"["exchange:binance"]"# : "[]", i < 150 ? 1 : 2])
                    }
                }
                for id in [1, 2] {
                    try db.execute(sql: """
                        INSERT INTO incidents (id, container_id, opened_ns, updated_ns, severity, stages, rules, alert_count, title)
                        VALUES (?, 'c', 0, 0, 2, '[]', '[]', 50, 't')
                        """, arguments: [id])
                }
            }
        }
        let store = try AlertStore(path: path)
        let read = try store.enrichment(for: (1...300).map(Int64.init))
        #expect(read.count == 100)
        for i in stride(from: 0, to: 300, by: 3) {
            let e = read[Int64(i + 1)]
            #expect(e?.role == (i % 2 == 0 ? "bot" : nil))
            #expect(e?.tags == (i % 6 == 0 ? ["exchange:binance"] : []))
            #expect(e?.incidentID == (i < 150 ? 1 : 2))
        }
        #expect(try store.incidentAlerts(id: 1).count == 50)
        #expect(try store.incidentAlerts(id: 2).map(\.id) == stride(from: 150, to: 300, by: 3).map { Int64($0 + 1) })
        #expect(try store.processingState().cursor == 300)
        #expect(try store.integrityCheck() == ["ok"])
    }
}
