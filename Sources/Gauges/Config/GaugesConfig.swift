#if canImport(Glibc)
import Glibc
#endif
import TradsecCore
import Yams

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

    public struct ConfigError: Error, CustomStringConvertible, Sendable { public var description: String }

    /// The `gauges:` section of the config file at `path`; defaults when the file or the section is absent.
    public static func load(path: String) throws(ConfigError) -> GaugesConfig {
        guard access(path, F_OK) == 0 else { return GaugesConfig() }
        guard let text = SmallFile.read(path) else { throw ConfigError(description: "\(path): cannot be read") }
        return try parse(text, source: path)
    }

    public static func parse(_ yaml: String, source: String) throws(ConfigError) -> GaugesConfig {
        var config = GaugesConfig()
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch { throw ConfigError(description: "\(source): \(error)") }
        guard let top = node?.mapping, let section = top["gauges"] else { return config }
        let reader = Reader(source: source)
        let map = try reader.mapping(section, "gauges")
        for (key, value) in map {
            switch try reader.name(key) {
            case "interval": config.interval = try reader.seconds(value, "interval", minimum: 0.1)
            case "history": config.historyLength = try reader.integer(value, "history", range: 2...10_000)
            case "root": config.root = try reader.path(value, "root")
            case "falco": config.falco = try parseFalco(value, reader)
            case "bot": config.bot = try parseBot(value, reader)
            case "thresholds": config.thresholds = try parseThresholds(value, reader)
            case let other: throw reader.error(key, "unknown gauges setting '\(other)' (interval, history, root, falco, bot, thresholds)")
            }
        }
        return config
    }

    static func parseFalco(_ node: Node, _ r: Reader) throws(ConfigError) -> Falco {
        var falco = Falco()
        var sawTarget = false
        for (key, value) in try r.mapping(node, "gauges.falco") {
            switch try r.name(key) {
            case "process":
                if sawTarget { throw r.error(key, "gauges.falco: give either process or pid, not both") }
                falco.process = .name(try r.string(value, "gauges.falco.process")); sawTarget = true
            case "pid":
                if sawTarget { throw r.error(key, "gauges.falco: give either process or pid, not both") }
                falco.process = .pid(Int32(try r.integer(value, "gauges.falco.pid", range: 1...Int(Int32.max)))); sawTarget = true
            case "process_uid":
                if value.scalar?.string.lowercased() == "any" {
                    falco.processUID = nil
                } else {
                    falco.processUID = UInt32(try r.integer(value, "gauges.falco.process_uid (a user id, or any)", range: 0...Int(UInt32.max)))
                }
            case "healthz": falco.healthzURL = try r.url(value, "gauges.falco.healthz")
            case "metrics": falco.metricsURL = try r.url(value, "gauges.falco.metrics")
            case let other: throw r.error(key, "unknown gauges.falco setting '\(other)' (process, pid, process_uid, healthz, metrics)")
            }
        }
        return falco
    }

    static func parseBot(_ node: Node, _ r: Reader) throws(ConfigError) -> Bot {
        var bot = Bot()
        for (key, value) in try r.mapping(node, "gauges.bot") {
            switch try r.name(key) {
            case "container":
                let name = try r.string(value, "gauges.bot.container")
                guard name.utf8.allSatisfy({ b in
                    (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b == 46 || b == 45
                }) else { throw r.error(value, "gauges.bot.container: '\(name)' is not a container name or id") }
                bot.container = name
            case "docker_socket": bot.dockerSocket = try r.path(value, "gauges.bot.docker_socket")
            case "pid": bot.process = .pid(Int32(try r.integer(value, "gauges.bot.pid", range: 1...Int(Int32.max))))
            case "process": bot.process = .name(try r.string(value, "gauges.bot.process"))
            case "cgroup": bot.cgroupPath = try r.path(value, "gauges.bot.cgroup")
            case let other: throw r.error(key, "unknown gauges.bot setting '\(other)' (container, docker_socket, pid, process, cgroup)")
            }
        }
        let targets = [bot.container != nil, bot.process != nil, bot.cgroupPath != nil].filter { $0 }.count
        if targets > 1 { throw r.error(node, "gauges.bot: give one of container, pid/process or cgroup") }
        return bot
    }

    static func parseThresholds(_ node: Node, _ r: Reader) throws(ConfigError) -> Thresholds {
        var t = Thresholds()
        for (key, value) in try r.mapping(node, "gauges.thresholds") {
            let name = try r.name(key)
            let label = "gauges.thresholds.\(name)"
            switch name {
            case "falco_memory_warn": t.falcoMemoryWarn = try r.memory(value, label)
            case "falco_memory_critical": t.falcoMemoryCritical = try r.memory(value, label)
            case "falco_cpu_warn": t.falcoCPUWarn = try r.percent(value, label)
            case "falco_cpu_critical": t.falcoCPUCritical = try r.percent(value, label)
            case "bot_cpu_warn": t.botCPUWarn = try r.percent(value, label)
            case "bot_cpu_critical": t.botCPUCritical = try r.percent(value, label)
            case "bot_memory_warn": t.botMemoryWarn = try r.memory(value, label)
            case "bot_memory_critical": t.botMemoryCritical = try r.memory(value, label)
            case "feed_stale_warn": t.feedStaleWarnSeconds = try r.seconds(value, label, minimum: 1)
            case "feed_stale_critical": t.feedStaleCriticalSeconds = try r.seconds(value, label, minimum: 1)
            default:
                throw r.error(key, "unknown threshold '\(name)' (falco_memory_warn, falco_memory_critical, falco_cpu_warn, falco_cpu_critical, bot_cpu_warn, bot_cpu_critical, bot_memory_warn, bot_memory_critical, feed_stale_warn, feed_stale_critical)")
            }
        }
        return t
    }

    /// Reads typed values out of YAML nodes, with file:line in every error.
    struct Reader {
        var source: String

        func error(_ node: Node, _ message: String) -> ConfigError {
            ConfigError(description: "\(source)\(node.mark.map { ":\($0.line)" } ?? ""): \(message)")
        }

        func mapping(_ node: Node, _ what: String) throws(ConfigError) -> Node.Mapping {
            guard let m = node.mapping else { throw error(node, "\(what) must be a mapping") }
            return m
        }

        func name(_ key: Node) throws(ConfigError) -> String {
            guard let s = key.string else { throw error(key, "expected a setting name") }
            return s
        }

        func string(_ node: Node, _ what: String) throws(ConfigError) -> String {
            guard let s = node.scalar?.string, !s.isEmpty else { throw error(node, "\(what) must be a non-empty string") }
            return s
        }

        func path(_ node: Node, _ what: String) throws(ConfigError) -> String {
            let s = try string(node, what)
            guard s.hasPrefix("/") else { throw error(node, "\(what) must be an absolute path, not '\(s)'") }
            return s
        }

        func url(_ node: Node, _ what: String) throws(ConfigError) -> String {
            let s = try string(node, what)
            guard s.hasPrefix("http://") || s.hasPrefix("https://") else {
                throw error(node, "\(what) must be an http:// or https:// URL, not '\(s)'")
            }
            return s
        }

        func integer(_ node: Node, _ what: String, range: ClosedRange<Int>) throws(ConfigError) -> Int {
            guard let s = node.scalar?.string, let v = Int(s), range.contains(v) else {
                throw error(node, "\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return v
        }

        /// `2s`, `500ms`, `10m`, `1h`, or a bare number of seconds.
        func seconds(_ node: Node, _ what: String, minimum: Double) throws(ConfigError) -> Double {
            let s = try string(node, what)
            var value: Double?
            if let plain = Double(s) { value = plain }
            else if s.hasSuffix("ms"), let v = Double(s.dropLast(2)) { value = v / 1000 }
            else if let ns = Duration.parse(s) { value = Double(ns) / 1e9 }
            guard let v = value, v >= minimum, v.isFinite else {
                throw error(node, "\(what) must be a duration of at least \(minimum) s (500ms, 2s, 10m, 1h), not '\(s)'")
            }
            return v
        }

        /// `80%` or `80`.
        func percent(_ node: Node, _ what: String) throws(ConfigError) -> Double {
            let s = try string(node, what)
            let digits = s.hasSuffix("%") ? String(s.dropLast()) : s
            guard let v = Double(digits.trimmed), v > 0, v.isFinite else { throw error(node, "\(what) must be a percentage such as 80%, not '\(s)'") }
            return v
        }

        /// A size (`400MB`, `1.5GiB`, `512KiB`, bare number = MiB; units are binary) or a share of the limit (`80%`).
        func memory(_ node: Node, _ what: String) throws(ConfigError) -> MemoryThreshold {
            let s = try string(node, what)
            if s.hasSuffix("%") {
                guard let v = Double(s.dropLast().trimmingPrefixSpaces), v > 0, v <= 100 else {
                    throw error(node, "\(what): '\(s)' is not a percentage of the limit (1% to 100%)")
                }
                return .ofLimit(v / 100)
            }
            guard let bytes = Self.size(s) else {
                throw error(node, "\(what): '\(s)' is not a size (400MB, 1GiB, 512KiB) or a percentage of the limit (80%)")
            }
            return .bytes(bytes)
        }

        static func size(_ text: String) -> UInt64? {
            ByteSize.parse(text, bare: ByteSize.mebibyte)
        }
    }
}
