#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Dispatch
import Foundation
import TradsecCore

/// The single writer: requests hand their decoded alerts to it, and it commits whatever has
/// queued up in one transaction (group commit), and only then completes the requests. So a
/// 2xx always means committed, and many small requests cost one commit instead of one each.
/// The committed alerts then go to the processing step (``AlertProcessor``), which trails
/// the commit and follows its own cursor in the history: an acknowledged alert is processed
/// even when the process dies right after the reply.
public final class IngestPipeline: @unchecked Sendable {
    public struct Outcome: Sendable, Equatable {
        public var accepted = 0
        public var duplicates = 0
    }
    public typealias Completion = @Sendable (Result<Outcome, Error>) -> Void

    struct Submission {
        var alerts: [Alert]
        var rejects: [AlertStore.RejectRecord]
        var received: UInt64
        var completion: Completion
    }

    /// A request larger than a batch is committed in batch-sized parts (its memory then
    /// goes as each part commits, not after the whole request); the parts add up their
    /// outcomes here, and the request is answered after the last, with a failure if any
    /// part failed (what did commit is found as duplicates when the sender retries).
    final class PartialOutcome: @unchecked Sendable {
        var outcome = Outcome()
        var failure: Error?
    }

    public let store: AlertStore
    /// Where committed alerts go next (nil: they are only stored).
    public let processor: AlertProcessor?
    let metrics: ProcessorMetrics
    public let maxQueuedAlerts: Int
    public let maxBatch: Int
    private let condition = NSCondition()
    private var queue: [Submission] = []
    private var queuedAlerts = 0
    /// Alerts and reject records waiting: what ``maxQueuedAlerts`` bounds (a request of
    /// nothing but refused lines holds memory too).
    private var queuedRecords = 0
    private var started = false
    private var running = false
    private var finished = false
    private var commitListeners: [@Sendable (Int64) -> Void] = []

    // Read by /health (under the lock).
    private var lastCommitError: String?
    private var lastAcceptedWallTime: Int64?
    private var committedAlerts = 0

    public init(store: AlertStore, processor: AlertProcessor?, metrics: ProcessorMetrics,
                maxQueuedAlerts: Int = 200_000, maxBatch: Int = 4096) {
        self.store = store
        self.processor = processor
        self.metrics = metrics
        self.maxQueuedAlerts = maxQueuedAlerts
        self.maxBatch = maxBatch
    }

    /// Called on the writer thread after each commit with the newest stored row id.
    public func onCommit(_ listener: @escaping @Sendable (Int64) -> Void) {
        condition.withLock { commitListeners.append(listener) }
    }

    public func start() {
        let first: Bool = condition.withLock {
            guard !started else { return false }
            started = true
            running = true
            return true
        }
        guard first else { return }
        let thread = Thread { [self] in writerLoop() }
        thread.start()
    }

    /// Stops taking requests, commits what is queued, and returns when the writer is done
    /// (at once when ``start()`` was never called: there is no writer to wait for).
    public func stop() {
        condition.withLock {
            running = false
            condition.broadcast()
            while started && !finished { condition.wait() }
        }
    }

    /// Queues a request's alerts and the records of its refused lines. Returns false (the
    /// caller answers 503, the sender retries) when the queue is full or the pipeline is
    /// stopping: refusing is safe, losing is not. Alerts and reject records both count
    /// against ``maxQueuedAlerts``; one request larger than the whole limit still goes
    /// through when nothing else is waiting, so it is not refused forever.
    public func submit(alerts: [Alert], rejects: [AlertStore.RejectRecord], received: UInt64,
                       completion: @escaping Completion) -> Bool {
        let records = alerts.count + rejects.count
        return condition.withLock {
            guard running, queuedRecords + records <= maxQueuedAlerts || queue.isEmpty else { return false }
            queue.append(Submission(alerts: alerts, rejects: rejects, received: received, completion: completion))
            queuedAlerts += alerts.count
            queuedRecords += records
            metrics.queued.set(Double(queuedAlerts))
            condition.signal()
            return true
        }
    }

