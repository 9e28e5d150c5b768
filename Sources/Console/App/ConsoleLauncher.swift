#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
import Gauges
import TradsecCore

/// What the console runs on, built by the composition root (`Assembly`) from the flags and
/// the config: this module only runs the UI on it.
public struct ConsoleServices {
    /// Incident actions: off (read-only), ready, or off because `actions:` is broken.
    public enum Incident {
        case off
        case ready(IncidentWorker, stopTradingName: String, dryRun: Bool)
        case broken(String)
    }

    public var store: AlertStore
    public var sources: [ConsoleSource]
    public var theme: Theme
    public var keyMap: KeyMap
    public var readOnly: Bool
    public var incident: Incident
    /// nil when the gauges are off; `gaugesOff` says why (a broken `gauges:` section).
    public var gaugeSampler: GaugeSampler?
    public var gaugesOff: String?

    public init(store: AlertStore, sources: [ConsoleSource], theme: Theme, keyMap: KeyMap, readOnly: Bool,
                incident: Incident, gaugeSampler: GaugeSampler?, gaugesOff: String?) {
        self.store = store
        self.sources = sources
        self.theme = theme
        self.keyMap = keyMap
        self.readOnly = readOnly
        self.incident = incident
        self.gaugeSampler = gaugeSampler
        self.gaugesOff = gaugesOff
    }
}

/// Runs the console on built services until the operator quits.
public enum ConsoleLauncher {
    public enum LaunchError: Error, CustomStringConvertible {
        /// stdin or stdout is not a terminal, or the terminal cannot be driven (exit 2).
        case noTerminal(String)

        public var description: String {
            switch self {
            case .noTerminal(let why): return why
            }
        }
    }

    /// Refuses (exit 2) when stdin or stdout is not a terminal: checked before the history is
    /// opened and the sources built.
    public static func requireTerminal() throws(LaunchError) {
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            throw .noTerminal("the console needs a terminal on stdin and stdout; for scripts use 'tradsec query' or 'tradsec stats'")
        }
    }

    /// Runs the console until the operator quits.
    public static func run(_ services: ConsoleServices) throws(LaunchError) {
        try requireTerminal()
        let environment = currentEnvironment()
        var state = ConsoleState(readOnly: services.readOnly, themeName: services.theme.name, hostname: hostName())
        state.keyMap = services.keyMap
        state.labelHosts = services.sources.contains { $0 is ProcessorSource }
        var incidentWorker: IncidentWorker?
        switch services.incident {
        case .off:
            break
        case .ready(let worker, let name, let dryRun):
            incidentWorker = worker
            state.incident = IncidentState(stopTradingName: name, dryRun: dryRun)
        case .broken(let why):
            // A broken actions section must not keep the console from opening mid-incident:
            // the console runs, and the action keys say what is wrong with the config.
            state.incident = IncidentState(stopTradingName: "", configError: why)
            state.setMessage("incident actions are off: \(why)", error: true)
        }
        state.gaugesOff = services.gaugesOff
        if let why = services.gaugesOff, state.message == nil { state.setMessage("gauges are off: \(why)", error: true) }
        let signals = SignalFlags()
        defer { signals.cancel() }
        let terminal: CursesTerminal
        do { terminal = try CursesTerminal.onTerminal(theme: services.theme, environment: environment) } catch {
            throw .noTerminal("\(error)")
        }
        let session = ConsoleSession(state: state, store: services.store, sources: services.sources, terminal: terminal,
                                     environment: environment, incidentWorker: incidentWorker)
        session.gaugeSampler = services.gaugeSampler
        session.run(shouldStop: { signals.stopRequested }, onResume: { signals.takeResumed() })
        terminal.shutdown()
    }

    static func currentEnvironment() -> [String: String] {
        var env: [String: String] = [:]
        for name in ["TERM", "NO_COLOR", "COLORTERM", "TRADSEC_THEME"] {
            if let v = getenv(name) { env[name] = String(cString: v) }
        }
        return env
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
