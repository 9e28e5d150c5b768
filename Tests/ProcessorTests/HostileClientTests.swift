#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Assembly
import CurlClient
import Foundation
@testable import Processor
import TestSupport
import Testing
import TradsecCore

/// What a web page in the operator's browser can send, refused on the request head.
@Suite struct RequestPolicyTests {
    func header(_ headers: [(String, String)]) -> (String) -> String? {
        { name in headers.first { $0.0.lowercased() == name }?.1 }
    }

    @Test func hostNamesAreReadAsBrowsersWriteThem() {
        #expect(RequestPolicy.hostName("127.0.0.1:8080") == "127.0.0.1")
        #expect(RequestPolicy.hostName("[::1]:8080") == "::1")
        #expect(RequestPolicy.hostName("LocalHost.") == "localhost")
        #expect(RequestPolicy.hostName("localhost") == "localhost")
        #expect(RequestPolicy.hostName("attacker.example:8080") == "attacker.example")
        #expect(RequestPolicy.hostName("::1") == "::1")
    }

    @Test func browserMarksAndRebindingHostsAreRefused() {
        let refuse = { (headers: [(String, String)], loopback: Bool) in
            RequestPolicy.browserRefusal(self.header(headers), loopbackListener: loopback, allowedHosts: ["tradsec.internal"])
        }
        #expect(refuse([("Host", "127.0.0.1:8080")], true) == nil)
        #expect(refuse([("Host", "localhost:8080")], true) == nil)
        #expect(refuse([("Host", "[::1]:8080")], true) == nil)
        #expect(refuse([], true) == nil)   // HTTP/1.0 without a Host: not a browser
        #expect(refuse([("Host", "tradsec.internal:443")], true) == nil)   // serve.allowed_hosts
        #expect(refuse([("Host", "rebind.attacker.example:8080")], true)?.contains("DNS-rebinding") == true)
        #expect(refuse([("Host", "127.0.0.1.nip.io:8080")], true) != nil)
        // Off loopback the Host is whatever name the network uses (the token guards it).
        #expect(refuse([("Host", "trade-host-1.internal:8080")], false) == nil)
        // Any Origin, even a loopback one, is a web page.
        #expect(refuse([("Host", "127.0.0.1:8080"), ("Origin", "http://127.0.0.1:8080")], true)?.contains("Origin") == true)
        #expect(refuse([("Host", "127.0.0.1:8080"), ("Origin", "null")], false) != nil)
        #expect(refuse([("Host", "127.0.0.1:8080"), ("Sec-Fetch-Site", "cross-site")], true) != nil)
        #expect(refuse([("Host", "127.0.0.1:8080"), ("Sec-Fetch-Site", "same-site")], true) != nil)
        #expect(refuse([("Host", "127.0.0.1:8080"), ("Sec-Fetch-Site", "none")], true) == nil)   // typed in the address bar
    }

    @Test func onlyJSONBodyTypesAreTaken() {
        let refuse = { (type: String?) in RequestPolicy.contentTypeRefusal(self.header(type.map { [("Content-Type", $0)] } ?? [])) }
        // Falco's http_output with json_output, falcosidekick, JSON Lines forwarders.
        for accepted in ["application/json", "application/json; charset=utf-8", "Application/JSON ;charset=UTF-8",
                         "application/x-ndjson", "application/jsonl", "application/x-jsonlines"] {
            #expect(refuse(accepted) == nil, "\(accepted)")
        }
        // What a page may send without a preflight, and anything else.
        #expect(refuse("text/plain")?.contains("json_output") == true)
        #expect(refuse("text/plain; charset=utf-8") != nil)
        #expect(refuse("application/x-www-form-urlencoded") != nil)
        #expect(refuse("multipart/form-data; boundary=x") != nil)
        #expect(refuse("application/jsonp") != nil)
        #expect(refuse(nil)?.contains("Content-Type is required") == true)
    }
}

