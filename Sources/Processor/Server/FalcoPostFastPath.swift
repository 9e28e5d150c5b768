import AlertStore
import Dispatch
import NIOCore
import NIOHTTP1
import Prometheus
import TradsecCore

/// Falco's `http_output` posts one alert per request and waits for each reply, so the rate
/// it can deliver at is one over serve's time per request. This handler, between the
/// ``ConnectionGuard`` and NIO's HTTP pipeline, answers the plainest such request itself from
/// the bytes as they arrive: a whole ``SimplePostHead`` request that passes the same checks as
/// the full path (the body limits and memory budget, ``RequestPolicy``, the bearer token),
/// whose body decodes to a few alerts with no refused line. It takes them into the intake log
/// (``IngestPipeline/take(alerts:received:)``; Falco's one alert is decoded only for the
/// history, by ``PayloadDecoder/oneAlert(_:into:)``) and answers what the full path answers
/// (``HTTPHandler/intakeAnswer(_:rejects:)``): the 200 once they are durable, or its 503 or 500.
///
/// Anything else (another route or method, an odd head, a refusal, a refused line) is handed,
/// from the first byte of that request on, to the full pipeline, which answers it exactly as
/// it would have, and the connection stays there for good.
///
/// Like NIO's pipelining assistance, it reads no further while a reply is still being written
/// or the connection is not writable: a client that sends and never reads stops being read,
/// and what waits for it stays bounded.
final class FalcoPostFastPath: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    /// What the full pipeline writes passes through untouched.
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private let app: ProcessorApp
    private let connection: ConnectionGuard
    private let loopbackListener: Bool
    /// Bytes of a request not yet whole.
    private var pending: ByteBuffer?
    /// The head of the request being received, once parsed, and the body bytes it reserved.
    private var awaiting: SimplePostHead?
    private var reserved = 0
    private var received: UInt64 = 0
    /// Everything from here on goes to the full pipeline.
    private var handedOver = false
    /// Replies written and not yet out, and whether a read waits for them.
    private var repliesInFlight = 0
    private var readHeld = false
    private let answered: Counter
    /// The request's alert, decoded only for the history (the writer decodes it whole when it
    /// moves it): one buffer, reused from request to request.
    private var alert = AlertBatch()
    static let keptAlertBytes = 16 << 10

    /// The largest body taken here: as on the full path, larger ones are decoded off the loop.
    static let maxBody = HTTPHandler.decodeOnTheLoopUpTo

    init(app: ProcessorApp, connection: ConnectionGuard, loopbackListener: Bool) {
        self.app = app
        self.connection = connection
        self.loopbackListener = loopbackListener
        answered = app.metrics.requests(route: "/falco", status: 200)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if handedOver { return context.fireChannelRead(data) }
        var chunk = unwrapInboundIn(data)
        if pending == nil {
            pending = chunk
        } else {
            pending!.writeBuffer(&chunk)
        }
        answerPending(context: context)
    }

    /// Answers the whole requests in ``pending`` while the connection is writable.
    private func answerPending(context: ChannelHandlerContext) {
        while !handedOver, context.channel.isWritable, let bytes = pending, bytes.readableBytes > 0 {
            guard answerOne(context: context) else { break }
        }
        if !handedOver, let left = pending?.readableBytes {
            // What is left is the start of the next request: the answered ones go.
            if left == 0 { pending = nil } else { pending!.discardReadBytes() }
        }
    }

    func read(context: ChannelHandlerContext) {
        if handedOver || (repliesInFlight == 0 && context.channel.isWritable) {
            context.read()
        } else {
            readHeld = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            answerPending(context: context)
            releaseHeldRead(context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    private func releaseHeldRead(context: ChannelHandlerContext) {
        guard readHeld, repliesInFlight == 0, context.channel.isWritable else { return }
        readHeld = false
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        releaseBody()
        pending = nil
        context.fireChannelInactive()
    }

    /// Answers the request at the front of ``pending`` when it is whole; false when it is not
    /// whole yet or the connection was handed over.
    private func answerOne(context: ChannelHandlerContext) -> Bool {
        if awaiting == nil {
            let parsed = pending!.withUnsafeReadableBytes { SimplePostHead.parse($0) }
            switch parsed {
            case .incomplete:
                return false
            case .notSimple:
                handOver(context: context)
                return false
            case .post(let head):
                received = DispatchTime.now().uptimeNanoseconds
                connection.set(.receivingBody)
                guard admits(head) else {
                    handOver(context: context)
                    return false
                }
                awaiting = head
            }
        }
        let head = awaiting!
        guard pending!.readableBytes >= head.headLength + head.contentLength else { return false }
        connection.set(.processing)
        guard let taken = take(body: head.headLength..<head.headLength + head.contentLength) else {
            // The full path decodes again and answers with the refused lines and their reasons.
            handOver(context: context)
            return false
        }
        pending!.moveReaderIndex(forwardBy: head.headLength + head.contentLength)
        awaiting = nil
        releaseBody()
        reply(context: context, taken)
        return true
    }

    /// Takes the body's alerts into the intake log; nil, with nothing taken, when the body has
    /// a refused line or is not a few alerts.
    private func take(body: Range<Int>) -> IngestPipeline.Taken? {
        alert.removeAll()
        // A large alert's buffer is not kept for the connection's life: many idle connections
        // must hold little.
        defer { if alert.byteCount > Self.keptAlertBytes { alert = AlertBatch() } }
        let isOneAlert = pending!.withUnsafeReadableBytes { bytes in
            PayloadDecoder.oneAlert(UnsafeRawBufferPointer(rebasing: bytes[body]), into: &alert)
        }
        if isOneAlert { return app.pipeline.take(alerts: alert, received: received) }
        let decoded = pending!.withUnsafeReadableBytes { bytes in
            PayloadDecoder.decode(UnsafeRawBufferPointer(rebasing: bytes[body]), keepingRejects: 0)
        }
        guard decoded.fatal == nil, decoded.rejectCount == 0, !decoded.alerts.isEmpty,
              decoded.alerts.count < IngestPipeline.takeUpTo else { return nil }
        return app.pipeline.take(alerts: decoded.alerts, received: received)
    }

    /// Whether the full path would take this head into its body (the same checks; a body too
    /// large for this path goes to the full one, which runs them all in its own order); the
    /// body's bytes are then reserved in the shared budget.
    private func admits(_ head: SimplePostHead) -> Bool {
        guard head.contentLength > 0, head.contentLength <= min(app.settings.maxBody, Self.maxBody) else { return false }
        // The policy depends on these header values alone, and a sender repeats them on each request.
        if head.policyHeaders != admittedHeaders {
            guard Self.policyAdmits(head.policyHeaders, settings: app.settings, loopbackListener: loopbackListener) else { return false }
            admittedHeaders = head.policyHeaders
        }
        guard app.bodies.reserve(head.contentLength) else { return false }
        reserved = head.contentLength
        return true
    }

    /// The last header values the policy admitted on this connection.
    private var admittedHeaders: SimplePostHead.PolicyHeaders?

    static func policyAdmits(_ headers: SimplePostHead.PolicyHeaders, settings: ServeSettings, loopbackListener: Bool) -> Bool {
        if RequestPolicy.browserRefusal(headers.header, loopbackListener: loopbackListener, allowedHosts: settings.allowedHosts) != nil {
            return false
        }
        guard RequestPolicy.bearerAccepted(headers.authorization, token: settings.authToken) else { return false }
        return RequestPolicy.contentTypeRefusal(headers.header) == nil
    }

    private func handOver(context: ChannelHandlerContext) {
        handedOver = true
        awaiting = nil
        releaseBody()
        app.metrics.fastPathHandedOver.increment()
        if let rest = pending, rest.readableBytes > 0 {
            pending = nil
            context.fireChannelRead(wrapInboundOut(rest))
        }
        pending = nil
    }

    private func releaseBody() {
        if reserved > 0 { app.bodies.release(reserved) }
        reserved = 0
    }

    /// The full path's answer to an intake, as bytes: the same status line, headers and JSON.
    private func reply(context: ChannelHandlerContext, _ taken: IngestPipeline.Taken) {
        app.metrics.fastPathAnswered.increment()
        connection.set(.writing)
        let request = connection.requests
        let buffer: ByteBuffer
        if case .taken(let outcome) = taken, outcome == Self.oneAccepted.outcome {
            answered.increment()
            buffer = Self.oneAccepted.reply
        } else {
            let answer = HTTPHandler.intakeAnswer(taken, rejects: .none)
            app.metrics.request(route: "/falco", status: answer.status)
            buffer = context.channel.allocator.buffer(bytes: Self.bytes(of: answer))
        }
        repliesInFlight += 1
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(buffer))).whenComplete { _ in
            let (handler, context) = loopBound.value
            handler.repliesInFlight -= 1
            handler.connection.responseWritten(request: request)
            handler.releaseHeldRead(context: context)
        }
    }

    /// Falco's usual answer, made once and sent as is (NIO only reads it).
    private static let oneAccepted = {
        let outcome = IngestPipeline.Outcome(accepted: 1, duplicates: 0)
        return (outcome: outcome, reply: ByteBuffer(bytes: bytes(of: HTTPHandler.intakeAnswer(.taken(outcome), rejects: .none))))
    }()

    /// `answer` as NIO's HTTP/1.1 encoder writes the full path's response on a kept-alive
    /// connection.
    static func bytes(of answer: HTTPHandler.Answer) -> [UInt8] {
        var body = Array(JSONWriter.string(answer.json).utf8)
        body.append(0x0A)
        let status = HTTPResponseStatus(statusCode: answer.status)
        var head = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n"
        for (name, value) in HTTPHandler.responseHeaders(contentType: "application/json", length: body.count, extra: answer.extra, keepAlive: true) {
            head += "\(name): \(value)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + body
    }
}
