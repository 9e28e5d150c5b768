import AlertStore
import Gauges
import TradsecCore

/// A screen on the navigation stack.
public enum ScreenKind: Equatable, Sendable {
    case overview
    case containers
    case container(String)
    case alert(StoredAlert)
    case help
    case audit
    case gauges
    case incidents
    case incident(Int64)

    var liveSlot: Int? {
        switch self {
        case .overview: return 0
        case .containers: return 1
        case .container: return 2
        case .incidents: return 5
        case .incident: return 6
        default: return nil
        }
    }
}

/// What typed keys currently go to.
public enum InputMode: Equatable, Sendable {
    case normal
    /// `/`: the live filter being typed (applied at each key); `previous` comes back on Esc.
    case filter(text: String, previous: String?)
    case command(String)
    /// `s` on an alert: silence its rule or its container?
    case silenceChoice(rule: String, container: ContainerRef)
    /// How long to silence for (`1h`, `30m`…).
    case silenceDuration(kind: Silence.Kind, value: String, label: String, text: String)
    /// A destructive incident action waits for the operator to type the target's name.
    case confirmIncident(IncidentConfirmation)

    public var isPrompt: Bool { self != .normal }
}

/// What the app must do after a key: the state machine itself never touches the history,
/// the terminal or a source.
public enum Effect: Equatable, Sendable {
    case quit
    case load(DataLoader.Request)
    case leave(slot: Int)
    case setTheme(String)
    case setPaused(Bool)
    case redraw
    /// Run an incident action, or load the audit log (the incident worker, off the UI thread).
    case incident(IncidentWork)
}

/// A screen and where its cursor is.
public struct ScreenState: Equatable, Sendable {
    public var kind: ScreenKind
    public var selection = 0
    public var scroll = 0

    public init(kind: ScreenKind, selection: Int = 0, scroll: Int = 0) {
        self.kind = kind
        self.selection = selection
        self.scroll = scroll
    }
}

/// The console's whole state: screens, cursors, filters, loaded data. A value type
/// changed only by ``handle(_:)`` (keys) and ``apply(_:)`` (loaded data), so it is tested
/// without a terminal.
public struct ConsoleState: Equatable, Sendable {
    public var stack: [ScreenState] = [ScreenState(kind: .overview)]
    public var mode: InputMode = .normal
    public var filter = ViewFilter()
    public var keyMap = KeyMap()
    public var readOnly: Bool
    public var themeName: String
    public var hostname: String
    /// Alerts come from more than one host (processor feeds): rows name the host with the container.
    public var labelHosts = false

    public var overview: OverviewData?
    public var containers: [ContainerActivity]?
    public var containerSort: ContainerSort = .lastAlert
    public var containerDetail: ContainerDetailData?
    public var alertDetail: AlertDetailData?
    /// The latest gauge snapshot (the sampler thread makes them; nil when gauges are off).
    public var gauges: GaugeSnapshot?
    /// Why there are no gauges (their config section is broken), shown on the gauges screen.
    public var gaugesOff: String?
    /// The incidents screen's list, the open incident, and the header's incident counts.
    public var incidentList: IncidentListData?
    public var incidentDetail: IncidentDetailData?
    /// The incident screen asked for an incident the history does not hold (any more).
    public var incidentMissing: Int64?
    public var incidentSummary: IncidentSummary?

    /// The overview's focused pane and each pane's cursor and first visible row.
    public var focusedPane = 0
    public var paneSelection = [0, 0, 0]
    public var paneScroll = [0, 0, 0]
    /// Rows a page moves; the renderer sets it from the layout.
    public var pageSize = 10

    public var paused = false
    /// The newest id when the pause began, and the newest seen since (the header shows the gap).
    public var pausedAtID: Int64 = 0
    public var latestID: Int64 = 0
    /// Critical alerts newer than this id are highlighted until the cursor reaches them.
    public var unseenWatermark: Int64?
    public var seen: Set<Int64> = []
    public var message: String?
    public var messageIsError = false
    public var quitRequested = false
    /// Incident actions: what the console knows of them (nil: not available, e.g. --read-only).
    public var incident: IncidentState?

