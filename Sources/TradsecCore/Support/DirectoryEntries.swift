#if canImport(Glibc)
import Glibc
#endif

/// The names in a directory, without `.` and `..`, in the order the file system gives them.
public enum DirectoryEntries {
    /// The names in the directory at `path`, or nil when it cannot be opened.
    public static func names(in path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        return names(from: dir)
    }

    /// The names in the directory open as `fd`, which this takes over and closes (through
    /// `fdopendir`, so a caller that opened it with `O_NOFOLLOW` keeps that guarantee); nil
    /// when it is not a directory.
    public static func names(ofOpen fd: Int32) -> [String]? {
        guard let dir = fdopendir(fd) else {
            close(fd)
            return nil
        }
        return names(from: dir)
    }

    /// Hands each name in the directory open as `fd` to `visit` until it returns false, holding
    /// none of them (for directories that may be huge); takes `fd` over as ``names(ofOpen:)``
    /// does. False when it is not a directory.
    @discardableResult
    public static func visit(ofOpen fd: Int32, _ visit: (String) -> Bool) -> Bool {
        guard let dir = fdopendir(fd) else {
            close(fd)
            return false
        }
        each(in: dir, visit)
        return true
    }

    private static func names(from dir: OpaquePointer) -> [String] {
        var names: [String] = []
        each(in: dir) { names.append($0); return true }
        return names
    }

    /// Reads `dir` to its end (or until `visit` says stop) and closes it.
    private static func each(in dir: OpaquePointer, _ visit: (String) -> Bool) {
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != "..", !visit(name) { return }
        }
    }
}
