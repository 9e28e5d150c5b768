import AlertStore
import NIOCore
import NIOHTTP1
import TradsecCore

/// One `/events/stream` client (Server-Sent Events). It reads the history by id after its
/// cursor, so what it sends has no gap and no duplicate whatever the timing of signals, and
/// a client that reconnects with `Last-Event-ID` continues exactly after the last event it
/// received. It reads when the ``FeedHub`` says "look again": after the processor's own
/// commits, and when the ``HistoryWatcher`` sees another writer's (a `tradsec ingest
/// --follow` beside the service). It never polls: a hundred idle streams cost no reads.
final class StreamSession {
    private let app: ProcessorApp
    private let context: ChannelHandlerContext
    private var query: AlertQuery
    private var cursor: Int64?
    private var reading = false
    private var again = false
    private var closed = false
    private var token: Int?
    private var timer: RepeatedTask?
    private var retry: Scheduled<Void>?
    private var sentSinceHeartbeat = false
    private var stalledSince: UInt64?
    private let onClose: () -> Void
    static let pageSize = 500

    /// `onClose` runs once, when the session ends (it gives back the stream's slot).
    init(app: ProcessorApp, context: ChannelHandlerContext, query: AlertQuery, cursor: Int64?, onClose: @escaping () -> Void) {
        self.app = app
        self.context = context
        self.query = query
        self.cursor = cursor
        self.onClose = onClose
        self.query.limit = Self.pageSize
    }

    func begin() {
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        token = app.hub.subscribe { eventLoop.execute { loopBound.value.pump() } }
        // A comment line at once: proxies and clients see the stream is alive; `retry` tells
        // EventSource clients how soon to reconnect.
        write(Array(": tradsec event stream\nretry: 2000\n\n".utf8))
        // A comment when nothing was sent for a whole heartbeat, so proxies keep the stream.
        let heartbeat = TimeAmount.nanoseconds(Int64(min(max(app.settings.heartbeatSeconds, 0.05), 1e6) * 1e9))
        timer = eventLoop.scheduleRepeatedTask(initialDelay: heartbeat, delay: heartbeat) { _ in
            let session = loopBound.value
            if session.stalled() { return }
            if !session.sentSinceHeartbeat { session.write(Array(": keepalive\n\n".utf8)) }
            session.sentSinceHeartbeat = false
        }
        pump()
    }

    /// A client that stopped reading holds a stream slot and what is buffered for it: past
    /// `serve.idle_timeout` without being able to write, the stream is closed.
    private func stalled() -> Bool {
        guard !context.channel.isWritable else {
            stalledSince = nil
            return false
        }
        let now = ConnectionRegistry.now()
        guard let since = stalledSince else {
            stalledSince = now
            return false
        }
        let limit = ConnectionRegistry.Limits.nanoseconds(app.settings.idleTimeoutSeconds)
        if limit > 0, now &- since > limit {
            app.connections.closed(by: .idleTimeout)
            context.close(promise: nil)
            return true
        }
        return false
    }

    func close() {
        guard !closed else { return }
        closed = true
        timer?.cancel()
        retry?.cancel()
        if let token { app.hub.unsubscribe(token) }
        token = nil
        onClose()
    }

    /// Reads what is new after the cursor (on the reader pool) and sends it. One read at a
    /// time; a signal during a read makes it read again right after.
    func pump() {
        guard !closed else { return }
        guard !reading else { again = true; return }
        guard context.channel.isWritable else { again = true; return }
        // A new client starts after the newest alert; alerts already acknowledged but still in
        // the intake journal are older than its connection: wait for their move (it signals).
        if cursor == nil, app.pipeline.status.journaled > 0 { again = true; return }
        reading = true
        let store = app.store
        let query = self.query
        let start = cursor
        // Events carry their enrichment: while this process processes the history, the stream
        // goes only as far as processing has (it signals the hub after each batch).
        let processing = app.pipeline.processor.map(\.status)
        let bound = processing.map { $0.holdsLease ? $0.cursor : Int64.max } ?? Int64.max
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        app.readers.runIfActive(eventLoop: context.eventLoop) { () -> (Int64, [StoredAlert], [Int64: AlertEnrichment], Int64) in
            // The newest id before the query: when the page is not full, every match up to it
            // was returned, so the cursor may move there even if nothing matched. A filtered
            // stream (priority=critical) then never re-reads the rows it has already passed.
            let stored = try store.newestID()
            let newest = min(stored, bound)
            // No cursor yet: start after the newest alert (a new client wants what happens next).
            let from = start ?? stored
            let events = try store.alerts(after: from, matching: query).filter { $0.id <= bound }
            return (from, events, try store.enrichment(for: events.map(\.id)), newest)
        }.whenComplete { result in
            let session = loopBound.value
            session.reading = false
            guard !session.closed else { return }
            switch result {
            case .success(let (from, events, enrichment, newest)):
                if session.cursor == nil { session.cursor = from }
                if !events.isEmpty { session.send(events, enrichment) }
                if events.count < Self.pageSize, let cursor = session.cursor, newest > cursor {
                    session.cursor = newest
                }
                if events.count == Self.pageSize || session.again {
                    session.again = false
                    session.pump()
                }
            case .failure:
                // The history was busy or failed: try again shortly; nothing is skipped.
                guard session.retry == nil else { break }
                session.retry = session.context.eventLoop.scheduleTask(in: .seconds(1)) {
                    let session = loopBound.value
                    session.retry = nil
                    session.pump()
                }
            }
        }
    }

    private func send(_ events: [StoredAlert], _ enrichment: [Int64: AlertEnrichment]) {
        var out: [UInt8] = []
        out.reserveCapacity(events.count * 900)
        for stored in events {
            out.append(contentsOf: "id: \(stored.id)\nevent: alert\ndata: ".utf8)
            EventJSON.event(stored, enrichment[stored.id], into: &out)
            out.append(contentsOf: "\n\n".utf8)
            cursor = stored.id
        }
        sentSinceHeartbeat = true
        write(out)
    }

    private func write(_ bytes: [UInt8]) {
        let buffer = context.channel.allocator.buffer(bytes: bytes)
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
    }
}