    public init(readOnly: Bool = false, themeName: String = "default", hostname: String = "localhost", filter: ViewFilter = ViewFilter()) {
        self.readOnly = readOnly
        self.themeName = themeName
        self.hostname = hostname
        self.filter = filter
    }

    public var screen: ScreenKind { stack.last!.kind }
    public var top: ScreenState {
        get { stack[stack.count - 1] }
        set { stack[stack.count - 1] = newValue }
    }

    /// The requests that load the current screen.
    public func loadCurrent() -> [Effect] {
        switch screen {
        case .overview: return [.load(.overview(filter))]
        case .containers: return [.load(.containers(filter))]
        case .container(let id): return [.load(.container(id, filter))]
        case .alert(let stored): return [.load(.alert(stored))]
        case .help, .gauges: return []
        case .audit: return [.incident(.loadAudit)]
        case .incidents: return [.load(.incidents(filter))]
        case .incident(let id): return [.load(.incident(id))]
        }
    }

    /// Reloads for a changed filter: the overview (always live) and the screen on top.
    func reloadForFilter() -> [Effect] {
        var effects: [Effect] = [.load(.overview(filter))]
        if screen != .overview { effects += loadCurrent() }
        return effects
    }

    // MARK: - Selection helpers

    /// The overview row under the cursor of the focused pane.
    public var selectedRow: FoldedRow? {
        guard let pane = overview?.panes[safe: focusedPane] else { return nil }
        return pane.rows[safe: paneSelection[focusedPane]]
    }

    /// The sorted container table the containers screen shows.
    public var sortedContainers: [ContainerActivity] {
        (containers ?? []).sorted(by: containerSort.ordering)
    }

    public func isUnseen(_ row: FoldedRow, in pane: PaneKind) -> Bool {
        guard pane == .critical, let watermark = unseenWatermark else { return false }
        return row.newest.id > watermark && !seen.contains(row.newest.id) && !row.acknowledged
    }

    public var unseenCriticalCount: Int {
        guard let pane = overview?.panes.first(where: { $0.kind == .critical }) else { return 0 }
        return pane.rows.filter { isUnseen($0, in: .critical) }.count
    }

    /// How many items the cursor moves over on the current screen.
    var itemCount: Int {
        switch screen {
        case .overview: return overview?.panes[safe: focusedPane]?.rows.count ?? 0
        case .containers: return containers?.count ?? 0
        case .container: return containerDetail?.recent.count ?? 0
        case .alert: return alertDetail.map { $0.sameRule.count + $0.sameContainer.count + $0.sameProcess.count } ?? 0
        case .help: return HelpScreen.lineCount(keyMap, incidentActions: !readOnly)
        case .audit: return incident?.auditEntries?.count ?? 0
        case .gauges: return GaugesScreen.lineCount(gauges)
        case .incidents: return incidentList?.incidents.count ?? 0
        case .incident: return incidentDetail.map { $0.pendingProposals.count + $0.timeline.count } ?? 0
        }
    }

    mutating func setMessage(_ text: String, error: Bool = false) {
        message = text
        messageIsError = error
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// Sort orders of the containers screen (`S` cycles).
public enum ContainerSort: String, CaseIterable, Sendable {
    case lastAlert = "last alert", critical = "critical", total = "total", name = "name"

    var ordering: (ContainerActivity, ContainerActivity) -> Bool {
        switch self {
        case .lastAlert: return { $0.lastAlert > $1.lastAlert }
        case .critical: return { a, b in
            let ca = a.criticalCount, cb = b.criticalCount
            return ca != cb ? ca > cb : a.total > b.total
        }
        case .total: return { $0.total != $1.total ? $0.total > $1.total : $0.lastAlert > $1.lastAlert }
        case .name: return { $0.container.ref.name.lowercased() < $1.container.ref.name.lowercased() }
        }
    }

    var next: ContainerSort {
        let all = ContainerSort.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

extension ContainerActivity {
    func count(_ kinds: Set<Priority>) -> Int { counts.filter { kinds.contains($0.key) }.map(\.value).reduce(0, +) }
    var criticalCount: Int { count(PaneKind.critical.priorities) }
}