    public struct Status: Sendable {
        public var queuedAlerts: Int
        public var lastCommitError: String?
        public var lastAcceptedWallTime: Int64?
        public var committedAlerts: Int
        public var fullTextBacklog: Int
        /// Alerts committed to the intake journal and not yet moved into the history.
        public var journaled: Int
        /// Request batches committed (to the journal or the history).
        public var commits: Int
    }

    public var status: Status {
        condition.withLock {
            Status(queuedAlerts: queuedAlerts, lastCommitError: lastCommitError, lastAcceptedWallTime: lastAcceptedWallTime,
                   committedAlerts: committedAlerts, fullTextBacklog: fullTextBacklog, journaled: journalPending,
                   commits: commitCount)
        }
    }

    /// Rows stored but not yet in the full-text index (the writer indexes them when it has a
    /// moment, or in between batches once there are many).
    private var fullTextBacklog = 0
    private var lastCommitUptime: UInt64 = 0
    static let indexBatch = 2000
    /// Index only after this long without requests: under a burst every moment goes to storing
    /// and answering; the index catches up when the burst is over.
    static let idleBeforeIndexing: UInt64 = 250_000_000
    /// Past this many rows the index catches up even under load (searches scan the backlog).
    static let forceIndexAt = 1_000_000

    // The intake journal (see AlertStore's Intake): small requests are committed to it, a row
    // per alert, and moved into the history in batches: when it holds `moveAt` alerts, when
    // the oldest has waited `moveMaxDelay`, or when requests pause for `moveAfterIdle`.
    // Requests of `directAt` alerts or more go into the history directly.
    private var journalPending = 0
    private var commitCount = 0
    private var journalSince: UInt64 = 0
    /// The decoded alerts waiting in the journal (by journal row), handed to processing when moved.
    private var journaled: [Int64: Alert] = [:]
    static let moveAt = 1024
    static let moveAfterIdle: UInt64 = 2_000_000
    static let moveMaxDelay: UInt64 = 20_000_000
    static let directAt = 256

    private enum Work {
        case commit([Submission], [@Sendable (Int64) -> Void])
        case move([@Sendable (Int64) -> Void])
        case index
        case stop
    }

