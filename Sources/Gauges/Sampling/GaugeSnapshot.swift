import TradsecCore

/// CPU and memory of one watched thing (Falco, the bot) at one moment, with its history.
public struct ResourceGauge: Equatable, Sendable {
    public enum State: Equatable, Sendable {
        /// Read from `source` ("pid 812 /proc", "container ai-trading-bot, Docker API").
        case live
        /// Nothing configured to watch.
        case notConfigured
        /// Configured, but not there (no such process or container): shown plainly, never as zeros.
        case notFound(String)
        /// There, but unreadable (engine down, permission).
        case failed(String)
    }

    public var name: String
    public var state: State
    public var source: String?
    /// Percent of one CPU; nil until two readings exist (a rate needs two).
    public var cpuPercent: Double?
    public var memoryBytes: UInt64?
    public var memoryLimit: UInt64?
    public var cpuHistory: [Double] = []
    public var memoryHistory: [Double] = []
    public var cpuLevel: Level = .ok
    public var memoryLevel: Level = .ok

    public init(name: String, state: State, source: String? = nil) {
        self.name = name
        self.state = state
        self.source = source
    }

    /// A watched thing that vanished or cannot be read is a warning at least: "ok" would
    /// tell a script polling `tradsec gauges --format json` that Falco is fine when it is gone.
    public var level: Level {
        switch state {
        case .notFound, .failed: return max(.warning, cpuLevel, memoryLevel)
        case .live, .notConfigured: return max(cpuLevel, memoryLevel)
        }
    }

    /// One phrase for a missing gauge ("falco: not found"), nil when live.
    public var absence: String? {
        switch state {
        case .live: return nil
        case .notConfigured: return "\(name): not configured"
        case .notFound(let why): return "\(name): not found" + (why.isEmpty ? "" : " (\(why))")
        case .failed(let why): return "\(name): unavailable (\(why))"
        }
    }
}

/// Falco's web server: health, drop counters and their growth.
public struct FalcoHealthGauge: Equatable, Sendable {
    public var health: FalcoHealthProbe.Health = .notConfigured
    public var metricsError: String?
    public var metrics: FalcoMetrics?
    /// Drops since the previous sample (nil on the first, or after Falco restarted and its counters reset).
    public var newDrops: Double?
    /// New drops per sample, for the sparkline.
    public var dropsHistory: [Double] = []
    public var level: Level = .ok

    public init() {}

    public var healthText: String {
        switch health {
        case .notConfigured: return "not configured"
        case .up: return "up"
        case .unhealthy(let why): return "unhealthy (\(why))"
        case .down(let why): return "down (\(why))"
        }
    }
}

/// How long since a Falco source last produced an alert.
public struct FeedGauge: Equatable, Sendable {
    public var source: String
    public var newestAlert: Timestamp
    public var ageSeconds: Double
    public var origin: String?
    public var level: Level
}

/// Everything the gauges know at one moment. The sampler thread builds one per tick; the
/// console and `tradsec gauges` only read them.
public struct GaugeSnapshot: Equatable, Sendable {
    public var sequence: Int
    public var takenAt: Timestamp
    public var interval: Double
    public var falco: ResourceGauge
    public var bot: ResourceGauge
    public var falcoHealth: FalcoHealthGauge
    public var feeds: [FeedGauge]
    /// Why feed ages are unknown (no history configured, or it cannot be read).
    public var feedsError: String?
    /// Seconds this tick took to gather (the sampler's own cost).
    public var cost: Double
    /// The host sensor running in this process; nil when none does.
    public var sensor: SensorGauge? = nil

    public var level: Level {
        ([falco.level, bot.level, falcoHealth.level] + feeds.map(\.level) + (sensor.map { [$0.level] } ?? [])).max() ?? .ok
    }
}
