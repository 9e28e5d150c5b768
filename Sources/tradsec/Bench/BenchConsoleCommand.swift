import AlertStore
import ArgumentParser
import Benchmarks
import Foundation

struct BenchConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Console start-up, frame composition, terminal bytes during an alert storm, key latency.",
        discussion: """
            Uses the history given with --db (or builds one of --count generated alerts under
            /tmp), renders the overview at 200x60 into an ncurses screen that writes to a file,
            then stores --storm-rate alerts a second while the console's loop runs and a key
            arrives every 50 ms. Goals: a frame under 5 ms, under 30 KB/s to the terminal
            during the storm, key-to-screen p99 under 50 ms.
            """
    )

    @Option(help: ArgumentHelp("An existing history to measure on (it receives the storm's alerts).", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("Alerts to generate when no --db is given.", valueName: "n"))
    var count = 1_000_000

    @Option(help: ArgumentHelp("Storm rate, alerts per second.", valueName: "n"))
    var stormRate = 10_000

    @Option(help: ArgumentHelp("Storm duration in seconds.", valueName: "s"))
    var stormSeconds = 5.0

    @Option(help: ArgumentHelp("Measure the incidents screen over this many incidents instead (goal: a frame under 50 ms).", valueName: "n"))
    var incidents: Int?

    func run() throws {
        if let incidents {
            let path = "/tmp/tradsec-bench-incidents-\(getpid()).sqlite"
            defer { for suffix in ["", "-wal", "-shm", ".open-lock"] { unlink(path + suffix) } }
            let report = try IncidentsScreenBenchmark.run(path: path, count: max(1, incidents), log: { print($0) })
            let l = report.loadMilliseconds, c = report.composeMilliseconds
            print(String(format: "load (query, filter, sort; off the UI thread): p50 %.1f ms, max %.1f ms", l.percentile(50), l.last ?? 0))
            print(String(format: "compose 200x60 incidents screen over %d incidents: p50 %.2f ms, p99 %.2f ms (goal < 50 ms)",
                         report.incidents, c.percentile(50), c.percentile(99)))
            return
        }
        let history = try BenchHistory.existingOrGenerated(db: db, name: "console", count: count, log: { print($0) })
        defer { history.remove() }
        let path = history.path
        let total = try AlertStore(path: path, readOnly: true).totalCount()
        print("history: \(path) (\(total) alerts)")
        let report = try ConsoleBenchmark.run(path: path, stormRate: stormRate, stormSeconds: stormSeconds, log: { print($0) })
        let c = report.composeMilliseconds, d = report.drawMilliseconds
        print(String(format: "compose 200x60 overview into the grid: p50 %.2f ms, p99 %.2f ms (goal < 5 ms)", c.percentile(50), c.percentile(99)))
        print(String(format: "copy the grid to ncurses + full repaint: p50 %.2f ms, p99 %.2f ms", d.percentile(50), d.percentile(99)))
        let kbps = Double(report.stormBytes) / 1024 / report.stormSeconds
        print(String(format: "storm: %d alerts in %.1f s (%.0f/s), %d frames, %.1f KB/s to the terminal (goal < 30 KB/s)",
                     report.stormAlerts, report.stormSeconds, Double(report.stormAlerts) / report.stormSeconds, report.stormFrames, kbps))
        let k = report.keyLatencyMilliseconds
        print(String(format: "key to screen during the storm: p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d keys (goal p99 < 50 ms)",
                     k.percentile(50), k.percentile(99), k.last ?? 0, k.count))
    }
}
