import Gauges
import TradsecCore

/// Falco's Prometheus metrics as the gauges read them: served over HTTP to the real collector
/// (`GaugeCollector`, `FalcoHealthProbe`, `PrometheusText`, `FalcoMetrics`), two samples in a
/// row (drop counters become rates), printed by `tradsec gauges` (table and JSON). Every number
/// kept is finite and not negative, and the printed text holds no raw control characters.
///
/// Input: the metrics text of the first sample, then optionally "\n\n\n" and the second's.
enum PrometheusHarness {
    static let target = FuzzTarget(
        "prometheus",
        "Falco metrics text served to GaugeCollector (two samples) -> FalcoMetrics -> GaugeReport table/json: numbers finite, >= 0, text escaped",
        maxLength: 8192, dictionary: "prometheus"
    ) { bytes in check(bytes) }

    static let falco = ScriptedServer(name: "metrics", tcp: true)

    static func check(_ input: UnsafeRawBufferPointer) {
        var reader = ByteReader(input)
        let parts = reader.split(separator: [0x0A, 0x0A, 0x0A], limit: 2)
        let bodies = parts.count == 2 ? parts : [parts[0], parts[0]]
        falco.script(bodies.map { ScriptedServer.reply(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4")], body: $0) })

        var config = GaugesConfig()
        config.falco.process = nil
        config.falco.healthzURL = nil
        config.falco.metricsURL = "http://127.0.0.1:\(falco.port!)/metrics"
        let collector = GaugeCollector(config: config, store: nil)
        for _ in 0..<2 {
            let snapshot = collector.collect(now: Timestamp(nanoseconds: 1_795_338_000_000_000_000))
            let health = snapshot.falcoHealth
            if let m = health.metrics {
                let values = [("kernelDrops", m.kernelDrops), ("outputQueueDrops", m.outputQueueDrops), ("events", m.events),
                              ("cpuRatio", m.cpuRatio), ("memoryRSSBytes", m.memoryRSSBytes), ("totalDrops", m.totalDrops),
                              ("newDrops", health.newDrops)] + m.otherDrops.map { ($0.key, Optional($0.value)) }
                for case let (name, value?) in values {
                    Invariant.require(value.isFinite && value >= 0, "\(name) is \(value)")
                }
            }
            let table = GaugeReport.table(snapshot)
            Invariant.require(!table.unicodeScalars.contains { TerminalSafe.isUnsafe($0) && $0 != "\n" }, "the report prints raw control text:\n\(table)")
            let json = GaugeReport.json(snapshot)
            Invariant.require((try? JSONParser.parse(json)) != nil, "the JSON report does not parse:\n\(json)")
        }
        // The parser alone, on the text as it came: every skipped line is reported.
        let parsed = PrometheusText.parse(String(decoding: bodies[0], as: UTF8.self))
        for problem in parsed.problems { Invariant.require(problem.line >= 1, "problem at line \(problem.line)") }
    }
}
