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