    private func writerLoop() {
        let backlog = (try? store.fullTextBacklogCount()) ?? 0
        let waiting = (try? store.intakeCount()) ?? 0
        condition.withLock {
            fullTextBacklog = backlog
            journalPending = waiting
            journalSince = waiting > 0 ? 1 : 0   // left by an earlier run: move at once
        }
        while true {
            let work: Work = condition.withLock {
                while queue.isEmpty && running {
                    let now = DispatchTime.now().uptimeNanoseconds
                    if journalPending > 0 {
                        let idle = now &- lastCommitUptime, age = now &- journalSince
                        if idle >= Self.moveAfterIdle || age >= Self.moveMaxDelay { break }
                        let wait = min(Self.moveAfterIdle - idle, Self.moveMaxDelay - age)
                        _ = condition.wait(until: Date(timeIntervalSinceNow: Double(wait) / 1e9))
                        continue
                    }
                    if fullTextBacklog == 0 {
                        condition.wait()
                        continue
                    }
                    let idleSince = now &- lastCommitUptime
                    if idleSince >= Self.idleBeforeIndexing { break }
                    _ = condition.wait(until: Date(timeIntervalSinceNow: Double(Self.idleBeforeIndexing - idleSince) / 1e9))
                }
                if queue.isEmpty {
                    if journalPending > 0 { return .move(commitListeners) }
                    return running ? .index : .stop
                }
                if journalPending >= Self.moveAt
                    || (journalPending > 0 && DispatchTime.now().uptimeNanoseconds &- journalSince >= Self.moveMaxDelay) {
                    return .move(commitListeners)
                }
                if fullTextBacklog >= Self.forceIndexAt { return .index }
                if queue[0].alerts.count > maxBatch { return .commit([takePart()], commitListeners) }
                // Take whole requests up to the batch size (at least one).
                var count = 0, records = 0
                var taken = 0
                for submission in queue {
                    let size = submission.alerts.count + submission.rejects.count
                    if taken > 0 && records + size > maxBatch { break }
                    count += submission.alerts.count
                    records += size
                    taken += 1
                }
                let batch = Array(queue.prefix(taken))
                queue.removeFirst(taken)
                queuedAlerts -= count
                queuedRecords -= records
                metrics.queued.set(Double(queuedAlerts))
                return .commit(batch, commitListeners)
            }
            switch work {
            case .stop:
                condition.withLock {
                    finished = true
                    condition.broadcast()
                }
                return
            case .index:
                let indexed = (try? store.indexFullTextBacklog(limit: Self.indexBatch)) ?? 0
                condition.withLock { fullTextBacklog = indexed == 0 ? 0 : max(0, fullTextBacklog - indexed) }
            case .move(let listeners):
                let (ok, newest) = moveJournal()
                if let newest { for listener in listeners { listener(newest) } }
                // Stopping with a journal that will not move: it waits in the history for the next run.
                if !ok && condition.withLock({ !running }) {
                    condition.withLock { finished = true; condition.broadcast() }
                    return
                }
            case .commit(let batch, let listeners):
                let newest = commit(batch)
                if let newest { for listener in listeners { listener(newest) } }
            }
        }
    }

    /// Moves one batch from the journal into the history and hands it to processing: false
    /// when the move failed (the journal keeps the alerts); the newest id stored, if any.
    private func moveJournal() -> (ok: Bool, newest: Int64?) {
        let move: IntakeMove?
        do {
            move = try store.moveIntake(limit: 4096)
        } catch {
            metrics.commitFailures.increment()
            condition.withLock {
                lastCommitError = "\(error)"
                journalSince = DispatchTime.now().uptimeNanoseconds   // try again after the delay
            }
            return (false, nil)
        }
        guard let move else {
            condition.withLock { journalPending = 0; journaled.removeAll() }
            return (true, nil)
        }
        let stored: [StoredAlert] = condition.withLock {
            let alerts = move.result.added.map { added -> StoredAlert? in
                let alert = journaled[move.journalIDs[added.index]] ?? move.batch.alert(at: added.index)
                return alert.map { StoredAlert(id: added.id, alert: $0) }
            }
            for id in move.journalIDs { journaled[id] = nil }
            journalPending = max(0, journalPending - move.moved)
            if journalPending == 0 { journaled.removeAll() }
            journalSince = journalPending > 0 ? DispatchTime.now().uptimeNanoseconds : 0
            committedAlerts += move.result.inserted
            fullTextBacklog += move.result.inserted
            return alerts.compactMap { $0 }
        }
        processor?.submit(stored)
        return (true, move.result.added.last?.id)
    }

    /// The first `maxBatch` alerts of the first request (under the lock), with its rejects;
    /// the rest stays first in the queue and completes the request when it commits.
    private func takePart() -> Submission {
        var rest = queue[0]
        let partial = PartialOutcome()
        let whole = rest.completion
        let part = Submission(alerts: Array(rest.alerts.prefix(maxBatch)), rejects: rest.rejects, received: rest.received) { result in
            switch result {
            case .success(let outcome):
                partial.outcome.accepted += outcome.accepted
                partial.outcome.duplicates += outcome.duplicates
            case .failure(let error):
                partial.failure = error
            }
        }
        rest.alerts = Array(rest.alerts.dropFirst(maxBatch))
        rest.rejects = []
        rest.completion = { result in
            if let failure = partial.failure { return whole(.failure(failure)) }
            whole(result.map { Outcome(accepted: $0.accepted + partial.outcome.accepted, duplicates: $0.duplicates + partial.outcome.duplicates) })
        }
        queue[0] = rest
        let records = part.alerts.count + part.rejects.count
        queuedAlerts -= part.alerts.count
        queuedRecords -= records
        metrics.queued.set(Double(queuedAlerts))
        return part
    }

