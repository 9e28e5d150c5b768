#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Config
import Gauges
import TradsecCore

/// Wires the pieces together for one run: state machine, data loader, sources, terminal.
/// The loop waits only on the keyboard (with a timeout); everything slow happens on the
/// loader's queue or the sources' threads.
public final class ConsoleSession {
    public static let minimumFrameInterval = 1.0 / 30

    public var state: ConsoleState
    public let loader: DataLoader
    public let sources: [ConsoleSource]
    public let terminal: CursesTerminal
    public let environment: [String: String]
    /// Runs incident actions off the UI thread (nil: none, e.g. --read-only).
    public let incidentWorker: IncidentWorker?
    private var dirty = true
    /// A key changed the screen: draw now, not at the next frame slot (data frames are the
    /// ones to coalesce; keys come at human speed).
    private var keyDirty = false
    private var lastDraw = 0.0
    private var lastSecond: Int64 = -1
    private var lastStatuses: [SourceStatus] = []
    public private(set) var framesDrawn = 0
    /// Samples the gauges on its own thread; the loop only takes its latest snapshot.
    public var gaugeSampler: GaugeSampler?

    public init(state: ConsoleState, store: AlertStore, sources: [ConsoleSource], terminal: CursesTerminal,
                environment: [String: String], incidentWorker: IncidentWorker? = nil) {
        self.incidentWorker = incidentWorker
        self.state = state
        self.loader = DataLoader(store: store, readOnly: state.readOnly)
        let wakeUp = terminal.wakeUp
        self.loader.onResult = { wakeUp.wake() }
        self.sources = sources
        self.terminal = terminal
        self.environment = environment
    }

    /// Starts the sources and the first queries.
    public func start() {
        for s in sources { s.start(store: loader.store) }
        loader.startLiveRefresh()
        gaugeSampler?.start()
        execute(state.loadCurrent())
    }

    public func stop() {
        // An action half done is worse than a console that closes a moment later: let it
        // finish (its own timeouts bound the wait) so its audit row is completed.
        incidentWorker?.waitUntilIdle()
        for s in sources { s.stop() }
        gaugeSampler?.stop()
        loader.stop()
    }

    /// Handles one key now (input never waits on data).
    public func handle(_ key: Key) {
        execute(state.handle(key))
        dirty = true
        keyDirty = true
    }

    /// Takes in loaded data and source states; draws if something changed and the frame
    /// budget allows (at most 30 frames a second, however fast data arrives).
    @discardableResult
    public func pump(now: Double = Monotonic.seconds(), force: Bool = false) -> Bool {
        for result in loader.takeResults() {
            state.apply(result)
            dirty = true
        }
        for result in incidentWorker?.takeResults() ?? [] {
            execute(state.applyIncident(result))
            dirty = true
        }
        if let snapshot = gaugeSampler?.latest, snapshot.sequence != state.gauges?.sequence {
            state.gauges = snapshot
            dirty = true
        }
        let statuses = sources.map(\.status)
        if statuses != lastStatuses {
            lastStatuses = statuses
            dirty = true
        }
        let wall = Timestamp.now()
        let second = wall.nanoseconds / 1_000_000_000
        if second != lastSecond {
            lastSecond = second
            dirty = true          // the clock and the ages in the header
        }
        guard dirty, force || keyDirty || now - lastDraw >= Self.minimumFrameInterval else { return false }
        draw(now: wall)
        lastDraw = now
        return true
    }

    /// Milliseconds the loop may wait for a key before it has something to draw.
    public var idleTimeoutMilliseconds: Int32 {
        guard dirty, !keyDirty else {
            if keyDirty { return 0 }
            // New data wakes the wait (the loader's wake-up); otherwise look again at the
            // next second (the clock in the header) or sooner for source states and actions.
            let intoSecond = Int32(clamping: (Timestamp.now().nanoseconds / 1_000_000) % 1000)
            return min(250, 1001 - intoSecond)
        }
        let remaining = Self.minimumFrameInterval - (Monotonic.seconds() - lastDraw)
        return Int32(max(0, min(100, remaining * 1000)))
    }

    public func draw(now: Timestamp = .now()) {
        let size = terminal.size
        let frame = ConsoleRenderer.render(state, width: size.width, height: size.height, now: now, sources: lastStatuses)
        state.pageSize = frame.pageSize
        terminal.draw(frame.grid, cursor: frame.cursor)
        dirty = false
        keyDirty = false
        framesDrawn += 1
    }

    func execute(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .quit: break
            case .load(let request): loader.request(request)
            case .leave(let slot): loader.leave(slot: slot)
            case .setPaused(let paused): loader.setPaused(paused)
            case .redraw: terminal.invalidate()
            case .incident(let work): incidentWorker?.submit(work)
            case .setTheme(let name):
                do {
                    let theme = try ThemeLoader.load(name, origin: ConfigLocation(file: ":theme"))
                    terminal.apply(theme: theme, environment: environment)
                    state.themeName = theme.name
                    state.setMessage("theme \(theme.name)" + (terminal.depth == .none ? " (no colours on this terminal)" : ""))
                } catch {
                    state.setMessage("\(error)", error: true)
                }
            }
        }
    }

    /// The interactive loop; returns when the operator quits or `shouldStop` turns true.
    public func run(shouldStop: () -> Bool, onResume: () -> Bool) {
        start()
        defer { stop() }
        while !state.quitRequested && !shouldStop() {
            if onResume() { terminal.invalidate(); dirty = true }
            if let key = terminal.readKey(timeoutMilliseconds: idleTimeoutMilliseconds) {
                handle(key)
                // Whatever else is already typed (a paste, key repeat) before drawing.
                var more = 0
                while more < 64, !state.quitRequested, let next = terminal.readKey(timeoutMilliseconds: 0) {
                    handle(next)
                    more += 1
                }
            }
            pump()
        }
    }
}
