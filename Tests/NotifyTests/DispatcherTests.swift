import AlertStore
import Foundation
import Notify
import Testing
import TestSupport
import TradsecCore

/// The dispatcher against local receivers that fail in the ways real ones do.
@Suite struct DispatcherTests {
    /// Notifications of distinct groups (one rule each), so each is its own message.
    func distinct(_ count: Int, from start: Int = 0) -> [Notify.Notification] {
        (start..<(start + count)).map { hostileNotification($0, rule: "rule-\($0)") }
    }

    /// The outbox ids a webhook receiver got in 2xx-answered requests, in arrival order.
    func outboxIDs(_ requests: [RecordingHTTPServer.Request]) -> [Int64] {
        requests.flatMap { r in
            ((try? JSONParser.parse(r.body))?["notifications"]?.arrayValue ?? []).compactMap { $0["outbox_id"]?.int64Value }
        }
    }

    /// A server on `port`, retrying while the previous one on it is still closing.
    func server(on port: Int, _ respond: @escaping @Sendable (RecordingHTTPServer.Request) -> RecordingHTTPServer.Reply) throws -> RecordingHTTPServer {
        for _ in 0..<100 {
            if let s = try? RecordingHTTPServer(port: port, respond: respond) { return s }
            usleep(20_000)
        }
        return try RecordingHTTPServer(port: port, respond: respond)
    }

    @Test func aReceiverDownForAWhileGetsEverythingOnceAndInOrder() throws {
        let history = try TempHistory()
        defer { history.cleanup() }
        // Phase 1: up but failing (503). Phase 2: gone (connections refused). Phase 3: back.
        let failing = try RecordingHTTPServer { _ in .init(status: 503, body: "maintenance") }
        let port = failing.port
        let channel = testChannel("hook", .webhook, url: "http://127.0.0.1:\(port)/in")
        let dispatcher = NotificationDispatcher(store: history.store, config: NotificationConfig(channels: [channel]), options: fastOptions())
        try dispatcher.start()
        defer { dispatcher.stop() }
        try dispatcher.enqueue(distinct(10))
        #expect(waitFor(5) { failing.requests.count >= 3 })
        failing.stop()
        try dispatcher.enqueue(distinct(10, from: 10))   // queued while the receiver is gone
        usleep(800_000)
        let stats = dispatcher.stats()
        #expect(stats.pending == 20)
        #expect(stats.channels[0].retries >= 3)
        #expect(stats.channels[0].lastError != nil)
        let head = try history.store.outboxRows(state: .pending, limit: 100).last   // newest first: the last is the head
        #expect(head?.attempts ?? 0 >= 3)
        #expect(head?.nextAttempt ?? .now() > (head?.created ?? .now()))

        let back = try server(on: port) { _ in .init(status: 200) }
        defer { back.stop() }
        try dispatcher.enqueue(distinct(5, from: 20))
        #expect(waitFor(10) { dispatcher.stats().pending == 0 })
        let ids = outboxIDs(back.requests)
        #expect(ids.count == 25, "every notification once: \(ids)")
        #expect(Set(ids).count == 25)
        #expect(ids == ids.sorted(), "in order: \(ids)")
        #expect(try history.store.outboxRows(state: .delivered, limit: 100).count == 25)
        // The failed attempts were all for the head: nothing overtook it while it was held back.
        #expect(Set(outboxIDs(failing.requests)) == [ids[0]])
    }

    @Test func aPermanentRefusalIsRecordedAndNotRetried() throws {
        let history = try TempHistory()
        defer { history.cleanup() }
        let server = try RecordingHTTPServer { request in
            (try? JSONParser.parse(request.body))?["notifications"]?.arrayValue?.first?["rule"]?.stringValue == "rule-0"
                ? .init(status: 400, body: "invalid_payload") : .init(status: 200)
        }
        defer { server.stop() }
        let channel = testChannel("hook", .webhook, url: server.baseURL + "/in")
        let dispatcher = NotificationDispatcher(store: history.store, config: NotificationConfig(channels: [channel]), options: fastOptions())
        try dispatcher.enqueue(distinct(2))
        try dispatcher.start()
        defer { dispatcher.stop() }
        #expect(waitFor(5) { dispatcher.stats().pending == 0 })
        usleep(300_000)
        #expect(server.requests.count == 2, "the refused one is not sent again")
        let failed = try history.store.outboxRows(state: .failed)
        #expect(failed.count == 1)
        #expect(failed.first?.lastError == "HTTP 400: invalid_payload")
        #expect(failed.first?.attempts == 1)
        #expect(dispatcher.stats().failed == 1)
        #expect(dispatcher.stats().channels[0].permanentFailures == 1)
        // An operator can queue it again.
        #expect(try history.store.requeueFailedNotifications() == 1)
        dispatcher.wake()
        #expect(waitFor(5) { server.requests.count == 3 })
    }

