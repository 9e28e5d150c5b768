@testable import Gauges
import Testing
import TradsecCore

@Suite struct ProcParsingTests {
    @Test func statFieldsAreCountedFromTheLastParenthesis() throws {
        // A process may call itself anything, including ") S 1 2 3": the last ')' ends the name.
        let line = "4242 (evil) S 1 2 3) R 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 98765 1000 200 18446744073709551615 1 1\n"
        let stat = try #require(ProcStat.parse(line))
        #expect(stat.pid == 4242)
        #expect(stat.comm == "evil) S 1 2 3")
        #expect(stat.cpuTicks == 300)
        #expect(stat.startTicks == 98765)
    }

    @Test func truncatedOrGarbageStatIsRefused() {
        #expect(ProcStat.parse("") == nil)
        #expect(ProcStat.parse("12 (x) S 1 2") == nil)
        #expect(ProcStat.parse("abc (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21") == nil)
    }

    @Test func residentMemoryIsReadInBytes() {
        #expect(ProcStatus.residentBytes("Name:\tfalco\nVmRSS:\t  409600 kB\n") == 409_600 * 1024)
        #expect(ProcStatus.residentBytes("Name:\tkthreadd\nState:\tS\n") == nil)
    }

    @Test func fixtureProcessIsFoundByNameAndByProgramPath() {
        let root = FixtureRoot()
        defer { root.remove() }
        root.process(pid: 812, comm: "falco", utime: 100, stime: 20, start: 300, rssKB: 100_000,
                     cmdline: ["/usr/bin/falco", "-c", "/etc/falco/falco.yaml"])
        root.process(pid: 900, comm: "falco", utime: 1, stime: 1, start: 9000, rssKB: 1000)   // a later child
        root.process(pid: 950, comm: "wrapper", utime: 1, stime: 1, start: 100, rssKB: 1000,
                     cmdline: ["/opt/falco/bin/falco-driver"])
        root.process(pid: 960, comm: "renamed", utime: 1, stime: 1, start: 50, rssKB: 1000, cmdline: ["/opt/bin/falco", "--x"])
        let proc = ProcSampler(root: root.path, ticksPerSecond: 100)
        // By comm or argv[0]'s file name, oldest first; a similar name is not a match.
        #expect(proc.find(named: "falco") == [960, 812, 900])
        let reading = proc.read(pid: 812, at: 10)
        #expect(reading?.cpuSeconds == 1.2)
        #expect(reading?.residentBytes == 100_000 * 1024)
        #expect(proc.read(pid: 4) == nil)
    }
}

/// Any local user can start a program called `falco`; found by name, only a process running
/// as Falco's user (root by default) counts, or a stand-in would show a dead Falco as alive.
@Suite struct FalcoTrustTests {
    @Test func aProcessNamedFalcoRunningAsAnotherUserIsNotTakenForFalco() throws {
        let root = FixtureRoot()
        defer { root.remove() }
        root.process(pid: 500, comm: "falco", utime: 10, stime: 1, start: 100, rssKB: 5000, uid: 1000)   // oldest: a stand-in
        var config = GaugesConfig.withoutFalcoProbes(process: .name("falco"))
        config.root = root.path
        let alone = GaugeCollector(config: config, store: nil).collect()
        #expect(alone.falco.state == .notFound("process 500 named falco runs as uid 1000, not 0: not trusted (gauges.falco.process_uid)"))
        #expect(alone.falco.memoryBytes == nil)
        #expect(ProcSampler(root: root.path).uid(pid: 500) == 1000)

        root.process(pid: 812, comm: "falco", utime: 100, stime: 20, start: 300, rssKB: 100_000, uid: 0)
        let both = GaugeCollector(config: config, store: nil).collect()
        #expect(both.falco.state == .live)
        #expect(both.falco.source == "pid 812 (falco), /proc")

        config.falco.processUID = nil      // the check off: the oldest of the name again
        #expect(GaugeCollector(config: config, store: nil).collect().falco.source == "pid 500 (falco), /proc")
    }
}

