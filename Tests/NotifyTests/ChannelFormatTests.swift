import Foundation
import CurlClient
import Notify
import Testing
import TestSupport
import TradsecCore

/// Each channel sends to a local fake of its service; the fake's validator checks the payload
/// against the service's documented API, and the test checks what arrived.
@Suite struct ChannelFormatTests {
    func queued(_ count: Int, priority: Priority = .critical) -> [QueuedNotification] {
        (0..<count).map { QueuedNotification(rowID: Int64(100 + $0), notification: hostileNotification($0, priority: priority)) }
    }

    @Test func slackGetsBlockKitWithAlertTextInPlainText() throws {
        let server = try RecordingHTTPServer { _ in .init(status: 200, body: "ok") }
        defer { server.stop() }
        let channel = testChannel("slack", .slack, url: server.baseURL + "/services/T0/B0/XYZ")
        let outcome = ChannelSender.send(queued(1), channel: channel, environment: [:])
        #expect(outcome == .delivered(status: 200))
        let request = try #require(server.requests.first)
        #expect(request.path == "/services/T0/B0/XYZ")
        #expect(request.headers["content-type"] == "application/json")
        let body = try parseJSON(request)
        #expect(ServiceValidators.slack(body) == [])
        // The alert text is plain_text, shown as written (no mention, link or formatting),
        // with the terminal escape made visible.
        let section = try #require(body["blocks"]?.arrayValue?[1]["text"])
        #expect(section["type"]?.stringValue == "plain_text")
        #expect(section["emoji"] == .bool(false))
        let text = try #require(section["text"]?.stringValue)
        #expect(text.contains("<!channel> @everyone <@&123> & <http://evil.example|click>"))
        #expect(!text.contains("\u{1b}") && text.contains("\u{FFFD}[2J"))
        // Our own link, in a verbatim mrkdwn context after the section.
        let link = try #require(body["blocks"]?.arrayValue?[2]["elements"]?.arrayValue?.first)
        #expect(link["text"]?.stringValue == "<https://tradsec.example/alerts/0|open in tradsec>")
        #expect(link["verbatim"] == .bool(true))
    }

    @Test func slackStaysInsideItsLimitsForHugeAndManyAlerts() throws {
        var big = hostileNotification(1)
        big.text = String(repeating: "<&>", count: 5000)
        big.title = String(repeating: "T", count: 500)
        let many = [QueuedNotification(rowID: 1, notification: big)] + (2..<80).map { QueuedNotification(rowID: Int64($0), notification: hostileNotification($0)) }
        guard case .http(let request) = try ChannelSender.request(for: many, channel: testChannel("s", .slack, url: "https://hooks.slack.com/x"), environment: [:]) else {
            Issue.record("slack is HTTP"); return
        }
        let body = try JSONParser.parse(request.body ?? [])
        #expect(ServiceValidators.slack(body) == [])
        let blocks = try #require(body["blocks"]?.arrayValue)
        #expect(blocks.count <= 50 && blocks.count >= 48)
        #expect(blocks.contains { $0["text"]?["text"]?.stringValue?.hasPrefix("… and ") == true && $0["text"]?["text"]?.stringValue?.hasSuffix(" more in tradsec notify outbox") == true })
        let first = blocks[1]["text"]?["text"]?.stringValue ?? ""
        #expect(first.contains("…\ncontainer: bot1"), "the text was cut, the fields follow")
        #expect(first.utf16.count <= 3000)
    }