    /// One transaction for the whole batch (into the journal, or the history for a large one);
    /// returns the newest id stored in the history, if any.
    private func commit(_ batch: [Submission]) -> Int64? {
        var alerts: [Alert] = []
        var rejects: [AlertStore.RejectRecord] = []
        var owner: [Int] = []     // alert index → submission index
        for (i, submission) in batch.enumerated() {
            alerts.append(contentsOf: submission.alerts)
            rejects.append(contentsOf: submission.rejects)
            owner.append(contentsOf: repeatElement(i, count: submission.alerts.count))
        }
        let direct = alerts.count >= Self.directAt
        // Alerts keep their order of arrival: what the journal holds goes in first.
        if direct {
            while condition.withLock({ journalPending > 0 }) {
                let (ok, newest) = moveJournal()
                if let newest { for listener in condition.withLock({ commitListeners }) { listener(newest) } }
                if !ok { break }
            }
        }
        var outcomes = batch.map { Outcome(accepted: 0, duplicates: $0.alerts.count) }
        var acceptedByPriority = [Int](repeating: 0, count: Priority.allCases.count)
        let transactionStart = DispatchTime.now().uptimeNanoseconds
        let result: CommitResult
        do {
            result = try store.commit(direct ? CommitPlan(alerts: alerts, origin: "serve", rejects: rejects, fullText: .deferred)
                                             : CommitPlan(intake: alerts, origin: "serve", rejects: rejects))
        } catch {
            metrics.commitFailures.increment()
            condition.withLock { lastCommitError = "\(error)" }
            for submission in batch { submission.completion(.failure(error)) }
            return nil
        }
        let committedAt = DispatchTime.now().uptimeNanoseconds
        metrics.commitSeconds.record(Double(committedAt - transactionStart) / 1e9)
        var stored: [StoredAlert] = []
        for row in result.added {
            outcomes[owner[row.index]].accepted += 1
            outcomes[owner[row.index]].duplicates -= 1
            acceptedByPriority[alerts[row.index].priority.rawValue] += 1
            if direct { stored.append(StoredAlert(id: row.id, alert: alerts[row.index])) }
        }
        if direct { processor?.submit(stored) }
        condition.withLock {
            lastCommitError = nil
            commitCount += 1
            if direct {
                committedAlerts += result.inserted
                fullTextBacklog += result.inserted
            } else {
                for row in result.added { journaled[row.id] = alerts[row.index] }
                if journalPending == 0 && result.inserted > 0 { journalSince = committedAt }
                journalPending += result.inserted
            }
            lastCommitUptime = DispatchTime.now().uptimeNanoseconds
            if result.inserted > 0 { lastAcceptedWallTime = Timestamp.now().nanoseconds }
        }
        metrics.commits.increment()
        metrics.batchSize.record(Double(alerts.count))
        if !result.added.isEmpty { metrics.lastAlert.set(Double(Timestamp.now().nanoseconds) / 1e9) }
        for (priority, count) in acceptedByPriority.enumerated() where count > 0 {
            if let p = Priority(rawValue: priority) { metrics.received[p]?.increment(by: Int64(count)) }
        }
        for (i, submission) in batch.enumerated() {
            let seconds = Double(committedAt &- submission.received) / 1e9
            metrics.ingestLatency.record(seconds)   // once per request: a lock per alert is not worth it
            metrics.duplicates.increment(by: Int64(outcomes[i].duplicates))
            submission.completion(.success(outcomes[i]))
        }
        return direct ? result.added.last?.id : nil
    }
}
