#if canImport(Glibc)
import Glibc
#endif
import AlertStore
@testable import Gauges
import Synchronization
import Testing
import TestSupport
import TradsecCore

/// A fake Falco web server (the recording HTTP server) with /healthz and /metrics whose drop
/// counters rise between scrapes.
final class FakeFalco: Sendable {
    final class Knobs: Sendable {
        let scrapes = Mutex(0)
        let healthStatus = Mutex(200)
    }

    let server: RecordingHTTPServer
    let knobs = Knobs()

    init(rssBytes: Double = 120 * 1024 * 1024) throws {
        let knobs = self.knobs
        server = try RecordingHTTPServer { request in
            switch request.path {
            case "/healthz":
                let status = knobs.healthStatus.withLock { $0 }
                return .init(status: status, body: status == 200 ? #"{"status": "ok"}"# : "starting")
            case "/metrics":
                // 10 drops at the first scrape, 5 more at each one after.
                let n = knobs.scrapes.withLock { n in n += 1; return n }
                return .init(status: 200, body: Self.metrics(drops: 10 + 5 * (n - 1), rss: rssBytes),
                             headers: ["Content-Type": "text/plain; version=0.0.4"])
            default:
                return .init(status: 404, body: "not found")
            }
        }
    }

    static func metrics(drops: Int, rss: Double) -> String {
        """
        # HELP falcosecurity_falco_version_info https://falco.org/docs/metrics/
        # TYPE falcosecurity_falco_version_info gauge
        falcosecurity_falco_version_info{version="0.39.0"} 1
        # HELP falcosecurity_scap_n_evts_total https://falco.org/docs/metrics/
        # TYPE falcosecurity_scap_n_evts_total counter
        falcosecurity_scap_n_evts_total 91439
        # HELP falcosecurity_scap_n_drops_total https://falco.org/docs/metrics/
        # TYPE falcosecurity_scap_n_drops_total counter
        falcosecurity_scap_n_drops_total \(drops)
        # HELP falcosecurity_falco_outputs_queue_num_drops_total https://falco.org/docs/metrics/
        # TYPE falcosecurity_falco_outputs_queue_num_drops_total counter
        falcosecurity_falco_outputs_queue_num_drops_total 0
        # HELP falcosecurity_falco_memory_rss_bytes https://falco.org/docs/metrics/
        # TYPE falcosecurity_falco_memory_rss_bytes gauge
        falcosecurity_falco_memory_rss_bytes \(rss)

        """
    }

    var config: GaugesConfig {
        var c = GaugesConfig()
        c.falco.process = .name("no-such-falco-\(getpid())")
        c.falco.healthzURL = server.baseURL + "/healthz"
        c.falco.metricsURL = server.baseURL + "/metrics"
        return c
    }
}

@Suite struct FalcoHealthTests {
    @Test func risingDropCountersShowAsNewDropsAndACriticalLevel() throws {
        let falco = try FakeFalco()
        defer { falco.server.stop() }
        let collector = GaugeCollector(config: falco.config, store: nil)
        let first = collector.collect()
        #expect(first.falcoHealth.health == .up)
        #expect(first.falcoHealth.metrics?.kernelDrops == 10)
        #expect(first.falcoHealth.newDrops == nil, "nothing to compare the first scrape with")
        #expect(first.falcoHealth.level == .ok)
        let second = collector.collect()
        #expect(second.falcoHealth.metrics?.kernelDrops == 15)
        #expect(second.falcoHealth.newDrops == 5)
        #expect(second.falcoHealth.level == .critical)
        #expect(second.falcoHealth.dropsHistory == [0, 5])
        #expect(second.level == .critical)
        // Both endpoints were really asked.
        #expect(falco.server.requests.map(\.path).filter { $0 == "/healthz" }.count == 2)
        let table = GaugeReport.table(second)
        #expect(table.contains("falco health: up [critical]"))
        #expect(table.contains("falco drops: kernel 15, output queue 0, +5 since the last sample"))
        let json = try JSONParser.parse(GaugeReport.json(second))
        #expect(json["falco_health"]?["new_drops"]?.int64Value == 5)
        #expect(json["falco_health"]?["state"] == .string("up"))
    }

