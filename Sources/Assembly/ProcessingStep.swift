import Actions
import AlertStore
import Config
import Feeds
import Notify
import Processor
import TradsecCore

/// The processing step (enrich → correlate → respond → notify) as every command runs it, built
/// from the config's `enrichment`, `correlation`, `response` and `notifications` sections: the
/// same for `serve`, `ingest`, `sense` and the console's sources, so an alert is processed the
/// same way wherever it entered the history (and once: the processor's lease in the history).
public final class ProcessingStep {
    /// The sections the step reads; their errors stop the command that builds it (78).
    public static let sections: [any ConfigSection.Type] = [
        EnrichmentConfig.self, CorrelationConfig.self, ResponseConfig.self, NotificationConfig.self,
    ]

    public let processor: AlertProcessor
    /// Delivers queued notifications while this command runs (long-running commands only).
    public private(set) var dispatcher: NotificationDispatcher?
    /// Runs the response rules' automatic actions.
    public private(set) var responses: ResponseActions?
    /// What the command should say once (a missing threat-intelligence list, notifications
    /// that another process delivers).
    public private(set) var warnings: [String] = []

    /// `deliver`: also send what is queued (a long-running command); a one-shot ingest only
    /// queues, and `serve` or `tradsec notify run` delivers. `overrides` replaces sections the
    /// config lacks with built-in ones (the demo's correlation and response rule).
    public init(history: AlertStore, config: DecodedConfig, deliver: Bool, command: String,
                overrides: Overrides = Overrides()) throws(AssemblyError) {
        try config.require(Self.sections)
        let enrichment = try config.required(EnrichmentConfig.self)
        var correlation = try config.required(CorrelationConfig.self)
        if let given = overrides.correlation { correlation = given }
        var response = try config.required(ResponseConfig.self)
        if let given = overrides.response { response = given }
        let notifications = try config.required(NotificationConfig.self)
        var planner: OutboxPlanner?
        if !notifications.channels.isEmpty {
            let d = NotificationDispatcher(store: history, config: notifications)
            planner = OutboxPlanner(outbox: d.outbox)
            if deliver {
                do {
                    try d.start()
                    dispatcher = d
                } catch {
                    // Another dispatcher (serve, `tradsec notify run`) delivers from this history.
                    warnings.append("notifications are queued but not sent from here: \(error)")
                }
            }
        }
        // The response rules' automatic actions (none unless a rule says `mode: auto`).
        if response.rules.contains(where: { $0.mode == .auto }) {
            responses = ResponseActions(store: history, actions: config.result(ActionsConfig.self),
                                        outbox: notifications.channels.isEmpty ? nil : NotificationOutbox(store: history, config: notifications))
        }
        processor = AlertProcessor(store: history, enricher: Enricher(config: enrichment), correlation: correlation,
                                   planner: planner, response: response, executor: responses,
                                   owner: AlertProcessor.defaultOwner(command: command))
        warnings += processor.enricher.problems.map { "warning: \($0)" }
    }

    /// Sections given by the command instead of the config's.
    public struct Overrides: Sendable {
        public var correlation: CorrelationConfig?
        public var response: ResponseConfig?
        public init(correlation: CorrelationConfig? = nil, response: ResponseConfig? = nil) {
            self.correlation = correlation
            self.response = response
        }
    }

    public func start() { processor.start() }

    /// An ingestor whose committed batches go on to processing.
    public func ingestor(store: AlertStore, origin: String, batchSize: Int) -> AlertIngestor {
        let ingestor = AlertIngestor(store: store, origin: origin, batchSize: batchSize)
        let processor = self.processor
        ingestor.handOver = { batch, added in processor.submit(batch, added: added) }
        return ingestor
    }

    /// Why processing did not reach what this command stored.
    public enum Behind: Sendable, Equatable {
        /// Another process holds the processing of this history (it will take these alerts).
        case otherProcess
        /// Processing failed (the next run resumes it).
        case failing(String)
    }

    /// Lets processing reach `newest` (what this command stored), then stops it; says why
    /// it did not, if it did not.
    @discardableResult
    public func finish(through newest: Int64, timeout: Double = 60) -> Behind? {
        var behind: Behind?
        if newest > 0 && !processor.waitUntilProcessed(through: newest, timeout: timeout) {
            let status = processor.status
            if !status.holdsLease {
                behind = .otherProcess
            } else if let error = status.lastError {
                behind = .failing(TerminalSafe.escape(error))
            }
        }
        processor.stop()
        responses?.waitUntilIdle()
        dispatcher?.stop()
        return behind
    }
}