@Suite struct HostileRequestTests {
    @Test func browserRequestsAndSimpleRequestTypesAreRefusedAndNothingIsStored() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        let port = harness.server.boundPort
        let line = falcoAlert(rule: "forged by a web page")
        func raw(_ headers: String, body: String = line) throws -> Int? {
            let connection = try #require(RawConnection(port: port))
            connection.send("POST /falco HTTP/1.1\r\nConnection: close\r\n\(headers)Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            connection.read(timeout: 5)
            #expect(connection.text.contains("application/json"), "\(connection.text)")   // every refusal says why, in JSON
            return connection.status
        }
        #expect(try raw("Host: 127.0.0.1\r\nContent-Type: text/plain\r\n") == 415)
        #expect(try raw("Host: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n") == 415)
        #expect(try raw("Host: 127.0.0.1\r\n") == 415)
        #expect(try raw("Host: 127.0.0.1\r\nContent-Type: application/json\r\nOrigin: https://attacker.example\r\n") == 403)
        #expect(try raw("Host: attacker.example:\(port)\r\nContent-Type: application/json\r\n") == 403)
        // Reads too: a rebinding page must not read the history.
        let events = try #require(RawConnection(port: port))
        events.send("GET /events HTTP/1.1\r\nHost: attacker.example:\(port)\r\nConnection: close\r\n\r\n")
        events.read(timeout: 5)
        #expect(events.status == 403)
        #expect(!events.text.contains("total_events"))
        #expect(try harness.settled.totalCount() == 0)
        // The same alert from Falco (application/json, a loopback Host) and falcosidekick.
        #expect(try raw("Host: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n") == 200)
        let sidekick = try harness.post(falcoAlert(rule: "via falcosidekick"), headers: [("Content-Type", "application/json; charset=utf-8"),
                                                                                          ("User-Agent", "Falcosidekick")])
        #expect(sidekick.status == 200)
        #expect(try harness.settled.totalCount() == 2)
    }

