#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AlertStore
import TradsecCore

/// Follows a growing Falco log like `tail -F`, storing every alert exactly once.
///
/// - Rotation by rename: the old file is read to its end before the new one is opened.
/// - Rotation by copytruncate: the file shrinking below the read position restarts at 0,
///   after finishing the rotated copy (found by the bytes just before the read position), so
///   lines written between the last read and the truncation are not lost.
/// - Disappearance: the open file keeps being read until the path comes back.
/// - Restart: the position is stored with each batch, in the same transaction, so a
///   restarted follower resumes exactly there; if the file was rotated meanwhile, the
///   rotated file is found by its inode and finished first.
public final class FileFollower {
    public struct Options: Sendable {
        /// How often to look without a change notice: the only wake-up where inotify is
        /// unavailable (NFS, FUSE, the watch limit reached), a safety net elsewhere.
        public var pollInterval: Double = 0.5
        /// With no checkpoint, start at the end of the file instead of its beginning.
        public var startAtEnd = false
        public init() {}
    }

    public let path: String
    public let ingestor: AlertIngestor
    public let options: Options
    private let events: (FollowEvent) -> Void

    private var fd: Int32 = -1
    private var identity: FileIdentity?
    private var reader = LineReader()
    private var readOffset: Int64 = 0       // just past the last complete line handed to the ingestor
    private var committedOffset: Int64 = -1
    /// The last bytes read (up to 64), taken from the lines themselves as they pass: reading
    /// them back from the file later could see a file that was truncated meanwhile.
    private var readTail: [UInt8] = []
    /// `readTail` as of `committedOffset`, kept with each checkpoint (see `FileIdentity.findCopy`).
    private var committedTail: [UInt8] = []
    private var pathMissingReported = false
    /// Wakes the loop when the file (or a file of its name, after rotation) changes.
    private let watch: FileChangeWatch

    /// `events` hears what happened to the file (a caller shows it as a state or prints it).
    public init(path: String, ingestor: AlertIngestor, options: Options = Options(), events: @escaping (FollowEvent) -> Void) {
        self.path = absolutePath(path)
        self.ingestor = ingestor
        self.options = options
        self.events = events
        self.watch = FileChangeWatch(paths: [self.path])
    }

    /// What the loop waits on: `wake()` on it from another thread ends the current wait at
    /// once (a stop request).
    public var changes: FileChangeWatch { watch }

    private func report(_ kind: FollowEvent.Kind) { events(FollowEvent(path: path, kind: kind)) }

    deinit { if fd >= 0 { close(fd) } }

    /// Runs until `shouldStop` returns true; everything read is committed before returning.
    public func run(shouldStop: () -> Bool) throws {
        try resume()
        while true {
            try poll()                    // at least once, and once more after a stop request
            if shouldStop() { break }
            watch.wait(timeout: options.pollInterval)
        }
        try commit()
    }

    /// One round: read what is new, commit it, then look for rotation or truncation.
    public func poll() throws {
        if fd < 0 {
            guard try open(at: 0, lineNumber: 0) else { return }
        }
        // Before reading: a file truncated and written again past our position must not be
        // read from the middle.
        try handleTruncation()
        try drain()
        try commit()
        try checkRotation()
    }

    // MARK: - Start

    private func resume() throws {
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        guard let saved = try ingestor.store.checkpoint(for: path) else {
            if options.startAtEnd, let current = FileIdentity.of(path: path) {
                _ = try open(at: current.size, lineNumber: 0, skipToLineStart: true)
            } else {
                _ = try open(at: 0, lineNumber: 0)
            }
            return
        }
        let current = FileIdentity.of(path: path)
        if let current, current.device == saved.device, current.inode == saved.inode {
            // Unchanged up to the checkpoint? (Truncated and rewritten past it, it would not be.)
            let intact = current.size >= saved.offset && (saved.tail.isEmpty || Self.tail(of: path, before: saved.offset,
                                                                                           count: saved.tail.count) == saved.tail)
            if intact {
                _ = try open(at: saved.offset, lineNumber: Int(saved.lineNumber), tail: saved.tail)
            } else {
                if let copy = FileIdentity.findCopy(of: path, tail: saved.tail, offset: saved.offset) {
                    report(.truncatedWhileStopped(copy: copy))
                    try drainCopy(copy, from: saved.offset, lineNumber: Int(saved.lineNumber), tail: saved.tail, identity: current)
                } else {
                    report(.truncatedWhileStopped(copy: nil))
                }
                _ = try open(at: 0, lineNumber: 0)
            }
            return
        }
        // The file we were reading is not at `path` any more: finish it where it went.
        if let rotated = FileIdentity.find(device: saved.device, inode: saved.inode, in: directory.isEmpty ? "/" : directory) {
            report(.rotatedWhileStopped(rotated))
            let rotatedFD = Glibc.open(rotated, O_RDONLY | O_CLOEXEC)
            if rotatedFD >= 0 {
                fd = rotatedFD
                identity = FileIdentity.of(fd: rotatedFD)
                lseek(fd, off_t(saved.offset), SEEK_SET)
                reader = LineReader(startOffset: saved.offset, startLineNumber: Int(saved.lineNumber))
                readOffset = saved.offset
                readTail = saved.tail
                try drain()
                try finishCurrentFile()
            }
        } else {
            report(.replacedWhileStopped)
        }
        _ = try open(at: 0, lineNumber: 0)
    }

