#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import ArgumentParser
import Assembly
import Console
import Gauges
import TradsecCore

struct GaugesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gauges",
        abstract: "CPU and memory of Falco and the trading bot, Falco's health and drops, feed staleness.",
        discussion: """
            Reads /proc, the cgroups, the Docker stats API and Falco's /healthz and /metrics as
            configured in the 'gauges:' section of config.yaml (see docs/gauges.md). Without
            --once it prints a snapshot every interval until interrupted. Exit status 0, or 78
            for a bad config.

            Examples:
              tradsec gauges --once
              tradsec gauges --format json --interval 5s > gauges.jsonl
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print one snapshot and exit (it takes two samples a short time apart: a CPU rate needs two).")
    var once = false

    @Option(help: ArgumentHelp("table or json (one object per line).", valueName: "format"))
    var format: Format = .table

    @Option(help: ArgumentHelp("Sampling interval (default: gauges.interval, else 2s).", valueName: "duration"))
    var interval: String?

    @Option(help: ArgumentHelp("Config file (default: $XDG_CONFIG_HOME/tradsec/config.yaml).", valueName: "path"))
    var config: String?

    func run() throws {
        try reportingErrors {
            // A bad flag is a usage error whatever the config holds.
            let seconds = try interval.map { interval in
                guard let ns = Duration.parse(interval), ns >= 100_000_000 else {
                    throw CLIError.usage("--interval: '\(interval)' is not a duration of at least 100ms (500ms, 2s, 1m)")
                }
                return Double(ns) / 1e9
            }
            var settings = try TradsecConfig.section(GaugesConfig.self, flag: config)
            if let seconds { settings.interval = seconds }
            // The history is optional here: without one, the feed ages say so and the rest works.
            let history = access(store.path, F_OK) == 0 ? try? AlertStore(path: store.path, readOnly: true) : nil
            let collector = GaugeCollector(config: settings, store: history)
            let print: (GaugeSnapshot) -> Void = { snapshot in
                Terminal.write(format == .json ? GaugeReport.json(snapshot) + "\n" : GaugeReport.table(snapshot))
            }
            if once {
                _ = collector.collect()
                sleepSeconds(min(settings.interval, 0.5))
                print(collector.collect())
                return
            }
            let stop = StopSignal.install()
            _ = collector.collect()
            while !stop.isSet {
                sleepSeconds(settings.interval, until: { stop.isSet })
                if stop.isSet { break }
                let snapshot = collector.collect()
                if format == .table { Terminal.write("— " + snapshot.takenAt.rfc3339(fractionDigits: 0) + "\n") }
                print(snapshot)
            }
        }
    }

    /// Sleeps in short steps so an interrupt is honoured quickly.
    private func sleepSeconds(_ seconds: Double, until stop: () -> Bool = { false }) {
        let end = Monotonic.seconds() + seconds
        while !stop() {
            let left = end - Monotonic.seconds()
            if left <= 0 { return }
            usleep(useconds_t(min(left, 0.1) * 1_000_000))
        }
    }
}
