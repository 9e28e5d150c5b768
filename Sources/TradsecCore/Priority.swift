/// Falco's eight priorities, most severe first.
///
/// The raw value is Falco's own order (0 = Emergency), so "more severe" means a
/// *smaller* raw value. Use ``isAtLeast(_:)`` rather than comparing raw values.
public enum Priority: Int, CaseIterable, Sendable, Comparable, Codable {
    case emergency = 0, alert, critical, error, warning, notice, informational, debug

    /// The canonical name Falco prints (`Informational`, never `Info`).
    public var name: String {
        switch self {
        case .emergency: "Emergency"
        case .alert: "Alert"
        case .critical: "Critical"
        case .error: "Error"
        case .warning: "Warning"
        case .notice: "Notice"
        case .informational: "Informational"
        case .debug: "Debug"
        }
    }

    /// Parses any accepted spelling, case-insensitively (`info` and `informational` both work).
    public init?(name: some StringProtocol) {
        switch name.lowercased() {
        case "emergency": self = .emergency
        case "alert": self = .alert
        case "critical": self = .critical
        case "error": self = .error
        case "warning": self = .warning
        case "notice": self = .notice
        case "informational", "info": self = .informational
        case "debug": self = .debug
        default: return nil
        }
    }

    /// `self` is as severe as `other` or more.
    public func isAtLeast(_ other: Priority) -> Bool { rawValue <= other.rawValue }

    /// Comparable orders by severity: `.debug < .emergency`.
    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue > rhs.rawValue }

    public static let acceptedSpellings = "emergency, alert, critical, error, warning, notice, informational (or info), debug"
}
