import AlertStore
import Dispatch
import NIOCore
import Prometheus
import TradsecCore

/// Falco's `http_output` posts one alert per request and waits for each reply, so the rate
/// it can deliver at is one over serve's time per request. This handler, between the
/// ``ConnectionGuard`` and NIO's HTTP pipeline, answers the plainest such request itself from
/// the bytes as they arrive: a whole ``SimplePostHead`` request that passes the same checks as
/// the full path (``RequestPolicy``, the bearer token, the body limits and memory budget), whose
/// body decodes to a few alerts with no refused line, taken into the intake log
/// (``IngestPipeline/take(alerts:received:)``) before the 200, as on the full path.
///
/// Anything else (another route or method, an odd head, a refusal, a refused line, a failed
/// take) is handed, from the first byte of that request on, to the full pipeline, which
/// answers it exactly as it would have, and the connection stays there for good. So this
/// handler adds no behaviour of its own: it only skips work on the common case.
final class FalcoPostFastPath: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

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
    private let answered: Counter
    /// Falco's usual answer, made once per connection and sent as is (NIO only reads it).
    private let oneAcceptedReply: ByteBuffer

    /// The largest body taken here: as on the full path, larger ones are decoded off the loop.
    static let maxBody = HTTPHandler.decodeOnTheLoopUpTo

    init(app: ProcessorApp, connection: ConnectionGuard, loopbackListener: Bool) {
        self.app = app
        self.connection = connection
        self.loopbackListener = loopbackListener
        answered = app.metrics.requests(route: "/falco", status: 200)
        oneAcceptedReply = ByteBuffer(bytes: Self.oneAccepted.reply)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if handedOver { return context.fireChannelRead(data) }
        var chunk = unwrapInboundIn(data)
        if pending == nil {
            pending = chunk
        } else {
            pending!.writeBuffer(&chunk)
        }
        while !handedOver, let bytes = pending, bytes.readableBytes > 0 {
            guard answerOne(context: context) else { break }
        }
        if !handedOver, let left = pending?.readableBytes {
            // What is left is the start of the next request: the answered ones go.
            if left == 0 { pending = nil } else { pending!.discardReadBytes() }
        }
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
        let decoded = pending!.withUnsafeReadableBytes { bytes in
            PayloadDecoder.decode(UnsafeRawBufferPointer(rebasing: bytes[head.headLength..<head.headLength + head.contentLength]),
                                  keepingRejects: 0)
        }
        guard decoded.fatal == nil, decoded.rejectCount == 0, !decoded.alerts.isEmpty,
              decoded.alerts.count < IngestPipeline.takeUpTo,
              case .taken(let outcome) = app.pipeline.take(alerts: decoded.alerts, received: received) else {
            // The full path decodes again and answers (a 400, or a 503/500 when the intake
            // log could not take it; a resend of what it did take is found a duplicate).
            handOver(context: context)
            return false
        }
        pending!.moveReaderIndex(forwardBy: head.headLength + head.contentLength)
        awaiting = nil
        releaseBody()
        reply(context: context, outcome)
        return true
    }

    /// Whether the full path would take this head into its body (the same checks, in the
    /// same order); the body's bytes are then reserved in the shared budget.
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
        // The full pipeline counts requests from its own heads: it starts from the request
        // it is given, which this handler may already have counted.
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

    /// The full path's 200 for an intake: the same status line, headers and JSON.
    private func reply(context: ChannelHandlerContext, _ outcome: IngestPipeline.Outcome) {
        answered.increment()
        connection.set(.writing)
        let request = connection.requests
        let buffer: ByteBuffer
        if outcome == Self.oneAccepted.outcome {
            buffer = oneAcceptedReply
        } else {
            let bytes = Self.reply(for: outcome)
            var fresh = context.channel.allocator.buffer(capacity: bytes.count)
            fresh.writeBytes(bytes)
            buffer = fresh
        }
        let connection = NIOLoopBound(self.connection, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in
            connection.value.responseWritten(request: request)
        }
    }

    private static let oneAccepted = (outcome: IngestPipeline.Outcome(accepted: 1, duplicates: 0),
                                      reply: reply(for: IngestPipeline.Outcome(accepted: 1, duplicates: 0)))

    static func reply(for outcome: IngestPipeline.Outcome) -> [UInt8] {
        let body = "{\"accepted\":\(outcome.accepted),\"duplicates\":\(outcome.duplicates),\"rejected\":0}\n"
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
            + "X-Content-Type-Options: nosniff\r\n\r\n"
        return Array((head + body).utf8)
    }
}
