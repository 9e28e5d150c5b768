#if canImport(Glibc)
import Glibc
#endif
import Gauges
import TradsecCore

/// Nanoseconds since boot (what the kernel side stamps) to nanoseconds since the epoch.
struct SensorClock {
    private(set) var offset: Int64 = 0

    init() { refresh() }

    /// Re-reads the distance between the two clocks (the wall clock may be stepped).
    mutating func refresh() {
        var real = timespec(), boot = timespec()
        clock_gettime(CLOCK_REALTIME, &real)
        clock_gettime(CLOCK_BOOTTIME, &boot)
        offset = (Int64(real.tv_sec) &- Int64(boot.tv_sec)) &* 1_000_000_000 &+ (Int64(real.tv_nsec) &- Int64(boot.tv_nsec))
    }

    func epoch(bootNanos: UInt64) -> Int64 { Int64(truncatingIfNeeded: bootNanos) &+ offset }
}

/// Every process on the host, by pid: seeded from /proc when the sensor starts (after the
/// programs are attached, so nothing started in between is missed), then kept by the kernel's
/// fork, exec and exit records. Only the consumer thread touches it.
final class ProcessTable {
    private(set) var processes: [Int64: TrackedProcess] = [:]
    /// The cgroup v1 controller whose path names containers (nil: the unified hierarchy).
    let controller: String?
    /// Lookups of a pid the table did not know, answered from /proc (a lost fork record, or a
    /// process started while the table was seeded).
    private(set) var misses = 0

    init(controller: String?) {
        self.controller = controller
    }

    var count: Int { processes.count }

    func seed(clock: SensorClock) {
        for name in ProcFiles.list("/proc") {
            guard let pid = Int64(name), processes[pid] == nil, let process = ProcFiles.process(pid: pid, controller: controller, clock: clock) else { continue }
            processes[pid] = process
        }
    }

    /// The process, read from /proc when the table does not know it (nil: it is gone too).
    func lookup(_ pid: Int64, clock: SensorClock) -> TrackedProcess? {
        if let known = processes[pid] { return known }
        guard pid > 0, let process = ProcFiles.process(pid: pid, controller: controller, clock: clock) else { return nil }
        misses += 1
        processes[pid] = process
        return process
    }

    func replace(_ process: TrackedProcess) { processes[process.pid] = process }

    func remove(_ pid: Int64) { processes.removeValue(forKey: pid) }

    /// The parent chain, nearest first, at most `limit` long (a pid cycle cannot loop forever).
    func ancestor(of process: TrackedProcess, level: Int) -> TrackedProcess? {
        var current = process
        for _ in 0..<level {
            guard current.ppid > 0, let parent = processes[current.ppid], parent.pid != current.pid else { return nil }
            current = parent
        }
        return current
    }

    /// Drops processes that are gone without an exit record (records lost to a full ring buffer).
    func sweep() {
        for pid in processes.keys where access("/proc/\(pid)", F_OK) != 0 { processes.removeValue(forKey: pid) }
    }
}

/// What /proc says about a process (the table's seed, and its answer to unknown pids).
enum ProcFiles {
    static let ticksPerSecond = Int64(max(sysconf(Int32(_SC_CLK_TCK)), 1))

    static func list(_ path: String) -> [String] { DirectoryEntries.names(in: path) ?? [] }

    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let n = readlink(path, &buffer, 4096)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func readBytes(_ path: String, limit: Int = 1 << 16) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: limit)
        var total = 0
        while total < limit {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, limit - total) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            total += n
        }
        return Array(bytes[0..<total])
    }

    /// Fields of /proc/PID/stat after the command name (which may hold spaces and ')').
    struct Stat {
        var comm: String
        var ppid: Int64
        var tty: UInt32
        var startTicks: Int64
    }

    static func stat(_ bytes: [UInt8]) -> Stat? {
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")), let close = bytes.lastIndex(of: UInt8(ascii: ")")), close > open else { return nil }
        let comm = String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
        // Field 3 (state) comes first after ')': ppid is field 4, tty_nr 7, starttime 22.
        let rest = bytes[(close + 1)...].split(separator: UInt8(ascii: " "))
        guard rest.count >= 20, let ppid = Int64(String(decoding: rest[1], as: UTF8.self)),
              let tty = Int64(String(decoding: rest[4], as: UTF8.self)),
              let start = Int64(String(decoding: rest[19], as: UTF8.self)) else { return nil }
        return Stat(comm: comm, ppid: ppid, tty: UInt32(truncatingIfNeeded: tty), startTicks: start)
    }

    /// A path /proc shows from our root, made relative to the process's own root (a container's).
    static func inOwnRoot(_ path: String, root: String?) -> String {
        guard let root, root != "/", path.hasPrefix(root + "/") else { return path }
        return String(path.dropFirst(root.count))
    }

    static func process(pid: Int64, controller: String?, clock: SensorClock) -> TrackedProcess? {
        let dir = "/proc/\(pid)"
        guard let statBytes = readBytes(dir + "/stat", limit: 4096), let stat = stat(statBytes) else { return nil }
        var argv: [String] = []
        if let cmdline = readBytes(dir + "/cmdline", limit: 1 << 16), !cmdline.isEmpty {
            let trimmed = cmdline.last == 0 ? cmdline.dropLast() : cmdline[...]
            argv = trimmed.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        }
        let root = readLink(dir + "/root")
        var exePath = readLink(dir + "/exe").map { inOwnRoot($0, root: root) } ?? ""
        if exePath.hasSuffix(" (deleted)") { exePath = String(exePath.dropLast(10)) }
        let cwd = readLink(dir + "/cwd").map { inOwnRoot($0, root: root) } ?? ""
        let loginUID = readBytes(dir + "/loginuid", limit: 32).flatMap { Int64(String(decoding: $0, as: UTF8.self)) } ?? -1
        var container = ContainerIdentity.host
        if let text = try? TextFile.read(dir + "/cgroup", limit: 1 << 16) {
            let membership = CgroupSampler.parseMembership(text)
            let path = controller.flatMap { membership.controllerPaths[$0] } ?? membership.unifiedPath
            if let path { container = ContainerIdentity.from(cgroupPath: path) }
        }
        let bootNanos = UInt64(max(stat.startTicks, 0)) &* UInt64(1_000_000_000 / ticksPerSecond)
        return TrackedProcess(pid: pid, ppid: stat.ppid, name: stat.comm, exe: argv.first ?? stat.comm, args: Array(argv.dropFirst()),
                              exePath: exePath, cwd: cwd, tty: stat.tty, loginUID: loginUID == 4_294_967_295 ? -1 : loginUID,
                              startNanos: clock.epoch(bootNanos: bootNanos), container: container)
    }
}
