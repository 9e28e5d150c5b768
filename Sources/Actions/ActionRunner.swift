#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import TradsecCore

/// One action as asked for, by the CLI or the console.
public struct ActionRequest: Sendable, Equatable {
    public var kind: ActionKind
    /// A container name or id prefix (isolate, restore, forensics); ignored by the others.
    public var target: String?
    public var dryRun: Bool
    /// Why (sent to the trading bot with stop-trading, kept in the audit row).
    public var reason: String?
    /// The incident a forensics bundle belongs to (names its directory).
    public var incident: String?
    /// `cli`, `console` or `response`: kept in the audit row.
    public var via: String

    /// `via` of what a response rule does.
    public static let responseVia = "response"

    /// The incident as a number, when it names one (the audit row keeps it).
    public var incidentID: Int64? { incident.flatMap { Int64($0) } }

    public init(kind: ActionKind, target: String? = nil, dryRun: Bool = false, reason: String? = nil,
                incident: String? = nil, via: String = "cli") {
        self.kind = kind
        self.target = target
        self.dryRun = dryRun
        self.reason = reason
        self.incident = incident
        self.via = via
    }
}

/// How an action ended, for the operator and for exit codes.
public struct ActionReport: Sendable, Equatable {
    public var kind: ActionKind
    /// The target as resolved (container name), or as given when it could not be resolved.
    public var target: String?
    public var result: AuditEntry.Result
    public var message: String
    public var latencyMilliseconds: Double
    public var auditID: Int64?
    /// Why it failed, when it did.
    public var failure: ActionError.Kind?
}

/// Runs incident actions: resolves and validates the target against the engine, runs the
/// action (or only describes it, for a dry run) and records every attempt in the audit log —
/// a `started` row first, completed at the end. If the audit log cannot be written, nothing is done.
public struct ActionRunner: Sendable {
    public let config: ActionsConfig
    public let store: AlertStore
    public let who: AuditIdentity
    public let environment: [String: String]

    public init(config: ActionsConfig, store: AlertStore, who: AuditIdentity = OperatorIdentity.current(),
                environment: [String: String] = ProcessEnvironment.all) {
        self.config = config
        self.store = store
        self.who = who
        self.environment = environment
    }

    public var engine: DockerEngineClient { DockerEngineClient(config: config.docker) }

    /// What the operator must type to confirm a destructive action: the container's name as the
    /// engine lists it, or the trading bot's configured name. Throws when the target is unknown.
    public func confirmationName(for request: ActionRequest) throws(ActionError) -> String {
        try confirmation(for: request).name
    }

    /// The name to confirm and `request` pinned to what was confirmed: for a container
    /// action, its full engine id, so ``run(_:progress:)`` acts on exactly the container the
    /// operator named and not on whatever the name or prefix resolves to a moment later.
    public func confirmation(for request: ActionRequest) throws(ActionError) -> (name: String, pinned: ActionRequest) {
        guard request.kind.needsContainer else { return (config.stopTrading.name, request) }
        let (container, pinned) = try resolveTarget(request, match: .nameOrID)
        return (container.name, pinned)
    }

    /// How a container target is looked up on the engine.
    public enum TargetMatch: Sendable {
        /// A name the engine lists or an id prefix: the operator typed it (`--target`).
        case nameOrID
        /// An id only (12 to 64 hex digits): the target was read from alert text (Falco's
        /// `container.id`), which an attacker can write; a name never matches.
        case idOnly
    }

    /// The engine's container for a container action, and `request` pinned to its full id.
    public func resolveTarget(_ request: ActionRequest, match: TargetMatch) throws(ActionError) -> (container: EngineContainer, pinned: ActionRequest) {
        guard request.kind.needsContainer else {
            throw ActionError.badTarget("\(request.kind.rawValue) does not act on a container")
        }
        let target = request.target ?? ""
        let container = match == .idOnly ? try engine.resolve(id: target) : try engine.resolve(target)
        var pinned = request
        pinned.target = container.id
        return (container, pinned)
    }

    /// Records an attempt that was called off before anything was done: the operator did not
    /// confirm it (wrong name typed, no terminal to ask on), or its target could not be checked
    /// (`failure`: a bad target is `refused`, an engine out of reach `failed`).
    @discardableResult
    public func refuse(_ request: ActionRequest, reason: String, failure: ActionError.Kind? = nil) -> ActionReport {
        let result: AuditEntry.Result = failure == nil || failure == .badTarget ? .refused : .failed
        var report = ActionReport(kind: request.kind, target: request.target, result: result, message: reason,
                                  latencyMilliseconds: 0, auditID: nil, failure: failure)
        if let id = try? store.beginAudit(action: request.kind.rawValue, target: request.target, who: who, via: request.via,
                                          incident: request.incidentID) {
            try? store.finishAudit(id: id, result: result, message: reason, latencyMilliseconds: 0)
            report.auditID = id
        }
        return report
    }

