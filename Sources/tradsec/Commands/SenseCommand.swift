#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
import ArgumentParser
import RuleEngine
import Sensor
import Synchronization
import TradsecCore

/// `tradsec sense`: the host sensor in the foreground. This host's syscalls through eBPF into
/// the embedded rule engine; alerts (Falco's JSON) stored in the history and printed.
struct SenseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sense",
        abstract: "Watch this host's syscalls (eBPF) with Falco rules, without Falco.",
        discussion: """
            Runs the embedded rule engine on this host's own syscalls, read by eBPF programs
            (root; kernel with BTF; libbpf). Alerts are stored in the history and printed as
            Falco's JSON lines. Rules: --rules, else sensor.rules of the config, else the trading
            rule pack. Rules that need fields the sensor cannot fill are listed and skipped.
            SIGINT/SIGTERM store what is pending and exit 0. docs/sensor.md has the details.
            """
    )

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Falco rules files, loaded in order.", valueName: "file"))
    var rules: [String] = []

    @Option(name: .long, help: ArgumentHelp("Configuration file (default $XDG_CONFIG_HOME/tradsec/config.yaml).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Ring buffer size (default sensor.ring_buffer, 8MB).", valueName: "size"))
    var ringBuffer: String?

    @Flag(name: .long, help: "Do not print alerts (only store them).")
    var quiet = false

    @OptionGroup var store: StoreOptions

    func run() throws {
        try reportingErrors {
            let configPath = config ?? Paths.configDirectory + "/config.yaml"
            let settings: SensorConfig
            let actions: ActionsConfig
            do {
                settings = try SensorConfig.load(path: configPath)
                actions = try ActionsConfig.load(path: configPath)
            } catch {
                throw CLIError("\(error)", exitCode: 78)
            }
            let rulePaths = !rules.isEmpty ? rules : (!settings.rules.isEmpty ? settings.rules : [try BundledFiles.tradingRulePack()])
            let (engine, results) = RulesReport.load(rulePaths)
            guard engine.isValid else { throw CLIError(RulesReport.validationText(results: results), exitCode: 78) }

            var options = HostSensor.Options()
            options.ringBufferBytes = settings.ringBufferBytes
            if let ringBuffer {
                guard let bytes = ByteSize.parse(ringBuffer, bare: 1), bytes <= 1 << 30 else {
                    throw CLIError("--ring-buffer must be a size like 8MB, not '\(ringBuffer)'", exitCode: 64)
                }
                options.ringBufferBytes = Int(bytes)
            }
            var sockets = settings.engineSockets ?? options.engineSockets
            if !sockets.contains(actions.docker.socket) { sockets.insert(actions.docker.socket, at: 0) }
            options.engineSockets = sockets

            let sensor: HostSensor
            do {
                sensor = try HostSensor(engine: engine, options: options)
            } catch let error as SensorError {
                throw CLIError("the host sensor cannot start: \(error)", exitCode: error.exitCode)
            }
            let history = try store.open()
            Terminal.printError("tradsec sense: " + sensor.coverage.report.split(separator: "\n").joined(separator: "\ntradsec sense: "))

            let pending = Mutex<[SensorAlert]>([])
            let stop = StopSignal.install()
            do {
                try sensor.start { alert in pending.withLock { $0.append(alert) } }
            } catch let error as SensorError {
                throw CLIError("the host sensor cannot start: \(error)", exitCode: error.exitCode)
            }
            Terminal.printError("tradsec sense: watching (history \(history.path)); SIGINT or SIGTERM to stop")
            var stored = 0, failures = 0
            func flush() throws {
                let batch = pending.withLock { alerts -> [SensorAlert] in defer { alerts.removeAll(keepingCapacity: true) }; return alerts }
                guard !batch.isEmpty else { return }
                var decoded: [Alert] = []
                decoded.reserveCapacity(batch.count)
                for alert in batch {
                    if !quiet { Terminal.write(alert.line + "\n") }
                    do { decoded.append(try AlertDecoder.decode(line: alert.line)) } catch { failures += 1 }
                }
                do {
                    stored += try history.insert(decoded, origin: "sensor").inserted
                } catch {
                    throw CLIError("cannot write the history: \(error)", exitCode: 74)
                }
            }
            while !stop.isSet {
                usleep(200_000)
                try flush()
            }
            sensor.stop()
            try flush()
            let stats = sensor.statistics()
            var summary = "tradsec sense: stopped; \(stats.received) kernel records, \(stats.eventsEvaluated) events evaluated, \(stats.alerts) alerts, \(stored) stored"
            summary += stats.totalDrops == 0 ? ", no drops" : ", \(stats.totalDrops) records dropped (" +
                DropReason.allCases.compactMap { reason in stats.drops[reason].flatMap { $0 > 0 ? "\(reason.rawValue) \($0)" : nil } }.joined(separator: ", ") + ")"
            if failures > 0 { summary += ", \(failures) alerts the decoder refused" }
            Terminal.printError(summary)
            try? history.checkpointWAL()
        }
    }
}

extension SensorError {
    /// 69 (unavailable) for what the machine lacks; 78 for settings that cannot work.
    var exitCode: Int32 {
        switch self {
        case .badConfiguration, .nothingToWatch: return 78
        default: return 69
        }
    }
}
