import Foundation
import Prometheus
import TradsecCore

/// The processor's Prometheus metrics (swift-prometheus's registry, exposition text on /metrics).
/// Names follow Prometheus conventions: `tradsec_` prefix, base units, `_total` on counters,
/// HELP on every family (promtool lints for both).
public final class ProcessorMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    let received: [Priority: Counter]
    let duplicates: Counter
    let commits: Counter
    let commitFailures: Counter
    let fastPathAnswered: Counter
    let fastPathHandedOver: Counter
    let ingestLatency: ValueHistogram
    let batchSize: ValueHistogram
    let commitSeconds: ValueHistogram
    let queued: Gauge
    let streamClients: Gauge
    let connections: Gauge
    let incidentsOpened: Counter
    let incidentsEscalated: Counter
    let lastAlert: Gauge
    let startTime: Gauge
    let storedAlerts: Gauge
    private let labelled = LabelledCounters()

    public init(version: String) {
        func name(_ base: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "tradsec", metricName: base, unitName: unit, helpText: help)
        }
        let receivedName = name("alerts_received", "total", "Alerts accepted and committed to the history, by Falco priority.")
        var byPriority: [Priority: Counter] = [:]
        for p in Priority.allCases {
            byPriority[p] = registry.makeCounter(descriptor: receivedName, labels: [("priority", p.name.lowercased())])
        }
        received = byPriority
        duplicates = registry.makeCounter(descriptor: name("alerts_duplicate", "total", "Alerts received again (same JSON) and not stored twice."))
        commits = registry.makeCounter(descriptor: name("ingest_commits", "total", "Transactions committed by the ingest writer (each holds one or more requests)."))
        commitFailures = registry.makeCounter(descriptor: name("ingest_commit_failures", "total", "Transactions that failed; their requests were answered 5xx and nothing was acknowledged."))
        fastPathAnswered = registry.makeCounter(descriptor: name("http_fast_path_answered", "total",
                                                                  "Falco POSTs answered straight from the connection's bytes (counted in http_requests_total too)."))
        fastPathHandedOver = registry.makeCounter(descriptor: name("http_fast_path_handed_over", "total",
                                                                    "Connections handed to the full HTTP pipeline for the rest of their life (another route, an odd head, a refusal, a refused line)."))
        ingestLatency = registry.makeValueHistogram(
            descriptor: name("ingest_latency", "seconds", "Time from receiving an alert request to the commit of its alerts, per request."),
            labels: [], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5])
        batchSize = registry.makeValueHistogram(
            descriptor: name("ingest_batch", "alerts", "Alerts per committed transaction."),
            labels: [], buckets: [1, 4, 16, 64, 256, 1024, 4096])
        commitSeconds = registry.makeValueHistogram(
            descriptor: name("ingest_commit_duration", "seconds", "Time the writer spends in one transaction (insert, enrichment, correlation, outbox)."),
            labels: [], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1])
        queued = registry.makeGauge(descriptor: name("ingest_queued", "alerts", "Alerts received and waiting for the writer."))
        streamClients = registry.makeGauge(descriptor: name("stream", "clients", "Open /events/stream connections."))
        connections = registry.makeGauge(descriptor: name("http", "connections", "Open HTTP connections, streams included."))
        incidentsOpened = registry.makeCounter(descriptor: name("incidents_opened", "total", "Incidents opened by correlation."))
        incidentsEscalated = registry.makeCounter(descriptor: name("incidents_escalated", "total", "Times an incident's severity was raised by a sequence of attack stages."))
        lastAlert = registry.makeGauge(descriptor: name("last_alert_received_timestamp", "seconds", "Unix time of the last accepted alert."))
        startTime = registry.makeGauge(descriptor: name("start_time", "seconds", "Unix time the processor started."))
        storedAlerts = registry.makeGauge(descriptor: name("history", "alerts", "Alerts in the history (all feeds)."))
        let info = registry.makeGauge(descriptor: name("build", "info", "Version of the running processor."), labels: [("version", version)])
        info.set(to: 1.0)
        startTime.set(Double(Timestamp.now().nanoseconds) / 1e9)
    }

    func rejected(_ code: String) -> Counter {
        labelled.counter(code) {
            registry.makeCounter(descriptor: MetricNameDescriptor(namespace: "tradsec", metricName: "alerts_rejected", unitName: "total",
                                                                  helpText: "Alert lines refused, by reason."),
                                 labels: [("reason", code)])
        }
    }

    /// Connections the processor closed itself, by reason (``ConnectionRegistry/CloseReason``).
    func connectionClosed(_ reason: ConnectionRegistry.CloseReason) {
        let counter = labelled.counter("closed \(reason.rawValue)") {
            registry.makeCounter(descriptor: MetricNameDescriptor(namespace: "tradsec", metricName: "http_connections_closed", unitName: "total",
                                                                  helpText: "Connections closed by the processor: evicted to make room, refused when full, or past a timeout."),
                                 labels: [("reason", reason.rawValue)])
        }
        counter.increment()
    }

    /// HTTP requests by route and status class; both label sets are bounded.
    func request(route: String, status: Int) {
        requests(route: route, status: status).increment()
    }

    /// The counter ``request(route:status:)`` increments, for a caller that keeps it.
    func requests(route: String, status: Int) -> Counter {
        labelled.counter("http \(route) \(status)") {
            registry.makeCounter(descriptor: MetricNameDescriptor(namespace: "tradsec", metricName: "http_requests", unitName: "total",
                                                                  helpText: "HTTP requests answered, by route and status code."),
                                 labels: [("route", route), ("code", String(status))])
        }
    }

    /// The exposition text, with gauges that are read at scrape time brought up to date first.
    public func exposition(refresh: () -> Void) -> [UInt8] {
        refresh()
        var out: [UInt8] = []
        registry.emit(into: &out)
        return out
    }
}

/// Lazily made labelled counters, made once per label value.
final class LabelledCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var counters: [String: Counter] = [:]
    func counter(_ key: String, make: () -> Counter) -> Counter {
        lock.lock(); defer { lock.unlock() }
        if let c = counters[key] { return c }
        let c = make()
        counters[key] = c
        return c
    }
}
