import AlertStore
import Foundation
import NIOCore
import NIOEmbedded
@testable import Processor
import Testing
import TestSupport
import TradsecCore

/// The head parser of the fast path: what it takes, and everything it leaves to NIO's parser.
@Suite struct SimplePostHeadTests {
    static let falcoHead = "POST /falco HTTP/1.1\r\nHost: 127.0.0.1:8765\r\nUser-Agent: falcosecurity/falco\r\nAccept: */*\r\n"
        + "Content-Type: application/json\r\nContent-Length: 42\r\n\r\n"

    static func parse(_ text: String) -> SimplePostHead.Parsed {
        Array(text.utf8).withUnsafeBytes { SimplePostHead.parse($0) }
    }

    @Test func takesTheHeadLibcurlSendsForFalco() throws {
        guard case .post(let head) = Self.parse(Self.falcoHead + "{\"rest\":") else {
            Issue.record("Falco's head was not taken")
            return
        }
        #expect(head.headLength == Self.falcoHead.utf8.count)
        #expect(head.contentLength == 42)
        #expect(head.policyHeaders.host == "127.0.0.1:8765")
        #expect(head.policyHeaders.contentType == "application/json")
        #expect(head.policyHeaders.origin == nil && head.policyHeaders.authorization == nil)
        // Header names in any case; the root path too.
        let other = "POST / HTTP/1.1\r\nCONTENT-LENGTH: 7\r\ncontent-type: application/x-ndjson\r\nAuthorization: Bearer t\r\n\r\n"
        guard case .post(let second) = Self.parse(other) else {
            Issue.record("POST / was not taken")
            return
        }
        #expect(second.contentLength == 7 && second.policyHeaders.authorization == "Bearer t")
    }

    @Test func everyPrefixOfTheHeadWaitsForMore() {
        let bytes = Array(Self.falcoHead.utf8)
        for end in 0..<bytes.count {
            let parsed = bytes[0..<end].withUnsafeBytes { SimplePostHead.parse($0) }
            #expect(parsed == .incomplete, "prefix of \(end) bytes: \(parsed)")
        }
    }

    @Test(arguments: [
        ("GET /falco HTTP/1.1\r\nHost: a\r\n\r\n", "another method"),
        ("POST /falco?x=1 HTTP/1.1\r\nContent-Length: 1\r\n\r\n", "a query"),
        ("POST /events HTTP/1.1\r\nContent-Length: 1\r\n\r\n", "another route"),
        ("POST /falco HTTP/1.0\r\nContent-Length: 1\r\n\r\n", "HTTP/1.0"),
        (" POST /falco HTTP/1.1\r\nContent-Length: 1\r\n\r\n", "a leading space"),
        ("POST /falco HTTP/1.1\r\nHost: a\r\n\r\n", "no Content-Length"),
        ("POST /falco HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", "Content-Length twice"),
        ("POST /falco HTTP/1.1\r\nContent-Length: +1\r\n\r\n", "a sign"),
        ("POST /falco HTTP/1.1\r\nContent-Length: 1 \r\n\r\n", "a trailing space"),
        ("POST /falco HTTP/1.1\r\nContent-Length: 1234567890\r\n\r\n", "ten digits"),
        ("POST /falco HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n", "hex"),
        ("POST /falco HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n", "Transfer-Encoding"),
        ("POST /falco HTTP/1.1\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\n", "Expect"),
        ("POST /falco HTTP/1.1\r\nContent-Length: 1\r\nConnection: close\r\n\r\n", "Connection"),
        ("POST /falco HTTP/1.1\r\nContent-Length: 1\r\nUpgrade: h2c\r\n\r\n", "Upgrade"),
        ("POST /falco HTTP/1.1\r\nContent-Length: 1\r\nProxy-Connection: close\r\n\r\n", "Proxy-Connection (NIO reads it as Connection)"),
        ("POST /falco HTTP/1.1\nContent-Length: 1\n\n", "bare LF"),
        ("POST /falco HTTP/1.1\r\nContent-Length : 1\r\n\r\n", "a space before the colon"),
        ("POST /falco HTTP/1.1\r\nContent-Length: 1\r\n folded\r\n\r\n", "a folded line"),
        ("POST /falco HTTP/1.1\r\nContent-Length: 1\r\nX: a\u{0}b\r\n\r\n", "a NUL in a value"),
        ("POST /falco HTTP/1.1\r\nContent-Length: 1\r\nX: caf\u{E9}\r\n\r\n", "a byte over 0x7E"),
        ("POST /falco HTTP/1.1\r\nContent-Length: 1\r\nHost: a\r\nHost: b\r\n\r\n", "Host twice"),
        ("POST /falco HTTP/1.1\r\nContent-Length: 1\r\nOrigin: a\r\norigin: b\r\n\r\n", "Origin twice"),
        ("POST /falco HTTP/1.1\r\nContent-Length: 1\r\n\r\r\n", "a stray CR"),
    ])
    func leavesAnythingElseToTheFullParser(head: String, what: String) {
        #expect(Self.parse(head) == .notSimple, "\(what)")
    }

