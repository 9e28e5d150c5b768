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

    /// The samples read that were out of range (``usableRange``) and so ignored, as
    /// `name value`, in the order met: said in the gauges' metrics note, never used.
    public var outOfRange: [String] = []

    /// What a value read from Falco may be. Falco's counters and gauges are unsigned 64-bit
    /// integers or ratios, so NaN, infinities, negatives and anything above 2^64 are not
    /// readings (a broken or hostile endpoint): they read as absent instead of trapping a
    /// conversion or showing a drop count no Falco can have.
    public static let usableRange: ClosedRange<Double> = 0...18_446_744_073_709_551_616.0

    public init(_ text: PrometheusText) {
        var outOfRange: [String] = []
        var reported = Set<Int>()
        let samples = Array(text.samples.enumerated())
        func usable(_ entry: (offset: Int, element: PrometheusText.Sample)) -> Double? {
            let v = entry.element.value
            if !v.isNaN && Self.usableRange.contains(v) { return v }
            if reported.insert(entry.offset).inserted { outOfRange.append("\(entry.element.name) \(v)") }
            return nil
        }
        /// The sum of the usable samples named `name` (all label sets); nil when none is usable.
        func total(_ name: String) -> Double? {
            let values = samples.filter { $0.element.name == name }.compactMap(usable)
            return values.isEmpty ? nil : values.reduce(0, +)
        }
        // Without the overall counter, the per-reason ones (buffer, scratch map, page faults,
        // bug) add up to it.
        let perReason = samples.filter { $0.element.name.hasPrefix("falcosecurity_scap_n_drops_") && $0.element.name.hasSuffix("_total")
            && $0.element.name != Self.kernelDropsTotal }.compactMap(usable)
        kernelDrops = total(Self.kernelDropsTotal) ?? (perReason.isEmpty ? nil : perReason.reduce(0, +))
        outputQueueDrops = total(Self.outputQueueDropsTotal)
        events = total(Self.eventsTotal)
        cpuRatio = total("falcosecurity_falco_cpu_usage_ratio")
        memoryRSSBytes = total("falcosecurity_falco_memory_rss_bytes")
        version = text.samples.first { $0.name == "falcosecurity_falco_version_info" }?.labels["version"]
        let known: Set<String> = [Self.kernelDropsTotal, Self.kernelDropsBuffer, Self.outputQueueDropsTotal]
        // Per-reason kernel drop counters are parts of the kernel total, not more drops.
        for entry in samples where !known.contains(entry.element.name) && !entry.element.name.hasPrefix("falcosecurity_scap_n_drops")
            && entry.element.name.contains("drop") && entry.element.name.hasSuffix("_total") {
            guard let v = usable(entry) else { continue }
            otherDrops[entry.element.name, default: 0] += v
        }
        self.outOfRange = outOfRange
    }

    public init() {}

    /// Every drop counted, whatever the cause.
    public var totalDrops: Double {
        (kernelDrops ?? 0) + (outputQueueDrops ?? 0) + otherDrops.values.reduce(0, +)
    }
}
