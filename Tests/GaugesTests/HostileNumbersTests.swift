#if canImport(Glibc)
import Glibc
#endif
@testable import Gauges
import Testing
import TestSupport
import TradsecCore

/// Numbers from Falco's metrics endpoint and the container engine are peer input: huge,
/// negative and non-finite values must neither trap a conversion nor show as readings.
@Suite struct HostileNumbersTests {
    /// Out of range (1e300, 1e20, -1e300, NaN, +Inf, -Inf) beside valid but extreme values
    /// (2^64 bytes of memory, a CPU ratio of 1.8e19, a drop counter at UInt64.max).
    static let page = """
        # TYPE falcosecurity_scap_n_drops_total counter
        falcosecurity_scap_n_drops_total 1e300
        falcosecurity_falco_outputs_queue_num_drops_total 1e20
        falcosecurity_scap_n_evts_total -1e300
        falcosecurity_falco_cpu_usage_ratio{n="1"} NaN
        falcosecurity_falco_cpu_usage_ratio{n="2"} 1.8e19
        falcosecurity_falco_memory_rss_bytes{n="1"} +Inf
        falcosecurity_falco_memory_rss_bytes{n="2"} 18446744073709551616
        plugin_a_drops_total 18446744073709551615
        plugin_b_drops_total -Inf
        falcosecurity_falco_version_info{version="0.39.0"} 1

        """

