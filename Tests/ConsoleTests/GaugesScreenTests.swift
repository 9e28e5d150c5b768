#if canImport(Glibc)
import Glibc
#endif
@testable import Console
@testable import Gauges
import Testing
import TestSupport
import TradsecCore

/// The gauge strip on the overview and the gauges screen, rendered into the grid.
@Suite struct GaugesScreenTests {
    /// Falco over its memory threshold with drops rising; the bot's container missing.
    static func snapshot() -> GaugeSnapshot {
        var falco = ResourceGauge(name: "falco", state: .live, source: "pid 812 (falco), /proc")
        falco.cpuPercent = 3.24
        falco.memoryBytes = 450 << 20
        falco.cpuHistory = [1, 2, 3, 4, 3.24]
        falco.memoryHistory = [Double(300 << 20), Double(450 << 20)]
        falco.memoryLevel = .warning
        let bot = ResourceGauge(name: "bot", state: .notFound("no container 'ai-trading-bot'"))
        var health = FalcoHealthGauge()
        health.health = .up
        var metrics = FalcoMetrics()
        metrics.kernelDrops = 15
        metrics.outputQueueDrops = 0
        health.metrics = metrics
        health.newDrops = 5
        health.dropsHistory = [0, 5]
        health.level = .critical
        let feeds = [FeedGauge(source: "syscall", newestAlert: Harness.now.adding(nanoseconds: -42_000_000_000), ageSeconds: 42,
                               origin: "/var/log/falco/events.json", level: .ok)]
        return GaugeSnapshot(sequence: 2, takenAt: Harness.now, interval: 2, falco: falco, bot: bot, falcoHealth: health,
                             feeds: feeds, feedsError: nil, cost: 0.0012)
    }

    @Test func overviewShowsTheStripWithThresholdColours() throws {
        let h = try Harness()
        try h.insert(ScreenTests.incident())
        h.load()
        h.state.gauges = Self.snapshot()
        let grid = h.render(width: 140, height: 40)
        let strip = grid.row(1)
        #expect(strip.contains("falco cpu 3.2% mem 450.0 MiB"))
        #expect(strip.contains("bot: not found (no container 'ai-trading-bot')"))
        #expect(strip.contains("falco up · drops 15 +5"))
        #expect(strip.contains("newest alert 42s ago"))
        #expect(grid.role(of: "falco cpu") == .warning)
        #expect(grid.role(of: "bot: not found") == .warning)
        #expect(grid.role(of: "falco up") == .critical)
        // The panes are still there, below the strip.
        #expect(grid.text.contains("Container escape attempt"))
    }

    @Test func narrowTerminalsGetTheCompactStripAndTinyOnesNone() throws {
        let h = try Harness()
        try h.insert(ScreenTests.incident())
        h.load()
        h.state.gauges = Self.snapshot()
        let narrow = h.render(width: 60, height: 20).row(1)
        #expect(narrow.contains("falco 3% 450M"))
        #expect(narrow.contains("bot: not found"))
        #expect(!narrow.contains("no container"))
        let tiny = h.render(width: 40, height: 8)
        #expect(!tiny.text.contains("falco 3%"))
        // Without a sampler there is no strip at all.
        h.state.gauges = nil
        #expect(!h.render(width: 140, height: 40).text.contains("falco cpu"))
    }

    @Test func aBrokenGaugesConfigIsShownOnTheScreenInsteadOfSampling() throws {
        let h = try Harness()
        h.load()
        h.state.gaugesOff = "config.yaml:7: gauges.falco.cpu_warning: 'lots' is not a percentage"
        h.press(.character("u"))
        let grid = h.render(width: 120, height: 20)
        #expect(grid.text.contains("gauges are off: config.yaml:7"))
        #expect(grid.role(of: "gauges are off") == .error)
        #expect(!grid.text.contains("sampling…"))
    }

