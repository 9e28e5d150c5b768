import Actions
import AlertStore
import TradsecCore

/// An action waiting for the operator to type the target's name.
public struct IncidentConfirmation: Equatable, Sendable {
    /// For a container action, pinned to the engine id the prompt shows.
    public var request: ActionRequest
    /// What must be typed: the container's name as the engine lists it, or the trading bot's configured name.
    public var expected: String
    public var typed: String
    /// The container as the engine lists it (container actions): the prompt shows its id, name and image.
    public var container: EngineContainer?
    /// The name the alert gave the container, when the engine calls that id something else:
    /// the prompt warns (a forged alert's name must not pass for the container acted on).
    public var claimedName: String?

    public init(request: ActionRequest, expected: String, typed: String = "", container: EngineContainer? = nil, claimedName: String? = nil) {
        self.request = request
        self.expected = expected
        self.typed = typed
        self.container = container
        self.claimedName = claimedName
    }
}

/// A container action's target as the engine resolved it from the alert's container id.
public struct ResolvedContainer: Equatable, Sendable {
    /// The request pinned to the engine's full id.
    public var request: ActionRequest
    public var container: EngineContainer
    /// The container's name in the alert or history, when the engine lists no such name for
    /// that id (nil when they agree or the alert gave none).
    public var mismatchedName: String?

    public init(request: ActionRequest, container: EngineContainer, claimedName: String?) {
        self.request = request
        self.container = container
        if let claimedName, !claimedName.isEmpty, !container.names.contains(claimedName) {
            mismatchedName = claimedName
        }
    }

    /// The warning a mismatch deserves, for the prompt and the audit row.
    public var warning: String? {
        mismatchedName.map { "the alert names '\($0)', but the engine says id \(container.shortID) is '\(container.name)'" }
    }
}

/// What the incident worker is asked to do.
public enum IncidentWork: Equatable, Sendable {
    /// Look a container action's target up on the engine, by the id the alert gave (never by
    /// name: alert text is the attacker's); `claimedName` is the name the alert gave.
    case resolve(ActionRequest, claimedName: String?)
    case run(ActionRequest)
    /// Record an attempt the operator called off (wrong name typed).
    case refuse(ActionRequest, reason: String)
    case loadAudit
}

