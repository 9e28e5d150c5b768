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
    /// Counts of the alerts matching `query` (its limit bounds each group's length).
    public func stats(_ query: AlertQuery, groupLimit: Int = 20) throws -> AlertStats {
        try pool.read { db in
            let (whereSQL, arguments) = try Self.filter(query, db: db)
            let totals = try Row.fetchOne(db, sql: "SELECT count(*), min(time_ns), max(time_ns) FROM alerts\(whereSQL)",
                                          arguments: arguments)!
            var byPriority: [(Priority, Int)] = []
            for row in try Row.fetchAll(db, sql: "SELECT priority, count(*) FROM alerts\(whereSQL) GROUP BY priority ORDER BY priority",
                                        arguments: arguments) {
                if let p = Priority(rawValue: row[0]) { byPriority.append((p, row[1])) }
            }
            func group(_ column: String, label: String? = nil) throws -> [AlertStats.Bucket] {
                let key = label ?? column
                return try Row.fetchAll(db, sql: """
                    SELECT \(key), count(*) AS n, max(time_ns) FROM alerts\(whereSQL)
                    GROUP BY \(column) ORDER BY n DESC, \(column) LIMIT ?
                    """, arguments: arguments + [groupLimit]).map {
                    AlertStats.Bucket(key: ($0[0] as String?) ?? "<none>", count: $0[1], newest: Timestamp(nanoseconds: $0[2]))
                }
            }
            let byContainer = try group("container_id", label: """
                (SELECT CASE WHEN c.id = 'host' THEN 'host' ELSE c.name || ' (' || substr(c.id, 1, 12) || ')' END
                 FROM containers c WHERE c.id = alerts.container_id)
                """)
            return AlertStats(total: totals[0], oldest: (totals[1] as Int64?).map(Timestamp.init(nanoseconds:)),
                              newest: (totals[2] as Int64?).map(Timestamp.init(nanoseconds:)),
                              byPriority: byPriority, byRule: try group("rule"), byContainer: byContainer,
                              byHost: try group("hostname"))
        }
    }

    /// Every container (and the host) seen, most recently active first.
    public func containers() throws -> [ContainerSummary] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, image, hostname, first_seen_ns, last_seen_ns FROM containers ORDER BY last_seen_ns DESC")
                .map {
                    ContainerSummary(ref: ContainerRef(id: $0[0], name: $0[1], image: $0[2]), hostname: $0[3],
                                     firstSeen: Timestamp(nanoseconds: $0[4]), lastSeen: Timestamp(nanoseconds: $0[5]))
                }
        }
    }

    /// The number of alerts in the history.
    public func totalCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM alerts") ?? 0 }
    }
}

public struct ContainerSummary: Sendable, Equatable {
    public var ref: ContainerRef
    public var hostname: String?
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
}
