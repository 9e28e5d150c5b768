/// Escapes of quoted condition strings (libsinsp `escaping.cpp`, plus `\xHH` of recent libs).
enum StringUnescaping {
    /// `token` includes both delimiters. Throws the upstream messages on bad escapes.
    static func unescape(quotedToken token: [UInt8]) throws(ConditionSyntaxError) -> [UInt8] {
        guard token.count >= 2 else { return [] }
        let delimiter = token[0]
        var out: [UInt8] = []
        out.reserveCapacity(token.count)
        var i = 1
        let end = token.count - 1
        while i < end {
            let c = token[i]
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < end else { out.append(UInt8(ascii: "\\")); break }
            let e = token[i]
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            // Backslash-space is kept as a backslash for old rules files (upstream note).
            case UInt8(ascii: " "), UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
            case UInt8(ascii: "\""):
                guard delimiter == e else { throw error("invalid \\\" escape in '-quoted string") }
                out.append(e)
            case UInt8(ascii: "'"):
                guard delimiter == e else { throw error("invalid \\' escape in \"-quoted string") }
                out.append(e)
            case UInt8(ascii: "x"):
                guard i + 2 < end, let hi = hexValue(token[i + 1]), let lo = hexValue(token[i + 2])
                else { throw error("unsupported string escape sequence: \\x") }
                out.append(hi << 4 | lo)
                i += 2
            default:
                // The reference filter engine keeps unknown escapes as written (`"c\at"` stays backslash + a).
                out.append(UInt8(ascii: "\\")); out.append(e)
            }
            i += 1
        }
        return out
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func error(_ message: String) -> ConditionSyntaxError {
        ConditionSyntaxError(message: message, position: .start)
    }
}

extension StringUnescaping {
    /// Bare (unquoted) values only decode `\xHH`, as the reference filter engine does.
    static func decodeHexEscapes(bare token: [UInt8]) throws(ConditionSyntaxError) -> [UInt8] {
        guard token.contains(UInt8(ascii: "\\")) else { return token }
        var out: [UInt8] = []
        var i = 0
        while i < token.count {
            if token[i] == UInt8(ascii: "\\"), i + 1 < token.count, token[i + 1] == UInt8(ascii: "x") {
                guard i + 3 < token.count, let hi = hexValue(token[i + 2]), let lo = hexValue(token[i + 3]) else {
                    throw ConditionSyntaxError(message: "unsupported string escape sequence: \\x", position: .start)
                }
                out.append(hi << 4 | lo)
                i += 4
                continue
            }
            out.append(token[i]); i += 1
        }
        return out
    }
}
