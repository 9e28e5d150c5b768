import TradsecCore
/// Reads a cgroup's CPU and memory from the cgroup filesystem under `root`.
///
/// Three layouts exist: unified (cgroup v2 only, /sys/fs/cgroup/cgroup.controllers),
/// legacy (v1 controllers in /sys/fs/cgroup/<controller>) and hybrid (v1 controllers plus a
/// cgroup2 tree at /sys/fs/cgroup/unified, as on this project's hosts). v1 files are used
/// where their controller is mounted, because in hybrid mode the cpu and memory controllers
/// live there and the unified tree only knows the process membership.
public struct CgroupSampler: Sendable {
    public var root: String

    public init(root: String = "/") { self.root = root }

    public enum Layout: String, Sendable { case unified, hybrid, legacy }

    /// Where a process's cgroups are: the v2 path, and the v1 path per controller.
    public struct Membership: Equatable, Sendable {
        public var unifiedPath: String?
        public var controllerPaths: [String: String] = [:]
    }

    /// One reading: CPU time used so far by every process in the group, and memory.
    public struct Reading: Equatable, Sendable {
        public var layout: Layout
        /// The directory the CPU counter came from (for "where is this from").
        public var path: String
        public var cpuNanoseconds: UInt64?
        /// Usage minus inactive file cache (what `docker stats` shows), bytes.
        public var memoryBytes: UInt64?
        /// The group's memory limit; nil when unlimited.
        public var memoryLimit: UInt64?
        public var at: Double
    }

    public var layout: Layout {
        if SmallFile.exists(rooted(root, "/sys/fs/cgroup/cgroup.controllers")) { return .unified }
        if SmallFile.exists(rooted(root, "/sys/fs/cgroup/unified/cgroup.controllers")) { return .hybrid }
        return .legacy
    }

    /// Parses /proc/[pid]/cgroup: `hierarchy-id:controller,list:/path` per line; `0::/path` is v2.
    public static func parseMembership(_ text: String) -> Membership {
        var m = Membership()
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let path = String(parts[2])
            if parts[0] == "0" && parts[1].isEmpty {
                m.unifiedPath = path
            } else {
                for controller in parts[1].split(separator: ",") { m.controllerPaths[String(controller)] = path }
            }
        }
        return m
    }

    public func membership(pid: Int32) -> Membership? {
        SmallFile.read(rooted(root, "/proc/\(pid)/cgroup")).map(Self.parseMembership)
    }

    /// Reads the cgroups of process `pid` (the bot's main process, say).
    public func read(pid: Int32, at: Double = Monotonic.seconds()) -> Reading? {
        guard let m = membership(pid: pid) else { return nil }
        return read(membership: m, at: at)
    }

    /// Reads a cgroup given by its path relative to the hierarchy roots (`/libpod_parent/libpod-abc`),
    /// as in config `bot: {cgroup: ...}`: the same relative path is looked up in every controller.
    public func read(path: String, at: Double = Monotonic.seconds()) -> Reading? {
        read(membership: Membership(unifiedPath: path, controllerPaths: ["cpuacct": path, "memory": path]), at: at)
    }

    func read(membership m: Membership, at: Double) -> Reading? {
        let base = rooted(root, "/sys/fs/cgroup")
        let layout = self.layout
        var reading = Reading(layout: layout, path: "", at: at)
        switch layout {
        case .unified:
            guard let p = m.unifiedPath else { return nil }
            readUnified(dir: base + p, into: &reading, cpu: true, memory: true)
        case .legacy, .hybrid:
            // A process left at the root of the v1 cpuacct tree while the unified tree places it
            // deeper (hybrid hosts where cgroup managers use only v2): the root's usage is the
            // whole host's, so the unified cpu.stat below is the bot's own.
            let cpuacctIsHostWide = layout == .hybrid && m.controllerPaths["cpuacct"] == "/" && (m.unifiedPath ?? "/") != "/"
            if !cpuacctIsHostWide, let p = m.controllerPaths["cpuacct"], let dir = v1Directory(base, controller: "cpuacct", path: p),
               let usage = SmallFile.read(dir + "/cpuacct.usage").flatMap({ UInt64($0.trimmed) }) {
                reading.cpuNanoseconds = usage
                reading.path = dir
            }
            if let p = m.controllerPaths["memory"], let dir = v1Directory(base, controller: "memory", path: p) {
                let usage = SmallFile.read(dir + "/memory.usage_in_bytes").flatMap { UInt64($0.trimmed) }
                let stat = SmallFile.read(dir + "/memory.stat").map(Self.parseKeyValues) ?? [:]
                // total_inactive_file covers the subtree (a container's children too).
                let inactive = stat["total_inactive_file"] ?? stat["inactive_file"] ?? 0
                reading.memoryBytes = usage.map { $0 >= inactive ? $0 - inactive : $0 }
                // v1 reports "no limit" as a huge page-aligned number (PAGE_COUNTER_MAX * page size).
                reading.memoryLimit = SmallFile.read(dir + "/memory.limit_in_bytes").flatMap { UInt64($0.trimmed) }
                    .flatMap { $0 >= (1 << 60) ? nil : $0 }
                if reading.path.isEmpty { reading.path = dir }
            }
            // Hybrid: whatever v1 lacks may still be in the unified tree (cpu.stat exists there for every group).
            if layout == .hybrid, let p = m.unifiedPath, reading.cpuNanoseconds == nil || reading.memoryBytes == nil {
                readUnified(dir: base + "/unified" + p, into: &reading, cpu: reading.cpuNanoseconds == nil,
                            memory: reading.memoryBytes == nil)
            }
        }
        guard reading.cpuNanoseconds != nil || reading.memoryBytes != nil else { return nil }
        return reading
    }

    private func readUnified(dir: String, into reading: inout Reading, cpu: Bool, memory: Bool) {
        let dir = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
        if cpu, let stat = SmallFile.read(dir + "/cpu.stat").map(Self.parseKeyValues), let usec = stat["usage_usec"] {
            reading.cpuNanoseconds = usec &* 1000
            reading.path = dir
        }
        if memory, let current = SmallFile.read(dir + "/memory.current").flatMap({ UInt64($0.trimmed) }) {
            let stat = SmallFile.read(dir + "/memory.stat").map(Self.parseKeyValues) ?? [:]
            let inactive = stat["inactive_file"] ?? 0
            reading.memoryBytes = current >= inactive ? current - inactive : current
            let max = SmallFile.read(dir + "/memory.max")?.trimmed
            reading.memoryLimit = max == nil || max == "max" ? nil : UInt64(max!)
            if reading.path.isEmpty { reading.path = dir }
        }
    }

    /// The v1 directory of `controller`: mounted alone (`cpuacct/`) or co-mounted (`cpu,cpuacct/`).
    private func v1Directory(_ base: String, controller: String, path: String) -> String? {
        for mount in [controller, "cpu,cpuacct", "cpuacct,cpu"] {
            let dir = base + "/" + mount + (path == "/" ? "" : path)
            if SmallFile.exists(dir) { return dir }
        }
        return nil
    }

    /// `key value` lines (cpu.stat, memory.stat).
    public static func parseKeyValues(_ text: String) -> [String: UInt64] {
        var out: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2, let v = UInt64(parts[1].trimmingPrefixSpaces) { out[String(parts[0])] = v }
        }
        return out
    }
}

extension Substring {
    var trimmingPrefixSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\r" { s = s.dropLast() }
        return s
    }
}
