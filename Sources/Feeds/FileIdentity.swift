#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's identity (device, inode) and size: what tells rotation from growth.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64

    static func of(path: String) -> FileIdentity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileIdentity(st)
    }

    static func of(fd: Int32) -> FileIdentity? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return FileIdentity(st)
    }

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
    }

    func sameFile(as other: FileIdentity) -> Bool { device == other.device && inode == other.inode }

    /// Looks in `directory` for the file with this device and inode: where a rotated log
    /// went (`falco.log` renamed to `falco.log.1`) while the follower was not running.
    static func find(device: UInt64, inode: UInt64, in directory: String) -> String? {
        guard let dir = opendir(directory) else { return nil }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let candidate = directory + "/" + name
            var st = stat()
            if lstat(candidate, &st) == 0, UInt64(st.st_dev) == device, UInt64(st.st_ino) == inode,
               (st.st_mode & S_IFMT) == S_IFREG {
                return candidate
            }
        }
        return nil
    }
}

/// `path` made absolute, so checkpoints do not depend on the working directory.
func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return path }
    let cwd = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return cwd + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
}
