import ArgumentParser
import Benchmarks
import Foundation

struct BenchGaugesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gauges",
        abstract: "What one gauge sample costs: /proc, the cgroup, a /proc scan by name, the feed ages, a whole tick.",
        discussion: """
            Samples this process (as Falco) and its cgroup (as the bot) and the feed ages of a
            history of --count generated alerts (or --db). HTTP probes (Falco, the Docker API)
            are left out: they cost what the peer takes to answer, bounded by their timeouts.
            Goal: a whole tick well under 1 % of one CPU at the 2 s default interval (< 20 ms).
            """
    )

    @Option(help: ArgumentHelp("An existing history to read the feed ages from.", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("Alerts to generate when no --db is given.", valueName: "n"))
    var count = 100_000

    @Option(help: ArgumentHelp("Samples per measure.", valueName: "n"))
    var samples = 200

    func run() throws {
        let history = try BenchHistory.existingOrGenerated(db: db, name: "gauges", count: count, log: { print($0) })
        defer { history.remove() }
        let bench = try GaugesBenchmark(historyPath: history.path)
        print("history: \(history.path) (\(try bench.store.totalCount()) alerts); \(samples) samples each; figures in ms")
        for measure in bench.measures {
            let ms = try bench.time(measure, samples: samples)
            print("  " + measure.name.padding(toLength: 46, withPad: " ", startingAt: 0)
                  + "p50 \(format(ms.percentile(50)))   p99 \(format(ms.percentile(99)))")
        }
    }

    private func format(_ ms: Double) -> String {
        let hundredths = Int((ms * 100).rounded())
        return String(hundredths / 100) + "." + (hundredths % 100 < 10 ? "0" : "") + String(hundredths % 100)
    }
}
