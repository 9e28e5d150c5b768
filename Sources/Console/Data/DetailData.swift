import AlertStore
import TradsecCore

/// The alert detail screen's content.
public struct AlertDetailData: Equatable, Sendable {
    public var stored: StoredAlert
    public var acknowledged: Bool
    public var sameRule: [StoredAlert]
    public var sameContainer: [StoredAlert]
    public var sameProcess: [StoredAlert]
    /// What the processing step added to the alert: role, tags (exchange, threat intelligence), incident.
    public var enrichment: AlertEnrichment?

    public init(stored: StoredAlert, acknowledged: Bool, sameRule: [StoredAlert] = [], sameContainer: [StoredAlert] = [],
                sameProcess: [StoredAlert] = [], enrichment: AlertEnrichment? = nil) {
        self.enrichment = enrichment
        self.stored = stored
        self.acknowledged = acknowledged
        self.sameRule = sameRule
        self.sameContainer = sameContainer
        self.sameProcess = sameProcess
    }
}

/// A name seen in a container's alerts and how often.
public struct SeenCount: Equatable, Sendable {
    public var value: String
    public var count: Int
}

/// The container drill-down's content.
public struct ContainerDetailData: Equatable, Sendable {
    public var containerID: String
    public var activity: ContainerActivity?
    /// Alerts per bucket over the container's recent life, oldest first, and the bucket length.
    public var timeline: [Int]
    public var bucketNanoseconds: Int64
    public var topRules: [SeenCount]
    public var processes: [SeenCount]
    public var files: [SeenCount]
    public var connections: [SeenCount]
    public var users: [SeenCount]
    public var recent: [StoredAlert]
    /// What the processing step added to the recent alerts.
    public var enrichment: [Int64: AlertEnrichment] = [:]

    public init(containerID: String, activity: ContainerActivity?, timeline: [Int], bucketNanoseconds: Int64,
                topRules: [SeenCount], processes: [SeenCount], files: [SeenCount], connections: [SeenCount],
                users: [SeenCount], recent: [StoredAlert]) {
        self.containerID = containerID
        self.activity = activity
        self.timeline = timeline
        self.bucketNanoseconds = bucketNanoseconds
        self.topRules = topRules
        self.processes = processes
        self.files = files
        self.connections = connections
        self.users = users
        self.recent = recent
    }

    /// How a process is named in the "seen" lists: its name and command line.
    public static func processLabel(_ a: Alert) -> String? { a.processName.map { p in a.commandLine.map { "\(p) (\($0))" } ?? p } }

    /// Tallies of `key` over `alerts`, most frequent first.
    public static func tally(_ alerts: [StoredAlert], limit: Int = 8, _ key: (Alert) -> String?) -> [SeenCount] {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for stored in alerts {
            guard let value = key(stored.alert), !value.isEmpty else { continue }
            if counts[value] == nil { order.append(value) }
            counts[value, default: 0] += 1
        }
        return order.map { SeenCount(value: $0, count: counts[$0]!) }
            .sorted { $0.count > $1.count }
            .prefix(limit).map { $0 }
    }
}