    @Test func headsPastTheLimitsAreLeftToTheFullParser() {
        let many = "POST /falco HTTP/1.1\r\nContent-Length: 1\r\n" + String(repeating: "X-A: b\r\n", count: SimplePostHead.maxHeaders) + "\r\n"
        #expect(Self.parse(many) == .notSimple)
        // An unfinished head never waits past the size limit.
        let long = "POST /falco HTTP/1.1\r\nX-Long: " + String(repeating: "a", count: SimplePostHead.maxHeadBytes)
        #expect(Self.parse(long) == .notSimple)
        let under = Array(long.utf8.prefix(SimplePostHead.maxHeadBytes - 1))
        #expect(under.withUnsafeBytes { SimplePostHead.parse($0) } == .incomplete)
    }
}

/// serve's answers on the fast path are the full path's, byte for byte, and whatever the fast
/// path does not take reaches the full path intact, on the same connection.
@Suite struct FalcoPostFastPathTests {
    static func request(_ body: String, extra: String = "", contentType: String = "application/json") -> String {
        "POST /falco HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: falcosecurity/falco\r\nContent-Type: \(contentType)\r\n"
            + extra + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    /// The replies in `bytes`: each head and body (by Content-Length).
    static func replies(_ bytes: [UInt8]) -> [(head: String, body: String)] {
        var out: [(String, String)] = []
        var rest = bytes[...]
        while let end = rest.firstRange(of: Array("\r\n\r\n".utf8)) {
            let head = String(decoding: rest[rest.startIndex..<end.lowerBound], as: UTF8.self)
            let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
            guard rest.distance(from: end.upperBound, to: rest.endIndex) >= length else { break }
            let bodyEnd = rest.index(end.upperBound, offsetBy: length)
            out.append((head, String(decoding: rest[end.upperBound..<bodyEnd], as: UTF8.self)))
            rest = rest[bodyEnd...]
        }
        return out
    }

    /// The fast path's counters, read from /metrics (whose own connection is then handed over).
    static func fastPath(_ harness: ServerHarness) throws -> (answered: Int, handedOver: Int) {
        let text = try harness.get("/metrics").bodyText
        func value(_ name: String) -> Int {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? -1
        }
        return (value("tradsec_http_fast_path_answered_total"), value("tradsec_http_fast_path_handed_over_total"))
    }

    /// Sends `text` and reads until `count` whole replies are in.
    static func exchange(_ connection: RawConnection, _ text: String, replies count: Int) -> [(head: String, body: String)] {
        let before = replies(connection.received).count
        connection.send(text)
        connection.read(timeout: 10) { replies($0).count >= before + count }
        return Array(replies(connection.received).dropFirst(before))
    }

    @Test func theFastReplyIsTheFullPathsReplyByteForByte() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        let connection = try #require(RawConnection(port: harness.server.boundPort))
        let (a, b) = (falcoAlert(rule: "A"), falcoAlert(rule: "B"))
        let fast = Self.exchange(connection, Self.request(a), replies: 1)
        // A header the fast path leaves alone (Connection) sends the same kind of request the full way.
        let other = try #require(RawConnection(port: harness.server.boundPort))
        let full = Self.exchange(other, Self.request(b, extra: "Connection: keep-alive\r\n"), replies: 1)
        #expect(fast.count == 1 && full.count == 1)
        #expect(fast.first?.head == full.first?.head)
        #expect(fast.first?.body == full.first?.body)
        #expect(fast.first?.body == "{\"accepted\":1,\"duplicates\":0,\"rejected\":0}\n")
        // A resend is a duplicate on both paths, with the same answer.
        let again = Self.exchange(connection, Self.request(b), replies: 1)
        let againFull = Self.exchange(other, Self.request(a, extra: "Connection: keep-alive\r\n"), replies: 1)
        #expect(again.first?.body == "{\"accepted\":0,\"duplicates\":1,\"rejected\":0}\n")
        #expect(again.first?.head == againFull.first?.head && again.first?.body == againFull.first?.body)
        #expect(try harness.settled.totalCount() == 2)
        #expect(harness.server.app.bodies.reservedBytes == 0)
        // Two answered from the bytes; the other connection, and /metrics', handed over.
        #expect(try Self.fastPath(harness) == (answered: 2, handedOver: 2))
    }