    @Test func telegramGetsSendMessageInHTMLWithEntities() throws {
        let token = "123456:ABC-secret-token"
        let server = try RecordingHTTPServer { _ in .init(status: 200, body: #"{"ok":true,"result":{"message_id":1}}"#) }
        defer { server.stop() }
        var channel = testChannel("tg", .telegram, url: server.baseURL)
        channel.token = .environment("TG_TOKEN")
        channel.chatID = "-1001234567890"
        #expect(ChannelSender.send(queued(3), channel: channel, environment: ["TG_TOKEN": token]) == .delivered(status: 200))
        let request = try #require(server.requests.first)
        let body = try parseJSON(request)
        #expect(ServiceValidators.telegram(body, path: request.path, token: token) == [])
        #expect(body["chat_id"] == .int(-1001234567890))
        let text = try #require(body["text"]?.stringValue)
        #expect(text.contains("&lt;b&gt;bold&lt;/b&gt;"))
        #expect(text.contains("<b>Critical: Read sensitive file #0</b>"))
        #expect(text.contains("<a href=\"https://tradsec.example/alerts/0\">open in tradsec</a>"))
        #expect(text.contains("#2"))

        // 4096 after entity parsing, even for a text made of characters that all need escaping.
        var huge = hostileNotification(9)
        huge.text = String(repeating: "&<>", count: 3000)
        huge.fields = (0..<40).map { .init("f\($0)", String(repeating: "<", count: 400)) }
        guard case .http(let big) = try ChannelSender.request(for: [QueuedNotification(rowID: 1, notification: huge)] + queued(5), channel: channel,
                                                                environment: ["TG_TOKEN": token]) else {
            Issue.record("telegram is HTTP"); return
        }
        let bigBody = try JSONParser.parse(big.body ?? [])
        #expect(ServiceValidators.telegram(bigBody, path: "/bot\(token)/sendMessage", token: token) == [])
        #expect(bigBody["text"]?.stringValue?.contains("more</i>") == true)
    }

    @Test func telegramsRetryAfterIsHonoured() throws {
        let server = try RecordingHTTPServer { _ in
            .init(status: 429, body: #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#)
        }
        defer { server.stop() }
        var channel = testChannel("tg", .telegram, url: server.baseURL)
        channel.token = .inline("1:tok")
        channel.chatID = "@ops"
        let outcome = ChannelSender.send(queued(1), channel: channel, environment: [:])
        guard case .retry(_, let after) = outcome else { Issue.record("429 must be retried: \(outcome)"); return }
        #expect(after == 7)
        #expect(try parseJSON(try #require(server.requests.first))["chat_id"] == .string("@ops"))
    }

    @Test func discordGetsEmbedsWithMentionsOff() throws {
        let server = try RecordingHTTPServer { _ in .init(status: 200, body: #"{"id":"1"}"#) }
        defer { server.stop() }
        let channel = testChannel("dc", .discord, url: server.baseURL + "/api/webhooks/1/tok")
        #expect(ChannelSender.send(queued(2), channel: channel, environment: [:]) == .delivered(status: 200))
        let request = try #require(server.requests.first)
        #expect(request.path == "/api/webhooks/1/tok?wait=true")
        let body = try parseJSON(request)
        #expect(ServiceValidators.discord(body, path: request.path) == [])
        let embed = try #require(body["embeds"]?.arrayValue?.first)
        let description = try #require(embed["description"]?.stringValue)
        #expect(description.hasPrefix("```\n") && description.hasSuffix("\n```"))
        // The alert's own ``` cannot close the code block early.
        #expect(description.dropFirst(4).dropLast(4).contains("```") == false)
        #expect(embed["fields"]?.arrayValue?.contains { $0["value"]?.stringValue == "\\<root\\>" } == true)
    }

    @Test func discordKeepsTenEmbedsAndSixThousandCharacters() throws {
        var items: [QueuedNotification] = []
        for n in 0..<15 {
            var x: Notify.Notification = hostileNotification(n)
            x.text = String(repeating: "x", count: 3000)
            items.append(QueuedNotification(rowID: Int64(n + 1), notification: x))
        }
        guard case .http(let request) = try ChannelSender.request(for: items, channel: testChannel("d", .discord, url: "https://discord.com/api/webhooks/1/t"), environment: [:]) else {
            Issue.record("discord is HTTP"); return
        }
        let body = try JSONParser.parse(request.body ?? [])
        #expect(ServiceValidators.discord(body, path: request.url) == [])
        #expect(body["content"]?.stringValue?.contains("more not shown") == true)
    }

    @Test func pagerDutyGetsAnEventsV2TriggerWithADedupKey() throws {
        let server = try RecordingHTTPServer { _ in .init(status: 202, body: #"{"status":"success","message":"Event processed","dedup_key":"k"}"#) }
        defer { server.stop() }
        var channel = testChannel("pd", .pagerduty, url: server.baseURL + "/v2/enqueue")
        channel.routingKey = .environment("PD_KEY")
        let key = "R0UT1NGK3YR0UT1NGK3YR0UT1NGK3Y12"
        #expect(ChannelSender.send(queued(2), channel: channel, environment: ["PD_KEY": key]) == .delivered(status: 202))
        #expect(ChannelSender.send(queued(1, priority: .notice), channel: channel, environment: ["PD_KEY": key]) == .delivered(status: 202))
        let requests = server.requests
        #expect(requests.count == 2)
        let body = try parseJSON(requests[0])
        #expect(ServiceValidators.pagerDuty(body) == [])
        #expect(body["routing_key"]?.stringValue == key)
        #expect(body["event_action"]?.stringValue == "trigger")
        #expect(body["payload"]?["severity"]?.stringValue == "critical")
        #expect(body["payload"]?["source"]?.stringValue == "trade-host-1")
        #expect(body["payload"]?["custom_details"]?["count"] == .int(2))
        #expect(body["dedup_key"]?.stringValue == "tradsec:trade-host-1:alert|Read sensitive file|bot1-id")
        #expect(try parseJSON(requests[1])["payload"]?["severity"]?.stringValue == "info")

        var long = hostileNotification(1)
        long.rule = String(repeating: "r", count: 600)
        long.text = String(repeating: "y", count: 5000)
        guard case .http(let big) = try ChannelSender.request(for: [QueuedNotification(rowID: 1, notification: long)], channel: channel,
                                                                environment: ["PD_KEY": key]) else {
            Issue.record("pagerduty is HTTP"); return
        }
        #expect(ServiceValidators.pagerDuty(try JSONParser.parse(big.body ?? [])) == [])
    }

    @Test func aWebhookCarriesAnIdempotencyKeyAndExtraHeaders() throws {
        let server = try RecordingHTTPServer()
        defer { server.stop() }
        var channel = testChannel("hook", .webhook, url: server.baseURL + "/in")
        channel.headers = ["Authorization": .environment("HOOK_AUTH")]
        #expect(ChannelSender.send(queued(2), channel: channel, environment: ["HOOK_AUTH": "Bearer s3cr3t-value"]).isDelivered)
        let request = try #require(server.requests.first)
        #expect(request.headers["idempotency-key"] == "tradsec-hook-100")
        #expect(request.headers["authorization"] == "Bearer s3cr3t-value")
        let body = try parseJSON(request)
        #expect(body["idempotency_key"]?.stringValue == "tradsec-hook-100")
        let items = try #require(body["notifications"]?.arrayValue)
        #expect(items.count == 2)
        #expect(items[0]["text"]?.stringValue == "attempt 0: " + hostileText)   // JSON keeps it verbatim; the receiver escapes
        #expect(items[1]["outbox_id"] == .int(101))
    }

    @Test func repliesAreClassifiedAsTheAPIsDescribeThem() throws {
        func reply(_ status: Int, _ body: String = "", _ headers: [String: String] = [:]) -> DeliveryOutcome {
            DeliveryOutcome.classify(status: status, headers: headers, body: Array(body.utf8))
        }
        #expect(reply(204) == .delivered(status: 204))
        #expect(reply(429, "", ["retry-after": "3"]) == .retry(reason: "HTTP 429", after: 3))
        #expect(reply(429, #"{"message":"You are being rate limited.","retry_after":0.75,"global":false}"#)
                == .retry(reason: #"HTTP 429: {"message":"You are being rate limited.","retry_after":0.75,"global":false}"#, after: 0.75))
        #expect(reply(408) == .retry(reason: "HTTP 408", after: nil))
        #expect(reply(503, "down") == .retry(reason: "HTTP 503: down", after: nil))
        #expect(reply(400, "invalid_payload") == .permanent(reason: "HTTP 400: invalid_payload"))
        #expect(reply(404, "no_service") == .permanent(reason: "HTTP 404: no_service"))
        if case .permanent = reply(301) {} else { Issue.record("a redirect is not followed") }
    }

    @Test func backoffGrowsToItsCapWithJitter() {
        let b = Backoff(initial: 1, max: 30)
        #expect(b.delay(attempt: 1, random: 0.999) <= 1)
        #expect(b.delay(attempt: 1, random: 0) == 0.5)
        #expect(b.delay(attempt: 4, random: 0.999) > 7.9)
        #expect(b.delay(attempt: 20, random: 0.999) <= 30)
        #expect(b.delay(attempt: 20, random: 0) == 15)
    }

    @Test func anUnreachableReceiverIsRetriedAndItsSecretNeverStored() throws {
        let server = try RecordingHTTPServer()
        let url = server.baseURL + "/T0/SECRETPATH123"
        server.stop()
        let outcome = ChannelSender.send(queued(1), channel: testChannel("s", .slack, url: url), environment: [:])
        guard case .retry(let reason, nil) = outcome else { Issue.record("refused connection must be retried: \(outcome)"); return }
        #expect(!reason.contains("SECRETPATH123"))
        let missing = ChannelSender.send(queued(1), channel: { var c = testChannel("s", .slack, url: ""); c.url = .environment("NOPE_URL"); return c }(), environment: [:])
        #expect(missing == .retry(reason: "environment variable NOPE_URL is not set", after: nil))
    }

    @Test func aReceiverEchoingItsURLAndTokenHasThemRedacted() throws {
        // The receiver answers 400 with the path it was called on (which carries the secret).
        let echo = try RecordingHTTPServer { request in .init(status: 400, body: "no such hook: \(request.path)") }
        defer { echo.stop() }
        let slack = ChannelSender.send(queued(1), channel: testChannel("s", .slack, url: echo.baseURL + "/services/T0/SECRETPATH123"), environment: [:])
        guard case .permanent(let reason) = slack else { Issue.record("a 400 is permanent: \(slack)"); return }
        #expect(reason.contains("[secret]"), "\(reason)")
        #expect(!reason.contains("SECRETPATH123"), "\(reason)")

        let token = "123456:ABC-secret-token"
        var telegram = testChannel("tg", .telegram, url: echo.baseURL)
        telegram.token = .environment("TG_TOKEN")
        telegram.chatID = "-1001234567890"
        let tg = ChannelSender.send(queued(1), channel: telegram, environment: ["TG_TOKEN": token])
        guard case .permanent(let tgReason) = tg else { Issue.record("a 400 is permanent: \(tg)"); return }
        #expect(tgReason.contains("[secret]"), "\(tgReason)")
        #expect(!tgReason.contains("ABC-secret-token"), "\(tgReason)")

        // What the dispatcher stores is the redacted text.
        let history = try TempHistory()
        defer { history.cleanup() }
        let dispatcher = NotificationDispatcher(store: history.store, config: NotificationConfig(channels: [testChannel("s", .slack, url: echo.baseURL + "/services/T0/SECRETPATH123")]),
                                                options: fastOptions())
        try dispatcher.enqueue([hostileNotification(1)])
        try dispatcher.start()
        defer { dispatcher.stop() }
        #expect(waitFor(5) { dispatcher.stats().failed == 1 })
        let stored = try #require(try history.store.outboxRows(state: .failed).first?.lastError)
        #expect(stored.contains("[secret]") && !stored.contains("SECRETPATH123"), "\(stored)")
    }

    @Test func bidiOverridesAndZeroWidthCharactersNeverReachAChannel() throws {
        var n = hostileNotification(1)
        n.title = "Critical: bot \u{202E}txt.exe\u{202C} \u{200B}zero"
        n.text = "file \u{202E}gpj.sh \u{2066}isolate\u{2069}"
        n.fields = [.init("file", "/tmp/\u{202E}fdp.sh")]
        let items = [QueuedNotification(rowID: 1, notification: n)]
        var telegram = testChannel("tg", .telegram, url: "https://api.telegram.org")
        telegram.token = .inline("123456:ABC-secret-token")
        telegram.chatID = "-1001234567890"
        let channels = [testChannel("s", .slack, url: "https://hooks.slack.com/x"), telegram,
                        testChannel("d", .discord, url: "https://discord.com/api/webhooks/1/t")]
        for channel in channels {
            guard case .http(let request) = try ChannelSender.request(for: items, channel: channel, environment: [:]) else {
                Issue.record("\(channel.name) is HTTP"); continue
            }
            // JSON may carry them as \u escapes: parse, then look at the strings.
            let body = JSONWriter.string(try JSONParser.parse(request.body ?? []))
            let text = body
            #expect(!text.unicodeScalars.contains { TerminalSafe.isUnsafe($0) && $0.value > 0x7F }, "\(channel.name): \(text)")
            #expect(text.contains("\u{FFFD}"), "\(channel.name) shows that something was there")
        }
        var mail = ChannelConfig(name: "mail", kind: .email)
        mail.url = .inline("smtp://127.0.0.1:25")
        mail.from = "a@b"
        mail.to = ["c@d"]
        guard case .smtp(let message) = try ChannelSender.request(for: items, channel: mail, environment: [:]) else {
            Issue.record("email is SMTP"); return
        }
        let head = String(decoding: message.message, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
        var subject = ""
        for word in head.components(separatedBy: "\r\n").drop(while: { !$0.hasPrefix("Subject: ") }).prefix(while: { $0.hasPrefix("Subject: ") || $0.hasPrefix(" ") }) {
            let w = word.hasPrefix("Subject: ") ? String(word.dropFirst(9)) : String(word.dropFirst())
            guard w.hasPrefix("=?UTF-8?B?") else { subject += w; continue }
            subject += String(decoding: try #require(Data(base64Encoded: String(w.dropFirst(10).dropLast(2)))), as: UTF8.self)
        }
        #expect(subject.hasPrefix("[tradsec] Critical: bot "), "\(subject)")
        #expect(!subject.unicodeScalars.contains { TerminalSafe.isUnsafe($0) }, "\(subject)")
    }
}
