import Actions
import AlertStore
import Config
import Console
import Gauges
import Processor
import Sensor
import TradsecCore

/// What `tradsec console` (and `tradsec demo` on a terminal) is given on the command line.
public struct ConsoleFlags: Sendable {
    public var databasePath: String
    /// `--theme`.
    public var theme: String?
    public var readOnly = false
    /// Incident actions only say what they would do.
    public var dryRunActions = false
    /// `--source` specs; when none, the config's `sources:`.
    public var sources: [String] = []
    /// `--rules`: for events=, demo and host.
    public var rules: [String] = []

    public init(databasePath: String) { self.databasePath = databasePath }
}

/// The console's settings decided, before anything is opened: the config's console sections,
/// the theme, the sources to build. Making it needs neither the terminal nor the history.
public struct ConsolePlan {
    public let flags: ConsoleFlags
    public let config: DecodedConfig
    public let theme: Theme
    public let keyMap: KeyMap
    public let sources: [SourceSpec]
}

/// Builds what the console runs on from the flags and the decoded config.
public enum ConsoleAssembly {
    /// The console's own sections (`theme:`, `sources:`, `keys:`) must be right; broken
    /// `actions:` or `gauges:` sections only turn those features off (``services(_:extraSources:)``).
    /// `environment` gives `TRADSEC_THEME`, between the flag and the file.
    public static func plan(_ flags: ConsoleFlags, config: DecodedConfig, environment: [String: String]) throws(AssemblyError) -> ConsolePlan {
        var sources: [SourceSpec] = []
        for text in flags.sources { sources.append(try SourceSpec.parse(flag: text)) }
        try config.require([ThemeSetting.self, SourceList.self, KeyMap.self])
        let keyMap = try config.required(KeyMap.self)
        if flags.sources.isEmpty { sources = try config.required(SourceList.self).specs }
        if sources.contains(where: \.needsRules) { try config.require([SensorConfig.self]) }
        if flags.readOnly && !sources.isEmpty {
            throw .usage("--read-only cannot be combined with sources: they write what arrives into the history")
        }
        return ConsolePlan(flags: flags, config: config, theme: try theme(flags, config: config, environment: environment),
                           keyMap: keyMap, sources: sources)
    }

    /// `--theme`, else `$TRADSEC_THEME`, else the config's `theme:`, else the default. A theme
    /// the flag or the environment names and that cannot load is a usage error (64); one the
    /// config names, a config error at its line (78).
    static func theme(_ flags: ConsoleFlags, config: DecodedConfig, environment: [String: String]) throws(AssemblyError) -> Theme {
        if let name = flags.theme ?? environment["TRADSEC_THEME"] {
            let origin = ConfigLocation(file: flags.theme != nil ? "--theme" : "TRADSEC_THEME")
            do { return try ThemeLoader.load(name, origin: origin) } catch { throw .usage(error.description) }
        }
        let setting = try config.required(ThemeSetting.self)
        guard let name = setting.name else { return .builtIn }
        do { return try ThemeLoader.load(name, origin: setting.location ?? ConfigLocation(file: config.file)) } catch {
            throw .config([error])
        }
    }

    /// A plan for the demo's console (`tradsec demo` on a terminal): the demo source on a
    /// history of its own, with no config file (the user's channels and rules stay out of it).
    public static func demoPlan(databasePath: String, theme: String?, rules: [String], speed: Double?,
                                environment: [String: String]) throws(AssemblyError) -> ConsolePlan {
        var flags = ConsoleFlags(databasePath: databasePath)
        flags.theme = theme
        flags.rules = rules
        let config = DecodedConfig.empty(file: "demo")
        return ConsolePlan(flags: flags, config: config, theme: try Self.theme(flags, config: config, environment: environment),
                           keyMap: KeyMap(), sources: [.demo(speed: speed)])
    }

    /// Builds the sources (rules loaded now, so bad rules stop the console before it takes
    /// the screen), opens the history, and sets up the processing step, incident actions and
    /// gauges. The console's own sources (all but a processor's feed) go through the same
    /// processing step as `ingest` and `serve`; a console that only follows processors takes
    /// their enrichment and incidents and computes none. A broken `actions:` or `gauges:`
    /// section turns that feature off; a broken processing section stops the console (78).
    public static func services(_ plan: ConsolePlan) throws(AssemblyError) -> ConsoleServices {
        let store = try StoreAssembly.open(path: plan.flags.databasePath, readOnly: plan.flags.readOnly)
        var processing: ProcessingStep?
        if !plan.flags.readOnly && plan.sources.contains(where: \.isLocal) {
            let overrides = plan.sources.contains(where: \.isDemo) ? DemoProcessing.overrides(config: plan.config) : .init()
            processing = try ProcessingStep(history: store, config: plan.config, deliver: true, command: "console", overrides: overrides)
        }
        var sources: [ConsoleSource] = []
        for spec in plan.sources {
            sources.append(try source(spec, flags: plan.flags, config: plan.config, processor: processing?.processor))
        }
        if let processing { sources.append(ProcessingSource(step: processing)) }
        let incident: ConsoleServices.Incident
        if plan.flags.readOnly {
            incident = .off
        } else {
            switch plan.config.result(ActionsConfig.self) {
            case .success(let actions):
                incident = .ready(IncidentWorker(runner: ActionRunner(config: actions, store: store)),
                                  stopTradingName: actions.stopTrading.name, dryRun: plan.flags.dryRunActions)
            case .failure(let error):
                incident = .broken(error.description)
            }
        }
        var sampler: GaugeSampler?
        var gaugesOff: String?
        switch plan.config.result(GaugesConfig.self) {
        case .success(let gauges):
            let host = sources.lazy.compactMap { $0 as? HostSource }.first
            sampler = GaugeSampler(collector: GaugeCollector(config: gauges, store: store, sensor: host.map { h in { h.gaugeReading() } }))
        case .failure(let error): gaugesOff = error.description
        }
        return ConsoleServices(store: store, sources: sources, theme: plan.theme, keyMap: plan.keyMap, readOnly: plan.flags.readOnly,
                               incident: incident, gaugeSampler: sampler, gaugesOff: gaugesOff)
    }

    /// One source, ready to start with the console.
    /// `processor`: the console's processing step, for the sources that hand it what they stored.
    public static func source(_ spec: SourceSpec, flags: ConsoleFlags, config: DecodedConfig,
                              processor: AlertProcessor? = nil) throws(AssemblyError) -> ConsoleSource {
        switch spec {
        case .falcoFile(let path):
            return FalcoFileSource(path: path)
        case .processor(let url):
            return ProcessorSource(url: url)
        case .socket(let path):
            return SocketSource(path: path)
        case .events(let path):
            let sensor = try config.required(SensorConfig.self)
            return try EventsSource(eventsPath: path, rulesPaths: flags.rules.isEmpty ? sensor.rules : flags.rules)
        case .demo(let speed):
            let sensor = try config.required(SensorConfig.self)
            return try DemoSource(rulePaths: try SensorAssembly.rulePaths(flag: flags.rules, sensor: sensor), speed: speed)
        case .host:
            return try SensorAssembly.hostSource(rules: flags.rules, config: config, processor: processor)
        }
    }
}
