import Foundation
import CurlClient
import TradsecCore

/// Discord execute webhook (`?wait=true`, so a 200 confirms the message was stored): `content`
/// at most 2000 characters, at most 10 embeds (title 256, description 4096, at most 25 fields of
/// name 256 / value 1024, footer 2048), and at most 6000 characters across all embeds.
/// `allowed_mentions: {parse: []}` so alert text can never ping @everyone, a role or a user;
/// the alert text sits in a code block and titles and field values have markdown escaped.
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
        let base = try m.secret(m.channel.url, "url")
        let url = base + (base.contains("?") ? "&" : "?") + "wait=true"
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
            let name = md(f.name, fieldNameLimit), value = md(f.value, fieldValueLimit)
            fields.append(.obj([("name", .string(name)), ("value", .string(value)), ("inline", .bool(f.value.count < 40))]))
            size += name.utf16.count + value.utf16.count
        }
        let footer = TextBudget.fit("tradsec · \(n.rule)", limit: footerLimit)
        size += footer.utf16.count
        var e: [(String, JSONValue)] = [
            ("title", .string(title)),
            ("description", .string(description)),
            ("color", .int(color(n.priority))),
            ("fields", .array(fields)),
            ("footer", .obj([("text", .string(footer))])),
            ("timestamp", .string(n.time.rfc3339(fractionDigits: 3))),
        ]
        if let link = n.link, link.hasPrefix("https://") || link.hasPrefix("http://") { e.append(("url", .string(link))) }
        return (.obj(e), size)
    }

    static func md(_ s: String, _ limit: Int) -> String {
        let out = TextBudget.fit(TextBudget.printable(s, keepNewlines: false), limit: limit, escape: TextBudget.discord)
        // A cut must not leave a lone escaping backslash before the ellipsis.
        return out.hasSuffix("\\…") ? String(out.dropLast(2)) + "…" : out
    }

    /// Alert text verbatim in a code block: nothing in it renders as markdown or a link. A run of
    /// backticks is broken with a zero-width space so the text cannot close the block.
    static func codeBlock(_ s: String, _ limit: Int) -> String {
        let safe = TextBudget.printable(s).replacingOccurrences(of: "```", with: "`\u{200B}`\u{200B}`")
        return "```\n" + TextBudget.fit(safe, limit: limit - 8) + "\n```"
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
