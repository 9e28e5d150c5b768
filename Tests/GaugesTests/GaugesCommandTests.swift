#if canImport(Glibc)
import Glibc
#endif
import Gauges
import Testing
import TestSupport
import TradsecCore

/// `tradsec gauges` as a user runs it over SSH.
@Suite struct GaugesCommandTests {
    @Test func onceAsJSONWithAFakeFalcoAndABotProcess() throws {
        let dir = makeTemporaryDirectory(prefix: "tradsec-gauges-cli")
        defer { removeTree(dir) }
        let falco = try FakeFalco()
        defer { falco.server.stop() }
        let bot = try #require(ChildProcess.start(["/bin/sleep", "30"], stdoutPath: dir + "/bot.out", environment: []))
        defer { kill(bot.pid, SIGKILL); _ = bot.wait() }
        writeFile(dir + "/config.yaml", """
            gauges:
              interval: 300ms
              falco:
                process: no-such-falco-\(getpid())
                healthz: \(falco.server.baseURL)/healthz
                metrics: \(falco.server.baseURL)/metrics
              bot:
                pid: \(bot.pid)

            """)
        let run = try #require(ChildProcess.start([ChildProcess.tradsec, "gauges", "--once", "--format", "json",
                                                   "--config", dir + "/config.yaml", "--db", dir + "/none.sqlite"],
                                                  stdoutPath: dir + "/out", stderrPath: dir + "/err", environment: []))
        #expect(run.wait() == 0, "\(run.stderr)")
        let json = try JSONParser.parse(run.stdout.trimmingTrailingNewlines)
        #expect(json["falco_health"]?["state"] == .string("up"))
        // Two scrapes a moment apart: the second saw 5 new drops.
        #expect(json["falco_health"]?["new_drops"]?.int64Value == 5)
        #expect(json["level"] == .string("critical"))
        #expect(json["bot"]?["state"] == .string("live"))
        #expect((json["bot"]?["memory_bytes"]?.int64Value ?? 0) > 0)
        // A sleeping process: a measured rate, close to zero.
        // JSON has one number type: 0.0 comes back as an integer.
        let value = json["bot"]?["cpu_percent"]
        let number: Double? = { if case .double(let d)? = value { return d }; return value?.int64Value.map(Double.init) }()
        guard let cpu = number else {
            Issue.record("cpu_percent is not a number: \(String(describing: json["bot"]?["cpu_percent"]))")
            return
        }
        #expect(cpu < 5)
        #expect(json["feeds_error"] == .string("no alert history open"))
    }

    @Test func tableNamesWhatIsMissing() throws {
        let dir = makeTemporaryDirectory(prefix: "tradsec-gauges-cli")
        defer { removeTree(dir) }
        writeFile(dir + "/config.yaml", "gauges:\n  falco:\n    process: no-such-falco-\(getpid())\n    healthz: http://127.0.0.1:9/healthz\n    metrics: http://127.0.0.1:9/metrics\n")
        let run = try #require(ChildProcess.start([ChildProcess.tradsec, "gauges", "--once", "--config", dir + "/config.yaml",
                                                   "--db", dir + "/none.sqlite"], stdoutPath: dir + "/out", environment: []))
        #expect(run.wait() == 0)
        #expect(run.stdout.contains("falco: not found (no process named no-such-falco-"))
        #expect(run.stdout.contains("bot: not configured"))
        #expect(run.stdout.contains("falco health: down ("))
    }

    @Test func badConfigAndBadIntervalAreRefused() throws {
        let dir = makeTemporaryDirectory(prefix: "tradsec-gauges-cli")
        defer { removeTree(dir) }
        writeFile(dir + "/config.yaml", "gauges:\n  thresholds:\n    falco_memory_warn: huge\n")
        let bad = try #require(ChildProcess.start([ChildProcess.tradsec, "gauges", "--once", "--config", dir + "/config.yaml"],
                                                  stdoutPath: dir + "/out", stderrPath: dir + "/err", environment: []))
        #expect(bad.wait() == 78)
        #expect(bad.stderr.contains(dir + "/config.yaml:3: gauges.thresholds.falco_memory_warn must be a size (400MB, 1GiB, 512KiB) or a percentage of the limit (80%), not 'huge'"))
        let interval = try #require(ChildProcess.start([ChildProcess.tradsec, "gauges", "--once", "--interval", "soon",
                                                        "--config", dir + "/absent.yaml"],
                                                       stdoutPath: dir + "/out2", stderrPath: dir + "/err2", environment: []))
        #expect(interval.wait() == 64)
        #expect(interval.stderr.contains("--interval: 'soon' is not a duration"))
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = Substring(self)
        while s.last == "\n" { s = s.dropLast() }
        return String(s)
    }
}
