import AlertStore

/// How a source is doing, for the header.
public enum SourceState: Equatable, Sendable {
    case starting
    case running
    /// Running but with nothing to read yet (file not there).
    case waiting(String)
    case failed(String)
    /// A source with a natural end (a file of events) that reached it.
    case finished(String)
    case stopped

    public var label: String {
        switch self {
        case .starting: return "starting"
        case .running: return "live"
        case .waiting(let why): return "waiting: \(why)"
        case .failed(let why): return "failed: \(why)"
        case .finished(let what): return "done: \(what)"
        case .stopped: return "stopped"
        }
    }
}

/// A source's name and state, as the header shows it.
public struct SourceStatus: Equatable, Sendable {
    public var name: String
    public var state: SourceState
    public init(name: String, state: SourceState) {
        self.name = name
        self.state = state
    }
}

/// Something that feeds alerts into the history while the console runs (a followed Falco
/// log, raw events through the rule engine, later a processor URL or the demo scenario).
/// Sources only write to the history; the screens read the history. A source runs on its
/// own thread and must never block the caller of ``start(store:)`` or ``stop()``.
public protocol ConsoleSource: AnyObject, Sendable {
    /// `falco-file:/var/log/falco.log`.
    var name: String { get }
    var status: SourceStatus { get }
    func start(store: AlertStore)
    /// Asks the source to stop and waits (briefly) for it to commit what it holds.
    func stop()
}

/// Parses `--source` specs: `falco-file=PATH`. Other kinds are registered here as they land.
public enum SourceSpec {
    public struct SpecError: Error, CustomStringConvertible { public var description: String }

    public static let help = "falco-file=PATH (follow a Falco JSON log, storing what arrives), processor=http://HOST:8080 (a tradsec serve live feed; token from $TRADSEC_TOKEN), events=PATH (raw events through the rule engine; needs --rules), demo[=SPEED] (the bundled incident)"

    public static func make(_ spec: String) throws -> ConsoleSource {
        guard let eq = spec.firstIndex(of: "=") else {
            throw SpecError(description: "--source '\(spec)': expected KIND=VALUE, one of: \(help)")
        }
        let kind = String(spec[..<eq]), value = String(spec[spec.index(after: eq)...])
        guard !value.isEmpty else { throw SpecError(description: "--source '\(spec)': missing value after '='") }
        switch kind {
        case "falco-file", "file":
            return FalcoFileSource(path: value)
        case "processor":
            guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
                throw SpecError(description: "--source '\(spec)': expected processor=http://HOST:PORT")
            }
            return ProcessorSource(url: value)
        case "events", "demo":
            // Built by the executable, which links the rule engine (see ConsoleLauncher.Options.extraSources).
            throw SpecError(description: "--source '\(spec)': raw events need rules: add --rules FILE...")
        default:
            throw SpecError(description: "--source '\(spec)': unknown kind '\(kind)'; available: \(help)")
        }
    }
}
