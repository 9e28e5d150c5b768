import TradsecCore

/// Escaping and truncation shared by the channel formats.
///
/// Limits are counted in UTF-16 code units: the services count characters in different ways
/// (Telegram and Discord in UTF-16 units, Slack in characters), and a UTF-16 count is never
/// smaller than a character count, so staying under it stays under every service's limit.
enum TextBudget {
    static let ellipsis: Character = "…"

    /// `text` escaped character by character with `escape`, cut (with "…") so the result has at
    /// most `limit` UTF-16 units. Cutting before escaping would split an entity like `&amp;`.
    static func fit(_ text: String, limit: Int, escape: (Character) -> String = { String($0) }) -> String {
        guard limit > 0 else { return "" }
        var out = ""
        var used = 0
        let all = text.map(escape)
        let total = all.reduce(0) { $0 + $1.utf16.count }
        if total <= limit { return all.joined() }
        for piece in all {
            let n = piece.utf16.count
            if used + n > limit - 1 { break }
            out += piece
            used += n
        }
        out.append(ellipsis)
        return out
    }

    /// Replaces control characters and invisible format controls (bidi overrides, zero-width
    /// characters: ``TerminalSafe/isUnsafe(_:)``) with U+FFFD, keeping newlines and tabs when
    /// `keepNewlines`: alert text may carry escape sequences meant for a terminal, or reorder
    /// what a chat reader or an e-mail Subject shows.
    static func printable(_ text: String, keepNewlines: Bool = true) -> String {
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s == "\n" || s == "\t" {
                scalars.append(keepNewlines ? s : " ")
            } else if s == "\r" {
                continue
            } else if TerminalSafe.isUnsafe(s) {
                scalars.append(contentsOf: "\u{FFFD}".unicodeScalars)
            } else {
                scalars.append(s)
            }
        }
        return String(scalars)
    }

    /// Slack mrkdwn: `&`, `<` and `>` are its only control characters (`<!channel>` would ping
    /// everyone, `<url|text>` would disguise a link).
    static func slack(_ c: Character) -> String {
        switch c {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        default: String(c)
        }
    }

    /// Telegram's HTML parse mode: `<`, `>` and `&` must be written as entities.
    static func telegramHTML(_ c: Character) -> String {
        switch c {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        case "\"": "&quot;"
        default: String(c)
        }
    }

    /// Discord markdown: a backslash before each markup character shows it literally (`<` too:
    /// `<@id>` and `<#id>` would render as mentions, even with pings disabled).
    static func discord(_ c: Character) -> String {
        switch c {
        case "\\", "*", "_", "~", "`", "|", "<", ">", "#", "[", "]", "(", ")", "-", "@", ":": "\\" + String(c)
        default: String(c)
        }
    }
}
