#if canImport(Glibc)
import Glibc
#endif
import TradsecCore
import Yams

/// The `actions:` section of `$XDG_CONFIG_HOME/tradsec/config.yaml` (or `--config FILE`).
///
/// ```yaml
/// actions:
///   stop_trading: {url: http://127.0.0.1:8000/api/emergency/stop, timeout: 5s, name: trading, token_env: BOT_TOKEN}
///   docker: {socket: /var/run/docker.sock, api_version: "1.41", timeout: 30s}
///   backup: {paths: [data, logs], dir: backups}
///   forensics: {dir: forensics, falco_log: /var/log/falco/events.json, log_lines: 5000,
///               captures: {path_prefix: /var/lib/falco/captures/capture, duration: 5s, max_total_mb: 1024}}
/// ```
/// Relative paths are relative to the config file's directory. Unknown keys are refused with file:line.
public struct ActionsConfig: Sendable, Equatable {
    public struct StopTrading: Sendable, Equatable {
        public var url = "http://127.0.0.1:8000/api/emergency/stop"
        public var timeoutSeconds = 5.0
        /// What the operator types to confirm (the bot is not a container the engine lists).
        public var name = "trading"
        /// Environment variable holding a bearer token for the endpoint (never stored or logged).
        public var tokenEnvironment: String?
    }
    public struct Docker: Sendable, Equatable {
        public var socket = "/var/run/docker.sock"
        public var apiVersion = "1.41"
        public var timeoutSeconds = 30.0
    }
    public struct Backup: Sendable, Equatable {
        public var paths: [String] = []
        public var directory = Paths.stateDirectory + "/backups"
    }
    public struct Forensics: Sendable, Equatable {
        public var directory = Paths.stateDirectory + "/forensics"
        public var falcoLog = "/var/log/falco/events.json"
        /// Lines of container log and bytes of Falco's log to keep.
        public var logLines = 5000
        public var falcoLogBytes = 4 << 20
        /// Falco's capture files (`capture:` in falco.yaml) to include (docs/actions.md).
        public struct Captures: Sendable, Equatable {
            /// Falco's `capture.path_prefix`; nil: no captures are looked for.
            public var pathPrefix: String?
            /// The longest capture duration Falco uses (`default_duration`, or a rule's `capture_duration`).
            public var durationNanoseconds: Int64 = 5_000_000_000
            /// Bytes of captures one bundle takes at most; a capture that does not fit is noted.
            public var maxTotalBytes: Int64 = 1 << 30
        }
        public var captures = Captures()
    }

    public var stopTrading = StopTrading()
    public var docker = Docker()
    public var backup = Backup()
    public var forensics = Forensics()
    /// The file it came from (nil: defaults only).
    public var path: String?

    public init() {}

    public struct ConfigError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The config at `path`; an absent file gives the defaults.
    public static func load(path: String) throws(ConfigError) -> ActionsConfig {
        guard access(path, F_OK) == 0 else { return ActionsConfig() }
        let text: String
        do { text = try TextFile.read(path, limit: 1 << 20) } catch { throw ConfigError(description: error.description) }
        var config = try parse(text, source: path, baseDirectory: FileOps.parent(of: path))
        config.path = path
        return config
    }

