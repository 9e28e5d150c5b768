import TradsecCore

/// JSON for a terminal: still valid JSON with the same meaning, but no scalar that
/// ``TerminalSafe/isUnsafe(_:)`` names reaches the terminal as it is.
///
/// JSON escaping leaves C1 controls (U+0080–U+009F, which some terminals obey as escape
/// sequences), DEL and the bidi and zero-width format characters (which reorder or hide what
/// is read) in strings as they are. On a terminal each becomes `\uXXXX` inside a string;
/// outside strings only whitespace can be there, which becomes a space. Piped output keeps
/// Falco's bytes exactly: callers apply this only when stdout is a terminal.
enum TerminalJSON {
    static func escape(_ json: String) -> String {
        guard TerminalSafe.needsEscaping(json) else { return json }
        var out = String.UnicodeScalarView()
        var inString = false, escaped = false
        for scalar in json.unicodeScalars {
            if TerminalSafe.isUnsafe(scalar) {
                if inString {
                    // Every scalar isUnsafe names is in the basic plane: one \u escape each.
                    out.append(contentsOf: "\\u".unicodeScalars)
                    let hex = String(scalar.value, radix: 16)
                    out.append(contentsOf: (String(repeating: "0", count: max(0, 4 - hex.count)) + hex).unicodeScalars)
                    escaped = false
                } else {
                    out.append(" ")
                }
                continue
            }
            out.append(scalar)
            if inString {
                if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == "\"" { inString = false }
            } else if scalar == "\"" {
                inString = true
            }
        }
        return String(out)
    }
}
