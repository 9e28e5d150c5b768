import AlertStore
import Config
import Console
import Notify
import Processor
import Sensor
import TradsecCore

/// `tradsec serve` put together: the processing step on the history, the intake pipeline
/// that feeds it, and the HTTP application over both.
public struct ProcessorAssembly {
    public let settings: ServeSettings
    public let store: AlertStore
    public let processing: ProcessingStep
    public let pipeline: IngestPipeline
    public let app: ProcessorApp
    /// The host sensor (`--sensor`): start it after the processing step, stop it before.
    public let sensor: ConsoleSource?
    /// Why the sensor asked for is not running; nil when it runs or none was asked for.
    public var sensorFailure: String? { (sensor as? HostSource)?.failure }
}

public enum ServeAssembly {
    /// Every section must be right: a processor must not run on a config it half read (78).
    /// `listen` is the `--listen` flag; `sensor` (`--sensor`) also runs the host sensor in the
    /// processor, on `sensor.rules` (else the trading pack): its alerts are stored and processed
    /// like the others, /metrics gains the `tradsec_sensor_*` families and /health a `sensor`
    /// section. A sensor the machine cannot run is reported there (`tradsec_sensor_up 0`) and
    /// the processor serves on.
    public static func build(config: DecodedConfig, listen: String?, store: AlertStore, version: String,
                             sensor withSensor: Bool = false) throws(AssemblyError) -> ProcessorAssembly {
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
        let host = withSensor ? try SensorAssembly.hostSource(rules: [], config: config, processor: processing.processor) : nil
        let app = ProcessorApp(
            settings: settings, store: store, pipeline: pipeline, metrics: metrics, version: version,
            healthSections: {
                (deliver.map { [("outbox", outboxHealth($0.stats()), true)] } ?? []) + (host.map { [("sensor", sensorHealth($0), true)] } ?? [])
            },
            extraMetrics: { (deliver?.stats().prometheusText() ?? "") + (host.map { SensorMetrics.text($0.statistics()) } ?? "") })
        return ProcessorAssembly(settings: settings, store: store, processing: processing, pipeline: pipeline, app: app, sensor: host)
    }

    /// The sensor in `/health`: running or why not, and what it lost. Reported only: a sensor
    /// the machine cannot run does not turn the processor's health red (`tradsec_sensor_up`
    /// is the metric to alert on).
    static func sensorHealth(_ host: HostSource) -> JSONValue {
        var o = JSONObject()
        guard let stats = host.statistics() else {
            o.append("state", .string("failed"))
            o.append("error", .string(host.failure ?? "not running"))
            return .object(o)
        }
        o.append("state", .string("running"))
        o.append("events", .uint(stats.received))
        o.append("alerts", .uint(stats.alerts))
        o.append("drops", .object(JSONObject(DropReason.allCases.map { ($0.rawValue, .uint(stats.drops[$0] ?? 0)) })))
        o.append("rules_skipped", .int(Int64(stats.skippedRules)))
        return .object(o)
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