@Suite struct CgroupParsingTests {
    @Test func membershipSeparatesV1ControllersFromTheUnifiedPath() {
        let m = CgroupSampler.parseMembership("""
            12:pids:/libpod_parent/libpod-abc
            4:memory:/libpod_parent/libpod-abc
            3:cpu,cpuacct:/libpod_parent/libpod-abc
            1:name=systemd:/
            0::/libpod_parent/libpod-abc

            """)
        #expect(m.unifiedPath == "/libpod_parent/libpod-abc")
        #expect(m.controllerPaths["memory"] == "/libpod_parent/libpod-abc")
        #expect(m.controllerPaths["cpuacct"] == "/libpod_parent/libpod-abc")
        #expect(m.controllerPaths["cpu"] == "/libpod_parent/libpod-abc")
    }

    @Test func unifiedV2ReadsCpuStatMemoryCurrentAndMax() throws {
        let root = FixtureRoot()
        defer { root.remove() }
        root.write("/sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory pids\n")
        let dir = "/sys/fs/cgroup/system.slice/bot.service"
        root.write(dir + "/cpu.stat", "usage_usec 5000000\nuser_usec 4000000\nsystem_usec 1000000\n")
        root.write(dir + "/memory.current", "314572800\n")
        root.write(dir + "/memory.stat", "anon 200000000\nfile 114572800\ninactive_file 14572800\n")
        root.write(dir + "/memory.max", "1073741824\n")
        root.process(pid: 77, comm: "bot", utime: 1, stime: 1, rssKB: 1, cgroup: "0::/system.slice/bot.service\n")
        let cg = CgroupSampler(root: root.path)
        #expect(cg.layout == .unified)
        let r = try #require(cg.read(pid: 77))
        #expect(r.cpuNanoseconds == 5_000_000_000)
        #expect(r.memoryBytes == 300_000_000)
        #expect(r.memoryLimit == 1_073_741_824)
        // "max" is no limit.
        root.write(dir + "/memory.max", "max\n")
        #expect(cg.read(path: "/system.slice/bot.service")?.memoryLimit == nil)
        #expect(cg.read(path: "/system.slice/nothing") == nil)
    }

    @Test func legacyV1ReadsCpuacctAndMemoryControllers() throws {
        let root = FixtureRoot()
        defer { root.remove() }
        let path = "/docker/4f2a9c1b7e3d"
        root.write("/sys/fs/cgroup/cpu,cpuacct\(path)/cpuacct.usage", "2500000000\n")
        root.write("/sys/fs/cgroup/memory\(path)/memory.usage_in_bytes", "104857600\n")
        root.write("/sys/fs/cgroup/memory\(path)/memory.stat", "cache 5000000\ninactive_file 1000\ntotal_inactive_file 4857600\n")
        root.write("/sys/fs/cgroup/memory\(path)/memory.limit_in_bytes", "9223372036854771712\n")   // v1's "unlimited"
        root.process(pid: 88, comm: "python3", utime: 1, stime: 1, rssKB: 1,
                     cgroup: "4:memory:\(path)\n3:cpu,cpuacct:\(path)\n")
        let cg = CgroupSampler(root: root.path)
        #expect(cg.layout == .legacy)
        let r = try #require(cg.read(pid: 88))
        #expect(r.cpuNanoseconds == 2_500_000_000)
        #expect(r.memoryBytes == 100_000_000)
        #expect(r.memoryLimit == nil)
        root.write("/sys/fs/cgroup/memory\(path)/memory.limit_in_bytes", "268435456\n")
        #expect(cg.read(pid: 88)?.memoryLimit == 268_435_456)
    }

