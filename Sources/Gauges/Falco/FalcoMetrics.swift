/// What tradsec reads from Falco's Prometheus endpoint (`webserver.prometheus_metrics_enabled`).
/// Metric names as Falco 0.38+ exposes them (falco.org/docs/metrics/falco-metrics).
public struct FalcoMetrics: Equatable, Sendable {
    /// Kernel events dropped (`falcosecurity_scap_n_drops_total`, else the sum of the
    /// per-reason `falcosecurity_scap_n_drops_*_total` counters).
    public var kernelDrops: Double?
    /// Alerts dropped because the output queue was full (`falcosecurity_falco_outputs_queue_num_drops_total`).
    public var outputQueueDrops: Double?
    /// Kernel events seen (`falcosecurity_scap_n_evts_total`).
    public var events: Double?
    /// Every other counter whose name says "drop" (older or plugin metrics), by name.
    public var otherDrops: [String: Double] = [:]
    /// Falco's own view of itself, used when its process is not visible from here (another pid namespace).
    public var cpuRatio: Double?
    public var memoryRSSBytes: Double?
    public var version: String?

    public static let kernelDropsTotal = "falcosecurity_scap_n_drops_total"
    public static let kernelDropsBuffer = "falcosecurity_scap_n_drops_buffer_total"
    public static let outputQueueDropsTotal = "falcosecurity_falco_outputs_queue_num_drops_total"
    public static let eventsTotal = "falcosecurity_scap_n_evts_total"

    public init(_ text: PrometheusText) {
        // The endpoint is not trusted: NaN, infinities and negative counters would trap the
        // console's integer conversions, so they read as absent.
        func usable(_ v: Double?) -> Double? { v.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil } }
        // Without the overall counter, the per-reason ones (buffer, scratch map, page faults,
        // bug) add up to it.
        let perReason = text.samples.filter { $0.name.hasPrefix("falcosecurity_scap_n_drops_") && $0.name.hasSuffix("_total")
            && $0.name != Self.kernelDropsTotal }.compactMap { usable($0.value) }
        kernelDrops = usable(text.sum(Self.kernelDropsTotal)) ?? (perReason.isEmpty ? nil : perReason.reduce(0, +))
        outputQueueDrops = usable(text.sum(Self.outputQueueDropsTotal))
        events = usable(text.sum(Self.eventsTotal))
        cpuRatio = usable(text.sum("falcosecurity_falco_cpu_usage_ratio"))
        memoryRSSBytes = usable(text.sum("falcosecurity_falco_memory_rss_bytes"))
        version = text.samples.first { $0.name == "falcosecurity_falco_version_info" }?.labels["version"]
        let known: Set<String> = [Self.kernelDropsTotal, Self.kernelDropsBuffer, Self.outputQueueDropsTotal]
        // Per-reason kernel drop counters are parts of the kernel total, not more drops.
        for s in text.samples where !known.contains(s.name) && !s.name.hasPrefix("falcosecurity_scap_n_drops")
            && s.name.contains("drop") && s.name.hasSuffix("_total") {
            guard let v = usable(s.value) else { continue }
            otherDrops[s.name, default: 0] += v
        }
    }

    public init() {}

    /// Every drop counted, whatever the cause.
    public var totalDrops: Double {
        (kernelDrops ?? 0) + (outputQueueDrops ?? 0) + otherDrops.values.reduce(0, +)
    }
}
