#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Dispatch
import Foundation
import TradsecCore

/// Where serve's alerts go. A request of a few alerts (Falco's `http_output` posts one at a
/// time and waits for each reply) is written to the history's intake log on the request's
/// own thread and answered at once: durable as soon as `write(2)` returns, with no hand-over
/// between threads. Larger requests go to the single writer, which commits whatever has
/// queued up in one transaction (group commit) and only then completes them. So a 2xx always
/// means the alert outlives a crash of the process. The writer also moves the intake log into
/// the history in batches (its position committed with them), and the stored alerts then go
/// to the processing step (``AlertProcessor``), which trails the commit and follows its own
/// cursor in the history: an acknowledged alert is processed even when the process dies
/// right after the reply.
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

    /// The history's intake log (small requests, see the type's comment).
    let intakeLog: IntakeLog

    public init(store: AlertStore, processor: AlertProcessor?, metrics: ProcessorMetrics,
                maxQueuedAlerts: Int = 200_000, maxBatch: Int = 4096) throws {
        intakeLog = try store.openIntakeLog()
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

    /// What ``take(alerts:received:)`` did.
    public enum Taken: Sendable {
        /// Written to the intake log: durable.
        case taken(Outcome)
        /// Not taken: stopping, or too much is waiting to move (the caller answers 503).
        case refused
        case failed(Error)
    }

    /// Requests of fewer alerts than this are taken into the intake log on their own thread.
    public static let takeUpTo = 256

    /// Writes a small request's alerts to the intake log on the calling thread; when this
    /// returns `.taken` they outlive a crash of the process and the request can be answered.
    /// The writer moves them into the history shortly after.
    public func take<Entries: IntakeEntries>(alerts: Entries, received: UInt64) -> Taken {
        let open: Bool = condition.withLock { running }
        guard open, intakeLog.state.pending + alerts.count <= maxQueuedAlerts else { return .refused }
        let appended: IntakeLog.Appended
        do {
            appended = try intakeLog.append(alerts, received: Int64(clamping: Timestamp.now().nanoseconds))
        } catch {
            metrics.commitFailures.increment()
            condition.withLock { lastCommitError = "\(error)" }
            return .failed(error)
        }
        if appended.accepted > 0 {
            var byPriority = [Int](repeating: 0, count: Priority.allCases.count)
            for index in 0..<alerts.count { byPriority[alerts.priority(at: index).rawValue] += 1 }
            for (priority, count) in byPriority.enumerated() where count > 0 {
                if let p = Priority(rawValue: priority) { metrics.received[p]?.increment(by: Int64(count)) }
            }
            metrics.lastAlert.set(Double(Timestamp.now().nanoseconds) / 1e9)
        }
        if appended.duplicates > 0 { metrics.duplicates.increment(by: Int64(appended.duplicates)) }
        metrics.ingestLatency.record(Double(DispatchTime.now().uptimeNanoseconds &- received) / 1e9)
        condition.withLock {
            lastCommitError = nil
            if appended.accepted > 0 { lastAcceptedWallTime = Timestamp.now().nanoseconds }
            if appended.wasEmpty { condition.signal() }
        }
        return .taken(Outcome(accepted: appended.accepted, duplicates: appended.duplicates))
    }

    public struct Status: Sendable {
        public var queuedAlerts: Int
        public var lastCommitError: String?
        public var lastAcceptedWallTime: Int64?
        public var committedAlerts: Int
        public var fullTextBacklog: Int
        /// Alerts taken into the intake log and not yet moved into the history.
        public var journaled: Int
        /// Request batches the writer committed to the history.
        public var commits: Int
    }

    public var status: Status {
        let journaled = intakeLog.state.pending
        return condition.withLock {
            Status(queuedAlerts: queuedAlerts, lastCommitError: lastCommitError, lastAcceptedWallTime: lastAcceptedWallTime,
                   committedAlerts: committedAlerts, fullTextBacklog: fullTextBacklog, journaled: journaled,
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

    // The intake log is moved into the history in batches: when it holds `moveAt` alerts,
    // when the oldest has waited `moveMaxDelay`, or when requests pause for `moveAfterIdle`.
    // A lone alert moves after the pause; under a steady flow, much of a move's and of its
    // processing's work is per batch (the block's postings, each incident touched), so
    // fewer, larger batches leave more of the host's CPU to what it is there for.
    private var commitCount = 0
    static let moveAt = 1024
    static let moveAfterIdle: UInt64 = 2_000_000
    static let moveMaxDelay: UInt64 = 50_000_000
    /// Alerts per move (a backlog after an outage moves in transactions of this size).
    static let moveLimit = 4096

    private enum Work {
        case commit([Submission], [@Sendable (Int64) -> Void])
        case move([@Sendable (Int64) -> Void])
        case index
        case stop
    }

    /// When the intake log is due to move, given its state; nil when nothing waits.
    private static func moveDue(_ log: IntakeLog.State, now: UInt64) -> UInt64? {
        guard log.pending > 0 else { return nil }
        if log.pending >= moveAt { return now }
        return min(log.lastAppendUptime &+ moveAfterIdle, log.oldestUptime &+ moveMaxDelay)
    }

    private func writerLoop() {
        let backlog = (try? store.fullTextBacklogCount()) ?? 0
        condition.withLock { fullTextBacklog = backlog }
        drainLegacyJournal()
        while true {
            let work: Work = condition.withLock {
                while queue.isEmpty && running {
                    let now = DispatchTime.now().uptimeNanoseconds
                    if let due = Self.moveDue(intakeLog.state, now: now) {
                        if due <= now { break }
                        _ = condition.wait(until: Date(timeIntervalSinceNow: Double(due - now) / 1e9))
                        continue
                    }
                    if fullTextBacklog == 0 {
                        condition.wait()
                        continue
                    }
                    let idleSince = now &- max(lastCommitUptime, intakeLog.state.lastAppendUptime)
                    if idleSince >= Self.idleBeforeIndexing { break }
                    _ = condition.wait(until: Date(timeIntervalSinceNow: Double(Self.idleBeforeIndexing - idleSince) / 1e9))
                }
                let log = intakeLog.state
                if queue.isEmpty {
                    if log.pending > 0 { return .move(commitListeners) }
                    return running ? .index : .stop
                }
                // Alerts keep their order of arrival: what the log holds goes in first.
                if log.pending > 0 { return .move(commitListeners) }
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
                let (ok, newest) = moveIntakeLog()
                if let newest { for listener in listeners { listener(newest) } }
                if !ok {
                    // Stopping with a log that will not move: it waits beside the history for
                    // the next run. Running: try again after a pause instead of spinning.
                    if condition.withLock({ !running }) {
                        condition.withLock { finished = true; condition.broadcast() }
                        return
                    }
                    condition.withLock { _ = condition.wait(until: Date(timeIntervalSinceNow: 0.2)) }
                }
            case .commit(let batch, let listeners):
                let newest = commit(batch)
                if let newest { for listener in listeners { listener(newest) } }
            }
        }
    }

    /// Moves one batch from the intake log into the history (its position in the same
    /// transaction) and hands it to processing: false when the move failed (the log keeps the
    /// alerts); the newest id stored, if any.
    private func moveIntakeLog() -> (ok: Bool, newest: Int64?) {
        let result: CommitResult
        let batch: IntakeLog.Batch
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            guard let next = try intakeLog.nextBatch(limit: Self.moveLimit) else { return (true, nil) }
            batch = next
            result = try store.commit(CommitPlan(alerts: batch.alerts, origin: "serve", checkpoint: batch.checkpoint, fullText: .deferred))
        } catch {
            metrics.commitFailures.increment()
            condition.withLock { lastCommitError = "\(error)" }
            return (false, nil)
        }
        intakeLog.moved(batch)
        metrics.commitSeconds.record(Double(DispatchTime.now().uptimeNanoseconds &- started) / 1e9)
        metrics.commits.increment()
        metrics.batchSize.record(Double(batch.records))
        // Duplicates here are resends the intake log no longer remembered (the history is the
        // authority); the reply counted them as accepted.
        if result.duplicates > 0 { metrics.duplicates.increment(by: Int64(result.duplicates)) }
        let stored = result.added.map { StoredAlert(id: $0.id, alert: batch.alerts[$0.index]) }
        condition.withLock {
            lastCommitError = nil
            committedAlerts += result.inserted
            fullTextBacklog += result.inserted
            lastCommitUptime = DispatchTime.now().uptimeNanoseconds
        }
        processor?.submit(stored)
        return (true, result.added.last?.id)
    }

    /// Moves what an earlier version left in the SQLite intake journal (once, at start).
    private func drainLegacyJournal() {
        while let move = try? store.moveIntake(limit: Self.moveLimit) {
            let stored = move.result.added.compactMap { added in move.batch.alert(at: added.index).map { StoredAlert(id: added.id, alert: $0) } }
            condition.withLock {
                committedAlerts += move.result.inserted
                fullTextBacklog += move.result.inserted
            }
            processor?.submit(stored)
        }
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

    /// One transaction for the whole batch; returns the newest id stored, if any.
    private func commit(_ batch: [Submission]) -> Int64? {
        var alerts: [Alert] = []
        var rejects: [AlertStore.RejectRecord] = []
        var owner: [Int] = []     // alert index → submission index
        for (i, submission) in batch.enumerated() {
            alerts.append(contentsOf: submission.alerts)
            rejects.append(contentsOf: submission.rejects)
            owner.append(contentsOf: repeatElement(i, count: submission.alerts.count))
        }
        var outcomes = batch.map { Outcome(accepted: 0, duplicates: $0.alerts.count) }
        var acceptedByPriority = [Int](repeating: 0, count: Priority.allCases.count)
        let transactionStart = DispatchTime.now().uptimeNanoseconds
        let result: CommitResult
        do {
            result = try store.commit(CommitPlan(alerts: alerts, origin: "serve", rejects: rejects, fullText: .deferred))
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
            stored.append(StoredAlert(id: row.id, alert: alerts[row.index]))
        }
        processor?.submit(stored)
        condition.withLock {
            lastCommitError = nil
            commitCount += 1
            committedAlerts += result.inserted
            fullTextBacklog += result.inserted
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
        return result.added.last?.id
    }
}
