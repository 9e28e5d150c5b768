#if canImport(Glibc)
import Glibc
#endif

/// Reads the small text files of /proc and /sys in one go. Foundation is avoided: these are
/// read every tick, and procfs files report size 0, so the read loops until end of file.
enum SmallFile {
    /// The file's text, or nil when it cannot be opened (gone process, missing controller).
    static func read(_ path: String, limit: Int = 1 << 20) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The names in a directory (without . and ..), or [] when it cannot be read.
    static func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}

/// Joins a root directory (tests: a fixture tree; default "/") and an absolute path.
func rooted(_ root: String, _ path: String) -> String {
    if root.isEmpty || root == "/" { return path }
    let trimmed = root.hasSuffix("/") ? String(root.dropLast()) : root
    return path.hasPrefix("/") ? trimmed + path : trimmed + "/" + path
}

/// Seconds on the monotonic clock: rates are taken over this, never wall time (NTP steps).
public func monotonicNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