    /// Times no Int64 of nanoseconds holds (issue 15, item 1): a 400 that says why.
    @Test func sinceTimesOutOfRangeGetA400() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        for path in ["/events?since=9999-01-01", "/events?since=9999-12-31T23:59:59Z", "/events?since=8000000000s8000000000s",
                     "/events?since=99999999999999999999", "/events/stream?since=9999-01-01", "/incidents?since=9999-01-01"] {
            let reply = try harness.get(path)
            #expect(reply.status == 400, "\(path): \(reply.status) \(reply.bodyText)")
            #expect(reply.bodyText.contains("since"), "\(path): \(reply.bodyText)")
        }
        #expect(try harness.get("/health").status == 200)
    }

    @Test func refusedLinesAreAllCountedAndABoundedNumberRecorded() throws {
        var settings = ServeSettings()
        settings.maxRecordedRejects = 5
        let harness = try ServerHarness(settings: settings)
        defer { harness.stop() }
        let body = "[" + ([falcoAlert(rule: "kept")] + Array(repeating: "{}", count: 500)).joined(separator: ",") + "]"
        let reply = try harness.post(body)
        #expect(reply.status == 200)
        let json = try JSONParser.parse(reply.bodyText)
        #expect(json["accepted"]?.int64Value == 1)
        #expect(json["rejected"]?.int64Value == 500)
        #expect(json["errors"]?.arrayValue?.count == HTTPHandler.rejectsInReply)
        // The refused lines are recorded by the writer shortly after the reply (which already
        // named them): waited for, not raced.
        let store = harness.settled
        try waitFor(timeout: 30) { try store.recentRejects(limit: 1000).count >= 6 }
        let recorded = try store.recentRejects(limit: 1000)
        #expect(recorded.count == 6)
        #expect(recorded.first?.code == "not_recorded")
        #expect(recorded.first?.message.contains("495 more") == true)
        #expect(recorded.first?.message.contains("missing_key 500") == true)
        #expect(recorded.dropFirst().allSatisfy { $0.code == "missing_key" && $0.excerpt == "{}" })
        // The metric counts every one.
        #expect(try harness.get("/metrics").bodyText.contains(#"tradsec_alerts_rejected_total{reason="missing_key"} 500"#))
    }

    @Test func bodiesBeyondTheSharedMemoryLimitGet503BeforeTheUpload() throws {
        var settings = ServeSettings()
        settings.maxBody = 64 << 10
        settings.maxBodyMemory = 100 << 10
        let harness = try ServerHarness(settings: settings)
        defer { harness.stop() }
        let port = harness.server.boundPort
        // A sender holds 60 KiB of the budget with a body it never finishes.
        let slow = try #require(RawConnection(port: port))
        slow.send("POST /falco HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 61440\r\n\r\n[")
        try waitFor { try harness.json("/health")["connections"]?["body_bytes"]?.int64Value == 61440 }
        // The next 60 KiB body does not fit: refused on its head, before a 100 Continue.
        let second = try #require(RawConnection(port: port))
        second.send("POST /falco HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 61440\r\nExpect: 100-continue\r\n\r\n")
        second.read(timeout: 5)
        #expect(second.status == 503, "\(second.text)")
        #expect(second.text.contains("Retry-After: 1"))
        #expect(!second.text.contains("100 Continue"))
        // A small alert still fits, and once the slow sender is gone its share comes back.
        #expect(try harness.post(falcoAlert()).status == 200)
        slow.close()
        try waitFor { try harness.json("/health")["connections"]?["body_bytes"]?.int64Value == 0 }
    }

    @Test func largeBodiesAreDecodedAFewAtATime() throws {
        var settings = ServeSettings()
        settings.maxDecodes = 1
        let harness = try ServerHarness(settings: settings)
        defer { harness.stop() }
        // Long enough to decode that the second arrives while the first is being decoded.
        let slow = "[" + Array(repeating: "{}", count: 1_000_000).joined(separator: ",") + "]"
        let first = Thread { _ = try? harness.post(slow) }
        first.start()
        try waitFor { try harness.json("/health")["connections"]?["decoding"]?.int64Value == 1 }
        let second = try harness.post(slow)
        #expect(second.status == 503)
        #expect(second.headers["retry-after"] == "1")
        #expect(second.bodyText.contains("serve.max_decodes"))
        try waitFor(timeout: 60) { try harness.json("/health")["connections"]?["decoding"]?.int64Value == 0 }
        #expect(try harness.post(falcoAlert()).status == 200)
    }
}

@Suite struct ConnectionLimitTests {
    func settings(connections: Int = 8, streams: Int = 2, header: Double = 0.5, idle: Double = 60) -> ServeSettings {
        var s = ServeSettings()
        s.maxConnections = connections
        s.maxStreams = streams
        s.headerTimeoutSeconds = header
        s.bodyTimeoutSeconds = header * 2
        s.idleTimeoutSeconds = idle
        return s
    }

    @Test func halfSentRequestsBeyondTheCapMakeRoomAndTimeOut() throws {
        let harness = try ServerHarness(settings: settings(connections: 8, header: 1))
        defer { harness.stop() }
        let port = harness.server.boundPort
        var loris: [RawConnection] = []
        for _ in 0..<30 {
            let c = try #require(RawConnection(port: port))
            c.send("POST /falco HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty")
            loris.append(c)
        }
        // Once all 30 are accepted, 22 have made room (or already timed out): the registry
        // never holds more than its cap, and /health gets a connection by the same rule.
        let registry = harness.server.app.connections
        try waitFor { registry.closedByReason.values.reduce(0, +) >= 22 }
        #expect(registry.openConnections <= 8)
        let health = try harness.json("/health")
        #expect(health["status"]?.stringValue == "ok")
        // Evicted to make room, or (on a slow machine) already past the header timeout.
        let closed = health["connections"]?["closed"]
        #expect((closed?["evicted"]?.int64Value ?? 0) + (closed?["header_timeout"]?.int64Value ?? 0) >= 22)
        #expect((closed?["evicted"]?.int64Value ?? 0) >= 1)
        // The oldest were closed to make room; the rest at the header timeout.
        #expect(loris.prefix(20).allSatisfy { $0.waitClosed(timeout: 5) })
        #expect(loris.allSatisfy { $0.waitClosed(timeout: 5) })
        #expect((try harness.json("/health")["connections"]?["closed"]?["header_timeout"]?.int64Value ?? 0) >= 1)
        // A head trickled in a byte at a time is cut at the header timeout too (not kept
        // alive by its bytes).
        let trickle = try #require(RawConnection(port: port))
        let started = Date()
        for byte in "GET /health HTTP/1.1\r\nX-Slow: abcdefghijklmnopqrstuvwxyz".map(String.init) {
            if !trickle.send(byte) || trickle.read(timeout: 0.1) { break }
        }
        #expect(trickle.waitClosed(timeout: 5))
        #expect(Date().timeIntervalSince(started) < 4.5)
        #expect(trickle.status == nil)
    }

