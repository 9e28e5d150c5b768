import NIOCore
import NIOEmbedded
import NIOHTTP1
import Processor

/// serve's fast path for Falco's POSTs (`SimplePostHead`) against NIO's HTTP/1 parser, which
/// takes every request the fast path leaves. Whatever the fast path takes, NIO's parser must
/// read the same way: the same request line, the same Content-Length and the same values of
/// the headers the request policy reads, no Transfer-Encoding, and a request that ends
/// exactly where the fast path says. A difference would let a request be read one way by the
/// checks and another by the server (request smuggling).
enum PostHeadHarness {
    static let target = FuzzTarget(
        "post-head",
        "SimplePostHead vs NIO's HTTP parser on the same bytes: whatever the fast path takes frames and reads identically",
        maxLength: 4096, dictionary: "http"
    ) { bytes in check(bytes) }

    static func check(_ input: UnsafeRawBufferPointer) {
        guard case .post(let head) = SimplePostHead.parse(input) else { return }
        Invariant.require(head.headLength <= input.count && head.headLength <= SimplePostHead.maxHeadBytes, "head length past the input")
        Invariant.require(head.contentLength >= 0, "negative Content-Length")
        // The whole request: the head, then a body of the declared length (zeros where the
        // input ran out), then the start of a next request that must stay unread.
        let bodyLength = min(head.contentLength, 1 << 16)
        guard bodyLength == head.contentLength else { return }
        var request = Array(input.prefix(head.headLength))
        let given = input.dropFirst(head.headLength).prefix(bodyLength)
        request += given
        request += [UInt8](repeating: 0x41, count: bodyLength - given.count)
        request += Array("GET /next HTTP/1.1\r\n\r\n".utf8)

        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish() }
        do {
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)))
            var buffer = channel.allocator.buffer(capacity: request.count)
            buffer.writeBytes(request)
            try channel.writeInbound(buffer)
        } catch {
            Invariant.require(false, "NIO's parser refused a request the fast path takes: \(error)\n\(String(decoding: request.prefix(600), as: UTF8.self))")
            return
        }
        var parts: [HTTPServerRequestPart] = []
        while let part = try? channel.readInbound(as: HTTPServerRequestPart.self) { parts.append(part) }
        guard case .head(let nioHead)? = parts.first else {
            Invariant.require(false, "NIO's parser gave no head for a request the fast path takes")
            return
        }
        Invariant.require(nioHead.method == .POST && (nioHead.uri == "/falco" || nioHead.uri == "/"), "request line read as \(nioHead.method) \(nioHead.uri)")
        Invariant.require(nioHead.version == .http1_1, "version read as \(nioHead.version)")
        Invariant.require(nioHead.isKeepAlive, "NIO reads the connection as closing after this request")
        Invariant.require(nioHead.headers["content-length"].count == 1 && Int(nioHead.headers["content-length"][0]) == head.contentLength,
                          "Content-Length \(head.contentLength) read by NIO as \(nioHead.headers["content-length"])")
        Invariant.require(nioHead.headers["transfer-encoding"].isEmpty, "NIO saw a Transfer-Encoding")
        for name in ["host", "origin", "sec-fetch-site", "authorization", "content-type"] {
            Invariant.require(nioHead.headers[name].count <= 1 && nioHead.headers.first(name: name) == head.policyHeaders.header(name),
                              "\(name): fast path \(head.policyHeaders.header(name) ?? "nil"), NIO \(nioHead.headers[name])")
        }
        // The body, then the end, then the next request's head: framing agreed.
        var body = 0
        var index = 1
        while index < parts.count, case .body(let chunk) = parts[index] {
            body += chunk.readableBytes
            index += 1
        }
        Invariant.require(body == head.contentLength, "NIO read a body of \(body) bytes, the fast path \(head.contentLength)")
        guard index < parts.count, case .end = parts[index] else {
            Invariant.require(false, "NIO did not end the request where the fast path did")
            return
        }
        guard index + 1 < parts.count, case .head(let next) = parts[index + 1] else {
            Invariant.require(false, "NIO did not read the next request after the body")
            return
        }
        Invariant.require(next.uri == "/next", "the next request read as \(next.uri)")
    }
}
