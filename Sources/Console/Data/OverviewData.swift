import AlertStore
import TradsecCore

/// Repeated alerts (same rule, same container) shown as one row.
public struct FoldedRow: Equatable, Sendable {
    /// The newest alert of the group: what the row shows and what Enter opens.
    public var newest: StoredAlert
    public var count: Int
    public var firstSeen: Timestamp
    public var ids: [Int64]
    public var acknowledged = false

    public var lastSeen: Timestamp { newest.alert.time }
    public var key: String { newest.alert.rule + "\u{0}" + newest.alert.container.id }
}

/// One pane's content.
public struct PaneData: Equatable, Sendable {
    public var kind: PaneKind
    public var rows: [FoldedRow]
    /// Alerts matching the pane's filter in the whole history; nil until counted.
    public var total: Int?
    /// Alerts per minute over the last `rate.count` minutes, oldest first.
    public var rate: [Int]

    public init(kind: PaneKind, rows: [FoldedRow], total: Int?, rate: [Int]) {
        self.kind = kind
        self.rows = rows
        self.total = total
        self.rate = rate
    }
}

/// Everything the overview shows, loaded off the UI thread.
public struct OverviewData: Equatable, Sendable {
    public var filter: ViewFilter
    public var panes: [PaneData]
    public var newestID: Int64
    public var newestTime: Timestamp?
    public var alertsLastMinute: Int
    public var silences: [Silence]
    /// What the processing step added to each row's newest alert (role, tags, incident).
    public var enrichment: [Int64: AlertEnrichment] = [:]

    public init(filter: ViewFilter, panes: [PaneData], newestID: Int64, newestTime: Timestamp?,
                alertsLastMinute: Int, silences: [Silence]) {
        self.filter = filter
        self.panes = panes
        self.newestID = newestID
        self.newestTime = newestTime
        self.alertsLastMinute = alertsLastMinute
        self.silences = silences
    }
}

public enum Folding {
    /// Folds newest-first alerts by rule and container, keeping newest-first order of groups.
    public static func fold(_ alerts: [StoredAlert], acknowledged: Set<Int64> = []) -> [FoldedRow] {
        var rows: [FoldedRow] = []
        var index: [String: Int] = [:]
        for stored in alerts {
            let key = stored.alert.rule + "\u{0}" + stored.alert.container.id
            if let i = index[key] {
                rows[i].count += 1
                rows[i].firstSeen = min(rows[i].firstSeen, stored.alert.time)
                rows[i].ids.append(stored.id)
            } else {
                index[key] = rows.count
                rows.append(FoldedRow(newest: stored, count: 1, firstSeen: stored.alert.time, ids: [stored.id]))
            }
        }
        if !acknowledged.isEmpty {
            for i in rows.indices { rows[i].acknowledged = rows[i].ids.allSatisfy(acknowledged.contains) }
        }
        return rows
    }
}
