import AlertStore
import Assembly
import Config
import Foundation
import Notify
import TestSupport
import Testing
import TradsecCore
#if canImport(Glibc)
import Glibc
#endif

/// The `tradsec notify` commands, run as the real binary.
@Suite struct NotifyCommandTests {
    func config(_ dir: String, url: String, extra: String = "") -> String {
        let path = dir + "/config.yaml"
        writeFile(path, """
            notifications:
              channels:
                - name: hook
                  type: webhook
                  url: \(url)
                  min_priority: debug
                  retry_initial: 100ms
                  retry_max: 300ms
            \(extra)
            """)
        return path
    }

    func run(_ args: [String], dir: String) -> (status: Int32, output: String) {
        guard let child = ChildProcess.start([ChildProcess.tradsec] + args, stdoutPath: dir + "/out.txt",
                                             environment: childEnvironment()) else { return (-1, "cannot start \(ChildProcess.tradsec)") }
        let status = child.wait()
        return (status, child.stdout)
    }

    /// The one question the outbox must answer after a crash: is anything lost or sent twice?
    @Test func killedMidDeliveryAndRestartedLosesNothingAndResendsAtMostTheOneInFlight() throws {
        let history = try TempHistory()
        defer { history.cleanup() }
        let receiver = try RecordingHTTPServer { _ in .init(status: 200, delay: 0.15) }   // slow: a send is usually in flight
        defer { receiver.stop() }
        let cfg = config(history.directory, url: receiver.baseURL + "/in")
        let outbox = NotificationOutbox(store: history.store, config: try TradsecConfig.section(NotificationConfig.self, flag: cfg))
        let notifications = (0..<20).map { hostileNotification($0, rule: "rule-\($0)") }
        #expect(try outbox.enqueue(notifications) == 20)

        let args = ["notify", "run", "--db", history.path, "--config", cfg, "--poll", "0.1"]
        guard let first = ChildProcess.start([ChildProcess.tradsec] + args, stdoutPath: history.directory + "/run1.txt",
                                             environment: childEnvironment()) else { Issue.record("cannot start tradsec"); return }
        let firstRun = ChildGuard(first)
        try #require(waitFor(15) { receiver.requests.count >= 6 }, "first run delivered nothing: \(readFile(history.directory + "/run1.txt"))")
        usleep(50_000)   // into the next reply's delay
        #expect(firstRun.kill9() == 128 + SIGKILL)

        let afterKill = try history.store.outboxRows(limit: 100)
        let delivered = afterKill.filter { $0.state == .delivered }.count
        let inFlight = afterKill.filter { $0.sendingSince != nil }
        // Sends the dispatcher itself retried before the kill (a timeout on a loaded machine):
        // each may legitimately reach the receiver twice, and the outbox records them.
        let retried = afterKill.filter { $0.sendingSince == nil && ($0.attempts > 1 || ($0.state == .pending && $0.attempts >= 1)) }.count
        #expect(delivered >= 1 && delivered < 20, "killed mid-way: \(delivered) delivered")
        #expect(afterKill.count == 20 && afterKill.filter { $0.state == .pending }.count == 20 - delivered)
        #expect(inFlight.count <= 1, "at most one send was in flight")

        // Restart: delivers the rest and exits once the outbox is empty.
        let second = run(args + ["--until-empty", "30"], dir: history.directory)
        #expect(second.status == 0, "\(second.output)")
        let rows = try history.store.outboxRows(limit: 100)
        #expect(rows.count == 20 && rows.allSatisfy { $0.state == .delivered && $0.sendingSince == nil })

        let keys = receiver.requests.compactMap { $0.headers["idempotency-key"] }
        let distinctKeys = Set(keys)
        #expect(distinctKeys.count == 20, "every notification arrived")
        let repeated = keys.count - distinctKeys.count
        // Every send is recorded (attempts) before it leaves: no row reached the receiver more
        // often than the outbox says it was tried.
        for row in rows {
            let received = keys.filter { $0 == "tradsec-hook-\(row.id)" }.count
            #expect(received <= row.attempts, "row \(row.id) arrived \(received) times in \(row.attempts) attempts")
        }
        // Retries the restarted run made itself (a timeout on a loaded machine) count like the
        // first run's; the interrupted send's own second attempt does not.
        let retriedLater = rows.filter { row in row.attempts > (inFlight.contains { $0.id == row.id } ? 2 : 1) }.count
        #expect(repeated <= 1 + max(retried, retriedLater), "only the send the kill interrupted (and recorded retries) may repeat: \(keys)")
        if repeated == 1 && retried == 0 && retriedLater == 0 {
            // ...and then only the one that was in flight, with the same idempotency key both times.
            let twice = distinctKeys.filter { k in keys.filter { $0 == k }.count == 2 }
            #expect(twice == Set(inFlight.map { "tradsec-hook-\($0.id)" }))
        }
        // In order per channel (a repeated in-flight one comes back at its place).
        var firstSeen: [String] = []
        for k in keys where !firstSeen.contains(k) { firstSeen.append(k) }
        let order = firstSeen.compactMap { Int64($0.split(separator: "-").last ?? "") }
        #expect(order == order.sorted())
    }

