import AlertStore
import CurlClient
import Foundation
@testable import Processor
import Testing
import TestSupport
import TradsecCore

@Suite struct ServerIntakeTests {
    @Test func anAlertIsStoredVerbatimAndAnsweredOnlyAfterCommit() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        let line = falcoAlert(rule: "Read trading API key", priority: "Critical")
        let reply = try harness.post(line)
        #expect(reply.status == 200)
        #expect(reply.bodyText.contains(#""accepted":1"#))
        // The 200 came after the commit: the history has it at once, byte for byte.
        let stored = try harness.settled.alerts(AlertQuery(limit: 10))
        #expect(stored.count == 1)
        #expect(stored.first?.alert.raw == line)
        // Sending the same alert again stores nothing new.
        let again = try harness.post(line)
        #expect(again.bodyText.contains(#""duplicates":1"#))
        #expect(try harness.settled.totalCount() == 1)
    }

    @Test func jsonLinesKeepTheGoodLinesAndNameTheBadOnes() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        let body = [falcoAlert(rule: "A"), "{\"truncated\": ", falcoAlert(rule: "B"),
                    #"{"rule":"x","priority":"Loud","time":"2026-11-22T10:00:00Z","output":"o","output_fields":{}}"#, ""]
            .joined(separator: "\n")
        let reply = try harness.post(body)
        #expect(reply.status == 200)
        let json = try JSONParser.parse(reply.bodyText)
        #expect(json["accepted"]?.int64Value == 2)
        #expect(json["rejected"]?.int64Value == 2)
        let errors = json["errors"]?.arrayValue ?? []
        #expect(errors.map { $0["line"]?.int64Value } == [2, 4])
        #expect(errors.map { $0["code"]?.stringValue } == ["not_json", "unknown_priority"])
        #expect(Set(try harness.settled.alerts(AlertQuery(limit: 10)).map(\.alert.rule)) == ["A", "B"])
        // The refused lines are recorded for `tradsec rejects`.
        #expect(try harness.settled.recentRejects().count == 2)
    }

    /// Past 64 KiB a body is decoded off the event loop: the same answer, the same history.
    @Test func aLargeBodyIsDecodedOffTheLoopWithTheSameAnswer() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        var lines: [String] = []
        for i in 0..<400 {
            lines.append(i == 150 ? "{\"truncated\": " : falcoAlert(rule: "R\(i)", output: "large body line \(i) " + String(repeating: "x", count: 300)))
        }
        let body = lines.joined(separator: "\n")
        #expect(body.utf8.count > HTTPHandler.decodeOnTheLoopUpTo)
        let reply = try harness.post(body)
        #expect(reply.status == 200)
        let json = try JSONParser.parse(reply.bodyText)
        #expect(json["accepted"]?.int64Value == 399)
        #expect(json["errors"]?.arrayValue?.map { $0["line"]?.int64Value } == [151])
        #expect(try harness.settled.totalCount() == 399)
        // The connection serves the next request, and small bodies still work.
        #expect(try harness.post(falcoAlert(rule: "after")).status == 200)
        #expect(try harness.settled.totalCount() == 400)
    }

    @Test func aJSONArrayIsAccepted() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        let reply = try harness.post("[\(falcoAlert(rule: "A")),\(falcoAlert(rule: "B"))]")
        #expect(reply.status == 200)
        #expect(try harness.settled.totalCount() == 2)
    }

    @Test func malformedBodiesGetA400WithTheReason() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        let text = try harness.post("12:00:00: Warning something happened", headers: [("Content-Type", "text/plain")])
        #expect(text.status == 415)
        #expect(text.bodyText.contains("json_output"))
        let garbage = try harness.post("<html>")
        #expect(garbage.status == 400)
        #expect(garbage.bodyText.contains("not JSON"))
        let empty = try harness.post("")
        #expect(empty.status == 400)
        let wrongType = try harness.post(#"{"rule":5,"priority":"Notice","time":"2026-11-22T10:00:00Z","output":"o","output_fields":{}}"#)
        #expect(wrongType.status == 400)
        #expect(wrongType.bodyText.contains("wrong_type"))
        #expect(try harness.settled.totalCount() == 0)
    }

    @Test func bodiesOverTheLimitGet413() throws {
        var settings = ServeSettings()
        settings.maxBody = 4096
        let harness = try ServerHarness(settings: settings)
        defer { harness.stop() }
        let big = falcoAlert(output: String(repeating: "x", count: 10_000))
        let reply = try harness.post(big)
        #expect(reply.status == 413)
        #expect(try harness.settled.totalCount() == 0)
        // The service is still there for the next request.
        #expect(try harness.post(falcoAlert()).status == 200)
    }

    @Test func unknownPathsAndMethodsAreRefused() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        #expect(try harness.get("/admin").status == 404)
        #expect(try harness.get("/falco").status == 405)
        #expect(try harness.post("{}", path: "/events").status == 405)
    }

    @Test func aTokenIsRequiredWhenConfiguredAndOffLoopback() throws {
        var settings = ServeSettings()
        settings.authToken = "s3cret-token-0123456789"
        let harness = try ServerHarness(settings: settings)
        defer { harness.stop() }
        #expect(try harness.post(falcoAlert()).status == 401)
        #expect(try harness.get("/events").status == 401)
        #expect(try harness.post(falcoAlert(), headers: [("Authorization", "Bearer wrong")]).status == 401)
        let ok = try harness.post(falcoAlert(), headers: [("Content-Type", "application/json"),
                                                          ("Authorization", "Bearer s3cret-token-0123456789")])
        #expect(ok.status == 200)
        #expect(try harness.get("/health", headers: [("Authorization", "Bearer s3cret-token-0123456789")]).status == 200)

        // Any other address without a token: refused before binding.
        var open = ServeSettings()
        open.listen = "0.0.0.0:0"
        #expect { _ = try ServerHarness(settings: open) } throws: { error in
            guard case .openWithoutToken(host: "0.0.0.0") = error as? ProcessorServer.ListenError else { return false }
            return true
        }
    }

    @Test func onlyLiteralLoopbackAddressesCountAsLoopback() throws {
        for host in ["127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1", "localhost", "::ffff:7f00:1"] {
            #expect(ProcessorServer.isLoopback(host), "\(host)")
        }
        for host in ["127.example.com", "127.0.0.1.nip.io", "127.", "127.0.0", "0.0.0.0", "::", "10.0.0.1", "128.0.0.1",
                     "::2", "::ffff:10.0.0.1", "example.com", ""] {
            #expect(!ProcessorServer.isLoopback(host), "\(host)")
        }
        // A name that merely starts with 127. is refused without a token, before binding.
        var named = ServeSettings()
        named.listen = "127.example.com:0"
        #expect { _ = try ServerHarness(settings: named) } throws: { error in
            guard case .openWithoutToken(host: "127.example.com") = error as? ProcessorServer.ListenError else { return false }
            return true
        }
    }

    @Test func anUnauthenticatedUploadIsRefusedBeforeTheBody() throws {
        var settings = ServeSettings()
        settings.authToken = "s3cret-token-0123456789"
        let harness = try ServerHarness(settings: settings)
        defer { harness.stop() }
        // Headers only: a client that asks first must get the 401, not a 100 Continue, and
        // the server closes instead of waiting for (and buffering) the body.
        let reply = try rawExchange(port: harness.server.boundPort,
                                    "POST /falco HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: 900000\r\nExpect: 100-continue\r\n\r\n")
        #expect(reply.hasPrefix("HTTP/1.1 401"), "\(reply)")
        #expect(!reply.contains("100 Continue"))
        #expect(reply.lowercased().contains("connection: close"))
        #expect(try harness.settled.totalCount() == 0)
    }

    @Test func falcoHTTPOutputAsFalcoSendsIt() throws {
        // Falco's http_output: libcurl, POST, "Content-Type: application/json", its user agent,
        // the alert JSON as the body, a new request per alert on a kept-alive connection.
        let harness = try ServerHarness()
        defer { harness.stop() }
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        var paths: [String] = []
        for i in 0..<3 {
            let path = directory + "/alert\(i).json"
            writeFile(path, falcoAlert(rule: "Rule \(i)", output: "x" + String(repeating: "y", count: i == 2 ? 1_200_000 : 10)))
            paths.append(path)
        }
        var argv = ["/usr/bin/curl", "-sS", "--fail-with-body"]
        for (i, path) in paths.enumerated() {
            if i > 0 { argv.append("--next") }
            argv += ["-X", "POST", "-H", "Content-Type: application/json", "-A", "falcosecurity/falco",
                     "--data-binary", "@" + path, harness.base + "/falco"]
        }
        let curl = try #require(ChildProcess.start(argv, stdoutPath: directory + "/out", stderrPath: directory + "/err"))
        #expect(curl.wait() == 0, "\(curl.stderr)")
        #expect(curl.stdout.components(separatedBy: #""accepted":1"#).count - 1 == 3)
        #expect(try harness.settled.totalCount() == 3)
    }
}

