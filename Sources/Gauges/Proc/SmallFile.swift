#if canImport(Glibc)
import Glibc
#endif
import TradsecCore

/// The small text files of /proc and /sys, read every tick (through `TextFile`, which reads
/// to end of file: procfs files report size 0).
enum SmallFile {
    /// The file's text, or nil when it cannot be opened (gone process, missing controller).
    static func read(_ path: String, limit: Int = 1 << 20) -> String? { try? TextFile.read(path, limit: limit) }

    /// The names in a directory (without . and ..), or [] when it cannot be read.
    static func list(_ path: String) -> [String] { DirectoryEntries.names(in: path) ?? [] }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}

/// Joins a root directory (tests: a fixture tree; default "/") and an absolute path.
func rooted(_ root: String, _ path: String) -> String {
    if root.isEmpty || root == "/" { return path }
    let trimmed = root.hasSuffix("/") ? String(root.dropLast()) : root
    return path.hasPrefix("/") ? trimmed + path : trimmed + "/" + path
}