    @Test func falcoOutOfSightIsMeasuredFromItsOwnMetricsAndWarnsOver400MiB() throws {
        let falco = try FakeFalco(rssBytes: 450 * 1024 * 1024)
        defer { falco.server.stop() }
        let snapshot = GaugeCollector(config: falco.config, store: nil).collect()
        #expect(snapshot.falco.state == .live)
        #expect(snapshot.falco.source == "Falco's own metrics")
        #expect(snapshot.falco.memoryBytes == 450 << 20)
        #expect(snapshot.falco.memoryLevel == .warning)
    }

    @Test func unhealthyAndUnreachableFalco() throws {
        let falco = try FakeFalco()
        let config = falco.config
        falco.knobs.healthStatus.withLock { $0 = 503 }
        let collector = GaugeCollector(config: config, store: nil)
        let starting = collector.collect()
        #expect(starting.falcoHealth.health == .unhealthy("HTTP 503"))
        #expect(starting.falcoHealth.level == .warning)
        falco.server.stop()
        let down = collector.collect()
        guard case .down(let why) = down.falcoHealth.health else {
            Issue.record("expected down, got \(down.falcoHealth.health)")
            return
        }
        #expect(!why.isEmpty)
        #expect(down.falcoHealth.level == .critical)
        #expect(down.falcoHealth.metrics == nil)
        #expect(down.falcoHealth.metricsError != nil)
        #expect(down.falco.state == .notFound("no process named no-such-falco-\(getpid())"))
        #expect(GaugeReport.table(down).contains("falco health: down ("))
    }

    @Test func anOddMetricsLineIsSkippedAndTheDropsStillRead() throws {
        let body = FakeFalco.metrics(drops: 17, rss: 1) + "some_plugin_metric{kind=\"unterminated} 3\n"
        let server = try RecordingHTTPServer { _ in .init(status: 200, body: body) }
        defer { server.stop() }
        let reading = FalcoHealthProbe(healthzURL: nil, metricsURL: server.baseURL + "/metrics", timeout: 2).probe()
        #expect(reading.metrics?.kernelDrops == 17)
        #expect(reading.metricsError?.hasPrefix("1 line(s) skipped, first: metrics line 16:") == true, "\(reading.metricsError ?? "nil")")
    }

    @Test func aHungFalcoIsDownWithinTheTimeout() throws {
        let server = try RecordingHTTPServer { _ in .init(status: 200, body: "ok", delay: 5) }
        defer { server.stop() }
        let probe = FalcoHealthProbe(healthzURL: server.baseURL + "/healthz", metricsURL: nil, timeout: 0.5)
        let started = Monotonic.seconds()
        let reading = probe.probe()
        #expect(Monotonic.seconds() - started < 3)
        #expect(reading.health == .down("no answer within 0.5 s"))
    }
}

@Suite struct FeedStalenessTests {
    @Test func newestAlertPerSourceAndItsAge() throws {
        let dir = makeTemporaryDirectory(prefix: "tradsec-gauges-feeds")
        defer { removeTree(dir) }
        let store = try AlertStore(path: dir + "/history.sqlite")
        let now = Timestamp(rfc3339: "2026-11-22T12:00:00Z")!
        func alert(_ secondsAgo: Int64, source: String) -> Alert {
            let t = now.adding(nanoseconds: -secondsAgo * 1_000_000_000)
            return Alert(time: t, rule: "Test rule \(source) \(secondsAgo)", priority: .warning, output: "x \(secondsAgo)",
                         outputFields: JSONObject([("container.id", .string("host"))]), source: source, hostname: "h")
        }
        let config = GaugesConfig.withoutFalcoProbes()
        let empty = GaugeCollector(config: config, store: store).collect(now: now)
        #expect(empty.feeds.isEmpty && empty.feedsError == nil)
        #expect(GaugeReport.table(empty).contains("feeds: no alerts in the history yet"))

        try store.insert([alert(3600, source: "syscall"), alert(30, source: "syscall"), alert(7200, source: "k8s_audit")],
                         origin: "/var/log/falco/events.json")
        let s = GaugeCollector(config: config, store: store).collect(now: now)
        #expect(s.feeds.map(\.source) == ["syscall", "k8s_audit"])
        #expect(s.feeds.map(\.ageSeconds) == [30, 7200])
        #expect(s.feeds.map(\.level) == [.ok, .critical])
        #expect(s.feeds.first?.origin == "/var/log/falco/events.json")
        #expect(s.falco.state == .notConfigured)
        #expect(GaugeReport.table(s).contains("feed k8s_audit: newest alert 2h ago (from /var/log/falco/events.json) [critical]"))
    }