@Suite struct ServerReadTests {
    @Test func eventsPageForwardFromACursorWithFilters() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        for i in 0..<25 {
            try harness.post(falcoAlert(rule: i % 5 == 0 ? "Critical thing" : "Noise \(i)", priority: i % 5 == 0 ? "Critical" : "Notice",
                                        container: i % 2 == 0 ? "bot-a" : "bot-b", containerID: i % 2 == 0 ? "aaaaaaaaaaaa" : "bbbbbbbbbbbb"))
        }
        let first = try harness.json("/events?since=0&limit=10")
        #expect(first["total_events"]?.int64Value == 25)
        let ids = first["events"]?.arrayValue?.compactMap { $0["id"]?.int64Value } ?? []
        #expect(ids == Array(1...10))
        let next = try #require(first["next_since"]?.int64Value)
        let second = try harness.json("/events?since=\(next)&limit=100")
        #expect(second["total_events"]?.int64Value == 15)
        #expect(second["events"]?.arrayValue?.first?["id"]?.int64Value == 11)
        // The alert comes back as Falco sent it.
        let alert = try #require(second["events"]?.arrayValue?.first?["alert"])
        #expect(alert["rule"]?.stringValue == "Critical thing")
        #expect(alert["output_fields"]?["container.name"]?.stringValue == "bot-a")

