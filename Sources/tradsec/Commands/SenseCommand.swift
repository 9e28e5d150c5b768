#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
import ArgumentParser
import Assembly
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
            let decoded = TradsecConfig.load(flag: config)
            let settings = try decoded.required(SensorConfig.self)
            let options = try SensorAssembly.options(sensor: settings, actions: try decoded.required(ActionsConfig.self), ringBuffer: ringBuffer)
            let sensor = try SensorAssembly.sensor(rulePaths: try SensorAssembly.rulePaths(flag: rules, sensor: settings), options: options)
            let history = try store.open()
            // Alerts go through the processing step like every other way into the history.
            let processing = try ProcessingStep(history: history, config: decoded, deliver: true, command: "sense", printingWarnings: true)
            processing.start()
            Terminal.printError("tradsec sense: " + sensor.coverage.report.split(separator: "\n").joined(separator: "\ntradsec sense: "))

            let sink = SensorAlertSink(processor: processing.processor)
            let stop = StopSignal.install()
            do throws(SensorError) {
                try sensor.start { alert in sink.add(alert) }
            } catch {
                processing.finish(through: 0, command: "sense")
                throw error.assemblyError
            }
            Terminal.printError("tradsec sense: watching (history \(history.path)); SIGINT or SIGTERM to stop")
            var stored = 0, failures = 0, newest: Int64 = 0
            func flush() throws {
                do {
                    let done = try sink.flush(into: history) { alert in if !quiet { Terminal.write(alert.line + "\n") } }
                    stored += done.stored
                    failures += done.refused
                    newest = max(newest, done.newest)
                } catch {
                    throw CLIError.ioError("cannot write the history: \(error)")
                }
            }
            while !stop.isSet {
                usleep(200_000)
                try flush()
            }
            sensor.stop()
            try flush()
            processing.finish(through: newest, command: "sense")
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
