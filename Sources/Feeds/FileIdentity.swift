#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TradsecCore

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
        for name in DirectoryEntries.names(in: directory) ?? [] {
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

extension FileIdentity {
    /// The bytes of `fd` just before `offset` (up to `count`): a fingerprint of where reading stopped.
    static func tail(of fd: Int32, before offset: Int64, count: Int = 64) -> [UInt8] {
        let n = Int(min(Int64(count), offset))
        guard n > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: n)
        let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, n, off_t(offset - Int64(n))) }
        return got == n ? bytes : []
    }

    /// The copy a `copytruncate` rotation made of `path`: a sibling named like it
    /// (`falco.log.1`, `falco.log-20261122`) that holds `tail` just before `offset`. Lines
    /// written between the last read and the truncation are only there.
    static func findCopy(of path: String, tail: [UInt8], offset: Int64) -> String? {
        guard !tail.isEmpty, let slash = path.lastIndex(of: "/") else { return nil }
        let directory = slash == path.startIndex ? "/" : String(path[..<slash])
        let base = String(path[path.index(after: slash)...])
        guard let names = DirectoryEntries.names(in: directory) else { return nil }
        var candidates: [String] = []
        for name in names {
            guard name != base, name.hasPrefix(base + ".") || name.hasPrefix(base + "-"), !name.hasSuffix(".gz") else { continue }
            candidates.append(directory + "/" + name)
        }
        for candidate in candidates.sorted() {
            let fd = open(candidate, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            if let id = FileIdentity.of(fd: fd), id.size >= offset, Self.tail(of: fd, before: offset, count: tail.count) == tail {
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
