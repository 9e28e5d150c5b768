#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import ArgumentParser
import Gauges
import TradsecCore

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
        let history = try BenchHistory.existingOrGenerated(db: db, name: "gauges", count: count)
        defer { history.remove() }
        let path = history.path
        let store = try AlertStore(path: path, readOnly: true)
        print("history: \(path) (\(try store.totalCount()) alerts); \(samples) samples each; figures in ms")

        let me = getpid()
        let proc = ProcSampler()
        let cgroup = CgroupSampler()
        let processes = SmallFileCount.processes()
        var config = GaugesConfig()
        config.falco.process = .pid(me)
        config.falco.healthzURL = nil
        config.falco.metricsURL = nil
        let membership = cgroup.membership(pid: me)
        config.bot.cgroupPath = membership?.controllerPaths["memory"] ?? membership?.unifiedPath ?? "/"
        let collector = GaugeCollector(config: config, store: store)

        func report(_ name: String, _ body: () throws -> Void) rethrows {
            let ms = try Clock.samples(samples, body)
            print("  " + name.padding(toLength: 46, withPad: " ", startingAt: 0)
                  + "p50 \(format(ms.percentile(50)))   p99 \(format(ms.percentile(99)))")
        }
        try report("/proc/[pid]/stat + status") { _ = proc.read(pid: me) }
        try report("cgroup cpu + memory (\(cgroup.layout.rawValue))") { _ = cgroup.read(pid: me) }
        try report("find a process by name (\(processes) in /proc)") { _ = proc.find(named: "falco") }
        try report("newest alert per source") { _ = try store.newestBySource() }
        // The feed query runs only when the history grew (at most every 10 s): a tick that runs
        // it costs the line above more.
        try report("whole tick (no HTTP), feed ages cached") { _ = collector.collect() }
    }

    private func format(_ ms: Double) -> String {
        let hundredths = Int((ms * 100).rounded())
        return String(hundredths / 100) + "." + (hundredths % 100 < 10 ? "0" : "") + String(hundredths % 100)
    }
}

enum SmallFileCount {
    /// Processes visible in /proc.
    static func processes() -> Int {
        guard let dir = opendir("/proc") else { return 0 }
        defer { closedir(dir) }
        var n = 0
        while let e = readdir(dir) {
            if e.pointee.d_name.0 >= 48 && e.pointee.d_name.0 <= 57 { n += 1 }
        }
        return n
    }
}