    @Test func anIdleKeptAliveConnectionIsClosedAndABusyOneIsNot() throws {
        let harness = try ServerHarness(settings: settings(header: 5, idle: 0.5))
        defer { harness.stop() }
        let c = try #require(RawConnection(port: harness.server.boundPort))
        c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(!c.read(timeout: 5) { String(decoding: $0, as: UTF8.self).contains("\"status\"") })
        #expect(c.status == 200)
        #expect(c.waitClosed(timeout: 5))
        #expect((try harness.json("/health")["connections"]?["closed"]?["idle_timeout"]?.int64Value ?? 0) >= 1)
    }

    @Test func streamsBeyondTheirCapAreRefusedAndHealthStillAnswers() throws {
        let harness = try ServerHarness(settings: settings(connections: 16, streams: 2, header: 5))
        defer { harness.stop() }
        let port = harness.server.boundPort
        var streams: [RawConnection] = []
        for _ in 0..<6 {
            let c = try #require(RawConnection(port: port))
            c.send("GET /events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            c.read(timeout: 5) { String(decoding: $0, as: UTF8.self).contains("\r\n\r\n") }
            streams.append(c)
        }
        #expect(streams.map(\.status) == [200, 200, 503, 503, 503, 503])
        #expect(streams[2].text.contains("serve.max_streams"))
        #expect(streams[2].text.contains("Retry-After: 5"))
        let health = try harness.json("/health")
        #expect(health["status"]?.stringValue == "ok")
        #expect(health["connections"]?["streams"]?.int64Value == 2)
        // The open streams work; a closed one gives its slot back.
        try harness.post(falcoAlert(rule: "to the streams"))
        for stream in streams.prefix(2) {
            stream.read(timeout: 10) { String(decoding: $0, as: UTF8.self).contains("to the streams") }
            #expect(stream.text.contains("to the streams"))
        }
        streams[0].close()
        try waitFor { harness.server.app.connections.openStreams == 1 }
        let again = try #require(RawConnection(port: port))
        again.send("GET /events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        again.read(timeout: 5) { String(decoding: $0, as: UTF8.self).contains("\r\n\r\n") }
        #expect(again.status == 200)
    }

    /// A stream client that stops reading holds its slot only until the idle timeout.
    @Test func aStreamNobodyReadsIsClosedAtTheIdleTimeout() throws {
        var limits = settings(connections: 16, streams: 2, header: 5, idle: 0.5)
        limits.heartbeatSeconds = 0.2
        let harness = try ServerHarness(settings: limits)
        defer { harness.stop() }
        let stream = try #require(RawConnection(port: harness.server.boundPort))
        var small: Int32 = 4096
        setsockopt(stream.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        stream.send("GET /events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        try waitFor { harness.server.app.connections.openStreams == 1 }
        // Far more than the socket buffers hold, and never read.
        let big = String(repeating: "x", count: 60_000)
        for i in 0..<150 { try harness.post(falcoAlert(rule: "R\(i)", output: big)) }
        try waitFor { harness.server.app.connections.openStreams == 0 }
        #expect((try harness.json("/health")["connections"]?["closed"]?["idle_timeout"]?.int64Value ?? 0) >= 1)
    }

    /// Another writer (a `tradsec ingest --follow` beside the service) commits to the same
    /// history: the one watcher notices and the stream sends it, with no per-stream polling.
    @Test func anotherWritersCommitsReachTheStream() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        let other = try AlertStore(path: harness.settled.path)
        let poster = Thread {
            usleep(500_000)
            _ = try? other.insert([try! AlertDecoder.decode(line: falcoAlert(rule: "from another writer"))], origin: "ingest")
        }
        poster.start()
        let events = try readEvents(harness.base + "/events/stream", lastEventID: nil, count: 1, timeout: 10)
        #expect(events.count == 1)
        #expect(events.first?.data.contains("from another writer") == true)
    }
}

@Suite struct IngestQueueTests {
    /// Holds the writer after a commit until released (a commit listener runs on the writer
    /// thread), and records the newest id of each commit.
    final class Gate: @unchecked Sendable {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var held = true
        private var newest: [Int64] = []
        var commits: [Int64] { lock.withLock { newest } }
        func open() {
            lock.withLock { held = false }
            release.signal()
        }
        init(holding: Bool) { held = holding }
        func committed(_ id: Int64) {
            let hold: Bool = lock.withLock {
                newest.append(id)
                return held
            }
            if hold {
                entered.signal()
                release.wait()
            }
        }
    }

    func pipeline(_ store: AlertStore, maxQueued: Int, maxBatch: Int = 4096) throws -> IngestPipeline {
        try IngestPipeline(store: store, processor: nil, metrics: ProcessorMetrics(version: "test"), maxQueuedAlerts: maxQueued, maxBatch: maxBatch)
    }

    func rejects(_ n: Int) -> [AlertStore.RejectRecord] {
        (0..<n).map { AlertStore.RejectRecord(origin: "t", lineNumber: $0, code: "not_json", message: "m", excerpt: "") }
    }

    @Test func refusedLinesCountAgainstTheQueue() throws {
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        let store = try AlertStore(path: directory + "/history.sqlite")
        let ingest = try pipeline(store, maxQueued: 10)
        let gate = Gate(holding: true)
        ingest.onCommit { gate.committed($0) }
        ingest.start()
        defer { gate.open(); ingest.stop() }
        // The writer is busy with the first request; the queue fills behind it.
        #expect(ingest.submit(alerts: [try AlertDecoder.decode(line: falcoAlert(rule: "a"))], rejects: [], received: 0) { _ in })
        #expect(gate.entered.wait(timeout: .now() + 10) == .success)
        #expect(ingest.submit(alerts: [try AlertDecoder.decode(line: falcoAlert(rule: "b"))], rejects: rejects(4), received: 0) { _ in })
        // Five records wait: six more refused lines do not fit, five do.
        #expect(!ingest.submit(alerts: [], rejects: rejects(6), received: 0) { _ in })
        #expect(ingest.submit(alerts: [], rejects: rejects(5), received: 0) { _ in })
        #expect(!ingest.submit(alerts: [], rejects: rejects(1), received: 0) { _ in })
    }

    @Test func aRequestLargerThanABatchIsCommittedInPartsAndAnsweredOnce() throws {
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        let store = try AlertStore(path: directory + "/history.sqlite")
        let ingest = try pipeline(store, maxQueued: 1000, maxBatch: 4)
        let gate = Gate(holding: false)
        ingest.onCommit { gate.committed($0) }
        ingest.start()
        defer { ingest.stop() }
        let alerts = try (0..<10).map { try AlertDecoder.decode(line: falcoAlert(rule: "part \($0)")) }
        let answers = AnswerBox()
        let done = DispatchSemaphore(value: 0)
        #expect(ingest.submit(alerts: alerts + [alerts[0]], rejects: rejects(2), received: 0) { result in
            answers.add(result)
            done.signal()
        })
        #expect(done.wait(timeout: .now() + 10) == .success)
        usleep(200_000)
        #expect(answers.results.count == 1)
        #expect(answers.results == [IngestPipeline.Outcome(accepted: 10, duplicates: 1)])
        // Committed four at a time (to the intake journal), then moved into the history.
        #expect(ingest.status.commits == 3)
        let end = Date().addingTimeInterval(10)
        while ingest.status.journaled > 0 && Date() < end { usleep(2_000) }
        #expect(gate.commits.last == 10)
        #expect(try store.totalCount() == 10)
        #expect(try store.recentRejects().count == 2)
    }
}

final class AnswerBox: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [IngestPipeline.Outcome?] = []
    func add(_ result: Result<IngestPipeline.Outcome, Error>) { lock.withLock { all.append(try? result.get()) } }
    var results: [IngestPipeline.Outcome?] { lock.withLock { all } }
}

