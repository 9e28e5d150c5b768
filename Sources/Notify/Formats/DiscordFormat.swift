import Foundation
import CurlClient
import TradsecCore

/// Discord execute webhook (`?wait=true`, so a 200 confirms the message was stored): `content`
/// at most 2000 characters, at most 10 embeds (title 256, description 4096, at most 25 fields of
/// name 256 / value 1024, footer 2048), and at most 6000 characters across all embeds.
/// `allowed_mentions: {parse: []}` so alert text can never ping @everyone, a role or a user;
/// the alert text sits in a code block and titles and field values have markdown escaped,
/// scalar by scalar.
enum DiscordFormat {
    static let contentLimit = 2000
    static let maxEmbeds = 10
    static let embedsTotal = 6000
    static let titleLimit = 256
    static let descriptionLimit = 4096
    static let maxFields = 25
    static let fieldNameLimit = 256
    static let fieldValueLimit = 1024
    static let footerLimit = 2048

    static func request(_ m: MessageContext) throws -> HTTPRequest {
        let url = try webhookURL(m)
        var embeds: [JSONValue] = []
        var total = 0
        var left = 0
        for (n, item) in m.items.enumerated() {
            let (embed, size) = self.embed(item.notification)
            if embeds.count == maxEmbeds || total + size > embedsTotal {
                left = m.items.count - n
                break
            }
            embeds.append(embed)
            total += size
        }
        var content = "**tradsec**: \(m.items.count) \(m.first.kind == .incident ? "incident update" : "alert")\(m.items.count == 1 ? "" : "s") on \(md(m.first.host, 200))"
        if left > 0 { content += " (\(left) more not shown: `tradsec notify outbox`)" }
        var body: [(String, JSONValue)] = [
            ("content", .string(TextBudget.fit(content, limit: contentLimit))),
            ("embeds", .array(embeds)),
            ("allowed_mentions", .obj([("parse", .array([]))])),
        ]
        if let name = m.channel.displayName { body.append(("username", .string(TextBudget.fit(name, limit: 80)))) }
        return m.httpRequest(url: url, json: .obj(body))
    }

    /// The embed and the characters it counts against the 6000 total.
    static func embed(_ n: Notification) -> (JSONValue, Int) {
        let title = md(n.title, titleLimit)
        let description = codeBlock(n.text, descriptionLimit)
        var fields: [JSONValue] = []
        var size = title.utf16.count + description.utf16.count
        for f in n.fields.prefix(maxFields) {
            // Discord refuses an empty field name or value.
            let name = md(f.name, fieldNameLimit).orDash, value = md(f.value, fieldValueLimit).orDash
            fields.append(.obj([("name", .string(name)), ("value", .string(value)), ("inline", .bool(f.value.utf16.count < 40))]))
            size += name.utf16.count + value.utf16.count
        }
        // Footers show no markdown: printable is enough.
        let footer = TextBudget.fit(TextBudget.printable("tradsec · \(n.rule)", keepNewlines: false), limit: footerLimit)
        size += footer.utf16.count
        var e: [(String, JSONValue)] = [
            ("title", .string(title)),
            ("description", .string(description)),
            ("color", .int(color(n.priority))),
            ("fields", .array(fields)),
            ("footer", .obj([("text", .string(footer))])),
            ("timestamp", .string(n.time.rfc3339(fractionDigits: 3))),
        ]
        if let link = TextBudget.safeLink(n.link) { e.append(("url", .string(link))) }
        return (.obj(e), size)
    }

    /// One line of markdown that shows `s` as written: every markup character escaped
    /// (``TextBudget/discord(_:)``), and the dot of a leading `1.` too (an ordered list).
    static func md(_ s: String, _ limit: Int) -> String {
        var leadingDigits = true
        return TextBudget.fit(TextBudget.printable(s, keepNewlines: false), limit: limit) { c in
            defer { leadingDigits = leadingDigits && ("0"..."9").contains(c) }
            return leadingDigits && c == "." ? "\\." : TextBudget.discord(c)
        }
    }

    /// Alert text verbatim in a code block: nothing in it renders as markdown or a link. A
    /// zero-width space goes between any two backticks, so the text cannot close the block.
    static func codeBlock(_ s: String, _ limit: Int) -> String {
        "```\n" + TextBudget.fit(TextBudget.printable(s), limit: limit - 8, escape: breakingBackticks()) + "\n```"
    }

    /// An escape for ``TextBudget/fit(_:limit:escape:)`` that puts U+200B before a backtick
    /// that follows another, by scalar (a `Character` may hide one: "`\u{301}").
    static func breakingBackticks() -> (Unicode.Scalar) -> String? {
        var afterBacktick = false
        return { c in
            defer { afterBacktick = c == "`" }
            return afterBacktick && c == "`" ? "\u{200B}`" : nil
        }
    }

    /// The message again without embeds, when Discord refused them: `content` only, the
    /// notifications as plain lines in a code block, mentions still off.
    static func plainRequest(_ m: MessageContext) throws -> HTTPRequest {
        let lines = m.notifications.map { PlainText.lines($0, textLimit: 1200, valueLimit: 200).map { line in
            TextBudget.fit(line, limit: contentLimit - 8, escape: breakingBackticks())
        } }
        let text = TextBudget.pack(lines, limit: contentLimit - 8, reserve: 32) { "… and \($0) more" }
        var body: [(String, JSONValue)] = [
            ("content", .string("```\n" + text + "\n```")),
            ("allowed_mentions", .obj([("parse", .array([]))])),
        ]
        if let name = m.channel.displayName { body.append(("username", .string(TextBudget.fit(name, limit: 80)))) }
        return m.httpRequest(url: try webhookURL(m), json: .obj(body))
    }

    static func webhookURL(_ m: MessageContext) throws -> String {
        let base = try m.secret(m.channel.url, "url")
        return base + (base.contains("?") ? "&" : "?") + "wait=true"
    }

    static func color(_ p: Priority) -> Int64 {
        switch p {
        case .emergency, .alert, .critical: 0xD0021B
        case .error: 0xF5A623
        case .warning: 0xF8E71C
        default: 0x4A90E2
        }
    }
}

private extension String {
    var orDash: String { isEmpty ? "–" : self }
}