    @Test func uOpensTheGaugesScreenWithHealthDropsAndFeeds() throws {
        let h = try Harness()
        h.load()
        h.press(.character("u"))
        #expect(h.state.screen == .gauges)
        #expect(h.render().text.contains("sampling…"))
        h.state.gauges = Self.snapshot()
        let grid = h.render(width: 120, height: 40)
        let text = grid.text
        #expect(text.contains("Gauges"))
        #expect(text.contains("450.0 MiB"))
        #expect(grid.role(of: "450.0 MiB") == .warning)
        #expect(text.contains("pid 812 (falco), /proc"))
        #expect(text.contains("bot: not found (no container 'ai-trading-bot')"))
        #expect(grid.role(of: "healthz") == .label)
        #expect(text.contains("healthz up"))
        #expect(text.contains("kernel 15 · output queue 0"))
        #expect(grid.role(of: "+5 since the last sample") == .critical)
        #expect(text.contains("syscall"))
        #expect(text.contains("42s ago  from /var/log/falco/events.json"))
        #expect(text.contains("sampled every 2s"))
        // Wide: Falco and the bot side by side; narrow: one above the other.
        #expect(grid.text.split(separator: "\n").contains { $0.contains("Falco") && $0.contains("Trading bot") })
        let narrow = h.render(width: 80, height: 40).text
        #expect(narrow.contains("Trading bot"))
        #expect(!narrow.split(separator: "\n").contains { $0.contains("Falco ") && $0.contains("Trading bot") })
        // A sparkline of the CPU history.
        #expect(text.contains("▂") || text.contains("▄"))
        h.press(.escape)
        #expect(h.state.screen == .overview)
        h.press(.character(":"))
        h.type("gauges")
        h.press(.enter)
        #expect(h.state.screen == .gauges)
    }

    /// Every number a broken or hostile Falco endpoint or engine could put in a snapshot
    /// (set directly here, past the metrics filter): the screen and the strip must draw them.
    static func extremeSnapshot() -> GaugeSnapshot {
        var falco = ResourceGauge(name: "falco", state: .live, source: "Falco's own metrics")
        falco.cpuPercent = 1e300
        falco.memoryBytes = .max
        falco.memoryLimit = .max
        falco.cpuHistory = [1e300, .nan, -.infinity, 1e20, -1e300, .infinity]
        falco.memoryHistory = [1e300, .nan, -1e300, Double(UInt64.max)]
        falco.cpuLevel = .critical
        var bot = ResourceGauge(name: "bot", state: .live, source: "container bot, Docker API")
        bot.cpuPercent = .nan
        bot.memoryBytes = 0
        bot.cpuHistory = [.nan, .nan]
        var health = FalcoHealthGauge()
        health.health = .up
        var metrics = FalcoMetrics()
        metrics.kernelDrops = 1e300
        metrics.outputQueueDrops = .infinity
        metrics.events = .nan
        metrics.otherDrops = ["plugin_drops_total": -1e300, "big_drops_total": 1e20]
        health.metrics = metrics
        health.newDrops = .nan
        health.dropsHistory = [1e300, .nan, -1e300, .infinity, 1e20]
        health.metricsError = "6 value(s) out of range ignored (NaN, infinite, negative or over 2^64), first: falcosecurity_scap_n_drops_total 1e+300"
        let feeds = [FeedGauge(source: "syscall", newestAlert: Harness.now, ageSeconds: .nan, origin: nil, level: .ok),
                     FeedGauge(source: "k8s", newestAlert: Harness.now, ageSeconds: 1e300, origin: nil, level: .critical)]
        return GaugeSnapshot(sequence: 3, takenAt: Harness.now, interval: 0.25, falco: falco, bot: bot, falcoHealth: health,
                             feeds: feeds, feedsError: nil, cost: 1e300)
    }

