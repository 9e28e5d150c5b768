#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AlertStore
import TradsecCore

/// Accepts Falco alert lines on a Unix stream socket, from any number of writers at once
/// (for example Falco's `program_output` running `socat - UNIX-CONNECT:PATH`).
///
/// The socket is owner-only (mode 0600) from its creation: alerts are trusted input to the
/// history, so only the user running tradsec (or root) may write them. It is bound in a
/// private directory beside `path` and renamed into place, so no other user can connect in
/// between and no path is ever chmod'ed. Alerts are committed in batches, at the latest
/// `flushInterval` after they arrive.
///
/// Whatever the writers send, memory stays bounded: at most ``Limits/maxConnections``
/// writers, each buffering at most one line of ``Limits/maxLineLength`` (64 KiB until a
/// line is longer), rejects committed in batches like alerts. Refused connections and
/// writers closed for idling are counted and logged.
public final class SocketListener {
    public struct Limits: Sendable {
        /// Writers connected at once; one more is refused (or takes the place of one idle
        /// for ``idleTimeout``).
        public var maxConnections = 64
        /// A longer line is skipped and counted as a reject (`too_long`).
        public var maxLineLength = 1 << 20
        /// A writer that sent nothing for this long is closed when it holds an unfinished
        /// line, or when a new writer needs its place.
        public var idleTimeout: Double = 60
        /// Bytes read from one writer before the others get their turn.
        public var readBudget = 256 << 10
        public init() {}
    }

    public let path: String
    public let ingestor: AlertIngestor
    public let limits: Limits
    public var flushInterval: Double = 0.2
    private let log: (String) -> Void
    private var listenFD: Int32 = -1
    /// The socket file this listener made (its device and inode): only that is removed on close.
    private var boundFile: (dev: UInt64, ino: UInt64)?
    private struct Client {
        var reader: LineReader
        var lastActivity: Int64
    }
    private var clients: [Int32: Client] = [:]
    private var lastFlush = Timestamp.now()
    private var lastRefusalLog: Int64 = 0
    public private(set) var connectionsAccepted = 0
    /// Connections closed at once because ``Limits/maxConnections`` writers were connected.
    public private(set) var connectionsRefused = 0
    /// Writers closed after ``Limits/idleTimeout`` without sending (with a line unfinished, or
    /// to make room for a new writer).
    public private(set) var idleConnectionsClosed = 0

    public init(path: String, ingestor: AlertIngestor, limits: Limits = Limits(), log: @escaping (String) -> Void) {
        self.path = path
        self.ingestor = ingestor
        self.limits = limits
        self.log = log
    }

    deinit { close() }

    /// Writers connected now.
    public var connectionCount: Int { clients.count }

    /// Bytes the writers' line buffers hold now.
    public var bufferedBytes: Int { clients.values.reduce(0) { $0 + $1.reader.bufferCapacity } }

    /// Creates the socket; a stale socket file left by a crashed run is replaced, anything
    /// else at `path` (a file, a symbolic link, a live listener) is an error: never remove or
    /// change what is not a dead socket.
    public func open() throws {
        _ = try Self.address(path)
        try checkReplaceable()
        let slash = path.lastIndex(of: "/")
        let parent = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        // mkdtemp makes the directory 0700 whatever the umask: nobody else can reach the
        // socket before it is renamed to `path`.
        var template = Array(((parent == "/" ? "" : parent) + "/.tradsec-sock-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw FeedError.cannotListen(path: path, reason: "cannot create a directory in \(parent): \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: made)
        let staging = directory + "/s"
        defer { unlink(staging); rmdir(directory) }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw FeedError.system(call: "socket", reason: String(cString: strerror(errno))) }
        do {
            // Linux gives the socket file the mode of the socket's inode (less the umask): 0600
            // from its creation, without chmod on a path.
            _ = fchmod(fd, 0o600)
            try bindStaging(fd, staging: staging, directory: directory)
            var st = stat()
            guard lstat(staging, &st) == 0, (st.st_mode & S_IFMT) == S_IFSOCK else {
                throw FeedError.cannotListen(path: path, reason: "the new socket vanished")
            }
            guard st.st_mode & 0o077 == 0 else {
                throw FeedError.cannotListen(path: path, reason: "the socket could not be made owner-only (mode \(String(st.st_mode & 0o777, radix: 8)))")
            }
            guard listen(fd, 64) == 0 else { throw FeedError.cannotListen(path: path, reason: String(cString: strerror(errno))) }
            // Checked again just before: rename replaces a dead socket in one step, but must
            // not replace anything else put there meanwhile.
            try checkReplaceable()
            guard rename(staging, path) == 0 else {
                throw FeedError.cannotListen(path: path, reason: String(cString: strerror(errno)))
            }
            boundFile = (UInt64(st.st_dev), UInt64(st.st_ino))
        } catch {
            Glibc.close(fd)
            throw error
        }
        listenFD = fd
    }

    /// Throws unless `path` is free or a socket nobody listens on.
    private func checkReplaceable() throws {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        guard (st.st_mode & S_IFMT) == S_IFSOCK else { throw FeedError.notASocket(path: path) }
        if Self.isAlive(path) { throw FeedError.socketInUse(path: path) }
    }

