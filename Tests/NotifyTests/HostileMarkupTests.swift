import AlertStore
import Foundation
import CurlClient
@testable import Notify
import Testing
import TestSupport
import TradsecCore

/// Alert text that hides markup inside grapheme clusters, pings everyone, disguises links or
/// breaks a service's parser: every chat payload must show it as written, a service refusing
/// the markup must get the alert again as plain text, and a receiver's wait must stay sane.
@Suite struct HostileMarkupTests {
    /// `"\u{600}<"` and `">\u{301}"` are one `Character` each: escaping by `Character` missed them.
    static let fields: [(String, String)] = [
        ("prepend", "\u{600}<!channel>"),
        ("combining", ">\u{301} quoted"),
        ("ticks", "```rm -rf``` `x`"),
        ("mass", "@everyone @here <!here>"),
        ("masked", "[bank](http://evil.example)"),
        ("slacklink", "<http://evil.example|bank>"),
        ("html", "<a href=\"http://evil.example\">bank</a> &amp;"),
        ("list", "1. -# # > ||spoiler|| :joy:"),
    ]

    static func notification(_ n: Int = 0) -> Notify.Notification {
        Notification(priority: .critical, rule: "\u{600}<!channel>", container: "bot1", containerID: "bot1-id", host: "trade-host-1",
                     title: "Critical: \u{600}<!channel> >\u{301}",
                     text: "\u{600}<b>x</b> ``` @everyone [x](http://evil.example) >\u{301} `\u{301}``",
                     fields: fields.map { .init($0.0, $0.1) }, link: "https://tradsec.example/alerts/\(n)",
                     time: Timestamp(nanoseconds: 1_795_000_000_000_000_000), alertID: Int64(n))
    }

    static var items: [QueuedNotification] { [QueuedNotification(rowID: 7, notification: notification())] }

    /// Scalar-exact comparisons: `String`'s `==` and `contains` compare `Character`s, which is
    /// exactly what hid the markup.
    func scalars(_ s: String?) -> [Unicode.Scalar] { Array((s ?? "").unicodeScalars) }

    func contains(_ haystack: String?, _ needle: String) -> Bool {
        let h = scalars(haystack), n = scalars(needle)
        guard n.count <= h.count else { return false }
        return (0...(h.count - n.count)).contains { Array(h[$0..<($0 + n.count)]) == n }
    }

    func body(_ channel: ChannelConfig, _ environment: [String: String] = [:]) throws -> JSONValue {
        guard case .http(let request) = try ChannelSender.request(for: Self.items, channel: channel, environment: environment) else {
            throw NotifyError.channelConfig(channel: channel.name, problem: "is not sent over HTTP")
        }
        return try JSONParser.parse(request.body ?? [])
    }

    func telegramChannel(_ url: String) -> ChannelConfig {
        var c = testChannel("tg", .telegram, url: url)
        c.token = .inline("123456:ABC-secret-token")
        c.chatID = "-1001234567890"
        return c
    }

    // MARK: - Escaping by scalar