    @Test func aQuietSourceStaysListedWhileAnotherFloods() throws {
        let dir = makeTemporaryDirectory(prefix: "tradsec-gauges-flood")
        defer { removeTree(dir) }
        let store = try AlertStore(path: dir + "/history.sqlite")
        let now = Timestamp(rfc3339: "2026-11-22T12:00:00Z")!
        func alert(_ millisecondsAgo: Int64, source: String) -> Alert {
            Alert(time: now.adding(nanoseconds: -millisecondsAgo * 1_000_000), rule: "Test rule", priority: .warning,
                  output: "x \(millisecondsAgo)", outputFields: JSONObject([("container.id", .string("host"))]), source: source, hostname: "h")
        }
        let config = GaugesConfig.withoutFalcoProbes()
        let collector = GaugeCollector(config: config, store: store)
        collector.feedRefreshInterval = 0   // every tick reads the history
        try store.insert([alert(600_000, source: "k8s_audit")])
        #expect(collector.collect(now: now).feeds.map(\.source) == ["k8s_audit"])
        // More syscall alerts than the freshness scan reads, all newer than the audit one.
        try store.insert((0..<10_050).map { alert(Int64($0), source: "syscall") })
        let s = collector.collect(now: now)
        #expect(s.feeds.map(\.source) == ["syscall", "k8s_audit"])
        #expect(s.feeds.last?.ageSeconds == 600)
    }
}

@Suite struct GaugeSamplerTests {
    @Test func samplesOnItsOwnThreadAndStopsWithoutWaitingOutAHungFalco() throws {
        let server = try RecordingHTTPServer { _ in .init(status: 200, body: "ok", delay: 1.5) }
        defer { server.stop() }
        var config = GaugesConfig()
        config.interval = 0.1
        config.falco.process = .pid(getpid())
        config.falco.healthzURL = server.baseURL + "/healthz"
        config.falco.metricsURL = nil
        let sampler = GaugeSampler(collector: GaugeCollector(config: config, store: nil))
        #expect(sampler.latest == nil)
        sampler.start()
        // Each tick waits on the hung healthz up to its timeout (0.5 s at this interval); the
        // caller is never blocked meanwhile.
        #expect(waitFor(10) { sampler.latest != nil })
        let first = try #require(sampler.latest)
        #expect(first.falco.state == .live)
        #expect(first.falcoHealth.health == .down("no answer within 0.5 s"))
        #expect(waitFor(10) { (sampler.latest?.sequence ?? 0) >= 2 })
        // Mid-tick: stop returns within its bound instead of waiting for the 1.5 s reply.
        let t0 = Monotonic.seconds()
        sampler.stop(waitingUpTo: 0.2)
        #expect(Monotonic.seconds() - t0 < 1)
        let sequence = sampler.latest?.sequence ?? 0
        usleep(2_000_000)
        #expect((sampler.latest?.sequence ?? 0) <= sequence + 1, "no new ticks after stop (the one under way may land)")
    }
}
