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

    @Test func slackGetsBlockKitWithMrkdwnEscaped() throws {
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
        let section = try #require(body["blocks"]?.arrayValue?[1]["text"]?["text"]?.stringValue)
        #expect(section.contains("&lt;!channel&gt; @everyone &lt;@&amp;123&gt; &amp; &lt;http://evil.example|click&gt;"))
        #expect(!section.contains("\u{1b}"))
        #expect(section.contains("<https://tradsec.example/alerts/0|open in tradsec>"))
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
        #expect(body["blocks"]?.arrayValue?.count == 50)
        let first = body["blocks"]?.arrayValue?[1]["text"]?["text"]?.stringValue ?? ""
        #expect(first.hasSuffix("…"))
        #expect(!first.hasSuffix("&…") && !first.hasSuffix("&amp…") && !first.hasSuffix("&l…"))
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
                                                                environment: ["TG_TOKEN": token]) else { return }
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
        guard case .http(let request) = try ChannelSender.request(for: items, channel: testChannel("d", .discord, url: "https://discord.com/api/webhooks/1/t"), environment: [:]) else { return }
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
                                                                environment: ["PD_KEY": key]) else { return }
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
}
