import AlertStore
import Dispatch
import NIOCore
import NIOHTTP1
import NIOPosix
import TradsecCore

/// One HTTP connection: refuses what must not be read (browser requests, a missing token,
/// a body type a web page could send, bodies over the limits) on the request head, collects
/// each body within the shared budget, and routes. Ingest replies are sent only after the
/// writer committed; reads run on the reader pools. The ``ConnectionGuard`` before it learns
/// every phase change, for the timeouts and the connection cap.
final class HTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let app: ProcessorApp
    private let connection: ConnectionGuard
    private let loopbackListener: Bool
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    /// The current request is POST /falco: only its body is kept.
    private var intake = false
    private var declared = 0
    /// Bytes of ``BodyBudget`` this request holds (given back once its body is decoded).
    private var reserved = 0
    private var received: UInt64 = 0
    private var stream: StreamSession?
    /// The request was answered early (on its head, or mid-body); its remaining parts are dropped.
    private var answeredEarly = false

    init(app: ProcessorApp, connection: ConnectionGuard, loopbackListener: Bool) {
        self.app = app
        self.connection = connection
        self.loopbackListener = loopbackListener
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = nil
            answeredEarly = false
            received = DispatchTime.now().uptimeNanoseconds
            connection.set(.receivingBody)
            let route = Self.route(RequestURL(requestHead.uri).path)
            intake = requestHead.method == .POST && route == "/falco"
            declared = requestHead.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
            if let (status, message, extra) = refusal(requestHead, route: route) {
                // Said before any 100 Continue, and the connection closes: the body is never read.
                answeredEarly = true
                respond(context, requestHead, route: route, status: status, json: error(message), extra: extra, close: true)
            } else if intake, requestHead.headers.first(name: "expect")?.lowercased() == "100-continue" {
                // libcurl (so Falco's http_output) asks before sending bodies over 1 MB and
                // otherwise waits a second for this.
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: requestHead.version, status: .continue))),
                                      promise: nil)
            }
        case .body(var chunk):
            guard intake, !answeredEarly, let requestHead = head else { return }
            let total = (body?.readableBytes ?? 0) + chunk.readableBytes
            if total > app.settings.maxBody {
                refuseMidBody(context, requestHead, status: 413, json: error(tooLargeMessage), extra: [])
                return
            }
            // A body without a Content-Length (chunked) reserves as it arrives.
            if total > reserved {
                guard app.bodies.reserve(total - reserved) else {
                    refuseMidBody(context, requestHead, status: 503, json: error(bodyMemoryMessage), extra: [("Retry-After", "1")])
                    return
                }
                reserved = total
            }
            if body == nil {
                // One allocation of the declared size: growing by doubling would hold up to
                // three times the body while copying.
                var buffer = context.channel.allocator.buffer(capacity: max(min(declared, app.settings.maxBody), chunk.readableBytes))
                buffer.writeBuffer(&chunk)
                body = buffer
            } else {
                body!.writeBuffer(&chunk)
            }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            if answeredEarly { return }
            connection.set(.processing)
            handle(context: context, head: requestHead)
        }
    }

    /// Why the request is refused on its head: (status, reason, extra headers), or nil; an
    /// intake that is not refused has its declared body size reserved in ``BodyBudget``.
    private func refusal(_ head: HTTPRequestHead, route: String) -> (Int, String, [(String, String)])? {
        if let browser = RequestPolicy.browserRefusal(head, loopbackListener: loopbackListener, allowedHosts: app.settings.allowedHosts) {
            return (403, browser, [])
        }
        if !authorized(head) {
            // Before any 100 Continue, so an unauthenticated client cannot make the server
            // buffer up to max_body.
            return (401, "a bearer token is required (Authorization: Bearer ...)", [("WWW-Authenticate", "Bearer")])
        }
        guard intake else { return nil }
        if let type = RequestPolicy.contentTypeRefusal(head) { return (415, type, []) }
        if declared > app.settings.maxBody { return (413, tooLargeMessage, []) }
        if declared > 0 {
            guard app.bodies.reserve(declared) else { return (503, bodyMemoryMessage, [("Retry-After", "1")]) }
            reserved = declared
        }
        return nil
    }

    private var tooLargeMessage: String { "body larger than \(app.settings.maxBody) bytes (serve.max_body)" }
    private var bodyMemoryMessage: String {
        "too many request bodies in memory at once (serve.max_body_memory, \(app.settings.maxBodyMemory) bytes); retry shortly"
    }

    private func refuseMidBody(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, status: Int, json: JSONValue,
                               extra: [(String, String)]) {
        answeredEarly = true
        body = nil
        releaseBody()
        respond(context, head, route: "/falco", status: status, json: json, extra: extra, close: true)
    }

    private func releaseBody() {
        app.bodies.release(reserved)
        reserved = 0
    }

    func channelInactive(context: ChannelHandlerContext) {
        stream?.close()
        stream = nil
        body = nil
        releaseBody()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { stream?.pump() }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    // MARK: - Routing

    private func handle(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let url = RequestURL(head.uri)
        let route = Self.route(url.path)
        switch (head.method, route) {
        case (.POST, "/falco"):
            ingest(context: context, head: head)
        case (.GET, "/health"), (.HEAD, "/health"):
            health(context: context, head: head)
        case (.GET, "/metrics"):
            metrics(context: context, head: head)
        case (.GET, "/events"):
            events(context: context, head: head, url: url)
        case (.GET, "/events/stream"):
            startStream(context: context, head: head, url: url)
        case (.GET, "/incidents") where url.path == IncidentsFeed.path:
            let store = app.store
            read(context: context, head: head, route: "/incidents") {
                (200, try IncidentsFeed.reply(IncidentsFeed.Request(url.query), store: store), "application/json")
            }
        case (.GET, "/incidents"):
            incidents(context: context, head: head, url: url)
        case (_, "other"):
            respond(context, head, route: route, status: 404,
                    json: error("no such endpoint; see /health, /events, /events/stream, /incidents, /metrics, POST /falco"))
        default:
            respond(context, head, route: route, status: 405, json: error("method \(head.method.rawValue) not allowed here"))
        }
    }

    /// Whether the request carries the configured bearer token (always true without one).
    private func authorized(_ head: HTTPRequestHead) -> Bool {
        RequestPolicy.bearerAccepted(head.headers.first(name: "authorization"), token: app.settings.authToken)
    }

    /// Routes as metric labels: a fixed set, so a scanner cannot blow up the label space.
    static func route(_ path: String) -> String {
        switch path {
        case "/", "/falco": return "/falco"
        case "/health", "/healthz": return "/health"
        case "/metrics", "/events", "/events/stream", "/incidents": return path
        default: return path.hasPrefix("/incidents/") ? "/incidents" : "other"
        }
    }

    // MARK: - POST /falco

    private func ingest(context: ChannelHandlerContext, head: HTTPRequestHead) {
        // Enough for the reply's list and for the records kept.
        let keep = max(app.settings.maxRecordedRejects, Self.rejectsInReply)
        guard let body else {
            releaseBody()
            var decoded = PayloadDecoder.Decoded()
            decoded.fatal = "empty body: expected a Falco JSON alert, JSON Lines or a JSON array of alerts"
            store(decoded, context: context, head: head, received: received)
            return
        }
        self.body = nil
        if body.readableBytes <= Self.decodeOnTheLoopUpTo {
            var decoded = PayloadDecoder.Decoded()
            body.withUnsafeReadableBytes { decoded = PayloadDecoder.decode($0, keepingRejects: keep) }
            releaseBody()
            store(decoded, context: context, head: head, received: received)
            return
        }
        // A large body (up to serve.max_body) takes tens of milliseconds to decode: that is
        // done off the event loop, so the loop's other connections (health checks, live
        // streams) are not held up; at most serve.max_decodes at once, so a flood of large
        // bodies cannot take every core and their memory. Pipelining assistance holds this
        // connection's next request until the response is written.
        guard app.bodies.startDecode() else {
            releaseBody()
            respond(context, head, route: "/falco", status: 503,
                    json: error("too many large bodies being decoded (serve.max_decodes, \(app.settings.maxDecodes)); retry shortly"),
                    extra: [("Retry-After", "1")])
            return
        }
        let held = reserved
        reserved = 0
        let loopBound = NIOLoopBound((self, context, head), eventLoop: context.eventLoop)
        let received = self.received
        let bodies = app.bodies
        app.decoders.runIfActive(eventLoop: context.eventLoop) { () -> PayloadDecoder.Decoded in
            var decoded = PayloadDecoder.Decoded()
            body.withUnsafeReadableBytes { decoded = PayloadDecoder.decode($0, keepingRejects: keep) }
            return decoded
        }.whenComplete { result in
            bodies.endDecode()
            bodies.release(held)
            let (handler, context, head) = loopBound.value
            switch result {
            case .success(let decoded):
                handler.store(decoded, context: context, head: head, received: received)
            case .failure:
                handler.respond(context, head, route: "/falco", status: 503, json: handler.error("the processor is stopping; retry shortly"),
                                extra: [("Retry-After", "1")])
            }
        }
    }

    /// Bodies up to this size are decoded on the event loop (well under a millisecond).
    static let decodeOnTheLoopUpTo = 64 * 1024

    /// Answers a decoded body: a 400 when nothing in it is an alert, else the alerts go to the
    /// writer and the reply follows its commit. Every refused line is counted; the first
    /// `serve.max_recorded_rejects` are recorded, and one more record says how many were not.
    private func store(_ decoded: PayloadDecoder.Decoded, context: ChannelHandlerContext, head: HTTPRequestHead, received: UInt64) {
        if let fatal = decoded.fatal {
            app.metrics.rejected("not_json").increment()
            respond(context, head, route: "/falco", status: 400, json: error(fatal))
            return
        }
        let rejects = rejectRecords(decoded, recording: app.settings.maxRecordedRejects,
                                    peer: context.channel.remoteAddress?.description ?? "?")
        for (code, count) in decoded.rejectsByCode { app.metrics.rejected(code.rawValue).increment(by: Int64(count)) }
        let report = ReplyRejects(decoded)
        if decoded.alerts.isEmpty {
            // Nothing acceptable: say why; the rejects are still recorded for `tradsec rejects`
            // when the writer has room (the reply says it all either way).
            if !rejects.isEmpty { _ = app.pipeline.submit(alerts: [], rejects: rejects, received: received) { _ in } }
            respond(context, head, route: "/falco", status: 400, json: Self.rejectionReport(report, outcome: nil))
            return
        }
        if decoded.alerts.count < IngestPipeline.takeUpTo {
            takeOnTheLoop(decoded, rejects: rejects, report: report, context: context, head: head, received: received)
            return
        }
        let loopBound = NIOLoopBound((self, context, head), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        let accepted = app.pipeline.submit(alerts: decoded.alerts, rejects: rejects, received: received) { result in
            eventLoop.execute {
                let (handler, context, head) = loopBound.value
                let taken: IngestPipeline.Taken = switch result {
                case .success(let outcome): .taken(outcome)
                case .failure(let failure): .failed(failure)
                }
                handler.respond(context, head, route: "/falco", answer: Self.intakeAnswer(taken, rejects: report))
            }
        }
        if !accepted { respond(context, head, route: "/falco", answer: Self.intakeAnswer(.refused, rejects: report)) }
    }

    /// A few alerts (Falco's one per request): written to the intake log here, on the event
    /// loop, and answered at once; see ``IngestPipeline``. Their refused lines, if any, are
    /// recorded by the writer shortly after (the reply already names them).
    private func takeOnTheLoop(_ decoded: PayloadDecoder.Decoded, rejects: [AlertStore.RejectRecord], report: ReplyRejects,
                               context: ChannelHandlerContext, head: HTTPRequestHead, received: UInt64) {
        let taken = app.pipeline.take(alerts: decoded.alerts, received: received)
        if case .taken = taken, !rejects.isEmpty { _ = app.pipeline.submit(alerts: [], rejects: rejects, received: received) { _ in } }
        respond(context, head, route: "/falco", answer: Self.intakeAnswer(taken, rejects: report))
    }

    /// A status, its JSON body and any headers of its own.
    struct Answer {
        var status: Int
        var json: JSONValue
        var extra: [(String, String)] = []
    }

    /// What an intake answers once the pipeline took it, or not (the fast path answers the same).
    static func intakeAnswer(_ taken: IngestPipeline.Taken, rejects: ReplyRejects) -> Answer {
        switch taken {
        case .taken(let outcome):
            Answer(status: 200, json: rejectionReport(rejects, outcome: outcome))
        case .refused:
            Answer(status: 503, json: errorBody("the writer is saturated or stopping; retry shortly"), extra: [("Retry-After", "1")])
        case .failed(let failure):
            Answer(status: 500, json: errorBody("not stored, send again: \(failure)"))
        }
    }

    private func rejectRecords(_ decoded: PayloadDecoder.Decoded, recording limit: Int, peer: String) -> [AlertStore.RejectRecord] {
        let origin = "serve \(peer)"
        var records = decoded.rejects.prefix(limit).map { reject in
            AlertStore.RejectRecord(origin: origin, lineNumber: reject.line, code: reject.rejection.code.rawValue,
                                    message: reject.rejection.message, excerpt: reject.excerpt)
        }
        let unrecorded = decoded.rejectCount - records.count
        if unrecorded > 0 {
            let byCode = decoded.rejectsByCode.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key.rawValue < $1.key.rawValue) }
                .map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
            records.append(AlertStore.RejectRecord(
                origin: origin, lineNumber: nil, code: "not_recorded",
                message: "\(unrecorded) more refused lines in this request were counted, not recorded (serve.max_recorded_rejects \(limit)); all \(decoded.rejectCount) by reason: \(byCode)",
                excerpt: ""))
        }
        return records
    }

    /// What the reply says about refused lines: the count, and the first few with their reason.
    struct ReplyRejects: Sendable {
        var count: Int
        var first: [PayloadDecoder.Reject]
        init(_ decoded: PayloadDecoder.Decoded) {
            count = decoded.rejectCount
            first = Array(decoded.rejects.prefix(HTTPHandler.rejectsInReply))
        }
        /// A request with no refused line.
        static let none = ReplyRejects(count: 0, first: [])
        private init(count: Int, first: [PayloadDecoder.Reject]) {
            self.count = count
            self.first = first
        }
    }

    static let rejectsInReply = 20

    static func rejectionReport(_ rejects: ReplyRejects, outcome: IngestPipeline.Outcome?) -> JSONValue {
        var o = JSONObject()
        o.append("accepted", .int(Int64(outcome?.accepted ?? 0)))
        o.append("duplicates", .int(Int64(outcome?.duplicates ?? 0)))
        o.append("rejected", .int(Int64(rejects.count)))
        if !rejects.first.isEmpty {
            o.append("errors", .array(rejects.first.map { reject in
                .object(JSONObject([("line", .int(Int64(reject.line))), ("code", .string(reject.rejection.code.rawValue)),
                                    ("message", .string(reject.rejection.message))]))
            }))
        }
        return .object(o)
    }

    // MARK: - Reads

    /// Runs `work` on the reader pool and answers with its JSON (or a 400/500 with the error).
    private func read(context: ChannelHandlerContext, head: HTTPRequestHead, route: String, on pool: NIOThreadPool? = nil,
                      _ work: @escaping @Sendable () throws -> (Int, [UInt8], String)) {
        let loopBound = NIOLoopBound((self, context, head), eventLoop: context.eventLoop)
        let future = (pool ?? app.readers).runIfActive(eventLoop: context.eventLoop, work)
        future.whenComplete { result in
            let (handler, context, head) = loopBound.value
            switch result {
            case .success(let (status, bytes, type)):
                handler.respond(context, head, route: route, status: status, bytes: bytes, contentType: type)
            case .failure(let failure as RequestError):
                handler.respond(context, head, route: route, status: 400, json: handler.error(failure.description))
            case .failure(let failure as EventsRequest.Invalid):
                handler.respond(context, head, route: route, status: 400, json: handler.error(failure.description))
            case .failure(let failure):
                handler.respond(context, head, route: route, status: 500, json: handler.error("\(failure)"))
            }
        }
    }

    private func health(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let app = self.app
        read(context: context, head: head, route: "/health", on: app.statusReaders) {
            let report = HealthReport.make(app)
            return (report.healthy ? 200 : 503, Array(JSONWriter.string(report.json).utf8), "application/json")
        }
    }

    private func metrics(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let app = self.app
        read(context: context, head: head, route: "/metrics", on: app.statusReaders) {
            var bytes = app.metrics.exposition {
                app.metrics.streamClients.set(to: Double(app.hub.count))
                app.metrics.connections.set(to: Double(app.connections.openConnections))
                if let total = try? app.store.totalCount() { app.metrics.storedAlerts.set(to: Double(total)) }
            }
            bytes.append(contentsOf: app.extraMetrics().utf8)
            return (200, bytes, "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    private func events(context: ChannelHandlerContext, head: HTTPRequestHead, url: RequestURL) {
        let app = self.app
        read(context: context, head: head, route: "/events") {
            let request = try EventsRequest(url.query)
            let page = try request.fetch(app.store)
            var out: [UInt8] = []
            out.append(contentsOf: #"{"total_events":"#.utf8)
            out.append(contentsOf: String(page.total).utf8)
            out.append(contentsOf: #","events":["#.utf8)
            for (i, stored) in page.events.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                EventJSON.event(stored, page.enrichment[stored.id], into: &out)
            }
            out.append(contentsOf: #"],"next_since":"#.utf8)
            out.append(contentsOf: String(page.nextCursor).utf8)
            out.append(UInt8(ascii: "}"))
            return (200, out, "application/json")
        }
    }

    private func incidents(context: ChannelHandlerContext, head: HTTPRequestHead, url: RequestURL) {
        let app = self.app
        read(context: context, head: head, route: "/incidents") {
            let request = try IncidentsRequest(url.query)
            let idText = url.path.hasPrefix("/incidents/") ? String(url.path.dropFirst("/incidents/".count)) : request.id
            if let idText {
                guard let id = Int64(idText) else { throw RequestError.incidentIDNotANumber }
                guard let record = try app.store.incident(id: id) else {
                    return (404, Array(#"{"error":"no such incident"}"#.utf8), "application/json")
                }
                guard case .object(var o) = EventJSON.incident(record) else { return (500, [], "application/json") }
                o.append("timeline", .array(try app.store.incidentAlerts(id: id).map(EventJSON.timelineEntry)))
                return (200, Array(JSONWriter.string(.object(o)).utf8), "application/json")
            }
            let list = try app.store.incidents(since: request.since, limit: request.limit)
            let json = JSONValue.object(JSONObject([("total_incidents", .int(Int64(list.count))),
                                                    ("incidents", .array(list.map(EventJSON.incident)))]))
            return (200, Array(JSONWriter.string(json).utf8), "application/json")
        }
    }

    // MARK: - GET /events/stream

    private func startStream(context: ChannelHandlerContext, head: HTTPRequestHead, url: RequestURL) {
        let request: EventsRequest
        do { request = try EventsRequest(url.query) } catch {
            respond(context, head, route: "/events/stream", status: 400, json: self.error("\(error)"))
            return
        }
        var cursor: Int64?
        if let last = head.headers.first(name: "last-event-id") ?? url.query["last_event_id"] {
            guard let id = Int64(last.trimmingSpacesForHeader), id >= 0 else {
                respond(context, head, route: "/events/stream", status: 400, json: error("Last-Event-ID must be an event id"))
                return
            }
            cursor = id
        } else if case .id(let id)? = request.since {
            cursor = id
        }
        guard app.connections.openStream() else {
            respond(context, head, route: "/events/stream", status: 503,
                    json: error("too many open streams (serve.max_streams, \(app.settings.maxStreams)); retry shortly"),
                    extra: [("Retry-After", "5")], close: true)
            return
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/event-stream; charset=utf-8")
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "X-Accel-Buffering", value: "no")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
        context.flush()
        app.metrics.request(route: "/events/stream", status: 200)
        connection.set(.streaming)
        let connections = app.connections
        let session = StreamSession(app: app, context: context, query: request.query, cursor: cursor,
                                    onClose: { connections.closeStream() })
        stream = session
        session.begin()
    }

    // MARK: - Replies

    /// A request the client must fix (answered 400).
    enum RequestError: Error, CustomStringConvertible {
        case incidentIDNotANumber

        var description: String {
            switch self {
            case .incidentIDNotANumber: "incident id must be a number"
            }
        }
    }

    func error(_ message: String) -> JSONValue { Self.errorBody(message) }

    static func errorBody(_ message: String) -> JSONValue {
        .object(JSONObject([("error", .string(message))]))
    }

    /// A response's headers, in the order they are sent (the fast path writes the same).
    static func responseHeaders(contentType: String, length: Int, extra: [(String, String)], keepAlive: Bool) -> [(String, String)] {
        var headers = [("Content-Type", contentType), ("Content-Length", String(length)), ("X-Content-Type-Options", "nosniff")]
        headers += extra
        if !keepAlive { headers.append(("Connection", "close")) }
        return headers
    }

    private func respond(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, route: String,
                         answer: Answer) {
        respond(context, head, route: route, status: answer.status, json: answer.json, extra: answer.extra)
    }

    private func respond(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, route: String, status: Int, json: JSONValue,
                         extra: [(String, String)] = [], close: Bool = false) {
        var bytes = Array(JSONWriter.string(json).utf8)
        bytes.append(0x0A)
        respond(context, head, route: route, status: status, bytes: bytes, contentType: "application/json", extra: extra, close: close)
    }

    private func respond(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, route: String, status: Int, bytes: [UInt8],
                         contentType: String, extra: [(String, String)] = [], close: Bool = false) {
        app.metrics.request(route: route, status: status)
        connection.set(.writing)
        let request = connection.requests
        let keepAlive = head.isKeepAlive && !close
        let headers = HTTPHeaders(Self.responseHeaders(contentType: contentType, length: bytes.count, extra: extra, keepAlive: keepAlive))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status),
                                                             headers: headers))), promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        }
        let channel = context.channel
        let connection = NIOLoopBound(self.connection, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if keepAlive { connection.value.responseWritten(request: request) } else { channel.close(promise: nil) }
        }
    }
}

extension String {
    /// NIO's HTTP parser drops the spaces before a header value but keeps those after it
    /// (tested by lastEventIDMayCarrySpacesAroundIt), so they are trimmed here.
    var trimmingSpacesForHeader: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
