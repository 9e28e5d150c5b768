#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Foundation
import TradsecCore

/// An alert after processing: its id, the alert, and what enrichment and correlation added.
public struct ProcessedAlert: Sendable {
    public var id: Int64
    public var alert: Alert
    public var enrichment: AlertEnrichment
}

/// An incident that a batch opened, escalated or grew: its state after the batch, and each
/// step up in severity the batch's alerts caused, in order (a batch may hold a whole attack).
public struct IncidentEvent: Sendable {
    public struct Escalation: Sendable, Equatable {
        public var from: Priority
        public var to: Priority
    }
    public var incident: IncidentRecord
    /// The batch opened it.
    public var opened: Bool
    public var escalations: [Escalation]
}

/// Turns a processed batch into notifications (the outbox rows to queue with it). Values
/// only: the rows commit with the processing, so a notification exists exactly when the
/// processing that caused it does.
public protocol NotificationPlanner: Sendable {
    func outbox(for alerts: [ProcessedAlert], incidents: [IncidentEvent], responses: [ResponseDecision], now: Timestamp) -> [OutboxEntry]
}

/// Carries out what response rules decided to do on their own, after the processing that
/// decided it committed (its audit row is written then, `started`, and completed here).
public protocol ResponseExecutor: Sendable {
    func execute(_ decision: ResponseDecision, auditID: Int64)
}

/// What one processing commit did, for listeners (metrics, the live feed, the console).
public struct ProcessingReport: Sendable {
    public var alerts: Int
    public var through: Int64
    public var opened: Int
    public var escalated: Int
    public var incidents: [IncidentEvent]
    public var responses: [ResponseDecision]
}

/// The processing step every alert goes through once, whatever brought it into the history:
/// enrich → correlate → notify (and the response rules, when configured). It follows a cursor
/// kept in the history: its outputs and the new cursor commit together, so after a crash it
/// resumes exactly where it stopped, and nothing is processed twice. One process at a time
/// processes a history (a lease in the history decides which); the others only store alerts.
/// Alerts stored from a processor's feed (`processor=URL`) are passed by: that processor
/// processed them, and the console's mirror takes its enrichment and incidents.
///
/// Alerts committed by this process are handed over in memory (``submit(_:)``); anything else
/// (alerts another process stored, a hand-over dropped because the queue was full, a restart)
/// is read back from the history. Ingest never waits for processing: the commit that makes an
/// alert durable is the ingest's, processing trails it by the time one batch takes.
public final class AlertProcessor: @unchecked Sendable {
    public let store: AlertStore
    public let enricher: Enricher
    public let correlation: CorrelationConfig
    public let planner: NotificationPlanner?
    public let response: ResponseConfig
    public let executor: ResponseExecutor?
    /// Who processes: names this process in the history's lease.
    public let owner: String
    /// How long a lease lasts without renewal (another process takes over after it).
    public let lease: Int64
    /// Alerts held in the hand-over queue at most; beyond, hand-overs are dropped and read back.
    public let maxQueued: Int
    /// Alerts per processing commit at most.
    public let batchLimit: Int

    private let condition = NSCondition()
    /// The hand-over queue, in id order from `queueHead` (a head index, not removal from the
    /// front: a processing commit would otherwise move every alert still queued).
    private var queue: [HandedOver] = []
    private var queueHead = 0
    private var queuedCount: Int { queue.count - queueHead }

