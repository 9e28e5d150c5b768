/// The incident actions tradsec can take.
public enum ActionKind: String, CaseIterable, Sendable {
    case stopTrading = "stop-trading"
    case isolate
    case restore
    case backup
    case forensics

    /// Destructive actions need the operator to type the target's name (or `--yes`).
    public var isDestructive: Bool { self == .stopTrading || self == .isolate }

    /// Actions on one container: `--target` is required and checked against the engine's list.
    public var needsContainer: Bool { self == .isolate || self == .restore || self == .forensics }

    public var summary: String {
        switch self {
        case .stopTrading: return "ask the trading bot to stop trading (its emergency endpoint)"
        case .isolate: return "disconnect a container from every network, remembering them"
        case .restore: return "reconnect an isolated container to the networks it had"
        case .backup: return "tar.gz of the configured data paths, with its SHA-256"
        case .forensics: return "bundle a container's logs, inspect, processes, alerts and host facts"
        }
    }
}