/// What the incident worker reports back to the UI loop.
public enum IncidentResult: Equatable, Sendable {
    case progress(String)
    /// A container action's target, resolved: the UI asks the operator to confirm it.
    case resolved(ResolvedContainer)
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
    /// A dry run's name mismatch (no prompt shows it): said again with the result.
    public var warning: String?

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
        case .incident:
            // The incident's container, whichever of its alerts is selected.
            ref = incidentDetail.map { ContainerRef(id: $0.record.containerID, name: $0.record.containerName ?? $0.record.containerID, image: nil) }
        default: ref = actionTarget?.alert.container
        }
        guard let ref, !ref.isHost else { return nil }
        return ref
    }

    /// Whether actions can start now; says why not when they cannot.
    mutating func actionsReady(allowRunning: Bool = false) -> Bool {
        guard let incident else {
            setMessage(readOnly ? "read-only: incident actions are off" : "incident actions are not available in this console", error: true)
            return false
        }
        if let problem = incident.configError {
            setMessage("incident actions are off: \(problem)", error: true)
            return false
        }
        if !allowRunning, incident.running {
            setMessage("an action is still running: \(incident.progress ?? "")", error: true)
            return false
        }
        return true
    }

    mutating func startIncident(_ action: Action) -> [Effect] {
        guard actionsReady(allowRunning: action == .audit), let incident else { return [] }
        if action == .audit { return screen == .audit ? loadCurrent() : push(.audit) }
        guard let kind = ActionKind(action) else { return [] }
        var request = ActionRequest(kind: kind, dryRun: incident.dryRun, via: "console")
        // Acting from an incident's screen: the audit row names the incident.
        if case .incident(let id) = screen {
            request.incident = String(id)
            if let processor = incidentDetail?.processor, incidentDetail?.record.id == id {
                // Another host's engine and bot are out of this console's reach: acting here would
                // hit this host's (a container id from there names nothing here).
                guard processor.isOnThisHost else {
                    setMessage("incident #\(id) is \(processor.label), on another host: its container and bot are there; "
                               + "act in a console on that host", error: true)
                    return []
                }
                request.reason = "on \(processor.label)"
            }
        }
        var container: ContainerRef?
        if kind.needsContainer {
            guard let selected = selectedContainer else {
                if case .incident(let id) = screen, incidentDetail?.record.containerID == ContainerRef.hostID {
                    setMessage("incident #\(id) is the host's, not a container's: nothing to \(kind.rawValue)", error: true)
                } else {
                    setMessage("select a container first (c: containers screen, or an alert of that container)", error: true)
                }
                return []
            }
            container = selected
        }
        return submit(request, on: container)
    }

    /// Runs `request` through the confirmation its kind needs: a container action resolves
    /// `container` on the engine by id, then asks for its name; stop-trading asks for the
    /// bot's name; the others run at once. The operator's keys and approved proposals both
    /// come through here.
    mutating func submit(_ request: ActionRequest, on container: ContainerRef?) -> [Effect] {
        guard var incident else { return [] }
        var request = request
        let kind = request.kind
        if kind.needsContainer {
            guard let container else { return [] }
            // The container comes from alert text: the engine resolves its id (never its name)
            // off the UI thread, and the prompt then shows what the engine has under that id.
            request.target = container.id
            incident.progress = "resolving \(container.name) (id \(container.id)) on the engine…"
            incident.warning = nil
            self.incident = incident
            return [.incident(.resolve(request, claimedName: container.name == container.id ? nil : container.name))]
        }
        if kind.isDestructive && !request.dryRun {
            mode = .confirmIncident(IncidentConfirmation(request: request, expected: incident.stopTradingName))
            return []
        }
        incident.progress = "\(kind.rawValue)\(request.dryRun ? " (dry run)" : "")…"
        self.incident = incident
        return [.incident(.run(request))]
    }

    /// A container action's target came back from the engine: the operator confirms it by
    /// typing the engine's name (a dry run, which changes nothing, runs at once).
    mutating func confirmResolved(_ resolved: ResolvedContainer) -> [Effect] {
        incident?.progress = nil
        // Keys typed into another prompt must not become a confirmation.
        guard mode == .normal else {
            setMessage("\(resolved.request.kind.rawValue) \(resolved.container.name): a prompt was open when the engine answered; nothing done", error: true)
            return []
        }
        guard !resolved.request.dryRun else {
            incident?.warning = resolved.warning
            incident?.progress = "\(resolved.request.kind.rawValue) (dry run) \(resolved.container.name)…"
            return [.incident(.run(resolved.request))]
        }
        mode = .confirmIncident(IncidentConfirmation(request: resolved.request, expected: resolved.container.name,
                                                     container: resolved.container, claimedName: resolved.mismatchedName))
        return []
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
                var reason = "not confirmed: typed '\(confirmation.typed)', expected '\(confirmation.expected)'"
                if let container = confirmation.container { reason += " (engine id \(container.id))" }
                if let claimed = confirmation.claimedName { reason += "; the alert named it '\(claimed)'" }
                setMessage("'\(confirmation.typed)' is not '\(confirmation.expected)': nothing done", error: true)
                // The audit row names the container as the engine does (the request holds its id).
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

    /// Takes in what the incident worker reported; returns what must run next (a resolved
    /// dry run).
    @discardableResult
    public mutating func applyIncident(_ result: IncidentResult) -> [Effect] {
        guard incident != nil else { return [] }
        // An incident's screen shows what was just done for it.
        var reload: [Effect] = []
        switch result {
        case .progress(let text):
            incident?.progress = text
        case .resolved(let resolved):
            return confirmResolved(resolved)
        case .finished(let report):
            incident?.progress = nil
            let target = report.target.map { " \($0)" } ?? ""
            let warning = incident?.warning.map { "WARNING: \($0) — " } ?? ""
            incident?.warning = nil
            setMessage("\(warning)\(report.kind.rawValue)\(target): \(report.result.rawValue) in \(Int(report.latencyMilliseconds.rounded())) ms — \(report.message)",
                       error: report.result == .failed || report.result == .refused || !warning.isEmpty)
        case .audit(let entries):
            incident?.auditEntries = entries
            if screen == .audit { top.selection = clamp(top.selection, entries.count) }
            // The worker reads the audit log after every action and refusal.
            if case .incident = screen { reload = loadCurrent() }
        case .failure(let text):
            incident?.progress = nil
            setMessage(text, error: true)
        }
        return reload
    }
}

extension Action {
    /// The incident-action keys (hidden from help in a read-only console).
    var isIncident: Bool {
        switch self {
        case .stopTrading, .isolate, .restore, .backup, .forensics, .audit, .approve: return true
        default: return false
        }
    }
}