    /// Opens `path` at `offset`; false when it does not exist (yet). `tail` is what was read
    /// just before `offset`, when known (a checkpoint's); otherwise it is read from the file.
    private func open(at offset: Int64, lineNumber: Int, tail: [UInt8]? = nil, skipToLineStart: Bool = false) throws -> Bool {
        let newFD = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard newFD >= 0 else {
            if errno == ENOENT {
                if !pathMissingReported { report(.waitingForFile) }
                pathMissingReported = true
                return false
            }
            throw FeedError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        if pathMissingReported { report(.appeared) }
        pathMissingReported = false
        fd = newFD
        identity = FileIdentity.of(fd: newFD)
        lseek(fd, off_t(offset), SEEK_SET)
        reader = LineReader(startOffset: offset, startLineNumber: lineNumber)
        readOffset = offset
        committedOffset = -1
        readTail = offset == 0 ? [] : (tail ?? FileIdentity.tail(of: newFD, before: offset))
        if skipToLineStart && offset > 0 {
            // Starting mid-file: the first (partial) line is not ours.
            _ = try reader.read(from: fd) { event in
                if case .line(_, _, let end) = event, readOffset == offset { readOffset = end }
            }
            readTail = FileIdentity.tail(of: newFD, before: readOffset)
        }
        return true
    }

    // MARK: - Reading

    /// Hands one line to the ingestor and moves the read position (and its tail) past it.
    private func take(_ event: LineReader.Event) {
        ingestor.take(event)
        switch event {
        case .line(let bytes, _, let end):
            let consumed = end - readOffset
            var tail = readTail
            if bytes.count >= 64 { tail = [] }
            tail.append(contentsOf: bytes.suffix(64))
            if consumed > Int64(bytes.count) { tail.append(0x0A) }
            readTail = Array(tail.suffix(64))
            readOffset = end
        case .tooLong(_, _, let end):
            readTail = []          // not kept in memory; truncation is then told by size alone
            readOffset = end
        }
    }

    private func drain() throws {
        guard fd >= 0 else { return }
        let status = try reader.read(from: fd) { event in
            take(event)
            if ingestor.batchIsFull { try commit() }
        }
        if case .failed(let code) = status {
            throw FeedError.readFailed(path: path, reason: String(cString: strerror(code)))
        }
    }

    private func commit() throws {
        guard let identity, fd >= 0 else {
            try ingestor.flush()
            return
        }
        guard readOffset != committedOffset || ingestor.pendingCount > 0 else { return }
        let tail = readTail
        let checkpoint = FollowCheckpoint(path: path, device: identity.device, inode: identity.inode,
                                          offset: readOffset, lineNumber: Int64(reader.lineNumber), tail: tail)
        try ingestor.flush(checkpoint: checkpoint)
        committedOffset = readOffset
        committedTail = tail
    }

    /// Reads a file that will not grow any more to its very end, final unterminated line included.
    private func finishCurrentFile() throws {
        try drain()
        reader.finish { take($0) }
        try commit()
        close(fd)
        fd = -1
        identity = nil
    }

    /// Reads the rotated copy `copyPath` from `offset` to its end, committing as usual: the
    /// checkpoint keeps naming the followed file (`identity`), so a crash meanwhile resumes in
    /// the copy again. Leaves `fd` closed; the caller reopens what it follows.
    private func drainCopy(_ copyPath: String, from offset: Int64, lineNumber: Int, tail: [UInt8], identity: FileIdentity) throws {
        let copyFD = Glibc.open(copyPath, O_RDONLY | O_CLOEXEC)
        guard copyFD >= 0 else { return }
        let previous = fd
        fd = copyFD
        self.identity = identity
        lseek(fd, off_t(offset), SEEK_SET)
        reader = LineReader(startOffset: offset, startLineNumber: lineNumber)
        readOffset = offset
        readTail = tail
        committedOffset = -1
        try drain()
        reader.finish { take($0) }
        try commit()
        close(copyFD)
        fd = previous
    }

    /// Copytruncate: the open file shrank below the committed position, or no longer holds
    /// the bytes that were before it (truncated, then written past it again). Finishes the
    /// rotated copy when there is one, then reads the file again from the start.
    private func handleTruncation() throws {
        guard fd >= 0, let identity, committedOffset > 0 else { return }
        let size = FileIdentity.of(fd: fd)?.size ?? 0
        let shrunk = size < committedOffset
        guard shrunk || FileIdentity.tail(of: fd, before: committedOffset, count: committedTail.count) != committedTail else { return }
        if let copy = FileIdentity.findCopy(of: path, tail: committedTail, offset: committedOffset) {
            // Lines written after the last read and before the truncation are only in the copy.
            report(.truncated(copy: copy))
            try drainCopy(copy, from: committedOffset, lineNumber: reader.lineNumber, tail: committedTail, identity: identity)
        } else {
            report(.truncated(copy: nil))
        }
        reader = LineReader()
        lseek(fd, 0, SEEK_SET)
        readOffset = 0
        readTail = []
        committedOffset = -1
        committedTail = []
    }

    /// The bytes of the file at `path` just before `offset`.
    private static func tail(of path: String, before offset: Int64, count: Int) -> [UInt8] {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        return FileIdentity.tail(of: fd, before: offset, count: count)
    }

    private func checkRotation() throws {
        guard fd >= 0, let identity else { return }
        guard let current = FileIdentity.of(path: path) else {
            if !pathMissingReported {
                report(.disappeared)
                pathMissingReported = true
            }
            return
        }
        if !current.sameFile(as: identity) {
            report(.rotated)
            try handleTruncation()          // it may have been truncated before it was renamed
            try finishCurrentFile()
            pathMissingReported = false
            _ = try open(at: 0, lineNumber: 0)
            try drain()
            try commit()
            return
        }
    }
}

/// Something that happened to a followed file, as a value: callers switch on ``kind`` (the
/// console's source state) or print ``description`` (`tradsec ingest --follow`).
public struct FollowEvent: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The path does not exist (yet); the follower polls for it.
        case waitingForFile
        case appeared
        /// Truncated while tradsec was stopped: its copy (copytruncate) is finished first, if found.
        case truncatedWhileStopped(copy: String?)
        /// Rotated while tradsec was stopped: the rotated file is finished first.
        case rotatedWhileStopped(String)
        /// Replaced while tradsec was stopped, the old file gone: the new one is read from the start.
        case replacedWhileStopped
        /// Truncated (copytruncate) while followed: its copy is finished first, if found.
        case truncated(copy: String?)
        /// The path went away; the open file is still read until the path comes back.
        case disappeared
        case rotated
    }

    public var path: String
    public var kind: Kind

    public var description: String {
        switch kind {
        case .waitingForFile: return "waiting for \(path) to appear"
        case .appeared: return "\(path) appeared"
        case .truncatedWhileStopped(let copy?):
            return "\(path) was truncated while tradsec was stopped (copytruncate); finishing its copy \(copy) first"
        case .truncatedWhileStopped(nil):
            return "\(path) is shorter than where tradsec stopped (truncated meanwhile); reading it from the start"
        case .rotatedWhileStopped(let rotated): return "\(path) was rotated while tradsec was stopped; finishing \(rotated) first"
        case .replacedWhileStopped:
            return "\(path) was replaced while tradsec was stopped and the old file is gone; reading the new file from the start"
        case .truncated(let copy?): return "\(path) was truncated (copytruncate); finishing its copy \(copy), then reading it from the start"
        case .truncated(nil): return "\(path) was truncated (copytruncate) and no copy of it was found; reading it again from the start"
        case .disappeared: return "\(path) disappeared; still reading the open file until it comes back"
        case .rotated: return "\(path) was rotated; finished the old file, now reading the new one"
        }
    }
}

