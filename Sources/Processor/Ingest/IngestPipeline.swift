#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Dispatch
import Foundation
import GRDB
import TradsecCore

/// An alert after processing: its row id, the alert, and what enrichment and correlation added.
public struct ProcessedAlert: Sendable {
    public var id: Int64
    public var alert: Alert
    public var enrichment: AlertEnrichment
}

/// An incident that a batch opened or escalated.
public struct IncidentEvent: Sendable {
    public var incident: IncidentRecord
    public var change: Correlator.Change
}

/// Receives each committed batch inside its transaction: the notification outbox enqueues
/// here, so an alert and the notifications it causes are committed together or not at all.
public protocol ProcessedSink: AnyObject, Sendable {
    func record(alerts: [ProcessedAlert], incidents: [IncidentEvent], db: Database) throws
}

/// The single writer: requests hand their decoded alerts to it, and it commits whatever has
/// queued up in one transaction (group commit), enriches and correlates inside that
/// transaction, and only then completes the requests. So a 2xx always means committed, and
/// many small requests cost one commit instead of one each.
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
    public let enricher: Enricher
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
    private var correlator: Correlator
    private var sinks: [ProcessedSink] = []
    private var commitListeners: [@Sendable (Int64) -> Void] = []

    // Read by /health (under the lock).
    private var lastCommitError: String?
    private var lastAcceptedWallTime: Int64?
    private var committedAlerts = 0

    public init(store: AlertStore, enricher: Enricher, correlation: CorrelationConfig, metrics: ProcessorMetrics,
                maxQueuedAlerts: Int = 200_000, maxBatch: Int = 4096) throws {
        self.store = store
        self.enricher = enricher
        self.metrics = metrics
        self.maxQueuedAlerts = maxQueuedAlerts
        self.maxBatch = maxBatch
        self.correlator = try Correlator.resume(store: store, config: correlation)
    }

    /// Adds a sink (before ``start()``).
    public func add(sink: ProcessedSink) { sinks.append(sink) }

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
        public var openIncidents: Int
        public var fullTextBacklog: Int
    }

    public var status: Status {
        condition.withLock {
            Status(queuedAlerts: queuedAlerts, lastCommitError: lastCommitError, lastAcceptedWallTime: lastAcceptedWallTime,
                   committedAlerts: committedAlerts, openIncidents: correlator.openCount, fullTextBacklog: fullTextBacklog)
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

    private enum Work {
        case commit([Submission], [@Sendable (Int64) -> Void])
        case index
        case stop
    }

    private func writerLoop() {
        let backlog = (try? store.fullTextBacklogCount()) ?? 0
        condition.withLock { fullTextBacklog = backlog }
        while true {
            let work: Work = condition.withLock {
                while queue.isEmpty && running {
                    if fullTextBacklog == 0 {
                        condition.wait()
                        continue
                    }
                    let idleSince = DispatchTime.now().uptimeNanoseconds &- lastCommitUptime
                    if idleSince >= Self.idleBeforeIndexing { break }
                    _ = condition.wait(until: Date(timeIntervalSinceNow: Double(Self.idleBeforeIndexing - idleSince) / 1e9))
                }
                if queue.isEmpty { return running ? .index : .stop }
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
            case .commit(let batch, let listeners):
                let newest = commit(batch)
                if let newest { for listener in listeners { listener(newest) } }
            }
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

    /// One transaction for the whole batch; returns the newest row id when it committed.
    private func commit(_ batch: [Submission]) -> Int64? {
        enricher.refreshIfDue()
        var alerts: [Alert] = []
        var rejects: [AlertStore.RejectRecord] = []
        var owner: [Int] = []     // alert index → submission index
        for (i, submission) in batch.enumerated() {
            alerts.append(contentsOf: submission.alerts)
            rejects.append(contentsOf: submission.rejects)
            owner.append(contentsOf: repeatElement(i, count: submission.alerts.count))
        }
        var outcomes = batch.map { Outcome(accepted: 0, duplicates: $0.alerts.count) }
        var working = correlator
        var opened = 0, escalated = 0
        var acceptedByPriority = [Int](repeating: 0, count: Priority.allCases.count)
        var newestID: Int64?
        let sinks = self.sinks
        let transactionStart = DispatchTime.now().uptimeNanoseconds
        do {
            try store.insert(alerts, origin: "serve", rejects: rejects, fullText: .deferred) { db, added in
                var processed: [ProcessedAlert] = []
                processed.reserveCapacity(added.count)
                var incidents: [Int64: IncidentEvent] = [:]
                for row in added {
                    let alert = alerts[row.index]
                    let container = alert.container
                    var enrichment = self.enricher.enrich(alert, container: container)
                    let observation = working.observe(alert, container: container, enrichment: enrichment)
                    enrichment.incidentID = observation.incident.id
                    try ProcessingWriter.saveEnrichment(enrichment, alertID: row.id, db: db)
                    // Keep the first change that matters (opened beats escalated beats grew).
                    let previous = incidents[observation.incident.id]?.change
                    let change: Correlator.Change
                    switch (previous, observation.change) {
                    case (.opened?, _): change = .opened
                    case (.escalated(let from)?, .grew): change = .escalated(from: from)
                    default: change = observation.change
                    }
                    if case .opened = observation.change { opened += 1 }
                    if case .escalated = observation.change { escalated += 1 }
                    incidents[observation.incident.id] = IncidentEvent(incident: observation.incident, change: change)
                    processed.append(ProcessedAlert(id: row.id, alert: alert, enrichment: enrichment))
                    outcomes[owner[row.index]].accepted += 1
                    outcomes[owner[row.index]].duplicates -= 1
                    acceptedByPriority[alert.priority.rawValue] += 1
                    newestID = row.id
                }
                // Each incident touched is written once per batch, titled then (not per alert).
                var ordered = incidents.values.sorted { $0.incident.id < $1.incident.id }
                for i in ordered.indices {
                    ordered[i].incident.title = Correlator.title(ordered[i].incident)
                    try ProcessingWriter.saveIncident(ordered[i].incident, db: db)
                }
                for sink in sinks { try sink.record(alerts: processed, incidents: ordered, db: db) }
            }
        } catch {
            metrics.commitFailures.increment()
            condition.withLock { lastCommitError = "\(error)" }
            for submission in batch { submission.completion(.failure(error)) }
            return nil
        }
        let committedAt = DispatchTime.now().uptimeNanoseconds
        metrics.commitSeconds.record(Double(committedAt - transactionStart) / 1e9)
        working.expire(now: .now())
        condition.withLock {
            correlator = working
            lastCommitError = nil
            let accepted = outcomes.reduce(0) { $0 + $1.accepted }
            committedAlerts += accepted
            fullTextBacklog += accepted
            lastCommitUptime = DispatchTime.now().uptimeNanoseconds
            if accepted > 0 { lastAcceptedWallTime = Timestamp.now().nanoseconds }
        }
        metrics.commits.increment()
        metrics.batchSize.record(Double(alerts.count))
        if opened > 0 { metrics.incidentsOpened.increment(by: Int64(opened)) }
        if escalated > 0 { metrics.incidentsEscalated.increment(by: Int64(escalated)) }
        if newestID != nil { metrics.lastAlert.set(Double(Timestamp.now().nanoseconds) / 1e9) }
        for (priority, count) in acceptedByPriority.enumerated() where count > 0 {
            if let p = Priority(rawValue: priority) { metrics.received[p]?.increment(by: Int64(count)) }
        }
        for (i, submission) in batch.enumerated() {
            let seconds = Double(committedAt &- submission.received) / 1e9
            metrics.ingestLatency.record(seconds)   // once per request: a lock per alert is not worth it
            metrics.duplicates.increment(by: Int64(outcomes[i].duplicates))
            submission.completion(.success(outcomes[i]))
        }
        return newestID
    }
}
