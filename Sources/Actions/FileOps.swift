#if canImport(Glibc)
import Glibc
#endif
import TradsecCore

/// Files written the crash-safe way: a temporary name in the same directory, fsync, rename,
/// fsync of the directory. A reader (or a crash) never sees half an archive under the final name.
enum FileOps {
    static func errorText() -> String { String(cString: strerror(errno)) }

    static func makeDirectory(_ path: String) throws(ActionError) {
        do { try Paths.makeDirectory(path) } catch { throw ActionError.config(error.description) }
    }

    /// Creates the new file `path`, mode 0600 whatever the umask, and returns it open for
    /// writing. The file must not exist and a symbolic link at `path` is never followed
    /// (O_EXCL | O_NOFOLLOW). Created with its mode (a umask can only narrow it, and fchmod on
    /// the descriptor then sets exactly 0600): no moment when another user could open it.
    static func create(_ path: String) throws(ActionError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ActionError.io(operation: "create", path: path, reason: errorText()) }
        guard fchmod(fd, 0o600) == 0 else {
            let text = errorText()
            close(fd)
            throw ActionError.io(operation: "set the mode of", path: path, reason: text)
        }
        return fd
    }

    /// Writes `bytes` to a new file `path` (see ``create(_:)``) and fsyncs it.
    static func write(_ bytes: [UInt8], to path: String) throws(ActionError) {
        let fd = try create(path)
        defer { close(fd) }
        guard bytes.withUnsafeBytes({ writeAll(fd, $0) }) else { throw ActionError.io(operation: "write", path: path, reason: errorText()) }
        guard fsync(fd) == 0 else { throw ActionError.io(operation: "fsync", path: path, reason: errorText()) }
    }

    /// Writes all of `bytes` to `fd` (retrying short writes and EINTR); false with errno set on failure.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    static func fsyncPath(_ path: String, directory: Bool = false) throws(ActionError) {
        let fd = open(path, (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC)
        guard fd >= 0 else { throw ActionError.io(operation: "open", path: path, reason: errorText()) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw ActionError.io(operation: "fsync", path: path, reason: errorText()) }
    }

    /// Renames `from` to `to` (same directory) and makes the rename durable.
    static func commit(_ from: String, to: String) throws(ActionError) {
        guard rename(from, to) == 0 else { throw ActionError.io(operation: "rename \(from) to", path: to, reason: errorText()) }
        try fsyncPath(parent(of: to), directory: true)
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// A new private (0700 whatever the umask: mkdtemp's own mode) directory `prefix` + six
    /// random characters, made by mkdtemp: its name cannot be guessed in advance, so nothing
    /// can be planted under it.
    static func makeTemporaryDirectory(prefix: String) throws(ActionError) -> String {
        var template = Array((prefix + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        guard made else { throw ActionError.io(operation: "create a temporary directory", path: "\(prefix)XXXXXX", reason: errorText()) }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Removes a directory tree (a temporary bundle that failed half way). Symbolic links are
    /// never followed: a link is removed itself, whatever it points to.
    static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { unlink(path); return }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd >= 0 { removeContents(of: fd) }
        rmdir(path)
    }

    /// Empties the directory open as `fd` (and closes it), never following a link.
    private static func removeContents(of fd: Int32) {
        // Listed through a duplicate: the directory stays open as `fd` for the *at calls.
        let listing = dup(fd)
        defer { close(fd) }
        guard listing >= 0, let names = DirectoryEntries.names(ofOpen: listing) else { return }
        for name in names {
            var st = stat()
            guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if child >= 0 { removeContents(of: child) }
                unlinkat(fd, name, AT_REMOVEDIR)
            } else {
                unlinkat(fd, name, 0)
            }
        }
    }

    /// The last `maxBytes` of a file, cut to whole lines; nil when it cannot be read.
    static func tail(_ path: String, maxBytes: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        let start = max(0, Int(st.st_size) - maxBytes)
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size) - start)
        var got = 0
        while got < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, $0.count - got, off_t(start + got)) }
            if n <= 0 { break }
            got += n
        }
        bytes.removeLast(bytes.count - got)
        if start > 0, let newline = bytes.firstIndex(of: 0x0A) { bytes.removeFirst(newline + 1) }
        return bytes
    }

    static func timestampName(_ time: Timestamp) -> String {
        // 2026-11-22T14-05-09Z: sortable, no colons (safe in file names everywhere).
        String(time.rfc3339(fractionDigits: 0).map { $0 == ":" ? "-" : $0 })
    }
}

extension String {
    /// Without leading and trailing spaces and line breaks.
    var trimmedLines: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