    @Test func notifyTestSendsThroughTheNamedChannel() throws {
        let dir = makeTemporaryDirectory(prefix: "tradsec-notify-cli")
        defer { removeTree(dir) }
        let receiver = try RecordingHTTPServer { _ in .init(status: 200) }
        defer { receiver.stop() }
        let cfg = config(dir, url: receiver.baseURL + "/in")
        let ok = run(["notify", "test", "--config", cfg, "--channel", "hook"], dir: dir)
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.hasPrefix("hook: delivered (HTTP 200) in "))
        let body = try parseJSON(try #require(receiver.requests.first))
        #expect(body["notifications"]?.arrayValue?.first?["kind"]?.stringValue == "test")

        let unknown = run(["notify", "test", "--config", cfg, "--channel", "nope"], dir: dir)
        #expect(unknown.status == 64)
        #expect(unknown.output.contains("no channel named 'nope' (configured: hook)"))

        receiver.setResponder { _ in .init(status: 404, body: "no_service") }
        let refused = run(["notify", "test", "--config", cfg, "--channel", "hook"], dir: dir)
        #expect(refused.status == 69)
        #expect(refused.output.contains("hook: refused: HTTP 404: no_service"))

        let bad = dir + "/bad.yaml"
        writeFile(bad, "notifications:\n  channels:\n    - {name: x, type: slack, url: 'http://h', colour: red}\n")
        let invalid = run(["notify", "test", "--config", bad, "--channel", "x"], dir: dir)
        #expect(invalid.status == 78)
        #expect(invalid.output.contains("bad.yaml:3: unknown key 'colour' in channel 'x' (slack)"))
    }

    @Test func notifyOutboxShowsCountsAndFailures() throws {
        let history = try TempHistory()
        defer { history.cleanup() }
        let cfg = config(history.directory, url: "http://127.0.0.1:9/in")
        let outbox = NotificationOutbox(store: history.store, config: try TradsecConfig.section(NotificationConfig.self, flag: cfg))
        try outbox.enqueue([hostileNotification(1), hostileNotification(2, rule: "other")])
        let ids = try history.store.outboxRows().map(\.id).sorted()
        try history.store.markNotificationsSending([ids[0]])
        try history.store.markNotificationsFailed([ids[0]], error: "HTTP 400: invalid \u{1b}[2J payload")
        let listing = run(["notify", "outbox", "--db", history.path, "--failed"], dir: history.directory)
        #expect(listing.status == 0)
        #expect(listing.output.contains("hook                        1          0       1"))
        #expect(listing.output.contains("#\(ids[0])  "))
        #expect(listing.output.contains("last error: HTTP 400: invalid \\x1b[2J payload"), "escaped for the terminal: \(listing.output)")
        #expect(!listing.output.contains("#\(ids[1])  "))
        #expect(!listing.output.contains("\u{1b}"))
        let retried = run(["notify", "retry", "--db", history.path], dir: history.directory)
        #expect(retried.output == "1 notification queued again\n")
        #expect(try history.store.outboxSummary().first?.pending == 2)
    }
}
