import Actions
import AlertStore
import Config
import Dispatch
import Notify
import Processor
import TradsecCore

/// Runs the response rules' automatic actions through the same `ActionRunner` the operator's
/// keys use, one at a time and off the processing thread. The container comes from alert
/// text, so it is resolved on the engine by its id only: a name an attacker wrote into an
/// alert can never redirect an action to another container.
public final class ResponseActions: ResponseExecutor, @unchecked Sendable {
    private let store: AlertStore
    private let runner: ActionRunner?
    /// Why actions cannot run at all (the actions section does not load).
    private let unavailable: String?
    private let outbox: NotificationOutbox?
    private let queue = DispatchQueue(label: "tradsec.response", qos: .userInitiated)

    /// `actions`: the config's `actions:` section, or why it does not load.
    init(store: AlertStore, actions: Result<ActionsConfig, ConfigError>, outbox: NotificationOutbox?) {
        self.store = store
        self.outbox = outbox
        switch actions {
        case .success(let config):
            runner = ActionRunner(config: config, store: store, who: AuditIdentity(user: "response rules"))
            unavailable = nil
        case .failure(let error):
            runner = nil
            unavailable = "the actions section does not load: \(error)"
        }
    }

    public func execute(_ decision: ResponseDecision, auditID: Int64) {
        queue.async { [self] in
            let (result, message) = run(decision, auditID: auditID)
            tell(decision, result: result, message: message)
        }
    }

    /// Waits until every action handed over so far has ended (shutdown, tests).
    public func waitUntilIdle() { queue.sync {} }

    private func run(_ d: ResponseDecision, auditID: Int64) -> (AuditEntry.Result, String) {
        func finish(_ result: AuditEntry.Result, _ message: String) -> (AuditEntry.Result, String) {
            try? store.finishAudit(id: auditID, result: result, message: message, latencyMilliseconds: 0)
            return (result, message)
        }
        guard let runner else { return finish(.failed, unavailable ?? "actions are not available") }
        let kind: ActionKind
        switch d.action {
        case .notify: return finish(.done, "notified")
        case .isolate: kind = .isolate
        case .forensics: kind = .forensics
        case .stopTrading: kind = .stopTrading
        case .backup: kind = .backup
        }
        var request = ActionRequest(kind: kind, reason: "response rule '\(d.rule)': \(d.reason)", incident: String(d.incidentID),
                                    via: ActionRequest.responseVia)
        if kind.needsContainer {
            guard let container = d.container else { return finish(.failed, "no container to act on") }
            request.target = container.id
            do {
                request = try runner.resolveTarget(request, match: .idOnly).pinned
            } catch {
                return finish(error.kind == .badTarget ? .refused : .failed,
                              "container \(container.id) is not one the engine lists by that id: \(error.message); nothing was done")
            }
        }
        let report = runner.run(request, auditID: auditID)
        return (report.result, report.message)
    }

    /// Notifications say what was done.
    private func tell(_ d: ResponseDecision, result: AuditEntry.Result, message: String) {
        guard let outbox, !outbox.config.channels.isEmpty, d.action != .notify else { return }
        let target = d.container.map { " \($0.name)" } ?? ""
        let n = Notify.Notification(
            kind: .incident, priority: result == .done ? .critical : .alert, rule: d.rule,
            container: d.container?.name ?? "host", containerID: d.container?.id ?? ContainerRef.hostID, host: "tradsec",
            title: "Response \(result.rawValue): \(d.action.rawValue)\(target) (incident #\(d.incidentID))",
            text: message, fields: [.init("rule", d.rule)], incidentID: String(d.incidentID))
        _ = try? outbox.enqueue([n])
    }
}