    /// Binds `fd` at `staging`; a path too long for a socket address goes through the
    /// directory's descriptor (`/proc/self/fd/N/s`), which names the same place.
    private func bindStaging(_ fd: Int32, staging: String, directory: String) throws {
        var dirFD: Int32 = -1
        defer { if dirFD >= 0 { Glibc.close(dirFD) } }
        var address: sockaddr_un
        if let direct = try? Self.address(staging) {
            address = direct
        } else {
            dirFD = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard dirFD >= 0, let viaDescriptor = try? Self.address("/proc/self/fd/\(dirFD)/s") else {
                throw FeedError.cannotListen(path: path, reason: "the path is too long")
            }
            address = viaDescriptor
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw FeedError.cannotListen(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Serves until `shouldStop` returns true; then commits everything received.
    public func run(shouldStop: () -> Bool) throws {
        if listenFD < 0 { try open() }
        while !shouldStop() {
            // With alerts waiting, a short wait: the first quiet moment commits them.
            let waiting = ingestor.pendingCount > 0 || ingestor.pendingRejectCount > 0
            try poll(timeoutMilliseconds: waiting ? 2 : 100)
        }
        for fd in Array(clients.keys) { try closeClient(fd) }
        try ingestor.flush()
    }

    /// Waits up to `timeoutMilliseconds` for connections or data and handles what came.
    public func poll(timeoutMilliseconds: Int32) throws {
        var fds = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)]
        for fd in clients.keys { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        let ready = Glibc.poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
        if ready < 0 && errno != EINTR { throw FeedError.system(call: "poll", reason: String(cString: strerror(errno))) }
        if ready > 0 {
            for entry in fds where entry.revents != 0 {
                if entry.fd == listenFD { try acceptAll() } else { try readClient(entry.fd) }
            }
        }
        try closeIdleWithUnfinishedLines()
        // Commit when the writers go quiet (an alert is visible within milliseconds), or every
        // `flushInterval` while they keep writing (a storm still commits in large batches).
        if ingestor.pendingCount > 0 || ingestor.pendingRejectCount > 0,
           ready == 0 || Timestamp.now().nanoseconds - lastFlush.nanoseconds > Int64(flushInterval * 1e9) {
            try flush()
        }
    }

    public func close() {
        for fd in clients.keys { Glibc.close(fd) }
        clients.removeAll()
        if listenFD >= 0 {
            Glibc.close(listenFD)
            listenFD = -1
            // Only the socket this listener made: what replaced it meanwhile (another
            // listener's socket, a link, a file) is left alone.
            var st = stat()
            if let bound = boundFile, lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFSOCK,
               UInt64(st.st_dev) == bound.dev, UInt64(st.st_ino) == bound.ino {
                unlink(path)
            }
            boundFile = nil
        }
    }

    private func acceptAll() throws {
        while true {
            // accept4 is a GNU extension Swift's Glibc module does not show: set the flags after.
            let fd = accept(listenFD, nil, nil)
            if fd < 0 { return }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            let now = Timestamp.now().nanoseconds
            if clients.count >= limits.maxConnections, !(try makeRoom(now: now)) {
                Glibc.close(fd)
                connectionsRefused += 1
                // Once per ten seconds at most: a flood of connections must not flood the log.
                if now - lastRefusalLog >= 10_000_000_000 {
                    lastRefusalLog = now
                    log("refused a writer: \(clients.count) are connected, the limit (\(connectionsRefused) refused so far)")
                }
                continue
            }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            clients[fd] = Client(reader: LineReader(maxLineLength: limits.maxLineLength, initialCapacity: 64 << 10), lastActivity: now)
            connectionsAccepted += 1
        }
    }

    /// Closes the writer idle the longest if it has been idle for the timeout; false when
    /// every writer is active.
    private func makeRoom(now: Int64) throws -> Bool {
        guard let (fd, client) = clients.min(by: { $0.value.lastActivity < $1.value.lastActivity }),
              Double(now - client.lastActivity) >= limits.idleTimeout * 1e9 else { return false }
        idleConnectionsClosed += 1
        try closeClient(fd)
        return true
    }

    /// A writer that stopped in the middle of a line holds its buffer: closed after the
    /// timeout (its unfinished line is taken as it is, and rejected if incomplete).
    private func closeIdleWithUnfinishedLines() throws {
        let now = Timestamp.now().nanoseconds
        let timeout = Int64(limits.idleTimeout * 1e9)
        for (fd, client) in clients where client.reader.pendingByteCount > 0 && now - client.lastActivity >= timeout {
            idleConnectionsClosed += 1
            log("closed a writer idle for \(Int(limits.idleTimeout)) s in the middle of a line")
            try closeClient(fd)
        }
    }

    private func readClient(_ fd: Int32) throws {
        guard let reader = clients[fd]?.reader else { return }
        clients[fd]?.lastActivity = Timestamp.now().nanoseconds
        let status = try reader.read(from: fd, budget: limits.readBudget) { event in
            ingestor.take(event)
            if ingestor.batchIsFull { try flush() }
        }
        switch status {
        case .wouldBlock: break
        case .endOfData: try closeClient(fd)
        case .failed(let code):
            log("a writer's connection failed: \(String(cString: strerror(code)))")
            try closeClient(fd)
        }
    }

    private func closeClient(_ fd: Int32) throws {
        if let client = clients.removeValue(forKey: fd) {
            // A writer that closes without a final newline still meant its last line.
            client.reader.finish { ingestor.take($0) }
        }
        Glibc.close(fd)
        if ingestor.batchIsFull { try flush() }
    }

    private func flush() throws {
        try ingestor.flush()
        lastFlush = .now()
    }

    static func address(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw FeedError.socketPathTooLong(path: path, limit: capacity - 1) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        return address
    }

    /// Whether something accepts connections on the socket at `path`.
    static func isAlive(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0, var address = try? address(path) else { return false }
        defer { Glibc.close(fd) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }
}