@Suite struct PayloadShapeTests {
    func decode(_ text: String, keep: Int = 100) -> PayloadDecoder.Decoded {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { PayloadDecoder.decode(UnsafeRawBufferPointer($0), keepingRejects: keep) }
    }

    @Test func arrayItemsAreFoundByStructureAndDecodedAlone() {
        // Brackets and quotes inside strings do not cut an item.
        let rule = "a ] } , [ { \" \\\" rule"
        let tricky = falcoAlert(rule: rule, output: "x\"]},{\"y")
        let decoded = decode("[ \(tricky) ,\n\(falcoAlert(rule: "b"))\t]\n")
        #expect(decoded.alerts.map(\.rule) == [rule, "b"])
        #expect(decoded.alerts.first?.raw == tricky)   // the item's own bytes, kept verbatim
        // A bad item is refused alone, the next one kept.
        let mixed = decode("[{\"rule\": tru}, 5, \"s\", [], \(falcoAlert(rule: "kept"))]")
        #expect(mixed.alerts.map(\.rule) == ["kept"])
        #expect(mixed.rejects.map(\.line) == [1, 2, 3, 4])
        #expect(mixed.rejects.map(\.rejection.code) == [.notJSON, .notObject, .notObject, .notObject])
        // A truncated array keeps what came before the break.
        let truncated = decode("[\(falcoAlert(rule: "first")), \(falcoAlert(rule: "second")), {\"rule\":\"cut")
        #expect(truncated.alerts.map(\.rule) == ["first", "second"])
        #expect(truncated.rejects.map(\.line) == [3])
        #expect(truncated.rejects.first?.rejection.message.contains("truncated") == true)
        // Nothing before the break: the body is not JSON.
        #expect(decode("[").fatal != nil)
        // Refused items before a break are kept as rejects (counted, recorded), the break after them.
        let refusedThenBroken = decode("[{}, {}")
        #expect(refusedThenBroken.fatal == nil && refusedThenBroken.alerts.isEmpty)
        #expect(refusedThenBroken.rejects.map(\.line) == [1, 2, 3])
        #expect(refusedThenBroken.rejects.last?.rejection.code == .notJSON)
        #expect(decode("[1 2]").rejects.last?.rejection.message.contains("expected ','") == true)
        #expect(decode("[\(falcoAlert())] trailing").rejects.last?.rejection.message.contains("after the array") == true)
        #expect(decode("[\(falcoAlert()),]").rejects.last?.rejection.message.contains("trailing comma") == true)
        #expect(decode("[]").alerts.isEmpty)
        #expect(decode("[]").fatal == nil)
    }

