#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP side of `tradsec serve` (SwiftNIO): binds, serves until stopped.
public final class ProcessorServer: Sendable {
    public let app: ProcessorApp
    private let group: MultiThreadedEventLoopGroup
    private let channel: Channel
    private let timers: [RepeatedTask]

    /// The address actually bound (port 0 asks for a free one).
    public let boundPort: Int
    public let boundHost: String

    /// Why the server cannot listen.
    public enum ListenError: Error, CustomStringConvertible {
        /// `--listen` (or serve.listen) is not HOST:PORT.
        case badAddress(String)
        /// A non-loopback address with no token configured.
        case openWithoutToken(host: String)
        case cannotBind(host: String, port: Int, reason: String)
        /// `maxConnections` needs more descriptors than the hard limit allows.
        case descriptorLimitTooLow(maxConnections: Int, needed: Int, hardLimit: UInt64)
        /// The soft limit could not be raised to what `maxConnections` needs.
        case cannotRaiseDescriptorLimit(maxConnections: Int, needed: Int)

        public var description: String {
            switch self {
            case .badAddress(let text):
                "--listen '\(text)': expected HOST:PORT, e.g. 127.0.0.1:8080"
            case .openWithoutToken(let host):
                "refusing to listen on \(host) without a token: set serve.auth_token_env or serve.auth_token_file, or listen on 127.0.0.1"
            case .cannotBind(let host, let port, let reason):
                "cannot listen on \(host):\(port): \(reason)"
            case .descriptorLimitTooLow(let maxConnections, let needed, let hardLimit):
                "serve.max_connections \(maxConnections) needs \(needed) file descriptors; the limit is \(hardLimit) (ulimit -n): lower serve.max_connections"
            case .cannotRaiseDescriptorLimit(let maxConnections, let needed):
                "serve.max_connections \(maxConnections) needs \(needed) file descriptors and the limit could not be raised: lower serve.max_connections"
            }
        }
    }

    /// Parses `HOST:PORT` (`[::1]:8080` for IPv6).
    public static func parseListen(_ text: String) throws -> (host: String, port: Int) {
        var host: Substring, port: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(after: close)...].drop(while: { $0 == ":" })
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        } else {
            throw ListenError.badAddress(text)
        }
        guard let p = Int(port), (0...65535).contains(p), !host.isEmpty else {
            throw ListenError.badAddress(text)
        }
        return (String(host), p)
    }

    /// Only a literal loopback address (127.0.0.0/8, ::1, IPv4-mapped 127/8) or the name
    /// `localhost`: any other name could resolve to a public address.
    public static func isLoopback(_ host: String) -> Bool {
        if host.lowercased() == "localhost" { return true }
        guard let bytes = IPAddress.parse(host) else { return false }
        if bytes.count == 4 { return bytes[0] == 127 }
        if bytes == [UInt8](repeating: 0, count: 15) + [1] { return true }
        return bytes.prefix(12).elementsEqual([UInt8](repeating: 0, count: 10) + [0xFF, 0xFF]) && bytes[12] == 127
    }

    public init(app: ProcessorApp, threads: Int = 2) throws {
        self.app = app
        let (host, port) = try Self.parseListen(app.settings.listen)
        // Off loopback, every request must carry the token: an alert intake open to the
        // network would let anyone forge or flood the history.
        if !Self.isLoopback(host) && app.settings.authToken == nil {
            throw ListenError.openWithoutToken(host: host)
        }
        try Self.ensureDescriptors(for: app.settings.maxConnections)
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let loopback = Self.isLoopback(host)
        let registry = app.connections
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let entry = registry.admit(channel) else {
                        try channel.pipeline.syncOperations.addHandler(RefuseConnection())
                        return
                    }
                    let guardHandler = ConnectionGuard(registry: registry, entry: entry)
                    try channel.pipeline.syncOperations.addHandler(guardHandler)
                    try channel.pipeline.syncOperations.addHandler(FalcoPostFastPath(app: app, connection: guardHandler,
                                                                                     loopbackListener: loopback))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: true,
                                                                                    withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(HTTPHandler(app: app, connection: guardHandler,
                                                                               loopbackListener: loopback))
                }
            }
        do {
            channel = try bootstrap.bind(host: host, port: port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw ListenError.cannotBind(host: host, port: port, reason: "\(error)")
        }
        boundPort = channel.localAddress?.port ?? port
        boundHost = host
        let loop = group.next()
        let watcher = app.watcher
        // One sweep for every connection's timeout, one look at the history for every stream.
        timers = [
            loop.scheduleRepeatedTask(initialDelay: registry.sweepInterval, delay: registry.sweepInterval) { _ in registry.sweep() },
            loop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in watcher.check() },
        ]
    }

    /// Descriptors kept for the history, its WAL, list files, the notifier and the listener.
    static let spareDescriptors = 64

    /// Raises the soft descriptor limit when `maxConnections` needs it; an error when even the
    /// hard limit is too low (better than failing to accept under load).
    static func ensureDescriptors(for maxConnections: Int) throws {
        let needed = maxConnections.addingReportingOverflow(spareDescriptors)
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        guard !needed.overflow, rlim_t(needed.partialValue) <= limit.rlim_max else {
            throw ListenError.descriptorLimitTooLow(maxConnections: maxConnections, needed: maxConnections &+ spareDescriptors,
                                                   hardLimit: UInt64(limit.rlim_max))
        }
        if rlim_t(needed.partialValue) > limit.rlim_cur {
            limit.rlim_cur = rlim_t(needed.partialValue)
            guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
                throw ListenError.cannotRaiseDescriptorLimit(maxConnections: maxConnections, needed: needed.partialValue)
            }
        }
    }

    /// Stops accepting, lets the writer commit what it holds, and releases the threads.
    public func stop() {
        for timer in timers { timer.cancel() }
        try? channel.close().wait()
        app.pipeline.stop()
        app.shutdown()
        try? group.syncShutdownGracefully()
    }
}