    /// Reads the `actions:` section of a whole config file's text; other sections are not looked at.
    public static func parse(_ yaml: String, source: String, baseDirectory: String) throws(ConfigError) -> ActionsConfig {
        var config = ActionsConfig()
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch { throw ConfigError(description: "\(source): \(error)") }
        guard let section = root?.mapping?.first(where: { $0.key.string == "actions" })?.value else { return config }
        let reader = Reader(source: source, base: baseDirectory)
        for (key, value) in try reader.mapping(section, "actions") {
            switch key.string {
            case "stop_trading":
                for (k, v) in try reader.mapping(value, "actions.stop_trading") {
                    switch k.string {
                    case "url":
                        let url = try reader.string(v, "url")
                        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                            throw reader.error(v, "stop_trading.url must be an http:// or https:// URL, not '\(url)'")
                        }
                        config.stopTrading.url = url
                    case "timeout": config.stopTrading.timeoutSeconds = try reader.duration(v, "timeout")
                    case "name": config.stopTrading.name = try reader.string(v, "name")
                    case "token_env": config.stopTrading.tokenEnvironment = try reader.string(v, "token_env")
                    default: throw reader.unknown(k, in: "actions.stop_trading", ["url", "timeout", "name", "token_env"])
                    }
                }
            case "docker":
                for (k, v) in try reader.mapping(value, "actions.docker") {
                    switch k.string {
                    case "socket": config.docker.socket = reader.resolve(try reader.string(v, "socket"))
                    case "api_version":
                        let version = try reader.string(v, "api_version")
                        guard version.split(separator: ".").count == 2, version.allSatisfy({ $0.isNumber || $0 == "." }) else {
                            throw reader.error(v, "docker.api_version must look like 1.41, not '\(version)'")
                        }
                        config.docker.apiVersion = version
                    case "timeout": config.docker.timeoutSeconds = try reader.duration(v, "timeout")
                    default: throw reader.unknown(k, in: "actions.docker", ["socket", "api_version", "timeout"])
                    }
                }
            case "backup":
                for (k, v) in try reader.mapping(value, "actions.backup") {
                    switch k.string {
                    case "paths":
                        guard let items = v.sequence else { throw reader.error(v, "backup.paths must be a list of paths") }
                        var paths: [String] = []
                        for item in items { paths.append(reader.resolve(try reader.string(item, "backup.paths"))) }
                        config.backup.paths = paths
                    case "dir": config.backup.directory = reader.resolve(try reader.string(v, "dir"))
                    default: throw reader.unknown(k, in: "actions.backup", ["paths", "dir"])
                    }
                }
            case "forensics":
                for (k, v) in try reader.mapping(value, "actions.forensics") {
                    switch k.string {
                    case "dir": config.forensics.directory = reader.resolve(try reader.string(v, "dir"))
                    case "falco_log": config.forensics.falcoLog = reader.resolve(try reader.string(v, "falco_log"))
                    case "log_lines": config.forensics.logLines = try reader.positiveInt(v, "log_lines")
                    case "captures": config.forensics.captures = try reader.captures(v)
                    default: throw reader.unknown(k, in: "actions.forensics", ["dir", "falco_log", "log_lines", "captures"])
                    }
                }
            default:
                throw reader.unknown(key, in: "actions", ["stop_trading", "docker", "backup", "forensics"])
            }
        }
        return config
    }

    /// Reads typed values and says where a bad one is.
    private struct Reader {
        let source: String
        let base: String

        func error(_ node: Node, _ text: String) -> ConfigError {
            ConfigError(description: "\(source)\(node.mark.map { ":\($0.line)" } ?? ""): \(text)")
        }

        func unknown(_ key: Node, in section: String, _ known: [String]) -> ConfigError {
            error(key, "unknown key '\(key.string ?? "?")' in \(section) (known: \(known.joined(separator: ", ")))")
        }

        func mapping(_ node: Node, _ name: String) throws(ConfigError) -> [(key: Node, value: Node)] {
            guard let map = node.mapping else { throw error(node, "\(name) must be a mapping") }
            return map.map { ($0.key, $0.value) }
        }

        func string(_ node: Node, _ name: String) throws(ConfigError) -> String {
            guard let s = node.scalar?.string, !s.isEmpty else { throw error(node, "\(name) must be a non-empty text value") }
            return s
        }

        func duration(_ node: Node, _ name: String) throws(ConfigError) -> Double {
            let text = try string(node, name)
            guard let ns = Duration.parse(text), ns > 0 else { throw error(node, "\(name) must be a duration such as 5s or 500ms, not '\(text)'") }
            return Double(ns) / 1e9
        }

        func positiveInt(_ node: Node, _ name: String) throws(ConfigError) -> Int {
            let text = try string(node, name)
            guard let n = Int(text), n > 0 else { throw error(node, "\(name) must be a positive whole number, not '\(text)'") }
            return n
        }

        /// `captures: {path_prefix: /var/lib/falco/captures/capture, duration: 5s, max_total_mb: 1024}`
        func captures(_ node: Node) throws(ConfigError) -> Forensics.Captures {
            var captures = Forensics.Captures()
            for (k, v) in try mapping(node, "actions.forensics.captures") {
                switch k.string {
                case "path_prefix":
                    let path = resolve(try string(v, "path_prefix"))
                    guard let slash = path.lastIndex(of: "/"), path.index(after: slash) < path.endIndex else {
                        throw error(v, "captures.path_prefix must end with a file name prefix (Falco's capture.path_prefix), not '\(path)'")
                    }
                    captures.pathPrefix = path
                case "duration":
                    let text = try string(v, "duration")
                    guard let ns = Duration.parse(text), ns > 0 else { throw error(v, "captures.duration must be a duration such as 5s or 500ms, not '\(text)'") }
                    captures.durationNanoseconds = ns
                case "max_total_mb":
                    let mb = try positiveInt(v, "max_total_mb")
                    let (bytes, overflow) = Int64(mb).multipliedReportingOverflow(by: 1 << 20)
                    guard !overflow else { throw error(v, "captures.max_total_mb is too large") }
                    captures.maxTotalBytes = bytes
                default: throw unknown(k, in: "actions.forensics.captures", ["path_prefix", "duration", "max_total_mb"])
                }
            }
            return captures
        }

        func resolve(_ path: String) -> String {
            if path.hasPrefix("/") { return path }
            if path.hasPrefix("~/") { return (Paths.environment("HOME") ?? "/root") + path.dropFirst(1) }
            return base + "/" + path
        }
    }
}
