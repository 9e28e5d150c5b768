import TradsecCore

/// Escaping and truncation shared by the channel formats.
///
/// Everything works on Unicode scalars, never on Swift `Character`s: a service's markup parser
/// reads code points, and a grapheme cluster can hide a markup character inside a
/// `Character` (`"\u{600}<"` and `">\u{301}"` are one `Character` each, equal to neither `<`
/// nor `>`).
///
/// Limits are counted in UTF-16 code units: the services count characters in different ways
/// (Telegram and Discord in UTF-16 units, Slack in characters), and a UTF-16 count is never
/// smaller than a character count, so staying under it stays under every service's limit.
enum TextBudget {
    static let ellipsis: Unicode.Scalar = "…"

    /// `text` escaped scalar by scalar with `escape` (nil: the scalar as it is), cut (with
    /// "…") so the result has at most `limit` UTF-16 units. An escape is kept whole or left
    /// out, so a cut never splits `&amp;` or `\*`, nor a surrogate pair.
    static func fit(_ text: String, limit: Int, escape: (Unicode.Scalar) -> String? = { _ in nil }) -> String {
        guard limit > 0 else { return "" }
        var out = String.UnicodeScalarView()
        var used = 0
        // How many scalars of `out` end on a whole escape within `limit - 1` units: where a
        // cut goes, leaving room for the ellipsis.
        var appended = 0
        var cut = 0
        for s in text.unicodeScalars {
            if let piece = escape(s) {
                used += piece.utf16.count
                if used > limit { return String(cutting: out, at: cut) }
                out.append(contentsOf: piece.unicodeScalars)
                appended += piece.unicodeScalars.count
            } else {
                used += UTF16.width(s)
                if used > limit { return String(cutting: out, at: cut) }
                out.append(s)
                appended += 1
            }
            if used <= limit - 1 { cut = appended }
        }
        return String(out)
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
                scalars.append("\u{FFFD}")
            } else {
                scalars.append(s)
            }
        }
        return String(scalars)
    }

    /// Whole lines of several notifications, packed into `limit` UTF-16 units: each
    /// notification's lines in order until one does not fit (the rest of that notification
    /// is left out), and when a notification's first line does not fit, `more(n)` says how
    /// many were left out. Lines are never cut here, so markup inside a line (`<b>…</b>`)
    /// always stays closed. `reserve` units are kept for the `more` line.
    static func pack(_ notifications: [[String]], limit: Int, reserve: Int = 64, more: (Int) -> String) -> String {
        var out = ""
        var used = 0
        func add(_ line: String) -> Bool {
            let extra = (out.isEmpty ? 0 : 1) + line.utf16.count
            guard used + extra <= limit - reserve else { return false }
            out += (out.isEmpty ? "" : "\n") + line
            used += extra
            return true
        }
        for (n, lines) in notifications.enumerated() {
            guard let first = lines.first else { continue }
            guard add(n > 0 ? "\n" + first : first) else {
                out += (out.isEmpty ? "" : "\n") + more(notifications.count - n)
                break
            }
            for line in lines.dropFirst() where !add(line) { break }
        }
        return out
    }

    /// Slack mrkdwn: `&`, `<` and `>` are its control characters (`<!channel>` would ping
    /// everyone, `<url|text>` would disguise a link).
    static func slack(_ s: Unicode.Scalar) -> String? {
        switch s {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        default: nil
        }
    }

    /// Telegram's HTML parse mode: `<`, `>` and `&` must be written as entities (`"` too,
    /// inside an attribute).
    static func telegramHTML(_ s: Unicode.Scalar) -> String? {
        switch s {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        case "\"": "&quot;"
        default: nil
        }
    }

    /// Discord markdown: a backslash before each markup character shows it literally (`<`
    /// too: `<@id>` and `<#id>` would render as mentions even with pings disabled; `:` so
    /// `http://` is not made a link and `:name:` not an emoji; `@` so `@everyone` reads as text).
    static func discord(_ s: Unicode.Scalar) -> String? {
        switch s {
        case "\\", "*", "_", "~", "`", "|", "<", ">", "#", "[", "]", "(", ")", "-", "+", "@", ":":
            "\\" + String(s)
        default: nil
        }
    }

    /// The plain-text form of a link to put in markup: http(s) only, and only printable ASCII
    /// without the characters that end or split a link in some service's syntax (space, `<`,
    /// `>`, `|`, `"`, backslash, backtick). Anything else is not linked at all.
    static func safeLink(_ link: String?) -> String? {
        guard let link, link.hasPrefix("https://") || link.hasPrefix("http://"), link.utf8.count <= 2048 else { return nil }
        let refused: Set<UInt8> = [UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"), UInt8(ascii: "\""),
                                   UInt8(ascii: "\\"), UInt8(ascii: "`")]
        return link.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !refused.contains($0) } ? link : nil
    }
}

private extension String {
    /// The first `count` scalars of `scalars`, then the ellipsis.
    init(cutting scalars: String.UnicodeScalarView, at count: Int) {
        var kept = String.UnicodeScalarView(scalars.prefix(count))
        kept.append(TextBudget.ellipsis)
        self = String(kept)
    }
}
