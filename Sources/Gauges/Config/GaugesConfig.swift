import Config
import TradsecCore

/// The `gauges:` section of config.yaml. Every key is checked: a typo is an error with the
/// file and line, never a silently ignored setting.
///
/// ```yaml
/// gauges:
///   interval: 2s            # sampling period
///   history: 120            # samples kept per gauge (the sparklines)
///   root: /                 # where /proc and /sys are (/host when tradsec runs in a container)
///   falco:
///     process: falco        # or pid: 1234
///     process_uid: 0        # a process of that name counts only when it runs as this user (any: no check)
///     healthz: http://127.0.0.1:8765/healthz
///     metrics: http://127.0.0.1:8765/metrics
///   bot:
///     container: ai-trading-bot     # through the Docker API; or pid:, process:, cgroup:
///     docker_socket: /var/run/docker.sock
///   thresholds:
///     falco_memory_warn: 400MB
///     bot_memory_warn: 80%          # of the container's limit, or a size
///     feed_stale_warn: 10m
/// ```
public struct GaugesConfig: Equatable, Sendable {
    public enum ProcessTarget: Equatable, Sendable {
        case pid(Int32)
        case name(String)
    }

    public struct Falco: Equatable, Sendable {
        public var process: ProcessTarget? = .name("falco")
        /// Found by name, a process counts as Falco only when it runs as this user: any local
        /// user can start a program called `falco`, and a stand-in would show a dead Falco as
        /// alive. Falco runs as root; nil turns the check off.
        public var processUID: UInt32? = 0
        public var healthzURL: String? = "http://127.0.0.1:8765/healthz"
        public var metricsURL: String? = "http://127.0.0.1:8765/metrics"
        public init() {}
    }

    public struct Bot: Equatable, Sendable {
        public var container: String?
        public var dockerSocket = "/var/run/docker.sock"
        public var process: ProcessTarget?
        public var cgroupPath: String?
        public init() {}
        public var isConfigured: Bool { container != nil || process != nil || cgroupPath != nil }
    }

    public var interval = 2.0
    public var historyLength = 120
    public var root = "/"
    public var falco = Falco()
    public var bot = Bot()
    public var thresholds = Thresholds()

    public init() {}
}

extension GaugesConfig: ConfigSection {
    public static let key = "gauges"

    public init(config value: ConfigValue) throws(ConfigError) {
        self.init()
        let m = try value.mapping(known: ["interval", "history", "root", "falco", "bot", "thresholds"])
        if let v = m["interval"] { interval = try v.seconds(minimum: 0.1) }
        if let v = m["history"] { historyLength = try v.int(in: 2...10_000) }
        if let v = m["root"] { root = try v.path(.absolute) }
        if let v = m["falco"] { falco = try Self.falco(v) }
        if let v = m["bot"] { bot = try Self.bot(v) }
        if let v = m["thresholds"] { thresholds = try Self.thresholds(v) }
    }

    static func falco(_ value: ConfigValue) throws(ConfigError) -> Falco {
        var falco = Falco()
        let m = try value.mapping(known: ["process", "pid", "process_uid", "healthz", "metrics"])
        if let process = m["process"], m["pid"] != nil { throw process.invalid("give either process or pid, not both") }
        if let v = m["process"] { falco.process = .name(try v.string()) }
        if let v = m["pid"] { falco.process = .pid(Int32(try v.int(in: 1...Int(Int32.max)))) }
        if let v = m["process_uid"] {
            if (try? v.text().lowercased()) == "any" {
                falco.processUID = nil
            } else {
                guard let uid = try? v.int(in: 0...Int(UInt32.max)) else { throw v.wrongType("a user id (0 to \(UInt32.max)) or any") }
                falco.processUID = UInt32(uid)
            }
        }
        if let v = m["healthz"] { falco.healthzURL = try v.url() }
        if let v = m["metrics"] { falco.metricsURL = try v.url() }
        return falco
    }

    static func bot(_ value: ConfigValue) throws(ConfigError) -> Bot {
        var bot = Bot()
        let m = try value.mapping(known: ["container", "docker_socket", "pid", "process", "cgroup"])
        if let v = m["container"] {
            let name = try v.string()
            guard name.utf8.allSatisfy({ b in
                (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b == 46 || b == 45
            }) else { throw v.wrongType("a container name or id") }
            bot.container = name
        }
        if let v = m["docker_socket"] { bot.dockerSocket = try v.path(.absolute) }
        if let v = m["pid"] { bot.process = .pid(Int32(try v.int(in: 1...Int(Int32.max)))) }
        if let v = m["process"] { bot.process = .name(try v.string()) }
        if let v = m["cgroup"] { bot.cgroupPath = try v.path(.absolute) }
        let targets = [bot.container != nil, bot.process != nil, bot.cgroupPath != nil].filter { $0 }.count
        if targets > 1 { throw value.invalid("give one of container, pid/process or cgroup") }
        return bot
    }

    static func thresholds(_ value: ConfigValue) throws(ConfigError) -> Thresholds {
        var t = Thresholds()
        let m = try value.mapping(known: ["falco_memory_warn", "falco_memory_critical", "falco_cpu_warn", "falco_cpu_critical",
                                          "bot_cpu_warn", "bot_cpu_critical", "bot_memory_warn", "bot_memory_critical",
                                          "feed_stale_warn", "feed_stale_critical"])
        if let v = m["falco_memory_warn"] { t.falcoMemoryWarn = try memory(v) }
        if let v = m["falco_memory_critical"] { t.falcoMemoryCritical = try memory(v) }
        if let v = m["falco_cpu_warn"] { t.falcoCPUWarn = try percent(v) }
        if let v = m["falco_cpu_critical"] { t.falcoCPUCritical = try percent(v) }
        if let v = m["bot_cpu_warn"] { t.botCPUWarn = try percent(v) }
        if let v = m["bot_cpu_critical"] { t.botCPUCritical = try percent(v) }
        if let v = m["bot_memory_warn"] { t.botMemoryWarn = try memory(v) }
        if let v = m["bot_memory_critical"] { t.botMemoryCritical = try memory(v) }
        if let v = m["feed_stale_warn"] { t.feedStaleWarnSeconds = try v.seconds(minimum: 1) }
        if let v = m["feed_stale_critical"] { t.feedStaleCriticalSeconds = try v.seconds(minimum: 1) }
        return t
    }

    /// `80%` or `80` (of one CPU).
    static func percent(_ value: ConfigValue) throws(ConfigError) -> Double {
        let s = try value.string()
        let digits = s.hasSuffix("%") ? String(s.dropLast()) : s
        guard let v = Double(digits.trimmed), v > 0, v.isFinite else { throw value.wrongType("a percentage such as 80%") }
        return v
    }

    /// A size (`400MB`, `1.5GiB`, `512KiB`, a bare number is MiB; units are binary) or a share
    /// of the limit (`80%`).
    static func memory(_ value: ConfigValue) throws(ConfigError) -> MemoryThreshold {
        let s = try value.string()
        if s.hasSuffix("%") {
            guard let v = Double(s.dropLast().trimmingPrefixSpaces), v > 0, v <= 100 else {
                throw value.wrongType("a percentage of the limit (1% to 100%)")
            }
            return .ofLimit(v / 100)
        }
        guard let bytes = try? value.size(bare: ByteSize.mebibyte) else {
            throw value.wrongType("a size (400MB, 1GiB, 512KiB) or a percentage of the limit (80%)")
        }
        return .bytes(bytes)
    }
}
