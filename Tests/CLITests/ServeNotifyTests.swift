#if canImport(Glibc)
import Glibc
#endif
import CurlClient
import Foundation
import Testing
import TestSupport
import TradsecCore

/// `tradsec serve` with notification channels: alerts and escalated incidents reach the
/// receivers, and /health and /metrics report the outbox.
@Suite struct ServeNotifyTests {
    @Test func alertsAndAnEscalationReachAWebhook() throws {
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        let receiver = try RecordingHTTPServer()
        defer { receiver.stop() }
        writeFile(directory + "/config.yaml", """
            notifications:
              channels:
                - {name: hook, type: webhook, url: "\(receiver.baseURL)/in", min_priority: notice}
            correlation:
              window: 10m
            """)
        let serve = Child.start(["serve", "--db", directory + "/h.sqlite", "--listen", "127.0.0.1:0",
                                 "--config", directory + "/config.yaml"], in: directory)
        defer { kill(serve.pid, SIGTERM); _ = serve.wait() }
        var base = ""
        let started = Date()
        while base.isEmpty && Date().timeIntervalSince(started) < 15 {
            if let range = serve.stderr.range(of: "listening on http://127.0.0.1:") {
                base = "http://127.0.0.1:" + serve.stderr[range.upperBound...].prefix(while: \.isNumber)
            }
            usleep(20_000)
        }
        try #require(!base.isEmpty, "serve did not start: \(serve.stderr)")
        let now = Timestamp.now()
        func alert(_ n: Int64, _ rule: String, _ tag: String, _ priority: String) -> String {
            #"{"time":"\#(now.adding(nanoseconds: n * 1_000_000_000).rfc3339())","rule":"\#(rule)","priority":"\#(priority)","output":"\#(rule) in bot","output_fields":{"container.id":"4f2a9c1d7e3b","container.name":"ai-trading-bot","proc.name":"sh"},"hostname":"trade-host-1","source":"syscall","tags":["\#(tag)"]}"#
        }
        let chain = [alert(0, "Terminal shell in container", "mitre_execution", "Notice"),
                     alert(1, "Read trading API key", "mitre_credential_access", "Warning"),
                     alert(2, "Outbound connection to unknown host", "mitre_exfiltration", "Notice")]
        for line in chain {
            let reply = try CurlHTTP.send(.postJSON(base + "/falco", body: Array(line.utf8)))
            #expect(reply.status == 200)
        }
        // Three alerts and two escalations (shell+key read → Error, then the full chain → Alert).
        let received = receiver.waitForRequests(5, timeout: 15)
        let notifications = received.flatMap { request -> [JSONValue] in
            (try? JSONParser.parse(request.bodyText))?["notifications"]?.arrayValue ?? []
        }
        let kinds = notifications.compactMap { $0["kind"]?.stringValue }
        #expect(kinds.filter { $0 == "alert" }.count == 3)
        let incidents = notifications.filter { $0["kind"]?.stringValue == "incident" }
        #expect(incidents.count == 2)
        #expect(incidents.last?["priority"]?.stringValue == "Alert")
        #expect(incidents.last?["title"]?.stringValue?.contains("escalated") == true)
        #expect(received.allSatisfy { $0.headers["idempotency-key"] != nil })

        // The receiver has the last message a moment before the dispatcher has counted its reply.
        var health = JSONValue.null
        let settled = Date().addingTimeInterval(10)
        repeat {
            health = try JSONParser.parse(try CurlHTTP.send(HTTPRequest(url: base + "/health")).bodyText)
            if health["outbox"]?["pending"]?.int64Value == 0 { break }
            usleep(50_000)
        } while Date() < settled
        #expect(health["outbox"]?["pending"]?.int64Value == 0)
        #expect(health["outbox"]?["channels"]?.arrayValue?.first?["name"]?.stringValue == "hook")
        let delivered = #"tradsec_notifications_delivered_total{channel="hook",type="webhook"} 5"#
        var metrics = ""
        repeat {
            metrics = try CurlHTTP.send(HTTPRequest(url: base + "/metrics")).bodyText
            if metrics.contains(delivered) { break }
            usleep(50_000)
        } while Date() < settled
        #expect(metrics.contains(delivered))
        writeFile(directory + "/metrics.txt", metrics)
        let check = try #require(ChildProcess.start(["/usr/bin/promtool", "check", "metrics"], stdin: directory + "/metrics.txt",
                                                    stdoutPath: directory + "/promtool.out", stderrPath: directory + "/promtool.err"))
        #expect(check.wait() == 0, "\(check.stdout)\(check.stderr)")
    }
}