    @Test func everyRejectIsCountedAndTheFirstKept() {
        let decoded = decode("[" + Array(repeating: "{}", count: 1000).joined(separator: ",") + "]", keep: 3)
        #expect(decoded.rejectCount == 1000)
        #expect(decoded.rejectsByCode == [.missingKey: 1000])
        #expect(decoded.rejects.map(\.line) == [1, 2, 3])
        let lines = decode(Array(repeating: "{}\n", count: 10).joined() + falcoAlert(), keep: 2)
        #expect(lines.alerts.count == 1)
        #expect(lines.rejectCount == 10)
        #expect(lines.rejects.count == 2)
    }

    /// `[1,1,1,…]` spends two bytes per value, which take 24 in memory: such an alert is
    /// refused from its shape, before it is parsed; ordinary alerts are far from the limit.
    @Test func alertsWhoseValuesWouldTakeTooMuchMemoryAreRefusedUnparsed() {
        let dense = #"{"rule":"r","priority":"Warning","time":"2025-11-22T10:00:00Z","output":"o","output_fields":{"a":["#
            + Array(repeating: "1", count: 200_000).joined(separator: ",") + "]}}"
        let decoded = decode(dense)
        #expect(decoded.alerts.isEmpty)
        #expect(decoded.rejects.first?.rejection.code == .tooLong)
        let values = decoded.rejects.first?.rejection.message.split(separator: " ").firstIndex(of: "JSON").flatMap {
            Int(decoded.rejects.first!.rejection.message.split(separator: " ")[$0 - 1])
        }
        #expect((values ?? 0) > 200_000)
        // Ordinary alerts, even many to a body, pass.
        let many = "[" + (0..<2000).map { falcoAlert(rule: "r\($0)") }.joined(separator: ",") + "]"
        #expect(decode(many).alerts.count == 2000)
        #expect(decode(many).rejectCount == 0)
        let small = Array(falcoAlert().utf8)
        let cost = small.withUnsafeBytes { PayloadDecoder.estimatedCost($0) }
        #expect(cost.bytes < small.count * 4, "an ordinary alert is estimated at under four times its size")
    }
}

