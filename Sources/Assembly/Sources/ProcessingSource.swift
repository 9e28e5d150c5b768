import AlertStore
import Console
import Processor
import Synchronization

/// The processing step (enrich → correlate → respond → notify) running beside the console's
/// own sources, over the history they write: what they store is processed as `ingest` and
/// `serve` process it, once (the processor's lease in the history decides who processes when
/// several processes share it). Listed last, it stops after the sources committed.
final class ProcessingSource: ConsoleSource, @unchecked Sendable {
    let step: ProcessingStep
    private let stopped = Atomic<Bool>(false)

    init(step: ProcessingStep) { self.step = step }

    var name: String { "processing" }

    var status: SourceStatus {
        let s = step.processor.status
        let state: SourceState
        if stopped.load(ordering: .acquiring) {
            state = .stopped
        } else if let error = s.lastError {
            state = .failed(error)
        } else if s.holdsLease {
            state = .running
        } else if s.claimed {
            state = .waiting(.processedElsewhere)
        } else {
            state = .starting
        }
        return SourceStatus(name: name, state: state, counters: SourceCounters(received: s.processed, stored: s.processed))
    }

    func start(store: AlertStore) { step.start() }

    func stop() {
        step.finish(through: 0)
        stopped.store(true, ordering: .releasing)
    }
}
