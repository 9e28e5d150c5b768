import CurlClient
import TradsecCore

/// Slack incoming webhook: `text` (the notification's fallback) plus Block Kit blocks: a
/// header (plain_text, at most 150 characters), one section per notification (at most 3000
/// characters each), a context line, at most 50 blocks in all.
///
/// Alert text only ever goes into `plain_text` objects, which Slack shows as written: no
/// mention, link, bold or code span can come out of it. The fallback `text` and the context
/// line are mrkdwn, so there `&`, `<` and `>` are escaped scalar by scalar as `&amp;`,
/// `&lt;`, `&gt;` (Slack's control characters: `<!channel>` would ping, `<url|text>` disguise
/// a link), and the context is `verbatim` (no automatic links or mentions).
enum SlackFormat {
    static let headerLimit = 150
    static let sectionLimit = 3000
    static let maxBlocks = 50
    /// Slack truncates a message's `text` past 40,000 characters; a plain-text resend stays well under.
    static let plainLimit = 12_000

    static func request(_ m: MessageContext) throws -> HTTPRequest {
        let url = try m.secret(m.channel.url, "url")
        var blocks: [JSONValue] = [
            .obj([("type", .string("header")), ("text", plainText(m.headline, limit: headerLimit, oneLine: true))]),
        ]
        let room = maxBlocks - 2   // the header and the closing context
        for (n, item) in m.items.enumerated() {
            let link = TextBudget.safeLink(item.notification.link)
            let needed = link == nil ? 1 : 2
            // Room for this notification and, when more follow, the line saying so.
            let last = n == m.items.count - 1
            if blocks.count - 1 + needed + (last ? 0 : 1) > room {
                blocks.append(section(plainText("… and \(m.items.count - n) more in tradsec notify outbox", limit: sectionLimit)))
                break
            }
            blocks.append(section(plainText(PlainText.lines(item.notification).joined(separator: "\n"), limit: sectionLimit)))
            if let link { blocks.append(context("<\(link)|open in tradsec>")) }
        }
        blocks.append(context(TextBudget.fit(TextBudget.printable("tradsec · \(m.first.host) · \(m.first.time.rfc3339(fractionDigits: 0))", keepNewlines: false),
                                             limit: 3000, escape: TextBudget.slack)))
        return m.httpRequest(url: url, json: .obj([("text", .string(fallback(m.headline, limit: 3000))), ("blocks", .array(blocks))]))
    }

    /// The message again without blocks, when Slack refused them: `text` only, escaped.
    static func plainRequest(_ m: MessageContext) throws -> HTTPRequest {
        let url = try m.secret(m.channel.url, "url")
        let text = TextBudget.pack(m.notifications.map { PlainText.lines($0) }, limit: plainLimit) { "… and \($0) more in tradsec notify outbox" }
        return m.httpRequest(url: url, json: .obj([("text", .string(fallback(text, limit: plainLimit)))]))
    }

    /// mrkdwn that shows `text` as written: printable, `&<>` escaped.
    static func fallback(_ text: String, limit: Int) -> String {
        TextBudget.fit(TextBudget.printable(text), limit: limit, escape: TextBudget.slack)
    }

    static func plainText(_ text: String, limit: Int, oneLine: Bool = false) -> JSONValue {
        .obj([("type", .string("plain_text")),
              ("text", .string(TextBudget.fit(TextBudget.printable(text, keepNewlines: !oneLine), limit: limit))),
              ("emoji", .bool(false))])
    }

    static func section(_ text: JSONValue) -> JSONValue {
        .obj([("type", .string("section")), ("text", text)])
    }

    /// A context block of one mrkdwn element; `mrkdwn` is already escaped.
    static func context(_ mrkdwn: String) -> JSONValue {
        .obj([("type", .string("context")),
              ("elements", .array([.obj([("type", .string("mrkdwn")), ("text", .string(mrkdwn)), ("verbatim", .bool(true))])]))])
    }
}
