#if canImport(Glibc)
import Glibc
#endif
@testable import Gauges
import TestSupport

/// Builds fake /proc and /sys/fs/cgroup trees under a temporary root, so the samplers run
/// on exactly the files a kernel of each kind would show.
struct FixtureRoot {
    let path: String

    init() { path = makeTemporaryDirectory(prefix: "tradsec-gauges-fixture") }

    func remove() { removeDeepTree(path) }

    func write(_ relative: String, _ text: String) {
        let full = path + relative
        var dir = ""
        for part in full.split(separator: "/").dropLast() {
            dir += "/" + part
            mkdir(dir, 0o755)
        }
        writeFile(full, text)
    }

    /// A /proc/[pid] with stat, status, comm, cmdline and cgroup files.
    func process(pid: Int32, comm: String, utime: UInt64, stime: UInt64, start: UInt64 = 5000, rssKB: UInt64?,
                 cmdline: [String]? = nil, cgroup: String = "0::/\n", uid: UInt32 = 0) {
        let stat = "\(pid) (\(comm)) S 1 \(pid) \(pid) 0 -1 4194560 1200 0 0 0 \(utime) \(stime) 0 0 20 0 12 0 \(start) 1380000000 30000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n"
        write("/proc/\(pid)/stat", stat)
        write("/proc/\(pid)/comm", comm + "\n")
        write("/proc/\(pid)/cmdline", (cmdline ?? [comm]).joined(separator: "\0") + "\0")
        write("/proc/\(pid)/cgroup", cgroup)
        var status = "Name:\t\(comm)\nUmask:\t0022\nState:\tS (sleeping)\nPid:\t\(pid)\nUid:\t\(uid)\t\(uid)\t\(uid)\t\(uid)\n"
        if let rssKB { status += "VmPeak:\t  900000 kB\nVmRSS:\t  \(rssKB) kB\nRssAnon:\t  1000 kB\n" }
        status += "Threads:\t12\n"
        write("/proc/\(pid)/status", status)
    }
}

/// Removes a directory tree (TestSupport's removeTree is for flat directories). Symbolic
/// links are removed, never followed.
func removeDeepTree(_ path: String) {
    var st = stat()
    guard lstat(path, &st) == 0 else { return }
    if (st.st_mode & S_IFMT) == S_IFDIR {
        if let dir = opendir(path) {
            var names: [String] = []
            while let e = readdir(dir) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(dir)
            for name in names { removeDeepTree(path + "/" + name) }
        }
        rmdir(path)
    } else {
        unlink(path)
    }
}

extension GaugesConfig {
    /// A configuration that asks no Falco web server (healthz, metrics) and finds Falco's
    /// process as given (not at all by default).
    static func withoutFalcoProbes(process: ProcessTarget? = nil) -> GaugesConfig {
        var config = GaugesConfig()
        config.falco.process = process
        config.falco.healthzURL = nil
        config.falco.metricsURL = nil
        return config
    }
}
