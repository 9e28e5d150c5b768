import AlertStore
import TradsecCore

/// The overview's queries: newest alerts per pane (indexed, limited), per-minute rates, silences.
enum OverviewQuery {
    static let rowsPerPane = 250
    static let rateMinutes = 60

    /// The data, and whether pane totals still need counting (they are the slow part).
    static func load(_ store: AlertStore, filter: ViewFilter, now: Timestamp = .now(),
                     cachedCounts: (AlertQuery, Int64) -> Int?) throws -> (OverviewData, Bool) {
        let newestID = try store.newestID()
        let silences = try store.activeSilences(now: now)
        var panes: [PaneData] = []
        var newestTime: Timestamp?
        var lastMinute = 0
        var needsCounts = false
        for kind in PaneKind.allCases {
            let q = filter.query(within: kind.priorities, limit: rowsPerPane, now: now)
            if let allowed = q.priorities?.allowed, allowed.isEmpty {
                panes.append(PaneData(kind: kind, rows: [], total: 0, rate: Array(repeating: 0, count: rateMinutes)))
                continue
            }
            let alerts = try newest(store, q).filter { stored in !silences.contains { $0.covers(stored.alert) } }
            let acked = try store.acknowledged(among: alerts.map(\.id))
            let rows = Folding.fold(alerts, acknowledged: acked)
            if let t = alerts.first?.alert.time { newestTime = max(newestTime ?? t, t) }
            let rate = try store.histogram(q, bucket: 60_000_000_000, buckets: rateMinutes, now: now)
            lastMinute += rate.last ?? 0
            var countQuery = q
            countQuery.limit = 0
            let total = cachedCounts(countQuery, newestID)
            if total == nil { needsCounts = true }
            panes.append(PaneData(kind: kind, rows: rows, total: total, rate: rate))
        }
        var data = OverviewData(filter: filter, panes: panes, newestID: newestID, newestTime: newestTime,
                                alertsLastMinute: lastMinute, silences: silences)
        data.enrichment = try store.enrichment(for: panes.flatMap { $0.rows.map(\.newest.id) })
        return (data, needsCounts)
    }

    /// The newest alerts of `q`, one indexed query per priority merged here: SQLite walks the
    /// (priority, time) index backwards and stops at the limit for a single priority, but
    /// sorts every match for an IN list — a million-row sort on a big history.
    static func newest(_ store: AlertStore, _ q: AlertQuery) throws -> [StoredAlert] {
        guard q.search == nil, let allowed = q.priorities?.allowed, allowed.count > 1 else { return try store.alerts(q) }
        var merged: [StoredAlert] = []
        for p in allowed {
            var one = q
            one.priorities = PriorityFilter(allowed: [p])
            merged += try store.alerts(one)
        }
        merged.sort { ($0.alert.time, $0.id) > ($1.alert.time, $1.id) }
        return Array(merged.prefix(q.limit))
    }
}

/// The container drill-down: recent alerts and what they name, top rules, a timeline.
enum ContainerQuery {
    static func load(_ store: AlertStore, id: String, filter: ViewFilter, now: Timestamp = .now()) throws -> ContainerDetailData {
        var f = filter
        f.container = id
        let recent = try store.alerts(f.query(limit: 1000, now: now))
        let activity = try store.containerActivity(f.query(limit: 0, now: now)).first { $0.container.ref.id == id }
        // The timeline spans the container's alerts up to now: 60 buckets, at least a minute each.
        let oldest = recent.last?.alert.time ?? now
        let span = max(60_000_000_000, now.nanoseconds - oldest.nanoseconds)
        let bucket = max(1_000_000_000, span / 60 + 1)
        let timeline = try store.histogram(f.query(limit: 0, now: now), bucket: bucket, buckets: 60, now: now)
        let stats = try store.stats(f.query(limit: 0, now: now), groupLimit: 10)
        var data = ContainerDetailData(
            containerID: id, activity: activity, timeline: timeline, bucketNanoseconds: bucket,
            topRules: stats.byRule.map { SeenCount(value: $0.key, count: $0.count) },
            processes: ContainerDetailData.tally(recent, ContainerDetailData.processLabel),
            files: ContainerDetailData.tally(recent) { $0.fileName },
            connections: ContainerDetailData.tally(recent) { $0.connection },
            users: ContainerDetailData.tally(recent) { $0.userName },
            recent: Array(recent.prefix(200)))
        data.enrichment = try store.enrichment(for: data.recent.map(\.id))
        return data
    }
}

/// The alert detail: acknowledgement and related alerts.
enum AlertDetailQuery {
    static let relatedLimit = 5

    static func load(_ store: AlertStore, stored: StoredAlert) throws -> AlertDetailData {
        let alert = stored.alert
        let acked = try store.acknowledged(among: [stored.id]).contains(stored.id)
        let ruleGlob = alert.rule.map { $0 == "*" || $0 == "?" ? "_" : String($0) }.joined()
        let sameRule = try store.alerts(AlertQuery(ruleGlob: ruleGlob, limit: relatedLimit + 1)).filter { $0.id != stored.id && $0.alert.rule == alert.rule }
        let sameContainer = try store.alerts(AlertQuery(container: alert.container.id, limit: relatedLimit + 1)).filter { $0.id != stored.id }
        var sameProcess: [StoredAlert] = []
        if let process = alert.processName {
            sameProcess = try store.alerts(AlertQuery(container: alert.container.id, limit: 500))
                .filter { $0.id != stored.id && $0.alert.processName == process }
        }
        return AlertDetailData(stored: stored, acknowledged: acked, sameRule: Array(sameRule.prefix(relatedLimit)),
                               sameContainer: Array(sameContainer.prefix(relatedLimit)),
                               sameProcess: Array(sameProcess.prefix(relatedLimit)),
                               enrichment: try store.enrichment(for: [stored.id])[stored.id])
    }
}