    @Test func aRetryAfterIsWaitedOut() throws {
        let history = try TempHistory()
        defer { history.cleanup() }
        final class Times: @unchecked Sendable { var at: [Date] = []; let lock = NSLock() }
        let times = Times()
        let server = try RecordingHTTPServer { _ in
            times.lock.lock(); defer { times.lock.unlock() }
            times.at.append(Date())
            return times.at.count == 1 ? .init(status: 429, body: "rate_limited", headers: ["Retry-After": "1"]) : .init(status: 200)
        }
        defer { server.stop() }
        let channel = testChannel("slack", .slack, url: server.baseURL + "/services/x")
        let dispatcher = NotificationDispatcher(store: history.store, config: NotificationConfig(channels: [channel]), options: fastOptions())
        try dispatcher.enqueue(distinct(1))
        try dispatcher.start()
        defer { dispatcher.stop() }
        #expect(waitFor(5) { dispatcher.stats().pending == 0 })
        times.lock.lock(); defer { times.lock.unlock() }
        #expect(times.at.count == 2)
        if times.at.count == 2 { #expect(times.at[1].timeIntervalSince(times.at[0]) >= 0.95) }
    }

    @Test func theRateLimitHoldsTheChannelBackThenSendsADigest() throws {
        let history = try TempHistory()
        defer { history.cleanup() }
        let server = try RecordingHTTPServer()
        defer { server.stop() }
        var slow = testChannel("slow", .webhook, url: server.baseURL + "/slow")
        slow.rateLimit = RateLimit(count: 3, per: 60)
        let dispatcher = NotificationDispatcher(store: history.store, config: NotificationConfig(channels: [slow]), options: fastOptions())
        try dispatcher.enqueue(distinct(10))
        try dispatcher.start()
        #expect(waitFor(5) { server.requests.count >= 3 })
        usleep(1_000_000)
        #expect(server.requests.count == 3, "3/min: three messages, then the channel waits")
        #expect(dispatcher.stats().pending == 7)
        dispatcher.stop(drainFor: 0)

        // 2 per 2 s: two messages at once, then the backlog goes out as digests of the due rows.
        let history2 = try TempHistory()
        defer { history2.cleanup() }
        let server2 = try RecordingHTTPServer()
        defer { server2.stop() }
        var fast = testChannel("fast", .webhook, url: server2.baseURL + "/fast")
        fast.rateLimit = RateLimit(count: 2, per: 2)
        fast.maxGroup = 5
        let dispatcher2 = NotificationDispatcher(store: history2.store, config: NotificationConfig(channels: [fast]), options: fastOptions())
        try dispatcher2.enqueue(distinct(12))
        try dispatcher2.start()
        defer { dispatcher2.stop() }
        #expect(waitFor(10) { dispatcher2.stats().pending == 0 })
        let ids = outboxIDs(server2.requests)
        #expect(ids == ids.sorted() && Set(ids).count == 12 && ids.count == 12)
        #expect(server2.requests.count == 4, "2 single messages, then digests of 5 and 5")
    }

    @Test func theGroupingWindowMergesOneRuleInOneContainer() throws {
        let history = try TempHistory()
        defer { history.cleanup() }
        let server = try RecordingHTTPServer()
        defer { server.stop() }
        var channel = testChannel("hook", .webhook, url: server.baseURL + "/in")
        channel.groupWindow = 1.5
        let dispatcher = NotificationDispatcher(store: history.store, config: NotificationConfig(channels: [channel]), options: fastOptions())
        try dispatcher.start()
        defer { dispatcher.stop() }
        for n in 0..<5 { try dispatcher.enqueue([hostileNotification(n, rule: "A", container: "bot1")]) }
        try dispatcher.enqueue([hostileNotification(5, rule: "B", container: "bot1"), hostileNotification(6, rule: "B", container: "bot1")])
        try dispatcher.enqueue([hostileNotification(7, rule: "A", container: "bot2")])
        usleep(200_000)
        #expect(server.requests.isEmpty, "nothing goes out before the window closes")
        #expect(waitFor(5) { dispatcher.stats().pending == 0 })
        let sizes = server.requests.map { ((try? JSONParser.parse($0.body))?["notifications"]?.arrayValue ?? []).count }
        #expect(sizes == [5, 2, 1])
        // After the window, the same rule and container start a new message.
        try dispatcher.enqueue([hostileNotification(8, rule: "A", container: "bot1")])
        #expect(waitFor(5) { server.requests.count == 4 })
        // The receiver has the message a moment before the dispatcher has counted its reply.
        #expect(waitFor(5) { dispatcher.stats().channels[0].messagesSent == 4 })
        #expect(dispatcher.stats().channels[0].notificationsDelivered == 9)
    }

    @Test func eachChannelGetsWhatMeetsItsMinimumPriority() throws {
        let history = try TempHistory()
        defer { history.cleanup() }
        var pager = testChannel("pager", .webhook, url: "http://127.0.0.1:9/x")
        pager.minPriority = .critical
        var chat = testChannel("chat", .webhook, url: "http://127.0.0.1:9/y")
        chat.minPriority = .warning
        let outbox = NotificationOutbox(store: history.store, config: NotificationConfig(channels: [pager, chat]))
        let rows = try outbox.enqueue([hostileNotification(1, priority: .notice), hostileNotification(2, priority: .warning),
                                       hostileNotification(3, priority: .emergency)])
        #expect(rows == 3)
        let summary = try history.store.outboxSummary()
        #expect(summary.map(\.channel) == ["chat", "pager"])
        #expect(summary.map(\.pending) == [2, 1])
    }

    @Test func secretsStayOutOfTheOutbox() throws {
        let history = try TempHistory()
        defer { history.cleanup() }
        let server = try RecordingHTTPServer { _ in .init(status: 503) }
        defer { server.stop() }
        var channel = testChannel("hook", .webhook, url: "")
        channel.url = .environment("HOOK_URL")
        channel.headers = ["Authorization": .environment("HOOK_AUTH")]
        let secretURL = server.baseURL + "/hooks/S3CRETPATHVALUE"
        let dispatcher = NotificationDispatcher(store: history.store, config: NotificationConfig(channels: [channel]),
                                                options: fastOptions(["HOOK_URL": secretURL, "HOOK_AUTH": "Bearer T0KENVALUE99"]))
        try dispatcher.enqueue(distinct(3))
        try dispatcher.start()
        #expect(waitFor(5) { server.requests.count >= 2 })
        dispatcher.stop()
        #expect(server.requests.first?.headers["authorization"] == "Bearer T0KENVALUE99")
        try history.store.checkpointWAL()
        for file in [history.path, history.path + "-wal"] {
            let bytes = readFile(file)
            #expect(!bytes.contains("S3CRETPATHVALUE"), "\(file)")
            #expect(!bytes.contains("T0KENVALUE99"), "\(file)")
        }
        let tried = try history.store.outboxRows().filter { $0.attempts > 0 }
        #expect(!tried.isEmpty && tried.allSatisfy { $0.lastError == "HTTP 503" })
    }

    @Test func onlyOneDispatcherDeliversFromAHistory() throws {
        let history = try TempHistory()
        defer { history.cleanup() }
        let config = NotificationConfig(channels: [testChannel("hook", .webhook, url: "http://127.0.0.1:9/x")])
        let first = NotificationDispatcher(store: history.store, config: config, options: fastOptions())
        let second = NotificationDispatcher(store: history.store, config: config, options: fastOptions())
        try first.start()
        #expect(throws: NotifyError.alreadyDispatching(store: history.path)) { try second.start() }
        // So is another process.
        writeFile(history.directory + "/c.yaml", "notifications:\n  channels:\n    - {name: hook, type: webhook, url: 'http://127.0.0.1:9/x'}\n")
        guard let child = ChildProcess.start([ChildProcess.tradsec, "notify", "run", "--db", history.path, "--config", history.directory + "/c.yaml"],
                                             stdoutPath: history.directory + "/run.txt", environment: childEnvironment()) else {
            Issue.record("cannot start tradsec"); first.stop(); return
        }
        #expect(child.wait() == 75)
        #expect(child.stdout.contains("another dispatcher is already delivering"))
        first.stop()
        try second.start()
        second.stop()
    }

    /// One notification to a webhook at `server`, given up on after 0.4 s, being delivered.
    func startGivingUpQuickly(_ history: TempHistory, _ server: RecordingHTTPServer) throws -> NotificationDispatcher {
        var channel = testChannel("hook", .webhook, url: server.baseURL + "/in")
        channel.giveUpAfter = 0.4
        let dispatcher = NotificationDispatcher(store: history.store, config: NotificationConfig(channels: [channel]), options: fastOptions())
        try dispatcher.enqueue(distinct(1))
        try dispatcher.start()
        return dispatcher
    }

    @Test func aNotificationRetriedPastItsGiveUpAgeIsFailedWithTheLastError() throws {
        let history = try TempHistory()
        defer { history.cleanup() }
        let server = try RecordingHTTPServer { _ in .init(status: 502, body: "bad gateway") }
        defer { server.stop() }
        let dispatcher = try startGivingUpQuickly(history, server)
        defer { dispatcher.stop() }
        #expect(waitFor(5) { dispatcher.stats().failed == 1 })
        let row = try #require(try history.store.outboxRows(state: .failed).first)
        #expect(row.lastError?.hasPrefix("gave up after \(row.attempts) attempts over ") == true)
        #expect(row.lastError?.hasSuffix(": HTTP 502: bad gateway") == true)
        #expect(row.attempts >= 2)
        let sent = server.requests.count
        usleep(300_000)
        #expect(server.requests.count == sent, "a failed row is not sent again")
    }

    @Test func aRequeuedOldRowGetsItsRetriesAgain() throws {
        let history = try TempHistory()
        defer { history.cleanup() }
        final class Replies: @unchecked Sendable { var healed = false, afterHeal = 0; let lock = NSLock() }
        let replies = Replies()
        // Fails until healed; then one more transient 502 before it accepts.
        let server = try RecordingHTTPServer { _ in
            replies.lock.lock(); defer { replies.lock.unlock() }
            guard replies.healed else { return .init(status: 502, body: "bad gateway") }
            replies.afterHeal += 1
            return replies.afterHeal == 1 ? .init(status: 502, body: "still warming up") : .init(status: 200)
        }
        defer { server.stop() }
        let dispatcher = try startGivingUpQuickly(history, server)
        defer { dispatcher.stop() }
        #expect(waitFor(5) { dispatcher.stats().failed == 1 })
        usleep(500_000)   // the row is now well past its give-up age
        replies.lock.lock(); replies.healed = true; replies.lock.unlock()
        #expect(try history.store.requeueFailedNotifications() == 1)
        let requeued = try #require(try history.store.outboxRows(state: .pending).first)
        #expect(Double(Timestamp.now().nanoseconds - requeued.created.nanoseconds) / 1e9 < 0.4, "the give-up age restarts at the requeue")
        dispatcher.wake()
        #expect(waitFor(5) { (try? history.store.outboxSummary().first?.delivered) == 1 },
                "one transient error after a requeue is retried, not failed at once")
        #expect(try history.store.outboxRows(state: .failed).isEmpty)
    }

    @Test func stoppingDrainsWhatIsDue() throws {
        let history = try TempHistory()
        defer { history.cleanup() }
        let server = try RecordingHTTPServer { _ in .init(status: 200, delay: 0.05) }
        defer { server.stop() }
        let dispatcher = NotificationDispatcher(store: history.store, config: NotificationConfig(channels: [testChannel("hook", .webhook, url: server.baseURL + "/in")]),
                                                options: fastOptions())
        try dispatcher.start()
        try dispatcher.enqueue(distinct(8))
        dispatcher.stop(drainFor: 10)
        let rows = try history.store.outboxRows(limit: 20).map { "\($0.id) \($0.state) attempts \($0.attempts) \($0.lastError ?? "")" }
        #expect(try history.store.outboxSummary().first?.delivered == 8, "rows: \(rows)")
        #expect(outboxIDs(server.requests).count == 8)
    }
}
