/// What a key does. Keys map to actions through the ``KeyMap`` (configurable); the state
/// machine only knows actions.
public enum Action: String, CaseIterable, Sendable {
    case quit, help, back, open, up, down, pageUp = "page-up", pageDown = "page-down", top, bottom
    case nextPane = "next-pane", previousPane = "previous-pane"
    case filter, command, acknowledge, silence, pause
    case containers, overview, sort, redraw
    // Incident actions (docs/actions.md); hidden and refused with --read-only.
    case stopTrading = "stop-trading", isolate, restore, backup, forensics, audit
    case gauges
    case incidents
    /// Approve the selected response proposal of an incident (through the action's own confirmation).
    case approve

    /// One line for the help screen.
    public var summary: String {
        switch self {
        case .quit: return "quit (also :q)"
        case .help: return "this help"
        case .back: return "back to the previous screen; cancel a prompt"
        case .open: return "open the selected alert or container"
        case .up: return "move up"
        case .down: return "move down"
        case .pageUp: return "page up"
        case .pageDown: return "page down"
        case .top: return "first row"
        case .bottom: return "last row"
        case .nextPane: return "next pane"
        case .previousPane: return "previous pane"
        case .filter: return "live filter: words that must occur in the alert text"
        case .command: return "command line (:priority, :since, :container, :rule, :theme, :clear, :q)"
        case .acknowledge: return "acknowledge the selected alert(s)"
        case .silence: return "silence the selected rule or container for a while"
        case .pause: return "pause / resume the live flow"
        case .containers: return "containers screen"
        case .overview: return "overview screen"
        case .sort: return "change the sort column (containers)"
        case .redraw: return "redraw the screen"
        case .stopTrading: return "STOP TRADING: the bot's emergency endpoint (type its name to confirm)"
        case .isolate: return "isolate the selected container from every network (type its name to confirm)"
        case .restore: return "restore the selected container's networks (type its name to confirm)"
        case .backup: return "back up the configured data paths (tar.gz + SHA-256)"
        case .forensics: return "forensics bundle of the selected container (type its name to confirm)"
        case .audit: return "audit log: every incident action, who, when, result"
        case .gauges: return "gauges: Falco and bot CPU/memory, Falco health and drops, feed ages"
        case .incidents: return "incidents: alerts correlated per container, most severe first (also :incidents)"
        case .approve: return "approve the selected response proposal of an incident (its action's confirmation follows)"
        }
    }
}

/// Keys to actions. Defaults follow less/vim/k9s habits; the config file may rebind any action.
public struct KeyMap: Equatable, Sendable {
    public private(set) var bindings: [Key: Action]

    public static let defaults: [(Key, Action)] = [
        (.character("q"), .quit), (.character("?"), .help), (.function(1), .help),
        (.escape, .back), (.backspace, .back), (.character("h"), .back), (.left, .back),
        (.enter, .open), (.character("l"), .open), (.right, .open),
        (.up, .up), (.character("k"), .up), (.down, .down), (.character("j"), .down),
        (.pageUp, .pageUp), (.control("b"), .pageUp), (.pageDown, .pageDown), (.control("f"), .pageDown), (.character(" "), .pageDown),
        (.character("g"), .top), (.home, .top), (.character("G"), .bottom), (.end, .bottom),
        (.tab, .nextPane), (.backTab, .previousPane),
        (.character("/"), .filter), (.character(":"), .command),
        (.character("a"), .acknowledge), (.character("s"), .silence), (.character("p"), .pause),
        (.character("c"), .containers), (.character("o"), .overview), (.character("S"), .sort),
        (.control("l"), .redraw),
        (.character("X"), .stopTrading), (.character("I"), .isolate), (.character("R"), .restore),
        (.character("B"), .backup), (.character("F"), .forensics), (.character("A"), .audit),
        (.character("u"), .gauges), (.character("i"), .incidents), (.character("Y"), .approve),
    ]

    public init() {
        bindings = Dictionary(KeyMap.defaults, uniquingKeysWith: { a, _ in a })
    }

    public func action(for key: Key) -> Action? { bindings[key] }

    /// Keys bound to `action`, defaults first.
    public func keys(for action: Action) -> [Key] {
        let ordered = KeyMap.defaults.map(\.0) + bindings.keys.sorted { $0.label < $1.label }
        var seen = Set<Key>()
        return ordered.filter { bindings[$0] == action && seen.insert($0).inserted }
    }

    /// Binds `keys` to `action`, replacing the action's default keys.
    public mutating func bind(_ action: Action, to keys: [Key]) {
        for (k, a) in bindings where a == action { bindings[k] = nil }
        for k in keys { bindings[k] = action }
    }
}
