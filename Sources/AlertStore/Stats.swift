import GRDB
import TradsecCore

/// Alert counts over a time window, grouped the ways an on-call engineer asks.
public struct AlertStats: Sendable, Equatable {
    public struct Bucket: Sendable, Equatable {
        public var key: String
        public var count: Int
        public var newest: Timestamp
    }
    public var total: Int
    public var oldest: Timestamp?
    public var newest: Timestamp?
    public var byPriority: [(Priority, Int)]
    public var byRule: [Bucket]
    public var byContainer: [Bucket]
    public var byHost: [Bucket]

    public static func == (a: AlertStats, b: AlertStats) -> Bool {
        a.total == b.total && a.oldest == b.oldest && a.newest == b.newest && a.byRule == b.byRule
            && a.byContainer == b.byContainer && a.byHost == b.byHost
            && a.byPriority.map(\.0) == b.byPriority.map(\.0) && a.byPriority.map(\.1) == b.byPriority.map(\.1)
    }
}

extension AlertStore {
    /// Counts of the alerts matching `query`, in one pass over them (see ``MatchScan``). Each
    /// group lists its `groupLimit` largest buckets, ties in key order.
    public func stats(_ query: AlertQuery, groupLimit: Int = 20) throws -> AlertStats {
        try readHistory { db in
            var scan = MatchScan()
            var total = 0
            var oldest = Int64.max, newest = Int64.min
            var priorities = [Int](repeating: 0, count: Priority.allCases.count)
            // Per text slot: count and newest time, one table per grouping.
            var rules: [Int: (Int, Int64)] = [:], containers: [Int: (Int, Int64)] = [:], hosts: [Int: (Int, Int64)] = [:]
            func tally(_ table: inout [Int: (Int, Int64)], _ slot: Int, _ time: Int64) {
                if let seen = table[slot] { table[slot] = (seen.0 + 1, max(seen.1, time)) } else { table[slot] = (1, time) }
            }
            try scan.run(query, db: db) { row in
                total += 1
                oldest = min(oldest, row.time)
                newest = max(newest, row.time)
                if row.priority >= 0 && row.priority < priorities.count { priorities[row.priority] += 1 }
                tally(&rules, row.rule, row.time)
                tally(&containers, row.container, row.time)
                tally(&hosts, row.host, row.time)
            }
            let texts = scan.texts
            func top(_ table: [Int: (Int, Int64)]) -> [(key: String?, count: Int, newest: Int64)] {
                let all = table.map { (key: texts.text($0.key), count: $0.value.0, newest: $0.value.1) }
                return Array(all.sorted { a, b in
                    if a.count != b.count { return a.count > b.count }
                    // NULL first, as SQL orders it.
                    switch (a.key, b.key) {
                    case (nil, nil): return false
                    case (nil, _): return true
                    case (_, nil): return false
                    case let (x?, y?): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
                    }
                }.prefix(max(0, groupLimit)))
            }
            func buckets(_ table: [Int: (Int, Int64)]) -> [AlertStats.Bucket] {
                top(table).map { AlertStats.Bucket(key: $0.key ?? "<none>", count: $0.count, newest: Timestamp(nanoseconds: $0.newest)) }
            }
            // Containers are shown by name: "name (id)", or "host".
            var byContainer: [AlertStats.Bucket] = []
            let label = try db.cachedStatement(sql: """
                SELECT CASE WHEN id = 'host' THEN 'host' ELSE name || ' (' || substr(id, 1, 12) || ')' END FROM containers WHERE id = ?
                """)
            for entry in top(containers) {
                let name = try entry.key.flatMap { try String.fetchOne(label, arguments: [$0]) }
                byContainer.append(AlertStats.Bucket(key: name ?? "<none>", count: entry.count, newest: Timestamp(nanoseconds: entry.newest)))
            }
            return AlertStats(total: total, oldest: total > 0 ? Timestamp(nanoseconds: oldest) : nil,
                              newest: total > 0 ? Timestamp(nanoseconds: newest) : nil,
                              byPriority: Priority.allCases.compactMap { p in priorities[p.rawValue] > 0 ? (p, priorities[p.rawValue]) : nil },
                              byRule: buckets(rules), byContainer: byContainer, byHost: buckets(hosts))
        }
    }

    /// Every container (and the host) seen, most recently active first.
    public func containers() throws -> [ContainerSummary] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, image, hostname, first_seen_ns, last_seen_ns FROM containers ORDER BY last_seen_ns DESC")
                .map {
                    ContainerSummary(ref: ContainerRef(id: try $0.decode(atIndex: 0), name: try $0.decode(atIndex: 1), image: try $0.decode(atIndex: 2)), hostname: try $0.decode(atIndex: 3),
                                     firstSeen: Timestamp(nanoseconds: try $0.decode(atIndex: 4)), lastSeen: Timestamp(nanoseconds: try $0.decode(atIndex: 5)))
                }
        }
    }

    /// The number of alerts in the history.
    public func totalCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT coalesce(sum(count), 0) FROM alert_rows") ?? 0 }
    }
}

public struct ContainerSummary: Sendable, Equatable {
    public var ref: ContainerRef
    public var hostname: String?
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
}
