#if canImport(Glibc)
import Glibc
import TradsecCore
#endif

/// Reads processes from a /proc tree under `root` ("/" in production, a fixture tree in tests).
public struct ProcSampler: Sendable {
    public var root: String
    /// Clock ticks per second of the stat file's times.
    public var ticksPerSecond: Double

    public init(root: String = "/", ticksPerSecond: Double = Double(sysconf(Int32(_SC_CLK_TCK)))) {
        self.root = root
        self.ticksPerSecond = ticksPerSecond > 0 ? ticksPerSecond : 100
    }

    /// One reading of a process: CPU time so far and resident memory.
    public struct Reading: Equatable, Sendable {
        public var stat: ProcStat
        public var residentBytes: UInt64?
        /// Monotonic seconds when it was read (for rates).
        public var at: Double
        public var cpuSeconds: Double
    }

    public func read(pid: Int32, at: Double = Monotonic.seconds()) -> Reading? {
        let dir = rooted(root, "/proc/\(pid)")
        guard let statText = SmallFile.read(dir + "/stat"), let stat = ProcStat.parse(statText) else { return nil }
        let rss = SmallFile.read(dir + "/status").flatMap(ProcStatus.residentBytes)
        return Reading(stat: stat, residentBytes: rss, at: at, cpuSeconds: Double(stat.cpuTicks) / ticksPerSecond)
    }

    /// The effective user id process `pid` runs as, nil when unreadable.
    public func uid(pid: Int32) -> UInt32? {
        SmallFile.read(rooted(root, "/proc/\(pid)") + "/status").flatMap(ProcStatus.effectiveUID)
    }

    /// Pids whose command name (`comm`, 15 characters at most) equals `name`, or whose
    /// command line's program (argv[0]'s last path component) does — so `falco` is found both
    /// as /usr/bin/falco and when its comm was truncated or renamed by a wrapper. Sorted,
    /// oldest process first (the lowest start time), which is the daemon rather than a child.
    public func find(named name: String) -> [Int32] {
        var found: [(Int32, UInt64)] = []
        for entry in SmallFile.list(rooted(root, "/proc")) {
            guard let pid = Int32(entry) else { continue }
            let dir = rooted(root, "/proc/\(pid)")
            let comm = SmallFile.read(dir + "/comm")?.trimmed
            var matches = comm == name
            if !matches, let cmdline = SmallFile.read(dir + "/cmdline"), !cmdline.isEmpty {
                let argv0 = cmdline.split(separator: "\0", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
                let program = argv0.split(separator: "/").last.map(String.init) ?? argv0
                matches = program == name
            }
            guard matches else { continue }
            let start = SmallFile.read(dir + "/stat").flatMap(ProcStat.parse)?.startTicks ?? UInt64.max
            found.append((pid, start))
        }
        return found.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.map(\.0)
    }
}
