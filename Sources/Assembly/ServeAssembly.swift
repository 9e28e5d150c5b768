import AlertStore
import Config
import Notify
import Processor
import TradsecCore

/// `tradsec serve` put together: the processing pipeline (enrichment, correlation, the
/// notification outbox) on the history, and the HTTP application over it.
public struct ProcessorAssembly {
    public let settings: ServeSettings
    public let store: AlertStore
    public let enricher: Enricher
    public let pipeline: IngestPipeline
    /// nil without channels, or when another dispatcher delivers from this history.
    public let dispatcher: NotificationDispatcher?
    public let app: ProcessorApp
    /// Why notifications are queued but not sent from here, if they are not.
    public let dispatcherProblem: String?
}

public enum ServeAssembly {
    /// Every section must be right: a processor must not run on a config it half read (78).
    /// `listen` is the `--listen` flag.
    public static func build(config: DecodedConfig, listen: String?, store: AlertStore, version: String) throws(AssemblyError) -> ProcessorAssembly {
        try config.requireAll()
        var settings = try config.required(ServeSettings.self)
        if let listen { settings.listen = listen }
        let notifications = try config.required(NotificationConfig.self)
        let metrics = ProcessorMetrics(version: version)
        let enricher = Enricher(config: try config.required(EnrichmentConfig.self))
        let correlation = try config.required(CorrelationConfig.self)
        let pipeline: IngestPipeline
        do {
            pipeline = try IngestPipeline(store: store, enricher: enricher, correlation: correlation,
                                          metrics: metrics, maxQueuedAlerts: settings.maxQueuedAlerts)
        } catch {
            throw .history("cannot resume correlation from the history: \(error)")
        }
        // Notifications: queued in the alert's own transaction, delivered by the dispatcher.
        var dispatcher: NotificationDispatcher?
        var problem: String?
        if !notifications.channels.isEmpty {
            let d = NotificationDispatcher(store: store, config: notifications)
            pipeline.add(sink: OutboxSink(outbox: d.outbox))
            do {
                try d.start()
                dispatcher = d
            } catch {
                // Another dispatcher (`tradsec notify run`) delivers from this history: still queue.
                problem = "\(error)"
            }
        }
        let deliver = dispatcher
        let app = ProcessorApp(
            settings: settings, store: store, pipeline: pipeline, metrics: metrics, version: version,
            healthSections: { deliver.map { [("outbox", outboxHealth($0.stats()), true)] } ?? [] },
            extraMetrics: { deliver?.stats().prometheusText() ?? "" })
        return ProcessorAssembly(settings: settings, store: store, enricher: enricher, pipeline: pipeline, dispatcher: dispatcher,
                                 app: app, dispatcherProblem: problem)
    }

    /// The outbox in `/health`. A receiver down for a while is not the processor failing:
    /// only reported (the section does not turn the health red).
    static func outboxHealth(_ stats: NotificationStats) -> JSONValue {
        var outbox = JSONObject()
        outbox.append("pending", .int(Int64(stats.pending)))
        outbox.append("failed", .int(Int64(stats.failed)))
        outbox.append("delivered", .int(Int64(stats.delivered)))
        outbox.append("oldest_pending_age_seconds", stats.oldestPendingAge.map { .double($0) } ?? .null)
        outbox.append("channels", .array(stats.channels.map { c in
            var o = JSONObject()
            o.append("name", .string(c.name))
            o.append("type", .string(c.type))
            o.append("pending", .int(Int64(c.pending)))
            o.append("failed", .int(Int64(c.failed)))
            if let error = c.lastError { o.append("last_error", .string(error)) }
            return .object(o)
        }))
        return .object(outbox)
    }
}
