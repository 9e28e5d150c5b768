import CurlClient
import TradsecCore

/// Telegram Bot API `sendMessage`: `chat_id`, `text` (1-4096 characters after entity parsing),
/// `parse_mode: HTML` with `<`, `>`, `&` (and `"`) in alert text written as entities, link
/// previews off. The token is part of the URL path, so the URL is never logged.
enum TelegramFormat {
    static let textLimit = 4096

    static func request(_ m: MessageContext) throws -> HTTPRequest {
        let token = try m.secret(m.channel.token, "token")
        let base = try m.secret(m.channel.url, "api_url")
        let url = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/bot" + token + "/sendMessage"
        let chat = m.channel.chatID ?? ""
        let chatValue: JSONValue = Int64(chat).map { .int($0) } ?? .string(chat)
        return m.httpRequest(url: url, json: .obj([
            ("chat_id", chatValue),
            ("text", .string(text(m))),
            ("parse_mode", .string("HTML")),
            ("link_preview_options", .obj([("is_disabled", .bool(true))])),
        ]))
    }

    /// Whole lines only, so every `<b>`/`<i>` tag stays closed: a line that would pass the limit
    /// is left out and the message says how many notifications did not fit.
    static func text(_ m: MessageContext) -> String {
        let esc = { (s: String, limit: Int) in TextBudget.fit(TextBudget.printable(s), limit: limit, escape: TextBudget.telegramHTML) }
        let reserve = 64   // room for the "… and N more" line
        var out = ""
        func add(_ line: String) -> Bool {
            let extra = (out.isEmpty ? 0 : 1) + line.utf16.count
            guard out.utf16.count + extra <= textLimit - reserve else { return false }
            out += (out.isEmpty ? "" : "\n") + line
            return true
        }
        for (n, item) in m.items.enumerated() {
            let x = item.notification
            var lines = ["<b>\(esc(x.title, 512))</b>", esc(x.text, 2048)]
            for f in x.fields { lines.append("<i>\(esc(f.name, 64))</i>: \(esc(f.value, 512))") }
            if let link = x.link, link.hasPrefix("https://") || link.hasPrefix("http://"), link.utf16.count <= 512 {
                lines.append("<a href=\"\(link.map(TextBudget.telegramHTML).joined())\">open in tradsec</a>")
            }
            if n > 0 { lines[0] = "\n" + lines[0] }
            guard add(lines[0]) else {
                out += "\n<i>… and \(m.items.count - n) more</i>"
                break
            }
            for line in lines.dropFirst() {
                if !add(line) { break }   // the rest of this notification does not fit
            }
        }
        return out
    }
}