    @Test func hybridUsesV1ControllersAndFallsBackToTheUnifiedTree() throws {
        // This project's hosts: v1 cpu and cpuacct mounted separately, memory on v1, cgroup2 at unified/.
        let root = FixtureRoot()
        defer { root.remove() }
        root.write("/sys/fs/cgroup/unified/cgroup.controllers", "hugetlb\n")
        root.write("/sys/fs/cgroup/unified/bots/a/cpu.stat", "usage_usec 7000\n")
        root.write("/sys/fs/cgroup/memory/bots/a/memory.usage_in_bytes", "4096000\n")
        root.write("/sys/fs/cgroup/memory/bots/a/memory.stat", "total_inactive_file 96000\n")
        root.write("/sys/fs/cgroup/memory/bots/a/memory.limit_in_bytes", "8192000\n")
        root.process(pid: 99, comm: "bot", utime: 1, stime: 1, rssKB: 1,
                     cgroup: "4:memory:/bots/a\n2:cpuacct:/\n1:cpu:/\n0::/bots/a\n")
        let cg = CgroupSampler(root: root.path)
        #expect(cg.layout == .hybrid)
        // cpuacct is at the root of a v1 tree that has no usage file in the fixture: the unified cpu.stat is used.
        let r = try #require(cg.read(pid: 99))
        #expect(r.cpuNanoseconds == 7_000_000)
        #expect(r.memoryBytes == 4_000_000)
        #expect(r.memoryLimit == 8_192_000)
        // The v1 cpuacct root's usage is the whole host's: it must not stand for the bot's.
        root.write("/sys/fs/cgroup/cpuacct/cpuacct.usage", "123\n")
        #expect(cg.read(pid: 99)?.cpuNanoseconds == 7_000_000)
        // With the bot in its own v1 cpuacct group, that group's usage wins.
        root.write("/sys/fs/cgroup/cpuacct/bots/a/cpuacct.usage", "456\n")
        root.process(pid: 100, comm: "bot", utime: 1, stime: 1, rssKB: 1,
                     cgroup: "4:memory:/bots/a\n2:cpuacct:/bots/a\n1:cpu:/bots/a\n0::/bots/a\n")
        #expect(cg.read(pid: 100)?.cpuNanoseconds == 456)
    }
}

@Suite struct PrometheusTextTests {
    /// As Falco 0.39+ writes it: HELP/TYPE repeated before every sample of a family.
    static let falco = """
        # HELP falcosecurity_falco_version_info https://falco.org/docs/metrics/
        # TYPE falcosecurity_falco_version_info gauge
        falcosecurity_falco_version_info{version="0.39.0"} 1
        # HELP falcosecurity_scap_n_evts_total https://falco.org/docs/metrics/
        # TYPE falcosecurity_scap_n_evts_total counter
        falcosecurity_scap_n_evts_total 91439
        # HELP falcosecurity_scap_n_drops_buffer_total https://falco.org/docs/metrics/
        # TYPE falcosecurity_scap_n_drops_buffer_total counter
        falcosecurity_scap_n_drops_buffer_total{dir="enter",drop="clone_fork"} 3
        # HELP falcosecurity_scap_n_drops_buffer_total https://falco.org/docs/metrics/
        # TYPE falcosecurity_scap_n_drops_buffer_total counter
        falcosecurity_scap_n_drops_buffer_total{dir="exit",drop="clone_fork"} 4
        # HELP falcosecurity_falco_outputs_queue_num_drops_total https://falco.org/docs/metrics/
        # TYPE falcosecurity_falco_outputs_queue_num_drops_total counter
        falcosecurity_falco_outputs_queue_num_drops_total 2
        # HELP falcosecurity_scap_n_drops_scratch_map_total https://falco.org/docs/metrics/
        # TYPE falcosecurity_scap_n_drops_scratch_map_total counter
        falcosecurity_scap_n_drops_scratch_map_total 1
        # HELP falcosecurity_falco_memory_rss_bytes https://falco.org/docs/metrics/
        # TYPE falcosecurity_falco_memory_rss_bytes gauge
        falcosecurity_falco_memory_rss_bytes 4.718592e+08
        falcosecurity_falco_cpu_usage_ratio 0.031

        """

