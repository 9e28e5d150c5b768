import Actions
import AlertStore
import TradsecCore

/// The incidents screen's content: incidents matching the filter, most severe first and,
/// within a severity, most recently updated first (sorted by the loader, not at each frame).
public struct IncidentListData: Equatable, Sendable {
    public var filter: ViewFilter
    public var incidents: [IncidentRecord]
    /// The list stopped at the loader's limit: older incidents are not shown.
    public var truncated: Bool
    /// Counted once here, not at every frame.
    public var escalatedCount: Int

    public init(filter: ViewFilter, incidents: [IncidentRecord], truncated: Bool = false) {
        self.filter = filter
        self.incidents = incidents
        self.truncated = truncated
        escalatedCount = incidents.reduce(0) { $0 + ($1.escalated ? 1 : 0) }
    }
}

/// What the header says about incidents and the response rules, on every screen.
public struct IncidentSummary: Equatable, Sendable {
    /// Incidents updated within the correlation window (still growing).
    public var open: Int
    /// Of those, the escalated ones.
    public var escalated: Int
    /// The response rules' kill switch, as the history holds it.
    public var responseOn: Bool
    public var responseSwitchedBy: String?

    public init(open: Int, escalated: Int, responseOn: Bool, responseSwitchedBy: String? = nil) {
        self.open = open
        self.escalated = escalated
        self.responseOn = responseOn
        self.responseSwitchedBy = responseSwitchedBy
    }
}

/// One alert of an incident's timeline, with the attack stages it showed and its enrichment.
public struct TimelineEntry: Equatable, Sendable {
    public var stored: StoredAlert
    public var stages: [String]
    public var enrichment: AlertEnrichment?
}

/// The incident detail screen's content.
public struct IncidentDetailData: Equatable, Sendable {
    public var record: IncidentRecord
    /// Its alerts in time order (the newest `IncidentDetailQuery.timelineLimit` of them).
    public var timeline: [TimelineEntry]
    public var processes: [SeenCount]
    public var files: [SeenCount]
    public var connections: [SeenCount]
    public var users: [SeenCount]
    /// Every audit row naming the incident, oldest first: proposals, automatic actions,
    /// the operators' actions from its screen.
    public var responses: [AuditEntry]
    /// The processor the incident was taken from, nil for this history's own: its responses
    /// are the processor's, approved where the processor's history is.
    public var processor: MirroredIncidentSource?
    /// A processor's incident: what this console's operators did about it (its own audit log).
    public var actionsHere: [AuditEntry]

    public init(record: IncidentRecord, timeline: [TimelineEntry], processes: [SeenCount], files: [SeenCount],
                connections: [SeenCount], users: [SeenCount], responses: [AuditEntry], processor: MirroredIncidentSource? = nil,
                actionsHere: [AuditEntry] = []) {
        self.processor = processor
        self.actionsHere = actionsHere
        self.record = record
        self.timeline = timeline
        self.processes = processes
        self.files = files
        self.connections = connections
        self.users = users
        self.responses = responses
    }

    /// Proposals still waiting for the operator, oldest first.
    public var pendingProposals: [AuditEntry] { Self.pending(responses) }

    /// A response rule's proposal is pending until the same action ran for the incident
    /// after it (approved here, or done automatically): a refused or failed attempt leaves
    /// it pending, so it can be approved again.
    public static func pending(_ rows: [AuditEntry]) -> [AuditEntry] {
        rows.filter { p in
            p.result == .proposed && p.via == ActionRequest.responseVia && ActionKind(rawValue: p.action) != nil
                && !rows.contains { $0.id > p.id && $0.action == p.action && [.started, .ok, .done].contains($0.result) }
        }
    }
}

/// Where a processor's incident came from, and whether the console may act on it: a processor
/// reached over loopback runs on this host, so its incident's container is this engine's and
/// its bot this config's. Any other address is another host, whose engine and bot are not
/// the ones this console's actions reach.
public struct MirroredIncidentSource: Equatable, Sendable {
    /// `processor:URL`, the key of its alerts in the history.
    public var origin: String
    /// The incident's id on the processor (its audit log names that one).
    public var remoteID: Int64

    public init(origin: String, remoteID: Int64) {
        self.origin = origin
        self.remoteID = remoteID
    }

    public var url: String { String(origin.dropFirst(MirroredProcessing.originPrefix.count)) }
    /// `HOST:PORT`, for messages.
    public var host: String { ProcessorSource.displayHost(url) }
    public var isOnThisHost: Bool { ProcessorSource.isOnThisHost(url) }
    /// `incident #12 of processor 127.0.0.1:8080`.
    public var label: String { "incident #\(remoteID) of processor \(host)" }
}
