import GRDB
import TradsecCore

/// A rule or container muted until a given time.
public struct Silence: Sendable, Equatable {
    public enum Kind: String, Sendable { case rule, container }
    public var id: Int64
    public var kind: Kind
    /// The rule name, or the container id.
    public var value: String
    public var until: Timestamp
    public var created: Timestamp
    public var who: String?
    public var reason: String?

    public func covers(_ alert: Alert) -> Bool {
        switch kind {
        case .rule: return alert.rule == value
        case .container: return alert.container.id == value
        }
    }
}

/// Acknowledgements and silences: the operator's triage, kept in the history (not in
/// memory) so it survives restarts and is shared by every console on the host.
extension AlertStore {
    public func acknowledge(_ ids: [Int64], who: String?, at time: Timestamp = .now()) throws {
        guard !ids.isEmpty else { return }
        try pool.write { db in
            for id in ids {
                try db.execute(sql: "INSERT OR IGNORE INTO acknowledgements (alert_id, acked_ns, who) VALUES (?,?,?)",
                               arguments: [id, time.nanoseconds, who])
            }
        }
    }

    /// Which of `ids` are acknowledged.
    public func acknowledged(among ids: [Int64]) throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        return try pool.read { db in
            Set(try Int64.fetchAll(db, sql: "SELECT alert_id FROM acknowledgements WHERE alert_id IN (\(ids.map(String.init).joined(separator: ",")))"))
        }
    }

    @discardableResult
    public func addSilence(_ kind: Silence.Kind, value: String, until: Timestamp, who: String?, reason: String? = nil,
                           now: Timestamp = .now()) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO silences (kind, value, until_ns, created_ns, who, reason) VALUES (?,?,?,?,?,?)",
                           arguments: [kind.rawValue, value, until.nanoseconds, now.nanoseconds, who, reason])
            return db.lastInsertedRowID
        }
    }

    public func removeSilence(id: Int64) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM silences WHERE id = ?", arguments: [id]) }
    }

    /// Silences still in force at `now`, soonest to end first.
    public func activeSilences(now: Timestamp = .now()) throws -> [Silence] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, kind, value, until_ns, created_ns, who, reason FROM silences WHERE until_ns > ? ORDER BY until_ns",
                             arguments: [now.nanoseconds]).compactMap { row in
                guard let kind = Silence.Kind(rawValue: try row.decode(atIndex: 1)) else { return nil }
                return Silence(id: try row.decode(atIndex: 0), kind: kind, value: try row.decode(atIndex: 2), until: Timestamp(nanoseconds: try row.decode(atIndex: 3)),
                               created: Timestamp(nanoseconds: try row.decode(atIndex: 4)), who: try row.decode(atIndex: 5), reason: try row.decode(atIndex: 6))
            }
        }
    }
}

/// Aggregates the console's screens need.
extension AlertStore {
    /// Alerts per time bucket (oldest first) for the alerts matching `query`: the rate sparklines.
    public func histogram(_ query: AlertQuery, bucket: Int64, buckets: Int, now: Timestamp = .now()) throws -> [Int] {
        var q = query
        let start = now.nanoseconds - bucket * Int64(buckets)
        q.since = Timestamp(nanoseconds: max(start, q.since?.nanoseconds ?? start))
        q.search = nil
        return try pool.read { db in
            var counts = [Int](repeating: 0, count: max(0, buckets))
            guard bucket > 0, buckets > 0 else { return counts }
            var scan = MatchScan()
            try scan.run(q, db: db) { row in
                let index = (row.time - start) / bucket
                if row.time >= start && index < Int64(buckets) { counts[Int(index)] += 1 }
            }
            return counts
        }
    }

    /// Per container (and the host): alert counts by priority and the newest alert time,
    /// for the alerts matching `query`.
    public func containerActivity(_ query: AlertQuery) throws -> [ContainerActivity] {
        let known = Dictionary(try containers().map { ($0.ref.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try pool.read { db in
            var scan = MatchScan()
            // Per container slot: counts by priority and the newest time.
            var bySlot: [Int: ([Int], Int64)] = [:]
            try scan.run(query, db: db) { row in
                guard row.priority >= 0 && row.priority < Priority.allCases.count else { return }
                var entry = bySlot[row.container] ?? ([Int](repeating: 0, count: Priority.allCases.count), row.time)
                if row.priority >= 0 && row.priority < entry.0.count { entry.0[row.priority] += 1 }
                entry.1 = max(entry.1, row.time)
                bySlot[row.container] = entry
            }
            var out: [ContainerActivity] = []
            for (slot, (counts, newest)) in bySlot {
                guard let id = scan.texts.text(slot) else { continue }
                let last = Timestamp(nanoseconds: newest)
                let summary = known[id] ?? ContainerSummary(ref: ContainerRef(id: id, name: id, image: nil), hostname: nil,
                                                            firstSeen: Timestamp(nanoseconds: 0), lastSeen: last)
                var perPriority: [Priority: Int] = [:]
                for p in Priority.allCases where counts[p.rawValue] > 0 { perPriority[p] = counts[p.rawValue] }
                out.append(ContainerActivity(container: summary, counts: perPriority, lastAlert: last))
            }
            return out.sorted { $0.lastAlert > $1.lastAlert }
        }
    }

    /// The newest alert id, or 0 for an empty history: where a live view starts following.
    public func newestID() throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT last_id FROM alert_rows ORDER BY first_id DESC LIMIT 1") ?? 0 }
    }
}

public struct ContainerActivity: Sendable, Equatable {
    public var container: ContainerSummary
    public var counts: [Priority: Int]
    public var lastAlert: Timestamp
    public var total: Int { counts.values.reduce(0, +) }
}
