#if canImport(Glibc)
import Glibc
#endif

/// Wakes a waiting thread when one of a few files changes, through inotify on their
/// directories, so followers and screens react within milliseconds instead of polling.
///
/// Directories are watched rather than the files: a file that does not exist yet, is
/// rotated (renamed away and created again) or replaced keeps being noticed by its name.
/// A wake-up only says "look again": callers re-read what they follow, so a spurious one
/// (another file's event, a checkpoint rewriting the WAL) costs one look and loses nothing,
/// and callers keep a long fallback timeout for filesystems without inotify (NFS, FUSE).
public final class FileChangeWatch: @unchecked Sendable {
    private let inotifyFD: Int32
    /// A pipe `wake()` writes to, ending a `wait` from another thread (stop requests).
    private let wakeUp = WakePipe()
    private var watched: [Int32: Set<String>] = [:]
    private var buffer = [UInt8](repeating: 0, count: 16 * 1024)

    /// Watches `paths` (absolute or relative to the working directory). Without inotify
    /// (another OS, the per-user watch limit reached) `wait` just sleeps its timeout.
    public init(paths: [String]) {
        inotifyFD = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotifyFD >= 0 else { return }
        var byDirectory: [String: Set<String>] = [:]
        for path in paths {
            let (directory, name) = Self.split(path)
            byDirectory[directory, default: []].insert(name)
        }
        let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CLOSE_WRITE | IN_ATTRIB)
        for (directory, names) in byDirectory {
            let wd = inotify_add_watch(inotifyFD, directory, mask)
            if wd >= 0 { watched[wd] = names }
        }
    }

    deinit {
        if inotifyFD >= 0 { close(inotifyFD) }
    }

    /// True when the kernel watches at least one of the directories.
    public var isActive: Bool { !watched.isEmpty }

    /// Waits until a watched file changes, `wake()` is called, or `timeout` seconds pass.
    /// Returns true when something changed (or a wake-up came), false on timeout.
    @discardableResult
    public func wait(timeout: Double) -> Bool {
        let milliseconds = Int32(clamping: Int64(max(0, min(timeout, 86_400)) * 1000))
        guard isActive else {
            usleep(UInt32(clamping: Int64(milliseconds) * 1000))
            return false
        }
        var fds = [pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakeUp.readFD, events: Int16(POLLIN), revents: 0)]
        let deadline = Monotonic.seconds() + Double(milliseconds) / 1000
        while true {
            let left = Int32(clamping: Int64(max(0, (deadline - Monotonic.seconds()) * 1000)))
            let r = poll(&fds, nfds_t(fds.count), left)
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { return false }
            if fds[1].revents != 0 {
                wakeUp.drain()
                return true
            }
            if drainEvents() { return true }
            if left == 0 { return false }
        }
    }

    /// Ends a `wait` in progress (or the next one) at once.
    public func wake() { wakeUp.wake() }

    /// Reads the queued events; true when one names a watched file (or the queue overflowed,
    /// which may have hidden one).
    private func drainEvents() -> Bool {
        var relevant = false
        while true {
            let n = buffer.withUnsafeMutableBytes { read(inotifyFD, $0.baseAddress, $0.count) }
            if n <= 0 { return relevant }
            buffer.withUnsafeBytes { raw in
                var offset = 0
                let header = MemoryLayout<inotify_event>.size
                while offset + header <= n {
                    let wd = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                    let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let nameStart = offset + header
                    let nameEnd = min(n, nameStart + length)
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 { relevant = true }
                    if let names = watched[wd], nameStart < nameEnd {
                        var end = nameStart
                        while end < nameEnd && raw[end] != 0 { end += 1 }
                        let name = String(decoding: UnsafeRawBufferPointer(rebasing: raw[nameStart..<end]), as: UTF8.self)
                        if names.contains(name) { relevant = true }
                    }
                    offset = nameStart + length
                }
            }
        }
    }

    private static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}

/// A non-blocking pipe used as a wake-up: any thread writes a byte, the waiting thread polls
/// the read end. Kept open for the owner's lifetime, so a late `wake` never writes into a
/// descriptor number reused by something else.
public final class WakePipe: @unchecked Sendable {
    public let readFD: Int32
    private let writeFD: Int32

    public init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        } else {
            fds = [-1, -1]
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        if readFD >= 0 { close(readFD) }
        if writeFD >= 0 { close(writeFD) }
    }

    /// A full pipe already means "wake up": the failed write loses nothing.
    public func wake() {
        var one: UInt8 = 1
        _ = write(writeFD, &one, 1)
    }

    public func drain() {
        var scratch = [UInt8](repeating: 0, count: 256)
        while read(readFD, &scratch, scratch.count) > 0 {}
    }
}