    /// Runs `request`; `progress` hears each step (the console shows it; called on this thread).
    /// `auditID`: the row already written for it (a response rule's action is recorded with
    /// the processing that decided it, then completed here), else one is begun now.
    public func run(_ request: ActionRequest, auditID existing: Int64? = nil, progress: (String) -> Void = { _ in }) -> ActionReport {
        let started = (Monotonic.seconds() * 1000)
        let auditID: Int64
        do {
            auditID = try existing ?? store.beginAudit(action: request.kind.rawValue, target: request.target, who: who, via: request.via,
                                                       detail: request.reason.map { JSONWriter.string(.object(JSONObject([("reason", .string($0))]))) },
                                                       incident: request.incidentID)
        } catch {
            return ActionReport(kind: request.kind, target: request.target, result: .failed,
                                message: "cannot write the audit log, so nothing was done: \(error)",
                                latencyMilliseconds: 0, auditID: nil, failure: .unavailable)
        }
        var target = request.target
        let result: AuditEntry.Result
        let message: String
        var detail: String?
        var failure: ActionError.Kind?
        do {
            let outcome = try perform(request, auditID: auditID, resolved: &target, progress: progress)
            // What a response rule did on its own is `done`; what an operator did, `ok`.
            result = request.dryRun ? .dryRun : request.via == ActionRequest.responseVia ? .done : .ok
            message = outcome.message
            detail = Self.keepingReason(request.reason, in: outcome.detail)
        } catch {
            result = error.kind == .badTarget ? .refused : .failed
            message = error.message
            failure = error.kind
        }
        let latency = (Monotonic.seconds() * 1000) - started
        do {
            try store.finishAudit(id: auditID, result: result, message: message, latencyMilliseconds: latency, detail: detail, target: target)
        } catch {
            return ActionReport(kind: request.kind, target: target, result: result,
                                message: message + " (but the audit row could not be completed: \(error))",
                                latencyMilliseconds: latency, auditID: auditID, failure: failure ?? .unavailable)
        }
        return ActionReport(kind: request.kind, target: target, result: result, message: message,
                            latencyMilliseconds: latency, auditID: auditID, failure: failure)
    }

    /// The final audit detail replaces the one written at the start, so the operator's
    /// reason is merged into it (first key) rather than lost on success.
    static func keepingReason(_ reason: String?, in detail: String?) -> String? {
        guard let reason else { return detail }
        guard let detail else { return nil }  // the start row's {"reason": …} is kept as is
        var merged = JSONObject([("reason", .string(reason))])
        if let parsed = try? JSONParser.parse(detail) {
            if let object = parsed.objectValue {
                for (key, value) in object.pairs where key != "reason" { merged.append(key, value) }
            } else {
                merged.append("detail", parsed)   // isolate/restore: the network list
            }
        } else {
            merged.append("detail", .string(detail))
        }
        return JSONWriter.string(.object(merged))
    }

    private func perform(_ request: ActionRequest, auditID: Int64, resolved target: inout String?,
                         progress: (String) -> Void) throws(ActionError) -> (message: String, detail: String?) {
        switch request.kind {
        case .stopTrading:
            let stop = StopTrading(config: config.stopTrading, environment: environment)
            target = config.stopTrading.name
            if request.dryRun { return (stop.plan, nil) }
            progress("POST \(config.stopTrading.url)")
            let outcome = try stop.send(reason: request.reason ?? "operator request", who: who)
            return (outcome.message, JSONWriter.string(.object(JSONObject([
                ("url", .string(config.stopTrading.url)), ("status", .int(Int64(outcome.status))),
                ("latency_ms", .double(outcome.latencyMilliseconds)),
            ]))))
        case .backup:
            let backup = BackupArchive(config: config.backup)
            if request.dryRun { return (try backup.plan(), nil) }
            progress("archiving \(config.backup.paths.count) path(s)")
            let outcome = try backup.create()
            return (outcome.message, outcome.detail)
        case .isolate, .restore, .forensics:
            progress("checking \(request.target ?? "?") against the engine's container list")
            let container = try engine.resolve(request.target ?? "")
            target = container.name
            return try perform(request, on: container, auditID: auditID, progress: progress)
        }
    }

    /// The container actions, once the target is one the engine lists.
    private func perform(_ request: ActionRequest, on container: EngineContainer, auditID: Int64,
                         progress: (String) -> Void) throws(ActionError) -> (message: String, detail: String?) {
        let isolation = ContainerIsolation(engine: engine, store: store)
        switch request.kind {
        case .isolate:
            let outcome: ContainerIsolation.Outcome
            if request.dryRun {
                outcome = try isolation.planIsolate(container)
            } else {
                progress("disconnecting \(container.name) from its networks")
                outcome = try isolation.isolate(container, auditID: auditID)
            }
            return (outcome.message, outcome.detail)
        case .restore:
            let outcome: ContainerIsolation.Outcome
            if request.dryRun {
                outcome = try isolation.planRestore(container)
            } else {
                progress("reconnecting \(container.name)")
                outcome = try isolation.restore(container)
            }
            return (outcome.message, outcome.detail)
        case .forensics:
            let bundle = ForensicsBundle(config: config.forensics, engine: engine, store: store)
            if request.dryRun { return (bundle.plan(container, incident: request.incident), nil) }
            progress("collecting evidence for \(container.name)")
            let outcome = try bundle.create(container, incident: request.incident, who: who)
            return (outcome.message, outcome.detail)
        case .stopTrading, .backup:
            throw ActionError.failed("\(request.kind.rawValue) does not act on a container")
        }
    }
}

