/// Makes attacker-controlled text safe to put on a terminal.
///
/// Alert fields come from the monitored processes (file names, command lines), so they can
/// carry escape sequences that would move the cursor, retitle the window or hide text.
/// Every C0/C1 control character, DEL and the Unicode bidirectional overrides are replaced
/// by a visible escape (`\x1b`, `\n`, `\u{202e}`), so the operator sees that they were there.
public enum TerminalSafe {
    public static func escape(_ text: String) -> String {
        // Fast path: most alert text is plain printable ASCII.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var out = String()
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if let visible = visibleEscape(scalar) { out += visible } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// True when `text` would be changed by ``escape(_:)``.
    public static func needsEscaping(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isUnsafe)
    }

    /// True for a scalar that must not reach a terminal or a chat client as it is: C0/C1
    /// controls (tab, line feed and carriage return included), DEL, and the invisible format
    /// controls — bidi embeddings/overrides/isolates, zero-width characters, BOM, interlinear
    /// annotation — that can reorder or hide what is read (the "Trojan Source" trick).
    /// The one definition every sanitiser uses.
    public static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00..<0x20, 0x7F, 0x80..<0xA0: return true
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF, 0xFFF9...0xFFFB: return true
        default: return false
        }
    }

    static func visibleEscape(_ s: Unicode.Scalar) -> String? {
        guard isUnsafe(s) else { return nil }
        switch s.value {
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x00..<0x20, 0x7F, 0x80..<0xA0: return "\\x" + hex2(s.value)
        default: return "\\u{" + String(s.value, radix: 16) + "}"
        }
    }

    private static func hex2(_ v: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        return String(digits[Int(v >> 4)]) + String(digits[Int(v & 0xF)])
    }

    /// JSON for a terminal: still valid JSON with the same meaning, but no scalar that
    /// ``isUnsafe(_:)`` names reaches the terminal as it is. JSON escaping leaves C1 controls
    /// (which some terminals obey), DEL and the bidi and zero-width format characters in
    /// strings as they are: each becomes `\uXXXX` there; outside strings only whitespace can
    /// be, which becomes a space. Piped output keeps Falco's bytes exactly: callers apply this
    /// only when the output is a terminal.
    public static func escapeJSON(_ json: String) -> String {
        guard needsEscaping(json) else { return json }
        var out = String.UnicodeScalarView()
        var inString = false, escaped = false
        for scalar in json.unicodeScalars {
            if isUnsafe(scalar) {
                if inString {
                    // Every scalar isUnsafe names is in the basic plane: one \u escape each.
                    let hex = String(scalar.value, radix: 16)
                    out.append(contentsOf: ("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex).unicodeScalars)
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

