#if canImport(Glibc)
import Glibc
#endif
@testable import Gauges
import Testing
import TestSupport

/// The bot gauge fed by a real container engine's stats API (podman's Docker-compatible
/// service). One engine for the whole suite: a single test walks through the cases, so the
/// engine is started once and torn down once, even when an expectation fails.
@Suite(.serialized, .timeLimit(.minutes(3))) struct DockerStatsEngineTests {
    @Test func aBusyContainersStatsFeedTheBotGauge() throws {
        let engine = try PodmanEngine()
        defer { engine.stop() }
        let name = "tradsec-gauges-bot-\(getpid())"
        try engine.runContainer(name: name, memory: "256m", script: #"trap "exit 0" TERM; while :; do :; done"#)

        var config = GaugesConfig.withoutFalcoProbes()
        config.bot.container = name
        config.bot.dockerSocket = engine.socket
        let collector = GaugeCollector(config: config, store: nil)
        let first = collector.collect()
        #expect(first.bot.state == .live, "\(first.bot.absence ?? "")")
        #expect(first.bot.source == "container \(name), Docker API \(engine.socket)")
        // podman does not pre-read: no rate until our second sample.
        #expect(first.bot.cpuPercent == nil)
        #expect(first.bot.memoryLimit == 256 << 20)
        #expect((first.bot.memoryBytes ?? 0) > 0)

        // The truth: the kernel's CPU clock of the container's process (its only one), over
        // the same windows. The machine is shared, so the share varies; the gauge must match.
        let pid = try #require(pid_t(try engine.run(["/usr/bin/podman", "inspect", "--format", "{{.State.Pid}}", name]).trimmed))
        var clock = try #require(CPUClock(pid: pid))
        var last = first
        var measured: [(gauge: Double, kernel: Double)] = []
        for _ in 0..<3 {
            usleep(1_000_000)
            last = collector.collect()
            measured.append((last.bot.cpuPercent ?? -1, clock.percentSinceLastRead()))
        }
        // The first window began before the inspect call: compare the later ones.
        for m in measured.dropFirst() {
            #expect(abs(m.gauge - m.kernel) < 15, "stats \(m.gauge) % vs kernel \(m.kernel) %")
        }
        #expect((measured.map(\.gauge).max() ?? 0) > 20, "the container spins: \(measured)")
        #expect(last.bot.cpuHistory.count >= 1)
        #expect(last.bot.memoryLevel == .ok)
        #expect(GaugeReport.table(last).contains("/ 256.0 MiB"))

        // A container that does not exist is "not found", and the engine's API still works.
        config.bot.container = "tradsec-gauges-no-such-\(getpid())"
        let missing = GaugeCollector(config: config, store: nil).collect()
        #expect(missing.bot.state == .notFound("no container '\(config.bot.container!)'"))
        #expect(missing.bot.absence?.hasPrefix("bot: not found") == true)
    }

    @Test func noEngineOnTheSocketIsUnavailableNotZero() throws {
        let dir = makeTemporaryDirectory(prefix: "tradsec-gauges-noengine")
        defer { removeTree(dir) }
        var config = GaugesConfig.withoutFalcoProbes()
        config.bot.container = "ai-trading-bot"
        config.bot.dockerSocket = dir + "/docker.sock"
        let s = GaugeCollector(config: config, store: nil).collect()
        guard case .failed(let why) = s.bot.state else {
            Issue.record("expected failed, got \(s.bot.state)")
            return
        }
        #expect(why.contains(dir + "/docker.sock"))
        #expect(s.bot.cpuPercent == nil && s.bot.memoryBytes == nil)
        #expect(GaugeReport.table(s).contains("bot: unavailable (engine at \(dir)/docker.sock"))
    }
}