    static func server() throws -> RecordingHTTPServer {
        try RecordingHTTPServer { request in
            request.path == "/metrics" ? .init(status: 200, body: page) : .init(status: 200, body: #"{"status": "ok"}"#)
        }
    }

    @Test func outOfRangeValuesReadAsAbsentAndAreListed() {
        let m = FalcoMetrics(PrometheusText.parse(Self.page))
        #expect(m.kernelDrops == nil && m.outputQueueDrops == nil && m.events == nil)
        #expect(m.cpuRatio == 1.8e19)
        #expect(m.memoryRSSBytes == 18_446_744_073_709_551_616.0)
        #expect(m.otherDrops == ["plugin_a_drops_total": 18_446_744_073_709_551_615.0])
        #expect(m.outOfRange == ["falcosecurity_scap_n_drops_total 1e+300", "falcosecurity_falco_outputs_queue_num_drops_total 1e+20",
                                 "falcosecurity_scap_n_evts_total -1e+300", "falcosecurity_falco_cpu_usage_ratio nan",
                                 "falcosecurity_falco_memory_rss_bytes inf", "plugin_b_drops_total -inf"])
        #expect(m.version == "0.39.0")
    }

    @Test func formatsTakeAnyDouble() {
        #expect(GaugeFormat.count(1e300) == "1.0e300")
        #expect(GaugeFormat.count(-1e300) == "-1.0e300")
        #expect(GaugeFormat.count(1e20) == "1.0e20")
        #expect(GaugeFormat.count(18_446_744_073_709_551_615.0) == "1.8e19")
        #expect(GaugeFormat.count(.nan) == "?")
        #expect(GaugeFormat.count(.infinity) == "∞")
        #expect(GaugeFormat.count(-.infinity) == "-∞")
        #expect(GaugeFormat.count(2.5e9) == "2.5G")
        #expect(GaugeFormat.count(999_999) == "999999")
        #expect(GaugeFormat.count(9.96e15) == "1.0e16")
        #expect(GaugeFormat.one(-0.5) == "-0.5")
        #expect(GaugeFormat.percent(1e300) == "1.0e300%")
        #expect(GaugeFormat.percent(.nan) == "?%")
        #expect(GaugeFormat.bytes(.max) == "17179869184.0 GiB")
        #expect(GaugeFormat.age(seconds: .nan) == "0s")
        #expect(GaugeFormat.age(seconds: -1e300) == "0s")
        #expect(GaugeFormat.age(seconds: 1e300) == GaugeFormat.age(seconds: 9e9))
        #expect(GaugeFormat.sparkLevel(.nan) == 0)
        #expect(GaugeFormat.sparkLevel(-1e300) == 0)
        #expect(GaugeFormat.sparkLevel(1e300) == 1_000_000_000_000)
        #expect(GaugeFormat.sparkLevel(12.34, scale: 10) == 123)
        #expect(Thresholds.level(memory: .max, limit: .max, warn: .ofLimit(0.8), critical: .ofLimit(1)) == .critical)
    }

    @Test func theCollectorAndTheReportSurviveAHostilePage() throws {
        let falco = try Self.server()
        defer { falco.stop() }
        var config = GaugesConfig()
        config.falco.process = .name("no-such-falco-\(getpid())")
        config.falco.healthzURL = falco.baseURL + "/healthz"
        config.falco.metricsURL = falco.baseURL + "/metrics"
        let collector = GaugeCollector(config: config, store: nil)
        _ = collector.collect()
        let s = collector.collect()
        // Falco out of sight: its own (extreme but valid) figures.
        #expect(abs((s.falco.cpuPercent ?? 0) - 1.8e21) < 1e9)
        #expect(s.falco.memoryBytes == .max)
        #expect(s.falco.level == .critical)
        #expect(s.falcoHealth.newDrops == 0)
        let table = GaugeReport.table(s)
        #expect(table.contains("falco     1.8e21%     17179869184.0 GiB"), "\(table)")
        #expect(table.contains("falco drops: kernel –, output queue –, plugin_a_drops_total 1.8e19, +0 since the last sample"), "\(table)")
        #expect(table.contains("falco metrics: 6 value(s) out of range ignored (NaN, infinite, negative or over 2^64), first: falcosecurity_scap_n_drops_total 1e+300"), "\(table)")
        let json = try JSONParser.parse(GaugeReport.json(s))
        #expect(json["falco"]?["memory_bytes"] == .uint(.max))
        #expect(json["falco_health"]?["kernel_drops"] == .null)
        #expect(json["falco_health"]?["other_drops"]?["plugin_a_drops_total"] != nil)
    }

    @Test func tradsecGaugesOnceOnAHostilePage() throws {
        let dir = makeTemporaryDirectory(prefix: "tradsec-gauges-hostile")
        defer { removeTree(dir) }
        let falco = try Self.server()
        defer { falco.stop() }
        writeFile(dir + "/config.yaml", """
            gauges:
              interval: 300ms
              falco:
                process: no-such-falco-\(getpid())
                healthz: \(falco.baseURL)/healthz
                metrics: \(falco.baseURL)/metrics

            """)
        for format in ["table", "json"] {
            let run = try #require(ChildProcess.start([ChildProcess.tradsec, "gauges", "--once", "--format", format,
                                                       "--config", dir + "/config.yaml", "--db", dir + "/none.sqlite"],
                                                      stdoutPath: dir + "/out-\(format)", stderrPath: dir + "/err-\(format)", environment: []))
            #expect(run.wait() == 0, "\(format): \(run.stderr)")
            if format == "table" {
                #expect(run.stdout.contains("1.8e21%"), "\(run.stdout)")
                #expect(run.stdout.contains("6 value(s) out of range ignored"), "\(run.stdout)")
            } else {
                let json = try JSONParser.parse(run.stdout.trimmingTrailingNewlines)
                #expect(json["falco_health"]?["metrics_error"]?.stringValue?.contains("out of range") == true)
                #expect(json["level"] == .string("critical"))
            }
        }
    }

    @Test func prometheusPagesCannotCostUnboundedMemory() {
        let many = String(repeating: "a 1\n", count: PrometheusText.maxSamples + 10)
        let parsed = PrometheusText.parse(many)
        #expect(parsed.samples.count == PrometheusText.maxSamples)
        #expect(parsed.problemCount == 1)
        #expect(parsed.problems.first?.kind == .tooManySamples)
        #expect(parsed.problems.first?.reason.contains("the rest of the page is not read") == true)
        let broken = PrometheusText.parse(String(repeating: "x{\n", count: 10_000))
        #expect(broken.problemCount == 10_000)
        #expect(broken.problems.count == PrometheusText.maxProblemsKept)
        let long = PrometheusText.parse("x " + String(repeating: "9", count: 100_000) + "z\n")
        #expect(long.problems.first?.reason == "'" + String(repeating: "9", count: 64) + "…' is not a number")
    }

    @Test func engineStatsWithAbsurdNumbersParseWithoutTrapping() throws {
        let absurd = """
            {"name":"/bot","id":"abc","cpu_stats":{"cpu_usage":{"total_usage":1e300,"percpu_usage":[1,2]},"system_cpu_usage":-5,
             "online_cpus":18446744073709551615},"precpu_stats":{"cpu_usage":{"total_usage":-1},"system_cpu_usage":1e300},
             "memory_stats":{"usage":1e300,"limit":-1,"stats":{"inactive_file":18446744073709551615}}}
            """
        let a = try DockerStats.parse(Array(absurd.utf8))
        #expect(a.cpuTotal == 0 && a.systemTotal == 0 && a.preCPUTotal == 0 && a.preSystemTotal == 0)
        #expect(a.onlineCPUs == 2, "an impossible CPU count is not believed")
        #expect(a.memoryBytes == nil && a.memoryLimit == nil)
        #expect(a.cpuPercentFromPreRead == nil)

        let extreme = """
            {"id":"abc","cpu_stats":{"cpu_usage":{"total_usage":18446744073709551615},"system_cpu_usage":18446744073709551615,"online_cpus":65536},
             "precpu_stats":{"cpu_usage":{"total_usage":1},"system_cpu_usage":1},"memory_stats":{"usage":18446744073709551615,"limit":18446744073709551615}}
            """
        let e = try DockerStats.parse(Array(extreme.utf8))
        #expect(e.onlineCPUs == 65536)
        #expect(e.memoryBytes == .max && e.memoryLimit == nil)
        let cpu = try #require(e.cpuPercentFromPreRead)
        #expect(GaugeFormat.percent(cpu) == "6553600.0%")

        let missing = try DockerStats.parse(Array(#"{"cpu_stats":{}}"#.utf8))
        #expect(missing.cpuTotal == 0 && missing.onlineCPUs == 1 && missing.memoryBytes == nil)
    }

    @Test func residentMemoryThatWouldOverflowSaturates() {
        #expect(ProcStatus.residentBytes("VmRSS:\t18446744073709551615 kB\n") == .max)
        #expect(ProcStatus.residentBytes("VmRSS:\t   100 kB\n") == 102_400)
    }
}