    @Test func slackShowsEveryHostileFieldAsWritten() throws {
        let body = try body(testChannel("s", .slack, url: "https://hooks.slack.com/x"))
        #expect(ServiceValidators.slack(body) == [])
        // The fallback is mrkdwn: the three control characters are entities, scalar by scalar.
        #expect(scalars(body["text"]?.stringValue) == scalars("Critical: \u{600}&lt;!channel&gt; &gt;\u{301}"))
        let blocks = try #require(body["blocks"]?.arrayValue)
        // Alert text only in plain_text objects, verbatim.
        let section = try #require(blocks.first { $0["type"]?.stringValue == "section" }?["text"])
        #expect(section["type"]?.stringValue == "plain_text")
        for (name, value) in Self.fields { #expect(contains(section["text"]?.stringValue, "\(name): \(value)"), "\(name)") }
        #expect(contains(section["text"]?.stringValue, "\u{600}<b>x</b> ``` @everyone [x](http://evil.example) >\u{301}"))
        // Every mrkdwn object is verbatim (no automatic links or mentions) and carries no alert text raw.
        for block in blocks where block["type"]?.stringValue == "context" {
            for element in block["elements"]?.arrayValue ?? [] {
                #expect(element["type"]?.stringValue == "mrkdwn" && element["verbatim"] == .bool(true))
                #expect(ServiceValidators.slackMarkup(element["text"]?.stringValue ?? "") == [])
            }
        }
    }

    @Test func telegramShowsEveryHostileFieldAsWritten() throws {
        let body = try body(telegramChannel("https://api.telegram.org"))
        #expect(ServiceValidators.telegram(body, path: "/bot123456:ABC-secret-token/sendMessage", token: "123456:ABC-secret-token") == [])
        let text = body["text"]?.stringValue
        #expect(contains(text, "<b>Critical: \u{600}&lt;!channel&gt; &gt;\u{301}</b>\n"))
        #expect(contains(text, "<i>prepend</i>: \u{600}&lt;!channel&gt;\n"))
        #expect(contains(text, "<i>combining</i>: &gt;\u{301} quoted\n"))
        #expect(contains(text, "<i>html</i>: &lt;a href=&quot;http://evil.example&quot;&gt;bank&lt;/a&gt; &amp;amp;\n"))
        #expect(contains(text, "<i>slacklink</i>: &lt;http://evil.example|bank&gt;\n"))
        #expect(contains(text, "<a href=\"https://tradsec.example/alerts/0\">open in tradsec</a>"))
        // The only tags are ours: b, i and the one link.
        let opened = scalars(text).indices.filter { scalars(text)[$0] == "<" }.count
        #expect(opened == 2 * (1 + Self.fields.count) + 2)
    }

    @Test func discordShowsEveryHostileFieldAsWritten() throws {
        let body = try body(testChannel("d", .discord, url: "https://discord.com/api/webhooks/1/t"))
        #expect(ServiceValidators.discord(body, path: "/api/webhooks/1/t?wait=true") == [])
        #expect(body["allowed_mentions"]?["parse"]?.arrayValue == [])
        let embed = try #require(body["embeds"]?.arrayValue?.first)
        #expect(scalars(embed["title"]?.stringValue) == scalars("Critical\\: \u{600}\\<!channel\\> \\>\u{301}"))
        let values = Dictionary(uniqueKeysWithValues: (embed["fields"]?.arrayValue ?? []).map {
            ($0["name"]?.stringValue ?? "", scalars($0["value"]?.stringValue))
        })
        #expect(values["prepend"] == scalars("\u{600}\\<!channel\\>"))
        #expect(values["combining"] == scalars("\\>\u{301} quoted"))
        #expect(values["ticks"] == scalars("\\`\\`\\`rm \\-rf\\`\\`\\` \\`x\\`"))
        #expect(values["mass"] == scalars("\\@everyone \\@here \\<!here\\>"))
        #expect(values["masked"] == scalars("\\[bank\\]\\(http\\://evil.example\\)"))
        #expect(values["list"] == scalars("1\\. \\-\\# \\# \\> \\|\\|spoiler\\|\\| \\:joy\\:"))
        // The alert text in a code block it cannot close: every backtick run broken, by scalar.
        #expect(scalars(embed["description"]?.stringValue)
                == scalars("```\n\u{600}<b>x</b> `\u{200B}`\u{200B}` @everyone [x](http://evil.example) >\u{301} `\u{301}`\u{200B}`\n```"))
    }

