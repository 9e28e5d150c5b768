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

    private static func names(from dir: OpaquePointer) -> [String] {
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
