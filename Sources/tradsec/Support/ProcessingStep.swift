import AlertStore
import Feeds
import Notify
import Processor
import TradsecCore

/// The processing step (enrich → correlate → notify) as the commands run it, built from the
/// config file's `enrichment`, `correlation` and `notifications` sections: the same for
/// `serve`, `ingest`, `sense` and the console, so an alert is processed the same way wherever
/// it entered the history.
final class ProcessingStep {
    let processor: AlertProcessor
    /// Delivers queued notifications while this command runs (long-running commands only).
    private(set) var dispatcher: NotificationDispatcher?
    /// Runs the response rules' automatic actions.
    private(set) var responses: ResponseActions?

    /// `deliver`: also send what is queued (a long-running command); a one-shot ingest only
    /// queues, and `serve` or `tradsec notify run` delivers.
    init(history: AlertStore, configPath: String?, deliver: Bool, command: String) throws {
        let path = configPath ?? Paths.configDirectory + "/config.yaml"
        let settings: ProcessorConfig
        let notifications: NotificationConfig
        do {
            let (loaded, document) = try ProcessorConfig.load(path: path, explicit: configPath != nil)
            settings = loaded
            notifications = try document?.mapping?["notifications"].map { try NotificationConfig.parse(node: $0, source: path) }
                ?? NotificationConfig()
        } catch {
            throw CLIError("\(error)", exitCode: 78)
        }
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
                    Terminal.printError("tradsec \(command): notifications are queued but not sent from here: \(error)")
                }
            }
        }
        // The response rules' automatic actions (none unless a rule says `mode: auto`).
        let automatic = settings.response.rules.contains { $0.mode == .auto }
        responses = automatic ? ResponseActions(store: history, configPath: path,
                                                outbox: notifications.channels.isEmpty ? nil : NotificationOutbox(store: history, config: notifications))
            : nil
        processor = AlertProcessor(store: history, enricher: Enricher(config: settings.enrichment), correlation: settings.correlation,
                                   planner: planner, response: settings.response, executor: responses,
                                   owner: AlertProcessor.defaultOwner(command: command))
        if let problem = processor.enricher.problems.first { Terminal.printError("tradsec \(command): warning: \(problem)") }
    }

    func start() { processor.start() }

    /// An ingestor whose committed batches go on to processing.
    func ingestor(store: AlertStore, origin: String, batchSize: Int) -> AlertIngestor {
        let ingestor = AlertIngestor(store: store, origin: origin, batchSize: batchSize)
        let processor = self.processor
        ingestor.handOver = { batch, added in processor.submit(batch, added: added) }
        return ingestor
    }

    /// Lets processing reach `newest` (what this command stored), then stops it. Says so when
    /// another process holds the processing of this history (it will process them).
    func finish(through newest: Int64, command: String) {
        if newest > 0 && !processor.waitUntilProcessed(through: newest, timeout: 60) {
            let status = processor.status
            if !status.holdsLease {
                Terminal.printError("tradsec \(command): another process processes this history; it will take these alerts")
            } else if let error = status.lastError {
                Terminal.printError("tradsec \(command): processing is behind (\(TerminalSafe.escape(error))); the next run resumes it")
            }
        }
        processor.stop()
        responses?.waitUntilIdle()
        dispatcher?.stop()
    }
}