@Suite struct ServeLimitConfigTests {
    @Test func limitsAreReadAndCheckedAgainstEachOther() throws {
        let yaml = """
            serve:
              max_connections: 100
              max_streams: 10
              header_timeout: 2s
              body_timeout: 30s
              idle_timeout: 1m
              max_decodes: 3
              max_body_memory: 32MiB
              max_recorded_rejects: 7
              allowed_hosts: [Tradsec.Internal]
            """
        let s = try TradsecConfig.section(ServeSettings.self, yaml: yaml, file: "t")
        #expect(s.maxConnections == 100 && s.maxStreams == 10 && s.maxDecodes == 3 && s.maxRecordedRejects == 7)
        #expect(s.headerTimeoutSeconds == 2 && s.bodyTimeoutSeconds == 30 && s.idleTimeoutSeconds == 60)
        #expect(s.maxBodyMemory == 32 << 20)
        #expect(s.allowedHosts == ["tradsec.internal"])
        let defaults = ServeSettings()
        #expect(defaults.maxConnections == 512 && defaults.maxStreams == 32 && defaults.headerTimeoutSeconds == 10)
        for bad in ["serve: {max_streams: 600}", "serve: {max_body_memory: 1MiB}", "serve: {max_connections: 0}",
                    "serve: {header_timeout: never}", "serve: {max_decodes: -1}", "serve: {idle_timeout: 0s}"] {
            #expect(throws: (any Error).self, "\(bad)") { _ = try TradsecConfig.section(ServeSettings.self, yaml: bad, file: "t") }
        }
    }

    @Test func aConnectionCapTheDescriptorLimitCannotHoldIsRefused() throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        guard limit.rlim_max < rlim_t(Int.max / 2) else { return }   // unlimited: nothing to refuse
        #expect { try ProcessorServer.ensureDescriptors(for: Int(limit.rlim_max)) } throws: { error in
            guard case .descriptorLimitTooLow(_, _, let hard)? = error as? ProcessorServer.ListenError else { return false }
            return hard == UInt64(limit.rlim_max)
        }
        #expect(throws: Never.self) { try ProcessorServer.ensureDescriptors(for: 512) }
    }
}

/// Polls `condition` until it holds or `timeout` seconds pass (then records a failure).
func waitFor(timeout: Double = 10, _ condition: () throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
    if try !waitFor(timeout, condition) {
        Issue.record("condition not met within \(timeout) s", sourceLocation: sourceLocation)
    }
}