    /// Drops the queued alerts up to `id` (under the lock).
    private func dropQueued(through id: Int64) {
        while queueHead < queue.count && queue[queueHead].id <= id { queueHead += 1 }
        // Hand-overs from several threads may come out of id order: drop those too.
        if queue[queueHead...].contains(where: { $0.id <= id }) {
            queue.removeSubrange(0..<queueHead)
            queue.removeAll { $0.id <= id }
            queueHead = 0
        }
        if queueHead == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        } else if queueHead >= 4096 && queueHead * 2 >= queue.count {
            queue.removeSubrange(0..<queueHead)
            queueHead = 0
        }
    }
    private var running = false
    private var started = false
    private var finished = false
    private var listeners: [@Sendable (ProcessingReport) -> Void] = []

    // Under the lock, for status.
    private var cursor: Int64 = 0
    private var holdsLease = false
    /// The lease was asked for at least once (so `holdsLease` false means someone else has it).
    private var claimed = false
    private var lastError: String?
    private var openIncidents = 0
    private var processedAlerts = 0
    private var dropped = 0

    public init(store: AlertStore, enricher: Enricher, correlation: CorrelationConfig, planner: NotificationPlanner? = nil,
                response: ResponseConfig = ResponseConfig(), executor: ResponseExecutor? = nil,
                owner: String = AlertProcessor.defaultOwner(), lease: Int64 = 10_000_000_000, maxQueued: Int = 100_000,
                batchLimit: Int = 4096) {
        self.store = store
        self.enricher = enricher
        self.correlation = correlation
        self.planner = planner
        self.response = response
        self.executor = executor
        self.owner = owner
        self.lease = lease
        self.maxQueued = maxQueued
        self.batchLimit = batchLimit
    }

    /// `tradsec <command> pid N on HOST #random`: unique per process and readable in the history.
    public static func defaultOwner(command: String = CommandLine.arguments.dropFirst().first ?? "tradsec") -> String {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        let name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "tradsec \(command) pid \(getpid()) on \(name) #\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Called after each processing commit, on the processing thread.
    public func onProcessed(_ listener: @escaping @Sendable (ProcessingReport) -> Void) {
        condition.withLock { listeners.append(listener) }
    }

    public func start() {
        let first: Bool = condition.withLock {
            guard !started else { return false }
            started = true
            running = true
            return true
        }
        guard first else { return }
        let thread = Thread { [self] in run() }
        thread.name = "tradsec.processing"
        thread.start()
    }

    /// Processes what was handed over (or is in the history) up to now, then stops and gives
    /// the lease up, so another process can take over at once.
    public func stop() {
        condition.withLock {
            running = false
            condition.broadcast()
            while started && !finished { condition.wait() }
        }
    }

    /// Hands over alerts this process just committed, in id order.
    public func submit(_ alerts: [StoredAlert]) {
        enqueue(alerts.count) { $0.append(contentsOf: alerts.lazy.map { HandedOver(id: $0.id, alert: $0.alert) }) }
    }

    /// Hands over a committed batch. Its lines are decoded into whole alerts on the processing
    /// thread while it keeps up, so the committing thread (a follower, a socket listener) reads
    /// on sooner; once processing falls behind, the caller decodes them itself and the two
    /// share the work. Holding the batch keeps its buffer; the caller's next batch gets a new one.
    public func submit(_ batch: AlertBatch, added: [InsertedAlert]) {
        let behind = condition.withLock { queuedCount > 2 * batchLimit }
        guard behind else {
            enqueue(added.count) { $0.append(contentsOf: added.lazy.map { HandedOver(id: $0.id, batch: batch, index: $0.index) }) }
            return
        }
        let decoded = added.compactMap { a in batch.alert(at: a.index).map { StoredAlert(id: a.id, alert: $0) } }
        enqueue(decoded.count) { $0.append(contentsOf: decoded.lazy.map { HandedOver(id: $0.id, alert: $0.alert) }) }
    }

    private func enqueue(_ count: Int, _ append: (inout [HandedOver]) -> Void) {
        guard count > 0 else { return }
        condition.withLock {
            if queuedCount + count > maxQueued {
                // Read back from the history later: the cursor keeps nothing from being missed.
                dropped += count
            } else {
                append(&queue)
            }
            condition.signal()
        }
    }

    /// Wakes the processor to look at the history (another process stored alerts).
    public func poke() { condition.withLock { condition.signal() } }

    public struct Status: Sendable {
        public var cursor: Int64
        public var holdsLease: Bool
        /// The lease was asked for at least once (`holdsLease` false then means another has it).
        public var claimed: Bool
        public var owner: String
        public var lastError: String?
        public var openIncidents: Int
        public var processed: Int
        public var queued: Int
        /// Hand-overs dropped because the queue was full (read back from the history instead).
        public var droppedHandOvers: Int
    }

    public var status: Status {
        condition.withLock {
            Status(cursor: cursor, holdsLease: holdsLease, claimed: claimed, owner: owner, lastError: lastError, openIncidents: openIncidents,
                   processed: processedAlerts, queued: queuedCount, droppedHandOvers: dropped)
        }
    }

    /// Waits until everything stored up to `id` is processed here (tests, `ingest` before it
    /// exits); false when `timeout` seconds passed first, or, unless `awaitingLease`, as soon
    /// as another process turns out to hold the lease (it processes them).
    @discardableResult
    public func waitUntilProcessed(through id: Int64, timeout: Double = 30, awaitingLease: Bool = false) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        return condition.withLock {
            while cursor < id {
                if claimed && !holdsLease && !awaitingLease { return false }
                condition.signal()
                if !condition.wait(until: deadline) { return cursor >= id }
            }
            return true
        }
    }

    // MARK: - The processing thread

    private func run() {
        var correlator: Correlator?
        var rules = ResponseRules(config: response)
        var renewAt = Date.distantPast
        while true {
            let stopping = condition.withLock { !running }
            if Date() >= renewAt || correlator == nil {
                do {
                    let claim = try store.claimProcessing(owner: owner, lease: lease)
                    let held = condition.withLock { holdsLease }
                    // Taking the processing over (or back): the open incidents come from the history.
                    if claim != nil && (correlator == nil || !held) {
                        correlator = try Correlator.resume(store: store, config: correlation)
                        rules = try ResponseRules.resume(store: store, config: response)
                        if executor != nil { try store.failInterruptedResponses() }
                    }
                    if claim == nil { correlator = nil }
                    condition.withLock {
                        claimed = true
                        if let from = claim {
                            cursor = from
                            holdsLease = true
                            dropQueued(through: from)
                        } else {
                            holdsLease = false
                            queue.removeAll()
                            queueHead = 0
                        }
                        condition.broadcast()
                    }
                } catch {
                    condition.withLock { lastError = "\(error)" }
                }
                renewAt = Date(timeIntervalSinceNow: Double(lease) / 3e9)
            }
            guard var working = correlator else {
                if stopping { break }
                condition.withLock { _ = condition.wait(until: min(renewAt, Date(timeIntervalSinceNow: 1))) }
                continue
            }
            let from = condition.withLock { cursor }
            let chunk: [StoredAlert]
            do {
                chunk = try nextChunk(after: from, queuedOnly: stopping)
            } catch {
                condition.withLock { lastError = "\(error)" }
                if stopping { break }
                condition.withLock { _ = condition.wait(until: Date(timeIntervalSinceNow: 1)) }
                continue
            }
            if chunk.isEmpty {
                if stopping { break }
                // Nothing new: wait for a hand-over, a poke, or look again shortly (alerts
                // another process stored) and renew the lease in time.
                condition.withLock {
                    if queuedCount == 0 && running { _ = condition.wait(until: min(renewAt, Date(timeIntervalSinceNow: 0.5))) }
                }
                continue
            }
            do {
                let report = try process(chunk, from: from, correlator: &working, rules: &rules)
                correlator = working
                let notify: [@Sendable (ProcessingReport) -> Void] = condition.withLock {
                    cursor = report.through
                    processedAlerts += report.alerts
                    openIncidents = working.openCount
                    lastError = nil
                    dropQueued(through: report.through)
                    condition.broadcast()
                    return listeners
                }
                renewAt = Date(timeIntervalSinceNow: Double(lease) / 3e9)
                for listener in notify { listener(report) }
            } catch {
                // The commit failed or another process took the processing over: start again
                // from what the history says.
                condition.withLock {
                    lastError = "\(error)"
                    holdsLease = false
                }
                correlator = nil
                renewAt = .distantPast
                if stopping { break }
                condition.withLock { _ = condition.wait(until: Date(timeIntervalSinceNow: 0.5)) }
            }
        }
        try? store.releaseProcessing(owner: owner)
        condition.withLock {
            holdsLease = false
            finished = true
            condition.broadcast()
        }
    }

    /// The next alerts after `cursor`, in id order without a gap: from the hand-over queue
    /// when it continues the cursor, else from the history (not while stopping: a backlog in
    /// the history waits for the next run rather than hold up a shutdown).
    private func nextChunk(after cursor: Int64, queuedOnly: Bool) throws -> [StoredAlert] {
        let run: [HandedOver] = condition.withLock {
            guard queueHead < queue.count, queue[queueHead].id == cursor + 1 else { return [] }
            var run = 0
            while queueHead + run < queue.count, run < batchLimit, queue[queueHead + run].id == cursor + 1 + Int64(run) { run += 1 }
            return Array(queue[queueHead..<queueHead + run])
        }
        // Decoded outside the lock; the run ends before a line that no longer decodes, which
        // the history then answers for.
        var queued: [StoredAlert] = []
        queued.reserveCapacity(run.count)
        for handed in run {
            guard let alert = handed.decoded() else { break }
            queued.append(StoredAlert(id: handed.id, alert: alert))
        }
        if !queued.isEmpty || queuedOnly { return queued }
        return try store.alerts(after: cursor, matching: AlertQuery(limit: batchLimit))
    }

    /// Enriches and correlates `chunk`, plans its notifications, and commits it all with the
    /// cursor moved to its last id.
    private func process(_ chunk: [StoredAlert], from: Int64, correlator working: inout Correlator,
                         rules workingRules: inout ResponseRules) throws -> ProcessingReport {
        enricher.refreshIfDue()
        var copy = working
        var rules = workingRules
        let now = Timestamp.now()
        let switchedOn = response.rules.isEmpty ? true : (try store.responseSwitch().on)
        var decisions: [ResponseDecision] = []
        var processed: [ProcessedAlert] = []
        processed.reserveCapacity(chunk.count)
        var enriched: [EnrichedAlert] = []
        enriched.reserveCapacity(chunk.count)
        var incidents: [Int64: IncidentEvent] = [:]
        var opened = 0, escalated = 0
        // A processor's alerts (a console following one) carry the processor's processing.
        let fromProcessors = try store.alertsFromProcessors(after: from, through: chunk.last!.id)
        for stored in chunk where !fromProcessors.contains(stored.id) {
            let alert = stored.alert
            let container = alert.container
            var enrichment = enricher.enrich(alert, container: container)
            let observation = copy.observe(alert, container: container, enrichment: enrichment)
            enrichment.incidentID = observation.incident.id
            var event = incidents[observation.incident.id]
                ?? IncidentEvent(incident: observation.incident, opened: false, escalations: [])
            event.incident = observation.incident
            switch observation.change {
            case .opened:
                event.opened = true
                opened += 1
            case .escalated(let from):
                event.escalations.append(.init(from: from, to: observation.incident.severity))
                escalated += 1
            case .grew:
                break
            }
            incidents[observation.incident.id] = event
            decisions += rules.decide(alertID: stored.id, alert: alert, container: container, enrichment: enrichment,
                                      incident: observation.incident, switchedOn: switchedOn, now: now)
            processed.append(ProcessedAlert(id: stored.id, alert: alert, enrichment: enrichment))
            enriched.append(EnrichedAlert(id: stored.id, enrichment: enrichment))
        }
        // Each incident touched is written once per batch, titled then (not per alert).
        var ordered = incidents.values.sorted { $0.incident.id < $1.incident.id }
        for i in ordered.indices { ordered[i].incident.title = Correlator.title(ordered[i].incident) }
        let through = chunk.last!.id
        let who = AuditIdentity(user: "response rules (\(owner))")
        let records = ProcessedRecords(owner: owner, from: from, through: through, enrichment: enriched,
                                       incidents: ordered.map(\.incident),
                                       outbox: planner?.outbox(for: processed, incidents: ordered, responses: decisions, now: now) ?? [],
                                       audit: decisions.map { $0.auditRecord(who: who, now: now) })
        let result = try store.commit(CommitPlan(processed: records))
        copy.expire(now: now)
        working = copy
        workingRules = rules
        // Automatic actions run now that their decision is on record.
        if let executor {
            for (decision, auditID) in zip(decisions, result.auditIDs) where decision.mode == .auto {
                executor.execute(decision, auditID: auditID)
            }
        }
        return ProcessingReport(alerts: processed.count, through: through, opened: opened, escalated: escalated, incidents: ordered,
                                responses: decisions)
    }
}

/// An alert handed over for processing: decoded already, or a line of a committed batch.
private struct HandedOver {
    let id: Int64
    private let alert: Alert?
    private let batch: AlertBatch?
    private let index: Int

    init(id: Int64, alert: Alert) {
        self.id = id
        self.alert = alert
        batch = nil
        index = 0
    }

    init(id: Int64, batch: AlertBatch, index: Int) {
        self.id = id
        alert = nil
        self.batch = batch
        self.index = index
    }

    func decoded() -> Alert? { alert ?? batch?.alert(at: index) }
}