    @Test func falcoExpositionGivesDropCounters() throws {
        let text = PrometheusText.parse(Self.falco)
        #expect(text.problems.isEmpty)
        #expect(text.types["falcosecurity_scap_n_drops_buffer_total"] == "counter")
        let m = FalcoMetrics(text)
        // No n_drops_total: the per-reason counters (buffer, scratch map) are summed, once.
        #expect(m.kernelDrops == 8)
        #expect(m.outputQueueDrops == 2)
        #expect(m.otherDrops.isEmpty)
        #expect(m.totalDrops == 10)
        #expect(m.events == 91439)
        #expect(m.version == "0.39.0")
        #expect(m.memoryRSSBytes == 471_859_200)
        #expect(m.cpuRatio == 0.031)
        // The overall counter wins over the per-reason ones when Falco exposes it.
        let withTotal = PrometheusText.parse(Self.falco + "falcosecurity_scap_n_drops_total 9\n")
        #expect(FalcoMetrics(withTotal).kernelDrops == 9)
    }

    @Test func nonFiniteOrNegativeValuesReadAsAbsent() throws {
        // Whatever answers on Falco's port must not be able to trap the console's conversions.
        let text = PrometheusText.parse("""
            falcosecurity_scap_n_drops_total NaN
            falcosecurity_falco_outputs_queue_num_drops_total +Inf
            falcosecurity_scap_n_evts_total -5
            falcosecurity_falco_memory_rss_bytes +Inf
            falcosecurity_falco_cpu_usage_ratio NaN
            plugin_drops_total -Inf
            plugin_other_drops_total 4

            """)
        let m = FalcoMetrics(text)
        #expect(m.kernelDrops == nil && m.outputQueueDrops == nil && m.events == nil)
        #expect(m.memoryRSSBytes == nil && m.cpuRatio == nil)
        #expect(m.otherDrops == ["plugin_other_drops_total": 4])
        #expect(m.totalDrops == 4)
    }

    @Test func labelsEscapesSpecialValuesAndTimestamps() throws {
        let text = PrometheusText.parse("""
            # A comment line that is neither HELP nor TYPE
            # HELP http_requests_total Requests.\\nSecond line with a \\\\ backslash
            # TYPE http_requests_total counter
            http_requests_total{method="post",path="/a \\"quoted\\" \\\\ \\n",code="200",} 1027 1395066363000
            metric_without_timestamp_and_labels 12.47
            temperature{ room = "lab" } -Inf
            ratio NaN\r
            big +Inf

            """)
        #expect(text.help["http_requests_total"] == "Requests.\nSecond line with a \\ backslash")
        #expect(text.samples.count == 5)
        let first = text.samples[0]
        #expect(first.labels == ["method": "post", "path": "/a \"quoted\" \\ \n", "code": "200"])
        #expect(first.value == 1027)
        #expect(first.timestamp == 1_395_066_363_000)
        #expect(text.samples[1].value == 12.47)
        #expect(text.samples[2].labels == ["room": "lab"])
        #expect(text.samples[2].value == -.infinity)
        #expect(text.samples[3].value.isNaN)
        #expect(text.samples[4].value == .infinity)
        #expect(text.sum("http_requests_total") == 1027)
        #expect(text.sum("absent") == nil)
    }

