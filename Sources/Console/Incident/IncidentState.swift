import Actions
import AlertStore
import TradsecCore

/// A destructive action waiting for the operator to type the target's name.
public struct IncidentConfirmation: Equatable, Sendable {
    public var request: ActionRequest
    /// What must be typed: the container's name, or the trading bot's configured name.
    public var expected: String
    public var typed: String
}

/// What the incident worker is asked to do.
public enum IncidentWork: Equatable, Sendable {
    case run(ActionRequest)
    /// Record an attempt the operator called off (wrong name typed).
    case refuse(ActionRequest, reason: String)
    case loadAudit
}

/// What the incident worker reports back to the UI loop.
public enum IncidentResult: Equatable, Sendable {
    case progress(String)
    case finished(ActionReport)
    case audit([AuditEntry])
    case failure(String)
}

/// The console's view of incident actions. Absent (nil in ``ConsoleState``) with --read-only:
/// the keys then only say that actions are off.
public struct IncidentState: Equatable, Sendable {
    /// What the operator types to confirm stop-trading.
    public var stopTradingName: String
    /// Every action runs as a dry run (console --dry-run).
    public var dryRun: Bool
    /// The progress line while an action runs; nil when none runs.
    public var progress: String?
    public var running: Bool { progress != nil }
    public var auditEntries: [AuditEntry]?
    /// The actions config could not be read: the keys say so instead of acting.
    public var configError: String?

    public init(stopTradingName: String, dryRun: Bool = false, configError: String? = nil) {
        self.stopTradingName = stopTradingName
        self.dryRun = dryRun
        self.configError = configError
    }
}

extension ActionKind {
    init?(_ action: Action) {
        switch action {
        case .stopTrading: self = .stopTrading
        case .isolate: self = .isolate
        case .restore: self = .restore
        case .backup: self = .backup
        case .forensics: self = .forensics
        default: return nil
        }
    }
}

extension ConsoleState {
    /// The container incident keys act on: the selected row of the containers screen, the open
    /// container, or the container of the selected / open alert. Never the host.
    var selectedContainer: ContainerRef? {
        let ref: ContainerRef?
        switch screen {
        case .containers: ref = sortedContainers[safe: top.selection]?.container.ref
        case .container(let id):
            ref = containerDetail?.activity?.container.ref ?? containerDetail?.recent.first?.alert.container
                ?? ContainerRef(id: id, name: id, image: nil)
        default: ref = actionTarget?.alert.container
        }
        guard let ref, !ref.isHost else { return nil }
        return ref
    }

    mutating func startIncident(_ action: Action) -> [Effect] {
        guard var incident else {
            setMessage(readOnly ? "read-only: incident actions are off" : "incident actions are not available in this console", error: true)
            return []
        }
        if let problem = incident.configError {
            setMessage("incident actions are off: \(problem)", error: true)
            return []
        }
        if action == .audit { return screen == .audit ? loadCurrent() : push(.audit) }
        guard let kind = ActionKind(action) else { return [] }
        if incident.running {
            setMessage("an action is still running: \(incident.progress ?? "")", error: true)
            return []
        }
        var request = ActionRequest(kind: kind, dryRun: incident.dryRun, via: "console")
        var expected = incident.stopTradingName
        if kind.needsContainer {
            guard let container = selectedContainer else {
                setMessage("select a container first (c: containers screen, or an alert of that container)", error: true)
                return []
            }
            // The short id resolves on the engine even when Falco's name differs; the operator
            // confirms with the name they see.
            request.target = container.id
            expected = container.name
        }
        if kind.isDestructive && !request.dryRun {
            mode = .confirmIncident(IncidentConfirmation(request: request, expected: expected, typed: ""))
            return []
        }
        incident.progress = "\(kind.rawValue)\(request.dryRun ? " (dry run)" : "") \(kind.needsContainer ? expected : "")…"
        self.incident = incident
        return [.incident(.run(request))]
    }

    mutating func typeConfirmation(_ key: Key, _ confirmation: IncidentConfirmation) -> [Effect] {
        switch key {
        case .escape:
            mode = .normal
            setMessage("cancelled: nothing done")
            return []
        case .enter:
            mode = .normal
            guard confirmation.typed == confirmation.expected else {
                let reason = "not confirmed: typed '\(confirmation.typed)', expected '\(confirmation.expected)'"
                setMessage("'\(confirmation.typed)' is not '\(confirmation.expected)': nothing done", error: true)
                // The audit row names the container as the operator saw it (the request holds its id).
                var refused = confirmation.request
                if refused.kind.needsContainer { refused.target = confirmation.expected }
                return [.incident(.refuse(refused, reason: reason))]
            }
            incident?.progress = "\(confirmation.request.kind.rawValue) \(confirmation.expected)…"
            return [.incident(.run(confirmation.request))]
        default:
            if let edited = Self.edit(confirmation.typed, with: key) {
                var next = confirmation
                next.typed = edited
                mode = .confirmIncident(next)
            }
            return []
        }
    }

    /// Takes in what the incident worker reported.
    public mutating func applyIncident(_ result: IncidentResult) {
        guard incident != nil else { return }
        switch result {
        case .progress(let text):
            incident?.progress = text
        case .finished(let report):
            incident?.progress = nil
            let target = report.target.map { " \($0)" } ?? ""
            setMessage("\(report.kind.rawValue)\(target): \(report.result.rawValue) in \(Int(report.latencyMilliseconds.rounded())) ms — \(report.message)",
                       error: report.result == .failed || report.result == .refused)
        case .audit(let entries):
            incident?.auditEntries = entries
            if screen == .audit { top.selection = clamp(top.selection, entries.count) }
        case .failure(let text):
            incident?.progress = nil
            setMessage(text, error: true)
        }
    }
}

extension Action {
    /// The incident-action keys (hidden from help in a read-only console).
    var isIncident: Bool {
        switch self {
        case .stopTrading, .isolate, .restore, .backup, .forensics, .audit: return true
        default: return false
        }
    }
}