    @Test func theValidatorsSeeMarkupACharacterHides() {
        // What escaping by Character let through: the checks above would catch it.
        #expect(!ServiceValidators.slackMarkup("Critical: \u{600}<!channel>").isEmpty)
        #expect(!ServiceValidators.slackMarkup("&gt;\u{301} >\u{301}").isEmpty)
        #expect(!ServiceValidators.discordMarkdown("\\>\u{301} `\u{301}").isEmpty)
        #expect(!ServiceValidators.discordCodeBlock("```\nx ``\u{301}`\n```").isEmpty)
        #expect(!ServiceValidators.telegram(.object(JSONObject([("chat_id", .int(1)), ("parse_mode", .string("HTML")), ("text", .string("\u{600}<x"))])),
                                            path: "/botT/sendMessage", token: "T").isEmpty)
    }

    @Test func cutsNeverSplitAnEscapeOrLeaveMarkupOpen() {
        let text = String(repeating: "\u{600}<&>😀a\u{301}*``\\[", count: 12)
        for limit in 1...120 {
            let slack = TextBudget.fit(text, limit: limit, escape: TextBudget.slack)
            #expect(slack.utf16.count <= limit)
            #expect(ServiceValidators.slackMarkup(slack) == [], "limit \(limit): \(slack)")
            let telegram = TextBudget.fit(text, limit: limit, escape: TextBudget.telegramHTML)
            #expect(telegram.utf16.count <= limit)
            #expect(ServiceValidators.telegram(.object(JSONObject([("chat_id", .int(1)), ("parse_mode", .string("HTML")), ("text", .string(telegram + "x"))])),
                                               path: "/botT/sendMessage", token: "T") == [], "limit \(limit): \(telegram)")
            let discord = DiscordFormat.md(text, limit)
            #expect(discord.utf16.count <= limit)
            #expect(ServiceValidators.discordMarkdown(discord) == [], "limit \(limit): \(discord)")
            let block = DiscordFormat.codeBlock(text, limit + 8)
            #expect(block.utf16.count <= limit + 8)
            #expect(ServiceValidators.discordCodeBlock(block) == [], "limit \(limit): \(block)")
        }
        // What is kept is whole: the cut falls between escapes, before the ellipsis.
        #expect(scalars(TextBudget.fit("<<<<", limit: 10, escape: TextBudget.slack)) == scalars("&lt;&lt;…"))
        #expect(scalars(TextBudget.fit("😀😀😀", limit: 4)) == scalars("😀…"))
    }

    @Test func aMessageOnlyPlainTextCanCarryStaysPlain() throws {
        // The plain-text resends: Telegram without parse_mode, Slack text only, Discord content in a code block.
        let telegram = try #require(try ChannelSender.plainRequest(for: Self.items, channel: telegramChannel("https://api.telegram.org"), environment: [:]))
        let tg = try JSONParser.parse(telegram.body ?? [])
        #expect(tg["parse_mode"] == nil)
        #expect(contains(tg["text"]?.stringValue, "Critical: \u{600}<!channel> >\u{301}\n"))
        #expect(contains(tg["text"]?.stringValue, "html: <a href=\"http://evil.example\">bank</a> &amp;\n"))

        let slack = try #require(try ChannelSender.plainRequest(for: Self.items, channel: testChannel("s", .slack, url: "https://hooks.slack.com/x"), environment: [:]))
        let sl = try JSONParser.parse(slack.body ?? [])
        #expect(sl["blocks"] == nil)
        #expect(ServiceValidators.slackMarkup(sl["text"]?.stringValue ?? "") == [])
        #expect(contains(sl["text"]?.stringValue, "prepend: \u{600}&lt;!channel&gt;\n"))

        let discord = try #require(try ChannelSender.plainRequest(for: Self.items, channel: testChannel("d", .discord, url: "https://discord.com/api/webhooks/1/t"), environment: [:]))
        #expect(discord.url.hasSuffix("?wait=true"))
        let dc = try JSONParser.parse(discord.body ?? [])
        #expect(dc["embeds"] == nil)
        #expect(dc["allowed_mentions"]?["parse"]?.arrayValue == [])
        let content = try #require(dc["content"]?.stringValue)
        #expect(content.utf16.count <= 2000)
        #expect(ServiceValidators.discordCodeBlock(content) == [])
        #expect(contains(content, "mass: @everyone @here <!here>\n"))

        // Services without markup have no resend.
        #expect(try ChannelSender.plainRequest(for: Self.items, channel: testChannel("w", .webhook, url: "http://127.0.0.1:9/x"), environment: [:]) == nil)
    }

    // MARK: - A refused markup is sent again as plain text

    @Test func telegramRefusingTheEntitiesGetsThePlainTextAndTheRowIsDelivered() throws {
        let history = try TempHistory()
        defer { history.cleanup() }
        let server = try RecordingHTTPServer { request in
            (try? JSONParser.parse(request.body))?["parse_mode"] != nil
                ? .init(status: 400, body: #"{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 0"}"#)
                : .init(status: 200, body: #"{"ok":true,"result":{"message_id":9}}"#)
        }
        defer { server.stop() }
        let channel = telegramChannel(server.baseURL)
        final class Lines: @unchecked Sendable { var all: [String] = []; let lock = NSLock() }
        let lines = Lines()
        var options = fastOptions()
        options.log = { line in lines.lock.lock(); lines.all.append(line); lines.lock.unlock() }
        let dispatcher = NotificationDispatcher(store: history.store, config: NotificationConfig(channels: [channel]), options: options)
        var n = Self.notification()
        n.title = "Critical: ؀<x"   // the binary an attacker names to silence their own alerts
        try dispatcher.enqueue([n])
        try dispatcher.start()
        defer { dispatcher.stop() }
        #expect(waitFor(5) { dispatcher.stats().channels.first?.notificationsDelivered == 1 })
        let requests = server.requests
        #expect(requests.count == 2)
        let plain = try JSONParser.parse(requests.last?.body ?? [])
        #expect(plain["parse_mode"] == nil)
        #expect(contains(plain["text"]?.stringValue, "Critical: \u{600}<x\n"))
        let row = try #require(try history.store.outboxRows(limit: 10).first)
        #expect(row.state == .delivered)
        #expect(row.attempts == 2, "the resend is counted as an attempt")
        #expect(try history.store.outboxRows(state: .failed).isEmpty)
        let stats = dispatcher.stats()
        #expect(stats.channels[0].plainTextFallbacks == 1)
        #expect(stats.channels[0].permanentFailures == 0)
        #expect(stats.prometheusText().contains("tradsec_notification_plain_text_resends_total{channel=\"tg\",type=\"telegram\"} 1\n"))
        lines.lock.lock(); defer { lines.lock.unlock() }
        #expect(lines.all.contains { $0.contains("refused the markup (HTTP 400: Bad Request: can't parse entities") && $0.contains("sent again as plain text") })
        #expect(!lines.all.joined().contains("ABC-secret-token"))
    }

    @Test func slackAndDiscordRefusalsAreSentAgainWithoutBlocksOrEmbeds() throws {
        let slackServer = try RecordingHTTPServer { request in
            (try? JSONParser.parse(request.body))?["blocks"] != nil ? .init(status: 400, body: "invalid_blocks") : .init(status: 200, body: "ok")
        }
        defer { slackServer.stop() }
        let slack = ChannelSender.deliver(Self.items, channel: testChannel("s", .slack, url: slackServer.baseURL + "/services/T/B/X"), environment: [:])
        #expect(slack.outcome == .delivered(status: 200))
        #expect(slack.markupRefused == "HTTP 400: invalid_blocks")
        #expect(slackServer.requests.count == 2)
        #expect((try JSONParser.parse(slackServer.requests[1].body))["blocks"] == nil)

        let discordServer = try RecordingHTTPServer { request in
            (try? JSONParser.parse(request.body))?["embeds"] != nil
                ? .init(status: 400, body: #"{"code":50035,"errors":{"embeds":{"0":{"fields":{"_errors":[{"code":"BASE_TYPE_REQUIRED"}]}}}},"message":"Invalid Form Body"}"#)
                : .init(status: 200, body: #"{"id":"1"}"#)
        }
        defer { discordServer.stop() }
        let discord = ChannelSender.deliver(Self.items, channel: testChannel("d", .discord, url: discordServer.baseURL + "/api/webhooks/1/t"), environment: [:])
        #expect(discord.outcome == .delivered(status: 200))
        #expect(discord.markupRefused?.hasPrefix("HTTP 400: {\"code\":50035") == true)
        #expect(discordServer.requests.last?.path == "/api/webhooks/1/t?wait=true")
        #expect((try JSONParser.parse(discordServer.requests[1].body))["embeds"] == nil)
    }

    @Test func onlyAMarkupRefusalIsResentAndAFailedResendSaysBoth() throws {
        // Refused in either form: failed for good, the reason names both refusals.
        let refusing = try RecordingHTTPServer { request in
            (try? JSONParser.parse(request.body))?["parse_mode"] != nil
                ? .init(status: 400, body: #"{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities: x"}"#)
                : .init(status: 400, body: #"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#)
        }
        defer { refusing.stop() }
        let both = ChannelSender.deliver(Self.items, channel: telegramChannel(refusing.baseURL), environment: [:])
        guard case .permanent(let reason) = both.outcome else { Issue.record("\(both)"); return }
        #expect(reason.hasPrefix("markup refused (HTTP 400: Bad Request: can't parse entities: x); plain text: HTTP 400: "), "\(reason)")
        #expect(reason.contains("chat not found"))
        #expect(refusing.requests.count == 2)

        // Any other 400 is the channel's problem, not the markup's: no resend.
        let other = try RecordingHTTPServer { _ in .init(status: 400, body: #"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#) }
        defer { other.stop() }
        let once = ChannelSender.deliver(Self.items, channel: telegramChannel(other.baseURL), environment: [:])
        #expect(once.markupRefused == nil)
        if case .permanent = once.outcome {} else { Issue.record("\(once)") }
        #expect(other.requests.count == 1)
        // A webhook has no markup: its 400 is never resent.
        let hook = try RecordingHTTPServer { _ in .init(status: 400, body: "invalid_payload") }
        defer { hook.stop() }
        #expect(ChannelSender.deliver(Self.items, channel: testChannel("w", .webhook, url: hook.baseURL), environment: [:]).markupRefused == nil)
        #expect(hook.requests.count == 1)
    }

    // MARK: - A receiver's wait, clamped

    @Test func retryAfterFromAPeerIsHeldToItsWindow() {
        func after(_ headers: [String: String], _ body: String = "") -> Double? {
            guard case .retry(_, let after) = DeliveryOutcome.classify(status: 429, headers: headers, body: Array(body.utf8)) else { return -1 }
            return after
        }
        let window = DeliveryOutcome.retryAfterWindow
        #expect(window == 0.5...3600)
        #expect(after(["retry-after": "-5"]) == 0.5)
        #expect(after(["retry-after": "1e300"]) == 3600)
        #expect(after(["retry-after": "inf"]) == 3600)
        #expect(after(["retry-after": "-inf"]) == 0.5)
        #expect(after(["retry-after": "nan"]) == nil, "no usable wait: the channel's backoff decides")
        #expect(after(["retry-after": "7"]) == 7)
        #expect(after([:], #"{"ok":false,"parameters":{"retry_after":-1e300}}"#) == 0.5)
        #expect(after([:], #"{"ok":false,"parameters":{"retry_after":-9223372036854775808}}"#) == 0.5)
        #expect(after([:], #"{"retry_after":1e20,"global":false}"#) == 3600)
        #expect(after([:], #"{"retry_after":18446744073709551615}"#) == 3600)
        #expect(after([:], #"{"retry_after":0.75}"#) == 0.75)
    }

    @Test func hugeAndNegativeWaitsAreScheduledInsideTheWindow() throws {
        for (body, low, high) in [(#"{"ok":false,"error_code":429,"parameters":{"retry_after":1e300}}"#, 3590.0, 3600.5),
                                  (#"{"ok":false,"error_code":429,"parameters":{"retry_after":-1e300}}"#, 0.4, 1.5)] {
            let history = try TempHistory()
            defer { history.cleanup() }
            let server = try RecordingHTTPServer { _ in .init(status: 429, body: body) }
            defer { server.stop() }
            let dispatcher = NotificationDispatcher(store: history.store, config: NotificationConfig(channels: [telegramChannel(server.baseURL)]),
                                                    options: fastOptions())
            try dispatcher.enqueue([Self.notification()])
            let before = Timestamp.now()
            try dispatcher.start()
            #expect(waitFor(5) { dispatcher.stats().channels[0].retries >= 1 })
            dispatcher.stop(drainFor: 0)
            let row = try #require(try history.store.outboxRows(limit: 1).first)
            #expect(row.state == .pending)
            let wait = Double(row.nextAttempt.nanoseconds - before.nanoseconds) / 1e9
            #expect(wait >= low && wait <= high, "\(body): next attempt in \(wait) s")
        }
    }
}
