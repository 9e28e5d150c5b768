#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
import Gauges
import TradsecCore

/// Everything `tradsec console` does between argument parsing and exit.
public enum ConsoleLauncher {
    public struct Options: Sendable {
        public var databasePath: String
        public var theme: String?
        public var readOnly = false
        /// Incident actions run as dry runs (they say what they would do).
        public var dryRunActions = false
        public var sources: [String] = []
        public var configPath: String?
        /// Sources built by the caller (kinds this library cannot build: raw events through
        /// the rule engine, the demo scenario); started and stopped with the others.
        public var extraSources: [ConsoleSource] = []
        public init(databasePath: String) { self.databasePath = databasePath }
    }

    public struct LaunchError: Error, CustomStringConvertible {
        public var description: String
        public var exitCode: Int32
    }

    /// Runs the console until the operator quits. Refuses (exit 2) when stdout is not a terminal.
    public static func run(_ options: Options) throws(LaunchError) {
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            throw LaunchError(description: "the console needs a terminal on stdin and stdout; for scripts use 'tradsec query' or 'tradsec stats'", exitCode: 2)
        }
        let environment = currentEnvironment()
        let config: ConsoleConfig
        do { config = try ConsoleConfig.load(path: options.configPath ?? ConsoleConfig.defaultPath) } catch {
            throw LaunchError(description: "\(error)", exitCode: 78)
        }
        // Like a broken actions section, a broken gauges section (a threshold typo) must not keep
        // the console from opening mid-incident: it opens without gauges and says why.
        let gaugesConfig: GaugesConfig?
        var gaugesError: String?
        do { gaugesConfig = try GaugesConfig.load(path: options.configPath ?? ConsoleConfig.defaultPath) } catch {
            gaugesConfig = nil
            gaugesError = "\(error)"
        }
        let themeName = options.theme ?? environment["TRADSEC_THEME"] ?? config.theme ?? "default"
        let theme: Theme
        do { theme = try ThemeLoader.load(themeName) } catch { throw LaunchError(description: "\(error)", exitCode: 64) }
        let specs = options.sources.isEmpty ? config.sources : options.sources
        if options.readOnly && !(specs.isEmpty && options.extraSources.isEmpty) {
            throw LaunchError(description: "--read-only cannot be combined with sources: they write what arrives into the history", exitCode: 64)
        }
        var sources: [ConsoleSource] = options.extraSources
        for spec in specs {
            do { sources.append(try SourceSpec.make(spec)) } catch { throw LaunchError(description: "\(error)", exitCode: 64) }
        }
        let store: AlertStore
        do { store = try AlertStore(path: options.databasePath, readOnly: options.readOnly) } catch {
            throw LaunchError(description: "\(error)", exitCode: 74)
        }
        var state = ConsoleState(readOnly: options.readOnly, themeName: theme.name, hostname: hostName())
        state.keyMap = config.keyMap
        state.labelHosts = sources.contains { $0 is ProcessorSource }
        // Incident actions: off (keys refuse, help hides them) in a read-only console.
        var incidentWorker: IncidentWorker?
        if !options.readOnly {
            // A broken actions section must not keep the console from opening mid-incident:
            // the console runs, and the action keys say what is wrong with the config.
            do {
                let actionsConfig = try ActionsConfig.load(path: options.configPath ?? ConsoleConfig.defaultPath)
                incidentWorker = IncidentWorker(runner: ActionRunner(config: actionsConfig, store: store))
                state.incident = IncidentState(stopTradingName: actionsConfig.stopTrading.name, dryRun: options.dryRunActions)
            } catch {
                state.incident = IncidentState(stopTradingName: "", configError: "\(error)")
                state.setMessage("incident actions are off: \(error)", error: true)
            }
        }
        state.gaugesOff = gaugesError
        if let gaugesError, state.message == nil { state.setMessage("gauges are off: \(gaugesError)", error: true) }
        let signals = SignalFlags()
        defer { signals.cancel() }
        let terminal: CursesTerminal
        do { terminal = try CursesTerminal.onTerminal(theme: theme, environment: environment) } catch {
            throw LaunchError(description: "\(error)", exitCode: 2)
        }
        let session = ConsoleSession(state: state, store: store, sources: sources, terminal: terminal, environment: environment,
                                     incidentWorker: incidentWorker)
        session.gaugeSampler = gaugesConfig.map { GaugeSampler(collector: GaugeCollector(config: $0, store: store)) }
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