        let critical = try harness.json("/events?priority=%3E%3Dcritical")
        #expect(critical["total_events"]?.int64Value == 5)
        let ruleGlob = try harness.json("/events?rule=Critical*&container=bot-a")
        #expect(ruleGlob["total_events"]?.int64Value == 3)
        #expect(try harness.get("/events?priority=loud").status == 400)
        #expect(try harness.get("/events?bogus=1").status == 400)
    }

    /// The console's first contact reads the newest page and streams after its cursor. An
    /// alert committed while the page is read must be on it or after the cursor, never
    /// behind it: an empty page of an empty history gives cursor 0, whatever lands meanwhile.
    @Test func aFirstPageNeverSkipsAnAlertCommittedWhileItIsRead() throws {
        let alert = try AlertDecoder.decode(line: falcoAlert(rule: "lands during the read"))
        let request = try EventsRequest(["limit": "10"])
        for _ in 0..<40 {
            let directory = makeTemporaryDirectory()
            defer { removeTree(directory) }
            let reader = try AlertStore(path: directory + "/history.sqlite")
            let writer = try AlertStore(path: directory + "/history.sqlite")
            let committed = DispatchSemaphore(value: 0)
            Thread {
                usleep(UInt32.random(in: 0...3_000))
                _ = try? writer.insert([alert])
                committed.signal()
            }.start()
            var seen = false
            let deadline = Date().addingTimeInterval(10)
            while !seen && Date() < deadline {
                let page = try request.fetch(reader)
                seen = !page.events.isEmpty
                if seen {
                    #expect(page.nextCursor == page.events.last?.id)
                } else {
                    #expect(page.nextCursor == 0, "an empty page gave cursor \(page.nextCursor): the alert behind it is lost")
                }
            }
            committed.wait()
            #expect(seen)
        }
    }

    @Test func theStreamResumesWithNoGapAndNoDuplicate() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        for i in 0..<5 { try harness.post(falcoAlert(rule: "before \(i)")) }
        // A client that saw up to id 3 reconnects: it gets 4, 5, then what is posted live.
        let poster = Thread {
            usleep(300_000)
            for i in 0..<20 { _ = try? harness.post(falcoAlert(rule: "live \(i)")) }
        }
        poster.start()
        let first = try readEvents(harness.base + "/events/stream", lastEventID: 3, count: 12)
        #expect(first.map(\.id) == Array(4...15))
        // It drops and comes back with the last id it got.
        let last = try #require(first.last?.id)
        let rest = try readEvents(harness.base + "/events/stream", lastEventID: last, count: 10)
        #expect(rest.map(\.id) == Array(16...25))
        let all = (first + rest).compactMap { try? JSONParser.parse($0.data)["alert"]?["rule"]?.stringValue }
        #expect(all == ["before 3", "before 4"] + (0..<20).map { "live \($0)" })
    }

    @Test func lastEventIDMayCarrySpacesAroundIt() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        try harness.post(falcoAlert())
        // Optional whitespace around a header value (RFC 9110 OWS): NIO's parser keeps the
        // trailing part, so the handler trims it (trimmingSpacesForHeader).
        let reply = try rawExchange(port: harness.server.boundPort,
                                    "GET /events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nLast-Event-ID:   0   \r\n\r\n", timeout: 1)
        #expect(reply.hasPrefix("HTTP/1.1 200"), "\(reply)")
        #expect(reply.contains("id: 1\n"), "\(reply)")
    }

    @Test func aFilteredStreamSkipsWhatDoesNotMatchAndMissesNothing() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        let poster = Thread {
            usleep(300_000)
            for i in 0..<40 {
                _ = try? harness.post(falcoAlert(rule: "R\(i)", priority: i % 10 == 9 ? "Critical" : "Notice"))
                usleep(20_000)   // some signals find nothing that matches; the cursor still moves on
            }
        }
        poster.start()
        let events = try readEvents(harness.base + "/events/stream?priority=critical", lastEventID: 0, count: 4)
        let rules = events.compactMap { try? JSONParser.parse($0.data)["alert"]?["rule"]?.stringValue }
        #expect(rules == ["R9", "R19", "R29", "R39"])
    }

    @Test func aNewStreamClientGetsWhatHappensNextAndHeartbeats() throws {
        var settings = ServeSettings()
        settings.heartbeatSeconds = 1
        let harness = try ServerHarness(settings: settings)
        defer { harness.stop() }
        try harness.post(falcoAlert(rule: "old"))
        let poster = Thread {
            usleep(1_500_000)
            _ = try? harness.post(falcoAlert(rule: "new"))
        }
        poster.start()
        let collector = SSECollector(want: 1)
        _ = try? CurlHTTP.stream(HTTPRequest(url: harness.base + "/events/stream", timeout: 10)) { bytes in
            collector.feed(bytes)
            return !collector.done
        }
        #expect(collector.events.count == 1)
        #expect(collector.events.first?.data.contains(#""rule":"new""#) == true)
        #expect(collector.comments >= 2)   // the opening comment and at least one keepalive
    }

    @Test func theFullTextIndexCatchesUpBehindTheWriter() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        for i in 0..<30 { try harness.post(falcoAlert(rule: "R\(i)", output: "wallet keystore \(i) read by curl")) }
        // Findable at once, whether or not the index has caught up.
        #expect(try harness.settled.count(AlertQuery(search: "keystore curl")) == 30)
        let end = Date().addingTimeInterval(10)
        while try harness.settled.fullTextBacklogCount() > 0 && Date() < end { usleep(20_000) }
        #expect(try harness.settled.fullTextBacklogCount() == 0)
        #expect(try harness.settled.count(AlertQuery(search: "keystore curl")) == 30)
        #expect(try harness.json("/health")["ingest"]?["full_text_backlog"]?.int64Value == 0)
    }

    @Test func healthReportsTheFactsAndMetricsPassPromtool() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        try harness.post(falcoAlert(priority: "Warning"))
        let health = try harness.json("/health")
        #expect(health["status"]?.stringValue == "ok")
        #expect(health["version"]?.stringValue == "test")
        #expect(health["store"]?["alerts"]?.int64Value == 1)
        #expect((health["last_alert_age_seconds"].flatMap { if case .double(let d) = $0 { return d } else { return nil } } ?? 99) < 10)

        let metrics = try harness.get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.headers["content-type"]?.hasPrefix("text/plain") == true)
        #expect(metrics.bodyText.contains(#"tradsec_alerts_received_total{priority="warning"} 1"#))
        #expect(metrics.bodyText.contains("tradsec_history_alerts 1"))
        // promtool is the judge of the exposition format (and its lint rules).
        let promtool = "/usr/bin/promtool"
        #expect(FileManager.default.isExecutableFile(atPath: promtool), "promtool missing: apt-get install prometheus (make test does it)")
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        writeFile(directory + "/metrics.txt", metrics.bodyText)
        let check = try #require(ChildProcess.start([promtool, "check", "metrics"], stdin: directory + "/metrics.txt",
                                           stdoutPath: directory + "/out", stderrPath: directory + "/err"))
        #expect(check.wait() == 0, "promtool: \(check.stdout)\(check.stderr)")
    }
}
