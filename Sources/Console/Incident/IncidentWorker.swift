import Actions
import AlertStore
import Dispatch
import Synchronization

/// Runs incident actions off the UI thread, one at a time, and hands progress and results
/// back through a mailbox the UI loop empties (like ``DataLoader``): the console keeps
/// redrawing and answering keys while an engine call or a tar runs.
public final class IncidentWorker: Sendable {
    public let runner: ActionRunner
    private let queue = DispatchQueue(label: "tradsec.console.incident", qos: .userInitiated)
    private let mailbox = Mutex<[IncidentResult]>([])

    public init(runner: ActionRunner) { self.runner = runner }

    public func submit(_ work: IncidentWork) {
        queue.async { [self] in
            switch work {
            case .resolve(let request, let claimedName):
                resolve(request, claimedName: claimedName)
            case .run(let request):
                let report = runner.run(request) { step in post(.progress(step)) }
                post(.finished(report))
                postAudit()
            case .refuse(let request, let reason):
                runner.refuse(request, reason: reason)
                postAudit()
            case .loadAudit:
                postAudit()
            }
        }
    }

    /// By id only: the id comes from alert text, and a name in it could stand for another
    /// container. A target the engine cannot vouch for is refused here, and audited.
    private func resolve(_ request: ActionRequest, claimedName: String?) {
        do {
            let (container, pinned) = try runner.resolveTarget(request, match: .idOnly)
            post(.resolved(ResolvedContainer(request: pinned, container: container, claimedName: claimedName)))
        } catch {
            let claim = claimedName.map { " (the alert names it '\($0)')" } ?? ""
            post(.finished(runner.refuse(request, reason: error.message + claim, failure: error.kind)))
            postAudit()
        }
    }

    private func postAudit() {
        do { post(.audit(try runner.store.auditEntries(limit: 500))) } catch {
            post(.failure("cannot read the audit log: \(error)"))
        }
    }

    private func post(_ result: IncidentResult) { mailbox.withLock { $0.append(result) } }

    public func takeResults() -> [IncidentResult] { mailbox.withLock { box in defer { box.removeAll() }; return box } }

    /// Waits until everything submitted so far is done (tests, and shutdown).
    public func waitUntilIdle() { queue.sync {} }
}
