import TradsecCore

/// The overview's three live panes, by priority.
public enum PaneKind: Int, CaseIterable, Sendable {
    case critical, errorWarning, noticeBelow

    public var priorities: Set<Priority> {
        switch self {
        case .critical: return [.emergency, .alert, .critical]
        case .errorWarning: return [.error, .warning]
        case .noticeBelow: return [.notice, .informational, .debug]
        }
    }

    public var title: String {
        switch self {
        case .critical: return "Critical+"
        case .errorWarning: return "Error/Warning"
        case .noticeBelow: return "Notice/Info"
        }
    }

    /// One-word label for the collapsed tab bar of small terminals.
    public var shortTitle: String {
        switch self {
        case .critical: return "CRIT"
        case .errorWarning: return "ERR/WARN"
        case .noticeBelow: return "NOTICE"
        }
    }

    public var role: StyleRole {
        switch self {
        case .critical: return .critical
        case .errorWarning: return .error
        case .noticeBelow: return .notice
        }
    }
}

extension Priority {
    /// Four-letter label for table columns.
    public var shortName: String {
        switch self {
        case .emergency: return "EMER"
        case .alert: return "ALRT"
        case .critical: return "CRIT"
        case .error: return "ERR "
        case .warning: return "WARN"
        case .notice: return "NOTE"
        case .informational: return "INFO"
        case .debug: return "DEBG"
        }
    }

    public var role: StyleRole {
        switch self {
        case .emergency, .alert, .critical: return .critical
        case .error: return .error
        case .warning: return .warning
        case .notice: return .notice
        case .informational: return .info
        case .debug: return .debug
        }
    }
}
