import Config
import TradsecCore

/// The `actions:` section of `$XDG_CONFIG_HOME/tradsec/config.yaml` (or `--config FILE`).
///
/// ```yaml
/// actions:
///   stop_trading: {url: http://127.0.0.1:8000/api/emergency/stop, timeout: 5s, name: trading, token_env: BOT_TOKEN}
///   docker: {socket: /var/run/docker.sock, api_version: "1.41", timeout: 30s}
///   backup: {paths: [data, logs], dir: backups}
///   forensics: {dir: forensics, falco_log: /var/log/falco/events.json, log_lines: 5000}
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

    public init() {}
}

extension ActionsConfig: ConfigSection {
    public static let key = "actions"

    public init(config value: ConfigValue) throws(ConfigError) {
        self.init()
        let m = try value.mapping(known: ["stop_trading", "docker", "backup", "forensics"])
        if let section = m["stop_trading"] {
            let s = try section.mapping(known: ["url", "timeout", "name", "token_env"])
            if let v = s["url"] { stopTrading.url = try v.url() }
            if let v = s["timeout"] { stopTrading.timeoutSeconds = try v.seconds() }
            if let v = s["name"] { stopTrading.name = try v.string() }
            if let v = s["token_env"] { stopTrading.tokenEnvironment = try v.string() }
        }
        if let section = m["docker"] {
            let d = try section.mapping(known: ["socket", "api_version", "timeout"])
            if let v = d["socket"] { docker.socket = try v.path() }
            if let v = d["api_version"] {
                let version = try v.string()
                guard version.split(separator: ".").count == 2, version.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else {
                    throw v.wrongType("an Engine API version such as 1.41")
                }
                docker.apiVersion = version
            }
            if let v = d["timeout"] { docker.timeoutSeconds = try v.seconds() }
        }
        if let section = m["backup"] {
            let b = try section.mapping(known: ["paths", "dir"])
            if let v = b["paths"] {
                var paths: [String] = []
                for item in try v.list() { paths.append(try item.path()) }
                backup.paths = paths
            }
            if let v = b["dir"] { backup.directory = try v.path() }
        }
        if let section = m["forensics"] {
            let f = try section.mapping(known: ["dir", "falco_log", "log_lines", "captures"])
            if let v = f["dir"] { forensics.directory = try v.path() }
            if let v = f["falco_log"] { forensics.falcoLog = try v.path() }
            if let v = f["log_lines"] { forensics.logLines = try v.positiveInt() }
            if let v = f["captures"] {
                // captures: {path_prefix: /var/lib/falco/captures/capture, duration: 5s, max_total_mb: 1024}
                let c = try v.mapping(known: ["path_prefix", "duration", "max_total_mb"])
                if let p = c["path_prefix"] {
                    let path = try p.path()
                    guard let slash = path.lastIndex(of: "/"), path.index(after: slash) < path.endIndex else {
                        throw p.invalid("must end with a file name prefix (Falco's capture.path_prefix), not '\(path)'")
                    }
                    forensics.captures.pathPrefix = path
                }
                if let d = c["duration"] { forensics.captures.durationNanoseconds = try d.duration() }
                if let m = c["max_total_mb"] {
                    let (bytes, overflow) = Int64(try m.positiveInt()).multipliedReportingOverflow(by: 1 << 20)
                    guard !overflow else { throw m.invalid("is too large") }
                    forensics.captures.maxTotalBytes = bytes
                }
            }
        }
    }
}
