import TradsecCore

/// A notification as plain lines (title, text, `name: value`, link), unescaped: for services
/// that show text as written, and for the plain-text resend after a markup refusal.
enum PlainText {
    static func lines(_ n: Notification, textLimit: Int = 2048, valueLimit: Int = 512) -> [String] {
        var lines = [TextBudget.fit(TextBudget.printable(n.title, keepNewlines: false), limit: 512)]
        lines += TextBudget.fit(TextBudget.printable(n.text), limit: textLimit).unicodeScalars
            .split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
        for f in n.fields {
            lines.append(TextBudget.fit(TextBudget.printable(f.name, keepNewlines: false), limit: 64) + ": "
                + TextBudget.fit(TextBudget.printable(f.value, keepNewlines: false), limit: valueLimit))
        }
        if let link = TextBudget.safeLink(n.link) { lines.append(link) }
        return lines
    }
}
