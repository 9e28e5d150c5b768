import CurlClient
import TradsecCore

/// Telegram Bot API `sendMessage`: `chat_id`, `text` (1-4096 characters after entity parsing),
/// `parse_mode: HTML` with `<`, `>`, `&` (and `"`) in alert text written as entities, scalar
/// by scalar, link previews off. The token is part of the URL path, so the URL is never logged.
enum TelegramFormat {
    static let textLimit = 4096

    static func request(_ m: MessageContext) throws -> HTTPRequest {
        try send(m, text: text(m), parseMode: "HTML")
    }

    /// The same notifications without `parse_mode`, for when Telegram refused the entities:
    /// nothing in the text is parsed as markup.
    static func plainRequest(_ m: MessageContext) throws -> HTTPRequest {
        let text = TextBudget.pack(m.notifications.map { PlainText.lines($0) }, limit: textLimit) { "… and \($0) more" }
        return try send(m, text: text, parseMode: nil)
    }

    static func send(_ m: MessageContext, text: String, parseMode: String?) throws -> HTTPRequest {
        let token = try m.secret(m.channel.token, "token")
        let base = try m.secret(m.channel.url, "api_url")
        let url = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/bot" + token + "/sendMessage"
        let chat = m.channel.chatID ?? ""
        let chatValue: JSONValue = Int64(chat).map { .int($0) } ?? .string(chat)
        var body: [(String, JSONValue)] = [("chat_id", chatValue), ("text", .string(text))]
        if let parseMode { body.append(("parse_mode", .string(parseMode))) }
        body.append(("link_preview_options", .obj([("is_disabled", .bool(true))])))
        return m.httpRequest(url: url, json: .obj(body))
    }

    /// Whole lines only, so every `<b>`/`<i>` tag stays closed: a line that would pass the limit
    /// is left out and the message says how many notifications did not fit.
    static func text(_ m: MessageContext) -> String {
        let esc = { (s: String, limit: Int) in TextBudget.fit(TextBudget.printable(s), limit: limit, escape: TextBudget.telegramHTML) }
        let lines: [[String]] = m.notifications.map { x in
            var lines = ["<b>\(esc(x.title, 512))</b>", esc(x.text, 2048)]
            for f in x.fields { lines.append("<i>\(esc(f.name, 64))</i>: \(esc(f.value, 512))") }
            // A link is added whole or not at all: a cut one would lead somewhere else.
            if let link = TextBudget.safeLink(x.link).map({ esc($0, .max) }), link.utf16.count <= 1024 {
                lines.append("<a href=\"\(link)\">open in tradsec</a>")
            }
            return lines
        }
        return TextBudget.pack(lines, limit: textLimit) { "<i>… and \($0) more</i>" }
    }
}