    @Test func extremeAndNonFiniteReadingsDrawWithoutTrapping() throws {
        let h = try Harness()
        try h.insert(ScreenTests.incident())
        h.load()
        h.state.gauges = Self.extremeSnapshot()
        for width in [60, 80, 140] {
            #expect(h.render(width: width, height: 40).row(1).contains("falco"), "the strip at \(width) columns")
        }
        let strip = h.render(width: 200, height: 40).row(1)
        #expect(strip.contains("falco cpu 1.0e300% mem 17179869184.0 GiB / 17179869184.0 GiB"), "\(strip)")
        #expect(strip.contains("bot cpu ?% mem 0 B"), "\(strip)")
        #expect(strip.contains("drops ∞"), "\(strip)")
        #expect(h.render(width: 60, height: 20).row(1).contains("falco 1.0e300% 17179869184.0G"))
        h.press(.character("u"))
        for width in [80, 140] {
            let text = h.render(width: width, height: 60).text
            #expect(text.contains("1.0e300%"), "\(text)")
            #expect(text.contains("kernel 1.0e300 · output queue ∞ · big_drops_total 1.0e20"), "\(text)")
            #expect(width < 140 || text.contains("plugin_drops_total -1.0e300  +? since the last sample"), "\(text)")
            #expect(text.contains("events  ?"), "\(text)")
            #expect(text.contains("out of range ignored"), "\(text)")
            #expect(text.contains("sampled every 250ms"), "\(text)")
            #expect(text.contains("1.0e303 ms per sample"), "\(text)")
            #expect(text.contains("0s ago"), "\(text)")
        }
    }

    @Test func helpListsTheGaugesKey() throws {
        let h = try Harness()
        h.load()
        h.press(.character("?"))
        #expect(h.render(width: 140, height: 60).text.contains("gauges: Falco and bot CPU/memory"))
        #expect(KeyMap().action(for: .character("u")) == .gauges)
    }
}

/// The whole path under tmux: the sampler thread probes a fake Falco, the console shows it.
@Suite(.serialized, .timeLimit(.minutes(2)), .enabled(if: TmuxSession.consoleAvailable, "needs tmux and 'tradsec console'"))
struct GaugesEndToEndTests {
    @Test func consoleShowsFalcoHealthFromItsSamplerAndNoticesItGoingDown() throws {
        let h = try Harness()
        try h.insert(ScreenTests.incident())
        let falco = try RecordingHTTPServer { request in
            request.path == "/healthz" ? .init(status: 200, body: #"{"status": "ok"}"#)
                : .init(status: 200, body: "# TYPE falcosecurity_scap_n_drops_total counter\nfalcosecurity_scap_n_drops_total 7\n")
        }
        defer { falco.stop() }
        mkdir(h.directory + "/config", 0o755)
        mkdir(h.directory + "/config/tradsec", 0o755)
        writeFile(h.directory + "/config/tradsec/config.yaml", """
            gauges:
              interval: 200ms
              falco:
                process: no-such-falco-\(getpid())
                healthz: \(falco.baseURL)/healthz
                metrics: \(falco.baseURL)/metrics

            """)
        let tmux = TmuxSession(command: [TmuxSession.binary, "console", "--db", h.directory + "/history.sqlite"], width: 140,
                               directory: h.directory)
        #expect(tmux.waitFor("falco up · drops 7"))
        #expect(tmux.screen().contains("falco: not found (no process named no-such-falco-"))
        tmux.type("u")
        #expect(tmux.waitFor("Falco health"))
        #expect(tmux.screen().contains("kernel 7"))
        falco.stop()
        #expect(tmux.waitFor("down ("))
        tmux.type("q")
        #expect(tmux.exitStatus() == 0)
    }

    @Test func badGaugesConfigOpensTheConsoleWithoutGaugesAndSaysWhy() throws {
        let h = try Harness()
        mkdir(h.directory + "/config", 0o755)
        mkdir(h.directory + "/config/tradsec", 0o755)
        writeFile(h.directory + "/config/tradsec/config.yaml", "gauges:\n  falco:\n    healthz: nope\n")
        let tmux = TmuxSession(command: [TmuxSession.binary, "console", "--db", h.directory + "/history.sqlite"],
                               width: 160, directory: h.directory)
        #expect(tmux.waitFor("gauges are off: "))
        tmux.type("u")
        #expect(tmux.waitFor("config.yaml:3: gauges.falco.healthz must be an http:// or https:// URL"))
        tmux.type("q")
        #expect(tmux.exitStatus() == 0)
    }
}
