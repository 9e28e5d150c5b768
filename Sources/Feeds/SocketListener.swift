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
/// The socket is created owner-only (mode 0600): alerts are trusted input to the history,
/// so only the user running tradsec (or root) may write them. Alerts are committed in
/// batches, at the latest `flushInterval` after they arrive.
public final class SocketListener {
    public let path: String
    public let ingestor: AlertIngestor
    public var flushInterval: Double = 0.2
    private let log: (String) -> Void
    private var listenFD: Int32 = -1
    private var clients: [Int32: LineReader] = [:]
    private var lastFlush = Timestamp.now()
    public private(set) var connectionsAccepted = 0

    public init(path: String, ingestor: AlertIngestor, log: @escaping (String) -> Void) {
        self.path = path
        self.ingestor = ingestor
        self.log = log
    }

    deinit { close() }

    /// Creates the socket; a stale socket file left by a crashed run is replaced, anything
    /// else at `path` is an error (never delete a user's file).
    public func open() throws {
        var st = stat()
        if lstat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFSOCK else { throw FeedError("\(path) exists and is not a socket") }
            if Self.isAlive(path) { throw FeedError("\(path) is in use by another listener") }
            unlink(path)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw FeedError("socket: \(String(cString: strerror(errno)))") }
        var address = try Self.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(fd)
            throw FeedError("cannot listen on \(path): \(message)")
        }
        chmod(path, 0o600)
        guard listen(fd, 64) == 0 else {
            Glibc.close(fd)
            throw FeedError("listen on \(path): \(String(cString: strerror(errno)))")
        }
        listenFD = fd
    }

    /// Serves until `shouldStop` returns true; then commits everything received.
    public func run(shouldStop: () -> Bool) throws {
        if listenFD < 0 { try open() }
        while !shouldStop() {
            try poll(timeoutMilliseconds: 100)
        }
        for fd in Array(clients.keys) { try closeClient(fd) }
        try ingestor.flush()
    }

    /// Waits up to `timeoutMilliseconds` for connections or data and handles what came.
    public func poll(timeoutMilliseconds: Int32) throws {
        var fds = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)]
        for fd in clients.keys { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        let ready = Glibc.poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
        if ready < 0 && errno != EINTR { throw FeedError("poll: \(String(cString: strerror(errno)))") }
        if ready > 0 {
            for entry in fds where entry.revents != 0 {
                if entry.fd == listenFD { acceptAll() } else { try readClient(entry.fd) }
            }
        }
        if ingestor.pendingCount > 0, Timestamp.now().nanoseconds - lastFlush.nanoseconds > Int64(flushInterval * 1e9) {
            try flush()
        }
    }

    public func close() {
        for fd in clients.keys { Glibc.close(fd) }
        clients.removeAll()
        if listenFD >= 0 {
            Glibc.close(listenFD)
            listenFD = -1
            unlink(path)
        }
    }

    private func acceptAll() {
        while true {
            // accept4 is a GNU extension Swift's Glibc module does not show: set the flags after.
            let fd = accept(listenFD, nil, nil)
            if fd < 0 { return }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            clients[fd] = LineReader()
            connectionsAccepted += 1
        }
    }

    private func readClient(_ fd: Int32) throws {
        guard let reader = clients[fd] else { return }
        let status = try reader.read(from: fd) { event in
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
        if let reader = clients.removeValue(forKey: fd) {
            // A writer that closes without a final newline still meant its last line.
            reader.finish { ingestor.take($0) }
        }
        Glibc.close(fd)
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
        guard bytes.count < capacity else { throw FeedError("socket path is longer than \(capacity - 1) bytes: \(path)") }
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
