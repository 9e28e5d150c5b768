import Dispatch
import Foundation
import NIOCore

/// Every open connection and what it is doing, shared by the event loops. It caps the number
/// of connections, makes room for a new one by closing the one that has waited longest
/// without a complete request, closes connections past their phase's timeout (a half-sent
/// head, a body trickling in, a kept-alive connection left idle, a response nobody reads),
/// and counts the live streams against their own cap.
///
/// So thousands of half-sent requests cannot take every descriptor before any check runs,
/// and a health check still gets a connection while they try.
public final class ConnectionRegistry: @unchecked Sendable {
    public enum Phase: Sendable, Equatable {
        /// A new connection, or a request whose head has begun but not ended.
        case awaitingHead
        /// Kept alive between requests.
        case idle
        case receivingBody
        /// The request is with the writer or a reader: our own work, no client timeout.
        case processing
        /// A response is being written; the client has to read it.
        case writing
        /// An `/events/stream` session: long-lived by design, capped by `maxStreams`.
        case streaming
    }

    public enum CloseReason: String, CaseIterable, Sendable {
        case evicted, refused
        case headerTimeout = "header_timeout"
        case bodyTimeout = "body_timeout"
        case idleTimeout = "idle_timeout"
    }

    /// One connection's record; its fields are guarded by the registry's lock.
    final class Entry: @unchecked Sendable {
        let channel: Channel
        fileprivate(set) var phase = Phase.awaitingHead
        fileprivate(set) var since: UInt64
        fileprivate var open = true
        init(channel: Channel, now: UInt64) {
            self.channel = channel
            since = now
        }
    }

    public struct Limits: Sendable {
        var maxConnections: Int
        var maxStreams: Int
        var headerTimeout: UInt64
        var bodyTimeout: UInt64
        var idleTimeout: UInt64

        init(_ settings: ServeSettings) {
            maxConnections = settings.maxConnections
            maxStreams = settings.maxStreams
            headerTimeout = Self.nanoseconds(settings.headerTimeoutSeconds)
            bodyTimeout = Self.nanoseconds(settings.bodyTimeoutSeconds)
            idleTimeout = Self.nanoseconds(settings.idleTimeoutSeconds)
        }

        static func nanoseconds(_ seconds: Double) -> UInt64 {
            guard seconds.isFinite, seconds > 0 else { return 0 }
            return seconds >= 1e9 ? UInt64(1e18) : UInt64(seconds * 1e9)
        }
    }

    let limits: Limits
    private let onClose: @Sendable (CloseReason) -> Void
    private let lock = NSLock()
    private var entries: [ObjectIdentifier: Entry] = [:]
    private var streams = 0
    private var closed: [CloseReason: Int] = [:]

