#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Gauges
import TradsecCore

/// `tradsec bench gauges`: what one gauge sample costs. This process stands in for Falco, its
/// cgroup for the bot's; the feed ages come from the history at `historyPath`. HTTP probes
/// (Falco, the Docker API) are left out: they cost what the peer takes to answer.
public final class GaugesBenchmark {
    public struct Measure {
        public let name: String
        fileprivate let body: () throws -> Void
    }

    public let store: AlertStore
    /// Each measure, in the order the command prints them.
    public let measures: [Measure]

    public init(historyPath: String) throws {
        let store = try AlertStore(path: historyPath, readOnly: true)
        self.store = store
        let me = getpid()
        let proc = ProcSampler()
        let cgroup = CgroupSampler()
        let processes = Self.processCount()
        var config = GaugesConfig()
        config.falco.process = .pid(me)
        config.falco.healthzURL = nil
        config.falco.metricsURL = nil
        let membership = cgroup.membership(pid: me)
        config.bot.cgroupPath = membership?.controllerPaths["memory"] ?? membership?.unifiedPath ?? "/"
        let collector = GaugeCollector(config: config, store: store)
        measures = [
            Measure(name: "/proc/[pid]/stat + status") { _ = proc.read(pid: me) },
            Measure(name: "cgroup cpu + memory (\(cgroup.layout.rawValue))") { _ = cgroup.read(pid: me) },
            Measure(name: "find a process by name (\(processes) in /proc)") { _ = proc.find(named: "falco") },
            Measure(name: "newest alert per source") { _ = try store.newestBySource() },
            // The feed query runs only when the history grew (at most every 10 s): a tick that
            // runs it costs the line above more.
            Measure(name: "whole tick (no HTTP), feed ages cached") { _ = collector.collect() },
        ]
    }

    /// `samples` runs of `measure`, milliseconds, sorted.
    public func time(_ measure: Measure, samples: Int) throws -> [Double] {
        try Timing.samples(samples, measure.body)
    }

    /// Processes visible in /proc.
    static func processCount() -> Int {
        guard let dir = opendir("/proc") else { return 0 }
        defer { closedir(dir) }
        var n = 0
        while let e = readdir(dir) {
            if e.pointee.d_name.0 >= 48 && e.pointee.d_name.0 <= 57 { n += 1 }
        }
        return n
    }
}