    static let malformed: [(String, Int, PrometheusText.Kind, String)] = [
        ("ok 1\nbroken{a=\"x} 1\n", 2, .unterminatedLabelValue, "unexpected end of label value"),
        ("x{a=b} 1", 1, .unquotedLabelValue(label: "'a'"), "label value of 'a' must be quoted"),
        ("x 1 2 3", 1, .textAfterValue, "unexpected text after the sample's value"),
        ("x abc", 1, .notANumber("'abc'"), "'abc' is not a number"),
        ("x 1 soon", 1, .notATimestamp("'soon'"), "'soon' is not a timestamp (milliseconds)"),
        ("x{a=\"1\",a=\"2\"} 1", 1, .duplicateLabel("'a'"), "label 'a' given twice"),
        ("x{a=\"1\" b=\"2\"} 1", 1, .missingLabelSeparator, "expected ',' or '}' in label set"),
        ("x{a \"1\"} 1", 1, .missingEquals(label: "'a'"), "expected '=' after label 'a'"),
        ("x{=\"1\"} 1", 1, .missingLabelName, "expected a label name"),
        ("x{a=\"1\",", 1, .unterminatedLabelSet, "unterminated label set"),
        ("# TYPE x counter\n# TYPE x gauge\n", 2, .conflictingType("'x'", first: "counter", then: "gauge"), "'x' declared counter and then gauge"),
        ("# TYPE x countr\n", 1, .unknownMetricType("'countr'"), "unknown metric type 'countr'"),
        ("# HELP 9x text\n", 1, .invalidMetricName("'9x'"), "invalid metric name '9x'"),
        ("{a=\"1\"} 1", 1, .missingMetricName, "expected a metric name"),
        ("x", 1, .missingValue(metric: "'x'"), "sample 'x' has no value"),
    ]

    @Test(arguments: malformed)
    func malformedExpositionIsRefusedWithItsLine(input: String, line: Int, kind: PrometheusText.Kind, reason: String) {
        // Skipped and named with its line; the rest of the text is still read.
        let text = PrometheusText.parse(input)
        #expect(text.problems.count == 1)
        #expect(text.problems.first == PrometheusText.ParseError(line: line, kind: kind), "\(text.problems)")
        #expect(text.problems.first?.reason == reason)
    }
}

/// A plugin's odd line must not hide Falco's drop counters.
@Suite struct LenientMetricsTests {
    @Test func goodLinesAroundABadOneAreKept() {
        let text = PrometheusText.parse("""
            # TYPE falcosecurity_scap_n_drops_total counter
            falcosecurity_scap_n_drops_total 41
            some_plugin_metric{kind="odd} 3
            falcosecurity_falco_outputs_queue_num_drops_total 2
            """)
        #expect(text.sum("falcosecurity_scap_n_drops_total") == 41)
        #expect(text.sum("falcosecurity_falco_outputs_queue_num_drops_total") == 2)
        #expect(text.problems.map(\.line) == [3])
        #expect(FalcoMetrics(text).kernelDrops == 41)
    }
}