    /// `onClose` counts each connection the registry closes (a metric).
    init(limits: Limits, onClose: @escaping @Sendable (CloseReason) -> Void = { _ in }) {
        self.limits = limits
        self.onClose = onClose
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    public var openConnections: Int { lock.withLock { entries.count } }
    public var openStreams: Int { lock.withLock { streams } }
    /// Connections closed by the registry, by reason (for /metrics and /health).
    public var closedByReason: [CloseReason: Int] { lock.withLock { closed } }

    /// Registers a new connection; when full, closes the connection that has waited longest
    /// for a request head (then the one idle longest) to make room. Nil when nothing can
    /// give way: every connection is busy or streaming, and the new one must be refused.
    func admit(_ channel: Channel) -> Entry? {
        let now = Self.now()
        let entry = Entry(channel: channel, now: now)
        var victim: Channel?
        let admitted: Bool = lock.withLock {
            if entries.count >= limits.maxConnections {
                guard let oldest = evictionCandidate() else {
                    closed[.refused, default: 0] += 1
                    return false
                }
                oldest.open = false
                entries.removeValue(forKey: ObjectIdentifier(oldest))
                closed[.evicted, default: 0] += 1
                victim = oldest.channel
            }
            entries[ObjectIdentifier(entry)] = entry
            return true
        }
        if let victim {
            victim.close(promise: nil)
            onClose(.evicted)
        }
        if !admitted { onClose(.refused) }
        return admitted ? entry : nil
    }

    /// A connection waiting on its client (a head, or the next request), oldest first: one
    /// mid-head before one merely kept alive.
    private func evictionCandidate() -> Entry? {
        var best: Entry?
        for entry in entries.values where entry.phase == .awaitingHead || entry.phase == .idle {
            guard let current = best else { best = entry; continue }
            let rank = entry.phase == .awaitingHead ? 0 : 1, bestRank = current.phase == .awaitingHead ? 0 : 1
            if rank < bestRank || (rank == bestRank && entry.since < current.since) { best = entry }
        }
        return best
    }

    func remove(_ entry: Entry) {
        lock.withLock {
            guard entry.open else { return }
            entry.open = false
            entries.removeValue(forKey: ObjectIdentifier(entry))
        }
    }

    func set(_ entry: Entry, _ phase: Phase) {
        let now = Self.now()
        lock.withLock {
            entry.phase = phase
            entry.since = now
        }
    }

    /// Takes a stream slot; false when `maxStreams` are open.
    func openStream() -> Bool {
        lock.withLock {
            guard streams < limits.maxStreams else { return false }
            streams += 1
            return true
        }
    }

    func closeStream() {
        lock.withLock { streams = max(0, streams - 1) }
    }

    /// Counts a connection closed elsewhere for one of the registry's reasons (a stream whose
    /// client stopped reading).
    func closed(by reason: CloseReason) {
        lock.withLock { closed[reason, default: 0] += 1 }
        onClose(reason)
    }

    /// Closes the connections past their phase's timeout.
    func sweep() {
        let now = Self.now()
        var expired: [(Channel, CloseReason)] = []
        lock.withLock {
            for (key, entry) in entries {
                guard let reason = timeout(entry, now: now) else { continue }
                entry.open = false
                entries.removeValue(forKey: key)
                closed[reason, default: 0] += 1
                expired.append((entry.channel, reason))
            }
        }
        for (channel, reason) in expired {
            channel.close(promise: nil)
            onClose(reason)
        }
    }

    private func timeout(_ entry: Entry, now: UInt64) -> CloseReason? {
        let waited = now &- entry.since
        switch entry.phase {
        case .awaitingHead: return limits.headerTimeout > 0 && waited > limits.headerTimeout ? .headerTimeout : nil
        case .receivingBody: return limits.bodyTimeout > 0 && waited > limits.bodyTimeout ? .bodyTimeout : nil
        case .idle, .writing: return limits.idleTimeout > 0 && waited > limits.idleTimeout ? .idleTimeout : nil
        case .processing, .streaming: return nil
        }
    }

    /// How often to sweep: a quarter of the shortest timeout, between 50 ms and 1 s.
    var sweepInterval: TimeAmount {
        let timeouts: [UInt64] = [limits.headerTimeout, limits.bodyTimeout, limits.idleTimeout].filter { $0 > 0 }
        let shortest: UInt64 = timeouts.min() ?? 4_000_000_000
        return .nanoseconds(Int64(min(max(shortest / 4, 50_000_000), 1_000_000_000)))
    }
}

/// The first handler of every connection: it notices the first byte of a request arriving
/// on an idle connection (the header timeout starts there), and takes the connection out of
/// the registry when it closes. The HTTP handler sets the other phases through it.
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let registry: ConnectionRegistry
    private let entry: ConnectionRegistry.Entry
    private(set) var phase = ConnectionRegistry.Phase.awaitingHead
    /// Requests begun on this connection: a write completing after the next request began
    /// must not mark the connection idle.
    private(set) var requests = 0

    init(registry: ConnectionRegistry, entry: ConnectionRegistry.Entry) {
        self.registry = registry
        self.entry = entry
    }

    func set(_ phase: ConnectionRegistry.Phase) {
        guard phase != self.phase else { return }
        if phase == .receivingBody { requests += 1 }
        self.phase = phase
        registry.set(entry, phase)
    }

    /// The response to request number `request` is written: idle, unless another began.
    func responseWritten(request: Int) {
        if request == requests, phase == .writing { set(.idle) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if phase == .idle { set(.awaitingHead) }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        registry.remove(entry)
        context.fireChannelInactive()
    }
}

/// Answers a connection there is no room for with a 503 and closes it.
final class RefuseConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    static let reply: String = {
        let body = #"{"error":"too many connections (serve.max_connections); retry shortly"}"# + "\n"
        return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Retry-After: 1\r\nConnection: close\r\n\r\n" + body
    }()

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: Self.reply))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
