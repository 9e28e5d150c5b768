import AlertStore
import TradsecCore

/// Groups alerts into incidents: one open incident per container (or per host for host
/// alerts) while alerts keep coming within the window; the incident's severity is its worst
/// alert's, raised when distinct rules fire in a configured order of attack stages.
///
/// A value type on purpose: the writer works on a copy inside the database transaction and
/// keeps it only when the transaction commits, so memory and history never disagree.
public struct Correlator: Sendable {
    public let config: CorrelationConfig
    private var open: [String: Tracked] = [:]
    private var lastID: Int64

    struct Tracked: Sendable {
        var record: IncidentRecord
        /// Attack stages in the order distinct rules first showed them.
        var stageOrder: [String]
    }

    public enum Change: Sendable, Equatable {
        case opened
        case escalated(from: Priority)
        case grew
    }

    public struct Observation: Sendable {
        public var incident: IncidentRecord
        public var change: Change
    }

    public init(config: CorrelationConfig, lastIncidentID: Int64 = 0, recent: [IncidentRecord] = []) {
        self.config = config
        self.lastID = lastIncidentID
        for record in recent.sorted(by: { $0.updated < $1.updated }) {
            open[Self.key(containerID: record.containerID, hostname: record.hostname)] = Tracked(record: record, stageOrder: record.stages)
        }
    }

    /// Continues from the history after a restart: numbering (past every incident, a
    /// processor's too), and its own incidents still inside the window (a processor's incident
    /// grows only with the processor's alerts).
    public static func resume(store: AlertStore, config: CorrelationConfig, now: Timestamp = .now()) throws -> Correlator {
        let recent = try store.incidents(since: Timestamp(nanoseconds: now.nanoseconds - config.window), limit: 10_000, mirrored: false)
        return Correlator(config: config, lastIncidentID: try store.newestIncidentID(), recent: recent)
    }

    public var openCount: Int { open.count }

    static func key(containerID: String, hostname: String?) -> String {
        containerID == ContainerRef.hostID ? "host:\(hostname ?? "")" : containerID
    }

    public mutating func observe(_ alert: Alert, enrichment: AlertEnrichment) -> Observation {
        var observation = observe(alert, container: alert.container, enrichment: enrichment)
        observation.incident.title = Self.title(observation.incident)
        return observation
    }

    /// The writer's path: the container already worked out, and the title left to whoever
    /// saves the incident (once per batch rather than once per alert).
    public mutating func observe(_ alert: Alert, container: ContainerRef, enrichment: AlertEnrichment) -> Observation {
        let key = Self.key(containerID: container.id, hostname: alert.hostname)
        let time = alert.time
        let stages = AttackStage.of(tags: alert.tags, enrichmentTags: enrichment.tags)

        if var tracked = open[key], time.nanoseconds - tracked.record.updated.nanoseconds <= config.window,
           tracked.record.opened.nanoseconds - time.nanoseconds <= config.window {
            let before = tracked.record.severity
            let wasEscalated = tracked.record.escalated
            var record = tracked.record
            record.alertCount += 1
            if time > record.updated { record.updated = time }
            if time < record.opened { record.opened = time }
            if record.severity < alert.priority { record.severity = alert.priority }
            if record.role == nil { record.role = enrichment.role }
            if !record.rules.contains(alert.rule) {
                record.rules.append(alert.rule)
                for stage in stages where !tracked.stageOrder.contains(stage) { tracked.stageOrder.append(stage) }
            }
            record.stages = tracked.stageOrder
            escalate(&record)
            tracked.record = record
            open[key] = tracked
            let change: Change = record.severity > before || (record.escalated && !wasEscalated) ? .escalated(from: before) : .grew
            return Observation(incident: record, change: change)
        }

        lastID += 1
        var record = IncidentRecord(id: lastID, containerID: container.id,
                                    containerName: container.isHost ? alert.hostname : container.name,
                                    hostname: alert.hostname, role: enrichment.role, opened: time, updated: time,
                                    severity: alert.priority, escalated: false, stages: stages, rules: [alert.rule],
                                    alertCount: 1, title: "", reason: nil)
        escalate(&record)
        open[key] = Tracked(record: record, stageOrder: stages)
        return Observation(incident: record, change: .opened)
    }

    /// Forgets incidents idle for longer than the window (they stay in the history).
    public mutating func expire(now: Timestamp) {
        open = open.filter { now.nanoseconds - $0.value.record.updated.nanoseconds <= config.window }
    }

    private func escalate(_ record: inout IncidentRecord) {
        for sequence in config.sequences where sequence.matches(record.stages) {
            if record.severity < sequence.severity { record.severity = sequence.severity }
            // The first matching sequence is the strongest (the list is ordered so).
            record.escalated = true
            record.reason = "\(sequence.name): \(record.stages.joined(separator: " → "))"
            break
        }
    }

    public static func title(_ record: IncidentRecord) -> String {
        let who = record.containerName ?? record.containerID
        let more = record.rules.count > 1 ? " (+\(record.rules.count - 1) more rules)" : ""
        return "\(who): \(record.rules.first ?? "?")\(more)"
    }
}