@Suite struct DockerStatsParsingTests {
    /// What podman 4.3 answers to stats?stream=false: precpu all zeros, memory without stats.
    static let podman = #"""
        {"read":"2026-11-22T11:10:33.1Z","preread":"0001-01-01T00:00:00Z","pids_stats":{"current":2},
         "blkio_stats":{},"num_procs":0,"storage_stats":{},
         "cpu_stats":{"cpu_usage":{"total_usage":2450000000,"percpu_usage":[1200000000,1250000000],"usage_in_kernelmode":1,"usage_in_usermode":2},"system_cpu_usage":81234500000000,"online_cpus":2,"throttling_data":{}},
         "precpu_stats":{"cpu_usage":{"total_usage":0,"usage_in_kernelmode":0,"usage_in_usermode":0},"system_cpu_usage":0,"online_cpus":0,"throttling_data":{}},
         "memory_stats":{"usage":5242880,"limit":268435456},"name":"bot1","Id":"c0ffee","networks":{"network":{}}}
        """#

    /// Docker 20.10 with its one-second pre-read, cgroup v1 memory stats.
    static let docker = #"""
        {"name":"/ai-trading-bot","id":"4f2a9c1b7e3d",
         "cpu_stats":{"cpu_usage":{"total_usage":3000000000},"system_cpu_usage":20000000000,"online_cpus":2},
         "precpu_stats":{"cpu_usage":{"total_usage":2500000000},"system_cpu_usage":18000000000},
         "memory_stats":{"usage":209715200,"limit":9223372036854771712,"stats":{"total_inactive_file":9715200,"cache":50000000}}}
        """#

    @Test func podmanReplyHasNoPreReadSoTheRateNeedsTwoSamples() throws {
        let s = try DockerStats.parse(Array(Self.podman.utf8))
        #expect(s.name == "bot1")
        #expect(s.id == "c0ffee")
        #expect(s.cpuTotal == 2_450_000_000)
        #expect(s.onlineCPUs == 2)
        #expect(s.cpuPercentFromPreRead == nil)
        #expect(s.memoryBytes == 5_242_880)
        #expect(s.memoryLimit == 268_435_456)
    }

    @Test func dockerReplyGivesCPUFromItsPreReadAndMemoryMinusInactiveCache() throws {
        let s = try DockerStats.parse(Array(Self.docker.utf8))
        #expect(s.name == "ai-trading-bot")
        // 0.5 s of CPU over 2 s of host time on 2 CPUs = 50 % of one CPU.
        #expect(s.cpuPercentFromPreRead == 50)
        #expect(s.memoryBytes == 200_000_000)
        #expect(s.memoryLimit == nil)   // the host's "unlimited"
    }

    @Test func notStatsIsAClearError() {
        #expect(throws: DockerStats.ParseError.self) { try DockerStats.parse(Array("<html>".utf8)) }
        #expect(throws: DockerStats.ParseError.self) { try DockerStats.parse(Array(#"{"message":"no such container"}"#.utf8)) }
    }

    @Test func containerNamesAreEscapedIntoThePath() {
        #expect(DockerStatsSampler.escape("ai-trading-bot_1.2") == "ai-trading-bot_1.2")
        #expect(DockerStatsSampler.escape("../x?y") == "..%2Fx%3Fy")
    }
}

@Suite struct SmallPartsTests {
    @Test func historyRingKeepsTheNewestValuesOldestFirst() {
        var ring = HistoryRing(capacity: 3)
        #expect(ring.values.isEmpty)
        for v in 1...5 { ring.append(Double(v)) }
        #expect(ring.values == [3, 4, 5])
        #expect(ring.count == 3)
    }

    @Test func thresholdLevels() {
        let t = Thresholds()
        #expect(Thresholds.level(memory: 300 << 20, limit: nil, warn: t.falcoMemoryWarn, critical: t.falcoMemoryCritical) == .ok)
        #expect(Thresholds.level(memory: 401 << 20, limit: nil, warn: t.falcoMemoryWarn, critical: t.falcoMemoryCritical) == .warning)
        #expect(Thresholds.level(memory: 900 << 20, limit: nil, warn: t.falcoMemoryWarn, critical: t.falcoMemoryCritical) == .critical)
        // A share of the limit means nothing without a limit.
        #expect(Thresholds.level(memory: 900 << 20, limit: nil, warn: t.botMemoryWarn, critical: t.botMemoryCritical) == .ok)
        #expect(Thresholds.level(memory: 85, limit: 100, warn: t.botMemoryWarn, critical: t.botMemoryCritical) == .warning)
        #expect(Thresholds.level(memory: 96, limit: 100, warn: t.botMemoryWarn, critical: t.botMemoryCritical) == .critical)
        #expect(Thresholds.level(95.0, warn: 50, critical: 90) == .critical)
        #expect(Thresholds.level(nil, warn: 50, critical: 90) == .ok)
    }

    @Test func formats() {
        #expect(GaugeFormat.bytes(400 << 20) == "400.0 MiB")
        #expect(GaugeFormat.bytes(3 << 29) == "1.5 GiB")
        #expect(GaugeFormat.bytes(2048) == "2 KiB")
        #expect(GaugeFormat.percent(12.345) == "12.3%")
        #expect(GaugeFormat.count(1_500_000) == "1.5M")
    }
}
