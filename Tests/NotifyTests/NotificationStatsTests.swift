import Foundation
import Notify
import Testing
import TestSupport
import TradsecCore
#if canImport(Glibc)
import Glibc
#endif

@Suite struct NotificationStatsTests {
    @Test func statsCountWhatTheOutboxHoldsAndPromtoolAcceptsTheMetrics() throws {
        let history = try TempHistory()
        defer { history.cleanup() }
        let server = try RecordingHTTPServer { request in request.path == "/bad" ? .init(status: 400) : .init(status: 200) }
        defer { server.stop() }
        let good = testChannel("good \"one\"", .webhook, url: server.baseURL + "/good")
        let bad = testChannel("bad", .webhook, url: server.baseURL + "/bad")
        var later = testChannel("later", .webhook, url: server.baseURL + "/later")
        later.groupWindow = 3600   // stays pending: gives an oldest-pending age
        let dispatcher = NotificationDispatcher(store: history.store, config: NotificationConfig(channels: [good, bad, later]), options: fastOptions())
        try dispatcher.enqueue([hostileNotification(1), hostileNotification(2, rule: "x")])
        try dispatcher.start()
        defer { dispatcher.stop() }
        #expect(waitFor(5) { let s = dispatcher.stats(); return s.pending == 2 && s.failed == 2 })
        usleep(200_000)
        let stats = dispatcher.stats()
        #expect(stats.delivered == 2)
        #expect(stats.channels.map(\.name) == ["good \"one\"", "bad", "later"])
        #expect(stats.channels.map(\.pending) == [0, 0, 2])
        #expect(stats.channels.map(\.failed) == [0, 2, 0])
        #expect(stats.channels[0].messagesSent == 2)
        #expect(stats.channels[1].lastError == "HTTP 400")
        #expect((stats.oldestPendingAge ?? -1) >= 0.2)

        let text = stats.prometheusText()
        #expect(text.contains("tradsec_notifications_pending{channel=\"later\",type=\"webhook\"} 2\n"))
        #expect(text.contains("tradsec_notifications_delivered_total{channel=\"good \\\"one\\\"\",type=\"webhook\"} 2\n"))
        #expect(text.contains("tradsec_notifications_failed{channel=\"bad\",type=\"webhook\"} 2\n"))

        let promtool = "/usr/bin/promtool"
        guard access(promtool, X_OK) == 0 else {
            Issue.record("promtool is missing: apt-get install -y --no-install-recommends prometheus (or make test)")
            return
        }
        writeFile(history.directory + "/metrics.txt", text)
        guard let check = ChildProcess.start([promtool, "check", "metrics"], stdin: history.directory + "/metrics.txt",
                                             stdoutPath: history.directory + "/promtool.txt", environment: childEnvironment()) else {
            Issue.record("cannot run promtool"); return
        }
        #expect(check.wait() == 0, "promtool: \(check.stdout)")
    }
}
