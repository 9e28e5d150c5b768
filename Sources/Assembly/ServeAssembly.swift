import AlertStore
import Config
import Notify
import Processor
import TradsecCore

/// `tradsec serve` put together: the processing step on the history, the intake pipeline
/// that feeds it, and the HTTP application over both.
public struct ProcessorAssembly {
    public let settings: ServeSettings
    public let store: AlertStore
    public let processing: ProcessingStep
    public let pipeline: IngestPipeline
    public let app: ProcessorApp
}

public enum ServeAssembly {
    /// Every section must be right: a processor must not run on a config it half read (78).
    /// `listen` is the `--listen` flag.
    public static func build(config: DecodedConfig, listen: String?, store: AlertStore, version: String) throws(AssemblyError) -> ProcessorAssembly {
        try config.requireAll()
        var settings = try config.required(ServeSettings.self)
        if let listen { settings.listen = listen }
        let metrics = ProcessorMetrics(version: version)
        let processing = try ProcessingStep(history: store, config: config, deliver: true, command: "serve")
        let pipeline: IngestPipeline
        do {
            pipeline = try IngestPipeline(store: store, processor: processing.processor, metrics: metrics,
                                          maxQueuedAlerts: settings.maxQueuedAlerts)
        } catch {
            throw .history("\(error)")
        }
        let deliver = processing.dispatcher
        let app = ProcessorApp(
            settings: settings, store: store, pipeline: pipeline, metrics: metrics, version: version,
            healthSections: { deliver.map { [("outbox", outboxHealth($0.stats()), true)] } ?? [] },
            extraMetrics: { deliver?.stats().prometheusText() ?? "" })
        return ProcessorAssembly(settings: settings, store: store, processing: processing, pipeline: pipeline, app: app)
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
