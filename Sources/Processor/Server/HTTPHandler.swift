import AlertStore
import Dispatch
import NIOCore
import NIOHTTP1
import TradsecCore

/// One HTTP connection: collects each request (bounded), checks the token, routes it.
/// Ingest replies are sent only after the writer committed; reads run on the reader pool.
final class HTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let app: ProcessorApp
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var tooLarge = false
    private var received: UInt64 = 0
    private var stream: StreamSession?
    /// The request was answered early (413 or 401 on its head); its remaining parts are dropped.
    private var answeredEarly = false

    init(app: ProcessorApp) { self.app = app }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = nil
            answeredEarly = false
            received = DispatchTime.now().uptimeNanoseconds
            let declared = requestHead.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
            tooLarge = declared > app.settings.maxBody
            if !authorized(requestHead) {
                // Refuse before any 100 Continue, so an unauthenticated client cannot make the
                // server buffer up to max_body; the rest of the request is not read.
                answeredEarly = true
                respond(context, requestHead, route: Self.route(RequestURL(requestHead.uri).path), status: 401,
                        json: error("a bearer token is required (Authorization: Bearer ...)"),
                        extra: [("WWW-Authenticate", "Bearer")], close: true)
            } else if tooLarge {
                // Say so before the sender uploads it all, and drop the connection.
                answeredEarly = true
                respond(context, requestHead, route: Self.route(RequestURL(requestHead.uri).path), status: 413,
                        json: error("body larger than \(app.settings.maxBody) bytes (serve.max_body)"), close: true)
            } else if requestHead.headers.first(name: "expect")?.lowercased() == "100-continue" {
                // libcurl (so Falco's http_output) asks before sending bodies over 1 MB and
                // otherwise waits a second for this.
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: requestHead.version, status: .continue))),
                                      promise: nil)
            }
        case .body(var chunk):
            guard !tooLarge, !answeredEarly else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > app.settings.maxBody {
                tooLarge = true
                body = nil
                return
            }
            if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            if answeredEarly { return }
            handle(context: context, head: requestHead)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        stream?.close()
        stream = nil
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
            if tooLarge {
                respond(context, head, route: route, status: 413,
                        json: error("body larger than \(app.settings.maxBody) bytes (serve.max_body)"), close: true)
                return
            }
            ingest(context: context, head: head)
        case (.GET, "/health"), (.HEAD, "/health"):
            health(context: context, head: head)
        case (.GET, "/metrics"):
            metrics(context: context, head: head)
        case (.GET, "/events"):
            events(context: context, head: head, url: url)
        case (.GET, "/events/stream"):
            startStream(context: context, head: head, url: url)
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
        guard let token = app.settings.authToken else { return true }
        let given = head.headers.first(name: "authorization") ?? ""
        return given.hasPrefix("Bearer ") && ConstantTime.equal(String(given.dropFirst(7)), token)
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
        let contentType = head.headers.first(name: "content-type")?.lowercased() ?? ""
        if contentType.hasPrefix("text/plain") && !(body.map(Self.looksLikeJSON) ?? false) {
            respond(context, head, route: "/falco", status: 415,
                    json: error("text alerts are not accepted: set json_output: true (and json_include_output_property) in falco.yaml"))
            return
        }
        guard let body else {
            var decoded = PayloadDecoder.Decoded()
            decoded.fatal = "empty body: expected a Falco JSON alert, JSON Lines or a JSON array of alerts"
            store(decoded, context: context, head: head, received: received)
            return
        }
        if body.readableBytes <= Self.decodeOnTheLoopUpTo {
            var decoded = PayloadDecoder.Decoded()
            body.withUnsafeReadableBytes { decoded = PayloadDecoder.decode($0) }
            store(decoded, context: context, head: head, received: received)
            return
        }
        // A large body (up to serve.max_body) takes tens of milliseconds to decode: that is
        // done off the event loop, so the loop's other connections (health checks, live
        // streams) are not held up. Pipelining assistance holds this connection's next
        // request until the response is written.
        let loopBound = NIOLoopBound((self, context, head), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        let received = self.received
        DispatchQueue.global(qos: .userInitiated).async {
            var decoded = PayloadDecoder.Decoded()
            body.withUnsafeReadableBytes { decoded = PayloadDecoder.decode($0) }
            let result = decoded
            eventLoop.execute {
                let (handler, context, head) = loopBound.value
                handler.store(result, context: context, head: head, received: received)
            }
        }
    }

    /// Bodies up to this size are decoded on the event loop (well under a millisecond).
    static let decodeOnTheLoopUpTo = 64 * 1024

    /// Answers a decoded body: a 400 when nothing in it is an alert, else the alerts go to the
    /// writer and the reply follows its commit.
    private func store(_ decoded: PayloadDecoder.Decoded, context: ChannelHandlerContext, head: HTTPRequestHead, received: UInt64) {
        if let fatal = decoded.fatal {
            app.metrics.rejected("not_json").increment()
            respond(context, head, route: "/falco", status: 400, json: error(fatal))
            return
        }
        let peer = context.channel.remoteAddress?.description ?? "?"
        let rejects = decoded.rejects.map { line, rejection in
            AlertStore.RejectRecord(origin: "serve \(peer)", lineNumber: line, code: rejection.code.rawValue,
                                    message: rejection.message, excerpt: "")
        }
        for (_, rejection) in decoded.rejects { app.metrics.rejected(rejection.code.rawValue).increment() }
        if decoded.alerts.isEmpty {
            // Nothing acceptable: say why; the rejects are still recorded for `tradsec rejects`.
            if !rejects.isEmpty { _ = app.pipeline.submit(alerts: [], rejects: rejects, received: received) { _ in } }
            respond(context, head, route: "/falco", status: 400, json: rejectionReport(decoded, outcome: nil))
            return
        }
        let loopBound = NIOLoopBound((self, context, head, decoded.rejects), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        let accepted = app.pipeline.submit(alerts: decoded.alerts, rejects: rejects, received: received) { result in
            eventLoop.execute {
                let (handler, context, head, rejects) = loopBound.value
                switch result {
                case .success(let outcome):
                    var partial = PayloadDecoder.Decoded()
                    partial.rejects = rejects
                    handler.respond(context, head, route: "/falco", status: 200, json: handler.rejectionReport(partial, outcome: outcome))
                case .failure(let failure):
                    handler.respond(context, head, route: "/falco", status: 500,
                                    json: handler.error("not stored, send again: \(failure)"))
                }
            }
        }
        if !accepted {
            respond(context, head, route: "/falco", status: 503, json: error("the writer is saturated or stopping; retry shortly"),
                    extra: [("Retry-After", "1")])
        }
    }

    static func looksLikeJSON(_ buffer: ByteBuffer) -> Bool {
        buffer.readableBytesView.first(where: { !PayloadDecoder.isSpace($0) }).map { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") } ?? false
    }

    private func rejectionReport(_ decoded: PayloadDecoder.Decoded, outcome: IngestPipeline.Outcome?) -> JSONValue {
        var o = JSONObject()
        o.append("accepted", .int(Int64(outcome?.accepted ?? 0)))
        o.append("duplicates", .int(Int64(outcome?.duplicates ?? 0)))
        o.append("rejected", .int(Int64(decoded.rejects.count)))
        if !decoded.rejects.isEmpty {
            o.append("errors", .array(decoded.rejects.prefix(20).map { line, rejection in
                .object(JSONObject([("line", .int(Int64(line))), ("code", .string(rejection.code.rawValue)),
                                    ("message", .string(rejection.message))]))
            }))
        }
        return .object(o)
    }

    // MARK: - Reads

    /// Runs `work` on the reader pool and answers with its JSON (or a 400/500 with the error).
    private func read(context: ChannelHandlerContext, head: HTTPRequestHead, route: String,
                      _ work: @escaping @Sendable () throws -> (Int, [UInt8], String)) {
        let loopBound = NIOLoopBound((self, context, head), eventLoop: context.eventLoop)
        let future = app.readers.runIfActive(eventLoop: context.eventLoop, work)
        future.whenComplete { result in
            let (handler, context, head) = loopBound.value
            switch result {
            case .success(let (status, bytes, type)):
                handler.respond(context, head, route: route, status: status, bytes: bytes, contentType: type)
            case .failure(let failure as RequestError):
                handler.respond(context, head, route: route, status: 400, json: handler.error(failure.message))
            case .failure(let failure as EventsRequest.Invalid):
                handler.respond(context, head, route: route, status: 400, json: handler.error(failure.description))
            case .failure(let failure):
                handler.respond(context, head, route: route, status: 500, json: handler.error("\(failure)"))
            }
        }
    }

    private func health(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let app = self.app
        read(context: context, head: head, route: "/health") {
            let report = HealthReport.make(app)
            return (report.healthy ? 200 : 503, Array(JSONWriter.string(report.json).utf8), "application/json")
        }
    }

    private func metrics(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let app = self.app
        read(context: context, head: head, route: "/metrics") {
            var bytes = app.metrics.exposition {
                app.metrics.streamClients.set(to: Double(app.hub.count))
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
                guard let id = Int64(idText) else { throw RequestError(message: "incident id must be a number") }
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
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/event-stream; charset=utf-8")
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "X-Accel-Buffering", value: "no")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
        context.flush()
        app.metrics.request(route: "/events/stream", status: 200)
        let session = StreamSession(app: app, context: context, query: request.query, cursor: cursor)
        stream = session
        session.begin()
    }

    // MARK: - Replies

    struct RequestError: Error { var message: String }

    func error(_ message: String) -> JSONValue {
        .object(JSONObject([("error", .string(message))]))
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
        let keepAlive = head.isKeepAlive && !close
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(bytes.count))
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        for (name, value) in extra { headers.add(name: name, value: value) }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status),
                                                             headers: headers))), promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
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
