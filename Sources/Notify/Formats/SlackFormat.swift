import CurlClient
import TradsecCore

/// Slack incoming webhook: `text` (the notification's fallback, mrkdwn) plus Block Kit blocks:
/// a header (plain_text, at most 150 characters), one mrkdwn section per notification (at most
/// 3000 characters each), a context line, at most 50 blocks in all. `&`, `<`, `>` in alert text
/// are escaped as `&amp;`, `&lt;`, `&gt;` so it can neither mention nor disguise a link.
enum SlackFormat {
    static let headerLimit = 150
    static let sectionLimit = 3000
    static let maxBlocks = 50

    static func request(_ m: MessageContext) throws -> HTTPRequest {
        let url = try m.secret(m.channel.url, "url")
        var blocks: [JSONValue] = [
            .obj([("type", .string("header")),
                  ("text", .obj([("type", .string("plain_text")),
                                 ("text", .string(TextBudget.fit(TextBudget.printable(m.headline, keepNewlines: false), limit: headerLimit))),
                                 ("emoji", .bool(false))]))]),
        ]
        let room = maxBlocks - 2   // header and the closing context
        for (n, item) in m.items.enumerated() {
            if n == room - 1 && m.items.count > room {
                blocks.append(section("_… and \(m.items.count - n) more in `tradsec notify outbox`_"))
                break
            }
            blocks.append(section(sectionText(item.notification)))
        }
        let context = "tradsec · \(m.first.host) · \(m.first.time.rfc3339(fractionDigits: 0))"
        blocks.append(.obj([("type", .string("context")),
                            ("elements", .array([.obj([("type", .string("mrkdwn")),
                                                       ("text", .string(TextBudget.fit(TextBudget.printable(context), limit: 3000, escape: TextBudget.slack)))])]))]))
        let fallback = TextBudget.fit(TextBudget.printable(m.headline, keepNewlines: false), limit: 3000, escape: TextBudget.slack)
        return m.httpRequest(url: url, json: .obj([("text", .string(fallback)), ("blocks", .array(blocks))]))
    }

    static func section(_ mrkdwn: String) -> JSONValue {
        .obj([("type", .string("section")), ("text", .obj([("type", .string("mrkdwn")), ("text", .string(mrkdwn))]))])
    }

    /// Bold title, the alert text, then `name: value` lines; escaped, then cut to the section limit.
    static func sectionText(_ n: Notification) -> String {
        let esc = { (s: String) in TextBudget.fit(TextBudget.printable(s), limit: sectionLimit, escape: TextBudget.slack) }
        var lines = ["*\(esc(TextBudget.printable(n.title, keepNewlines: false)))*", esc(n.text)]
        for f in n.fields { lines.append("*\(esc(f.name))*: \(esc(f.value))") }
        if let link = n.link, link.hasPrefix("https://") || link.hasPrefix("http://") {
            lines.append("<\(esc(link))|open in tradsec>")
        }
        // Each piece is already escaped; cutting the joined text must not split an entity.
        return TextBudget.fit(lines.joined(separator: "\n"), limit: sectionLimit, escape: { String($0) }).fixingCutEntity()
    }
}

extension String {
    /// Drops a trailing, partial `&...` entity left by a cut (the cut appends "…").
    func fixingCutEntity() -> String {
        guard hasSuffix(String(TextBudget.ellipsis)), let amp = lastIndex(of: "&") else { return self }
        let tail = self[amp...]
        return tail.contains(";") ? self : String(self[..<amp]) + String(TextBudget.ellipsis)
    }
}
