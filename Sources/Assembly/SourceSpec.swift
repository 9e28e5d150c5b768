import Config

/// What feeds the history while the console runs: one kind, from `--source` or from the
/// config's `sources:` alike (one parser for both).
public enum SourceSpec: Equatable, Sendable {
    /// `falco-file=PATH`: follow a Falco JSON log (rotation, resume at the stored checkpoint).
    case falcoFile(String)
    /// `processor=URL`: a `tradsec serve` live feed.
    case processor(String)
    /// `events=PATH`: raw events (JSON Lines) once through the embedded rule engine.
    case events(String)
    /// `demo[=SPEED]`: the bundled incident; nil plays it at once (`demo=0`).
    case demo(speed: Double?)
    /// `socket=PATH`: a Unix socket (0600) for Falco's program_output, many writers.
    case socket(String)
    /// `host`: this host's syscalls through eBPF into the embedded rule engine (root).
    case host

    public static let help = "falco-file=PATH (follow a Falco JSON log, storing what arrives), processor=http://HOST:8080 (a tradsec serve live feed; token from $TRADSEC_TOKEN), events=PATH (raw events through the rule engine; needs rules), demo[=SPEED] (the bundled incident), socket=PATH (a Unix socket for Falco's program_output), host (this host's syscalls through eBPF; root)"

    static let kinds = ["falco-file", "processor", "events", "demo", "socket", "host"]

    /// Parses one spec. `directory` is where relative paths start (the config file's for
    /// `sources:`; nil leaves them to the working directory, as a flag's). Mistakes are
    /// reported at `location` (the list item, or `--source`).
    public static func parse(_ text: String, at location: ConfigLocation, key: String = "",
                             directory: String? = nil) throws(ConfigError) -> SourceSpec {
        func fail(_ reason: String) -> ConfigError { .invalid(location, key: key, reason: "'\(text)': \(reason)") }
        func resolve(_ path: String) -> String {
            guard let directory, !path.hasPrefix("/") else { return path }
            return (directory == "/" ? "" : directory) + "/" + path
        }
        let kind: String, value: String?
        if let eq = text.firstIndex(of: "=") {
            kind = String(text[..<eq])
            value = String(text[text.index(after: eq)...])
        } else {
            kind = text
            value = nil
        }
        if value?.isEmpty == true { throw fail("missing value after '='") }
        switch kind {
        case "host":
            guard value == nil else { throw fail("host takes no value") }
            return .host
        case "demo":
            guard let value else { return .demo(speed: 10) }
            guard value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let speed = Double(value), speed.isFinite else {
                throw fail("the speed must be a number (0 plays at once)")
            }
            return .demo(speed: speed == 0 ? nil : speed)
        case "falco-file", "file", "processor", "events", "socket":
            guard let value else { throw fail("expected \(kind)=\(kind == "processor" ? "URL" : "PATH")") }
            switch kind {
            case "processor":
                guard value.hasPrefix("http://") || value.hasPrefix("https://") else { throw fail("expected processor=http://HOST:PORT") }
                return .processor(value)
            case "events": return .events(resolve(value))
            case "socket": return .socket(resolve(value))
            default: return .falcoFile(resolve(value))
            }
        default:
            let close = KeySuggestion.closest(to: kind, in: kinds).map { "; did you mean '\($0)'?" } ?? ""
            throw fail("unknown kind '\(kind)'\(close); available: \(help)")
        }
    }

    /// Parses a `--source` flag: a mistake is a usage error (64).
    public static func parse(flag text: String) throws(AssemblyError) -> SourceSpec {
        do { return try parse(text, at: ConfigLocation(file: "--source")) } catch { throw .usage(error.description) }
    }

    /// Alerts that arrive raw here (not a processor's, which it processed already).
    var isLocal: Bool {
        if case .processor = self { return false }
        return true
    }

    var isDemo: Bool {
        if case .demo = self { return true }
        return false
    }

    /// The rules the engine needs, or nil.
    var needsRules: Bool {
        switch self {
        case .events, .demo, .host: return true
        default: return false
        }
    }
}

/// `sources:` of config.yaml: the console's sources when no `--source` is given.
///
/// ```yaml
/// sources:
///   - falco-file=/var/log/falco/events.json
///   - events=capture.jsonl        # relative to this file; rules: --rules, else sensor.rules
///   - demo=20
///   - host
/// ```
public struct SourceList: ConfigSection, Equatable {
    public static let key = "sources"
    public var specs: [SourceSpec] = []

    public init() {}

    public init(config value: ConfigValue) throws(ConfigError) {
        for item in try value.list() {
            specs.append(try SourceSpec.parse(try item.string(), at: item.location, key: item.keyPath, directory: item.directory))
        }
    }
}
