#if canImport(Glibc)
import Glibc
#endif

/// The history's files on disk are owner-only: the database (alerts, the audit log), its
/// `-wal` and `-shm`, and the lock beside it.
///
/// SQLite creates the database with 0644 less the umask, and gives `-wal`/`-shm` the main
/// file's mode. Creating the (empty) database file 0600 before SQLite opens it therefore
/// makes all three owner-only from their first byte; a history an older version left
/// readable by others is tightened on open, and the caller is told.
enum HistoryFiles {
    /// Creates `path` owner-only when it is not there; tightens it and its `-wal`/`-shm` when
    /// they are. Returns what it changed, for the user. Refuses what is not a regular file.
    static func secure(_ path: String) throws -> [String] {
        var notices: [String] = []
        var st = stat()
        if lstat(path, &st) != 0 {
            guard errno == ENOENT else { return [] }   // SQLite reports the path's problem itself
            // O_EXCL with O_NOFOLLOW: never created through a link someone planted meanwhile.
            let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 {
                // The umask may have taken the owner's bits too (0277): exactly 0600.
                _ = fchmod(fd, 0o600)
                close(fd)
            } else if errno != EEXIST {
                throw StoreError.cannotCreate(path: path, role: .history, reason: String(cString: strerror(errno)))
            }
        }
        if let notice = try tighten(path, followLink: true) { notices.append(notice) }
        // SQLite keeps -wal and -shm beside the file a link points to.
        let main = realPath(path) ?? path
        for suffix in ["-wal", "-shm"] {
            if let notice = try tighten(main + suffix, followLink: false) { notices.append(notice) }
        }
        return notices
    }

    /// Removes group and other access from the regular file at `path` (nothing when it is not
    /// there). A link is followed only for the database itself, which the user named.
    private static func tighten(_ path: String, followLink: Bool) throws -> String? {
        // O_NONBLOCK: a FIFO planted at the path must not hang the open.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followLink ? 0 : O_NOFOLLOW))
        guard fd >= 0 else {
            switch errno {
            case ENOENT: return nil
            case ELOOP: throw StoreError.symbolicLink(path: path, role: .history)
            default: throw StoreError.cannotOpen(path: path, role: .history, reason: String(cString: strerror(errno)))
            }
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw StoreError.cannotStat(path: path, reason: String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw StoreError.notRegularFile(path: path, role: .history) }
        let mode = st.st_mode & 0o7777
        guard mode & 0o077 != 0 else { return nil }
        let tightened = mode & 0o700
        guard fchmod(fd, tightened) == 0 else {
            return "\(path) is readable by others (mode \(octal(mode))) and could not be restricted: \(String(cString: strerror(errno)))"
        }
        return "\(path) was accessible to others (mode \(octal(mode))); restricted to its owner (\(octal(tightened)))"
    }

    /// Opens (creating owner-only) the lock file beside the history: never through a symbolic
    /// link, only a regular file, tightened when an older version left it open to others.
    static func openLock(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == ELOOP { throw StoreError.symbolicLink(path: path, role: .lock) }
            throw StoreError.cannotCreate(path: path, role: .lock, reason: String(cString: strerror(errno)))
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw StoreError.notRegularFile(path: path, role: .lock)
        }
        if st.st_mode & 0o077 != 0 { _ = fchmod(fd, 0o600) }
        return fd
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