    /// Falco's one alert is decoded only for the history before the reply; the writer decodes it
    /// whole when it moves it, so processing sees what the full path would have handed it.
    @Test func alertsTakenOnTheFastPathAreProcessedWhole() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        let connection = try #require(RawConnection(port: harness.server.boundPort))
        let base = Timestamp.now()
        func alert(_ rule: String, _ tag: String, _ second: Int64) -> String {
            falcoAlert(rule: rule, time: base.adding(nanoseconds: second * 1_000_000_000).rfc3339(), tags: [tag])
        }
        // The second one has non-ASCII text, which only the whole decoder reads: the fast path's fallback.
        for (i, (rule, tag)) in [("Terminal shell in container", "mitre_execution"), ("Lecture de la clé API", "mitre_credential_access")].enumerated() {
            #expect(Self.exchange(connection, Self.request(alert(rule, tag, Int64(i))), replies: 1).first?.body
                    == "{\"accepted\":1,\"duplicates\":0,\"rejected\":0}\n")
        }
        // A few alerts as JSON Lines are taken on the fast path too, decoded whole.
        let lines = alert("Outbound connection to unknown host", "mitre_exfiltration", 2) + "\n" + alert("Other", "x", 3) + "\n"
        #expect(Self.exchange(connection, Self.request(lines, contentType: "application/x-ndjson"), replies: 1).first?.body
                == "{\"accepted\":2,\"duplicates\":0,\"rejected\":0}\n")
        let store = harness.settled
        let incidents = try store.incidents()
        #expect(incidents.count == 1)
        #expect(incidents.first?.alertCount == 4)
        #expect(incidents.first?.escalated == true)
        #expect(incidents.first?.containerName == "bot-1" && incidents.first?.containerID == "0123456789ab")
        let stored = try store.alerts(AlertQuery(limit: 10)).map(\.alert)
        #expect(stored.map(\.rule).sorted() == ["Lecture de la clé API", "Other", "Outbound connection to unknown host", "Terminal shell in container"])
        #expect(stored.allSatisfy { $0.container.image == "ghcr.io/acme/bot-1" && $0.processName == "bash" })
        #expect(try Self.fastPath(harness) == (answered: 3, handedOver: 1))
    }

    @Test func pipelinedAndSplitRequestsAreEachAnsweredInOrder() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        let connection = try #require(RawConnection(port: harness.server.boundPort))
        // Three requests in one write.
        let three = (0..<3).map { Self.request(falcoAlert(rule: "Pipelined \($0)")) }.joined()
        let answers = Self.exchange(connection, three, replies: 3)
        #expect(answers.map(\.body) == Array(repeating: "{\"accepted\":1,\"duplicates\":0,\"rejected\":0}\n", count: 3))
        // One request in pieces: the head cut mid-line, the body in two parts.
        let split = Array(Self.request(falcoAlert(rule: "Split")).utf8)
        let cuts = [0, 17, 60, split.count - 30, split.count]
        for (from, to) in zip(cuts, cuts.dropFirst()) {
            connection.send(String(decoding: split[from..<to], as: UTF8.self))
            usleep(20_000)
        }
        connection.read(timeout: 10) { Self.replies($0).count >= 4 }
        #expect(Self.replies(connection.received).count == 4)
        let rules = try harness.settled.alerts(AlertQuery(limit: 10)).map(\.alert.rule).sorted()
        #expect(rules == ["Pipelined 0", "Pipelined 1", "Pipelined 2", "Split"])
        #expect(try Self.fastPath(harness) == (answered: 4, handedOver: 1))
    }

    @Test func whatTheFastPathDoesNotTakeTheFullPathAnswersOnTheSameConnection() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        let connection = try #require(RawConnection(port: harness.server.boundPort))
        #expect(Self.exchange(connection, Self.request(falcoAlert(rule: "First")), replies: 1).first?.head.hasPrefix("HTTP/1.1 200") == true)
        // A line that is not an alert: the full path's 400 and its reasons.
        let refused = Self.exchange(connection, Self.request("{\"not\":\"an alert\"}"), replies: 1)
        #expect(refused.first?.head.hasPrefix("HTTP/1.1 400") == true)
        #expect(refused.first?.body.contains("\"rejected\":1") == true)
        // The connection now belongs to the full path, which still takes alerts and reads.
        let later = Self.exchange(connection, Self.request(falcoAlert(rule: "Later")) + "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                                  replies: 2)
        #expect(later.count == 2)
        #expect(later.first?.body == "{\"accepted\":1,\"duplicates\":0,\"rejected\":0}\n")
        #expect(later.last?.body.contains("\"status\"") == true)
        #expect(try harness.settled.totalCount() == 2)
        #expect(harness.server.app.bodies.reservedBytes == 0)
        #expect(try Self.fastPath(harness) == (answered: 1, handedOver: 2))
    }

    @Test func refusalsOnAFalcoShapedHeadAreTheFullPaths() throws {
        var settings = ServeSettings()
        settings.authToken = "secret-token-0123456789"
        let harness = try ServerHarness(settings: settings)
        defer { harness.stop() }
        let alert = falcoAlert()
        let cases: [(String, Int)] = [
            (Self.request(alert), 401),                                                             // no token
            (Self.request(alert, extra: "Authorization: Bearer wrong-token-0123456789\r\n"), 401),  // wrong token
            (Self.request(alert, extra: "Authorization: Bearer secret-token-0123456789\r\nOrigin: https://evil.example\r\n"), 403),
            (Self.request(alert, extra: "Authorization: Bearer secret-token-0123456789\r\n", contentType: "text/plain"), 415),
            ("POST /falco HTTP/1.1\r\nHost: attacker.example\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer secret-token-0123456789\r\nContent-Length: \(alert.utf8.count)\r\n\r\n" + alert, 403),
            (Self.request(alert, extra: "Authorization: Bearer secret-token-0123456789\r\n"), 200),
        ]
        for (request, status) in cases {
            let connection = try #require(RawConnection(port: harness.server.boundPort))
            let reply = Self.exchange(connection, request, replies: 1)
            #expect(reply.first?.head.hasPrefix("HTTP/1.1 \(status)") == true, "\(request.prefix(200)) → \(reply.first?.head ?? "no reply")")
        }
        #expect(try harness.settled.totalCount() == 1)
        #expect(harness.server.app.bodies.reservedBytes == 0)
    }

    @Test func aBodyOverTheLimitIsRefusedBeforeItIsRead() throws {
        var settings = ServeSettings()
        settings.maxBody = 1000
        let harness = try ServerHarness(settings: settings)
        defer { harness.stop() }
        let connection = try #require(RawConnection(port: harness.server.boundPort))
        // Only the head is sent: the 413 comes at once, not after a body that never arrives.
        connection.send("POST /falco HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n")
        connection.read(timeout: 10) { Self.replies($0).count >= 1 }
        #expect(Self.replies(connection.received).first?.head.hasPrefix("HTTP/1.1 413") == true)
    }

    @Test func aConnectionClosedInTheMiddleOfABodyGivesItsReservationBack() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        let connection = try #require(RawConnection(port: harness.server.boundPort))
        let body = falcoAlert(rule: "Never finished")
        connection.send(String(Self.request(body).dropLast(body.utf8.count / 2)))
        #expect(waitFor(5) { harness.server.app.bodies.reservedBytes == body.utf8.count })
        connection.close()
        #expect(waitFor(5) { harness.server.app.bodies.reservedBytes == 0 })
        #expect(try harness.settled.totalCount() == 0)
    }

    @Test func aRefusedTakeIsAnsweredOnTheFastPathAsTheFullPathWould() throws {
        var settings = ServeSettings()
        settings.maxQueuedAlerts = 1
        let harness = try ServerHarness(settings: settings)
        defer { harness.stop() }
        let connection = try #require(RawConnection(port: harness.server.boundPort))
        // Two alerts where the intake log has room for one waiting alert: the take refuses.
        let two = falcoAlert(rule: "No room 1") + "\n" + falcoAlert(rule: "No room 2")
        let refused = Self.exchange(connection, Self.request(two), replies: 1)
        let first = Self.exchange(connection, Self.request(falcoAlert(rule: "Taken")), replies: 1)
        #expect(first.first?.head.hasPrefix("HTTP/1.1 200") == true)
        #expect(refused.first?.head.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n") == true)
        #expect(refused.first?.head.contains("\r\nRetry-After: 1") == true)
        #expect(refused.first?.body == "{\"error\":\"the writer is saturated or stopping; retry shortly\"}\n")
        // Answered here, and the connection stays on the fast path.
        #expect(try Self.fastPath(harness) == (answered: 2, handedOver: 1))
    }

    /// A client that sends and does not read: while the connection is not writable, nothing
    /// is answered and nothing more is read; once it drains, both resume.
    @Test func aClientThatDoesNotReadIsNotReadEither() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        let app = harness.server.app
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish() }
        let reads = ReadCounter()
        try channel.pipeline.syncOperations.addHandler(reads)
        let entry = try #require(app.connections.admit(channel))
        let guardHandler = ConnectionGuard(registry: app.connections, entry: entry)
        try channel.pipeline.syncOperations.addHandler(guardHandler)
        try channel.pipeline.syncOperations.addHandler(FalcoPostFastPath(app: app, connection: guardHandler, loopbackListener: true))

        channel.isWritable = false
        let two = Self.request(falcoAlert(rule: "Held 1")) + Self.request(falcoAlert(rule: "Held 2"))
        try channel.writeInbound(channel.allocator.buffer(string: two))
        #expect(try channel.readOutbound(as: IOData.self) == nil)
        channel.read()
        #expect(reads.count == 0)

        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        var answers = 0
        while case .byteBuffer(let reply)? = try channel.readOutbound(as: IOData.self) {
            #expect(String(buffer: reply).hasPrefix("HTTP/1.1 200 OK\r\n"))
            answers += 1
        }
        #expect(answers == 2)
        #expect(reads.count == 1)
        #expect(try harness.settled.totalCount() == 2)
    }
}

/// Counts the reads that reach the head of the pipeline.
final class ReadCounter: ChannelOutboundHandler {
    typealias OutboundIn = Any
    private(set) var count = 0
    func read(context: ChannelHandlerContext) {
        count += 1
        context.read()
    }
}