public enum FeedError: Error, CustomStringConvertible, Sendable {
    /// The followed file exists but cannot be opened.
    case cannotOpen(path: String, reason: String)
    /// Reading the input failed (`path` is nil for a stream such as stdin).
    case readFailed(path: String?, reason: String)
    /// The alert socket cannot be set up at `path`.
    case cannotListen(path: String, reason: String)
    /// Something other than a socket sits where the socket should be: it is left alone.
    case notASocket(path: String)
    /// A live listener already answers on the socket.
    case socketInUse(path: String)
    /// The socket path does not fit in a sockaddr_un.
    case socketPathTooLong(path: String, limit: Int)
    /// A system call the listener needs failed.
    case system(call: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open \(path): \(reason)"
        case .readFailed(let path?, let reason): "reading \(path) failed: \(reason)"
        case .readFailed(nil, let reason): "read failed: \(reason)"
        case .cannotListen(let path, let reason): "cannot listen on \(path): \(reason)"
        case .notASocket(let path): "\(path) exists and is not a socket"
        case .socketInUse(let path): "\(path) is in use by another listener"
        case .socketPathTooLong(let path, let limit): "socket path is longer than \(limit) bytes: \(path)"
        case .system(let call, let reason): "\(call): \(reason)"
        }
    }

    /// The operator's message (the same text as `description`).
    public var message: String { description }
}
