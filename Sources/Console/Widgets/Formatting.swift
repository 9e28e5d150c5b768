import TradsecCore

/// Times and counts as the screens print them.
public enum Formatting {
    /// `14:03:27` (UTC, as Falco's times are).
    public static func clock(_ t: Timestamp) -> String {
        let s = t.rfc3339(fractionDigits: 0)
        return String(s.dropFirst(11).prefix(8))
    }

    /// `2026-11-22 14:03:27.123Z`.
    public static func dateTime(_ t: Timestamp) -> String {
        let s = t.rfc3339(fractionDigits: 3)
        return String(s.prefix(10)) + " " + String(s.dropFirst(11))
    }

    /// `3s`, `5m`, `2h4m` since `t`.
    public static func age(_ t: Timestamp, now: Timestamp) -> String {
        Duration.describe(nanoseconds: max(0, now.nanoseconds - t.nanoseconds))
    }

    /// `1234` → `1.2k` for narrow columns.
    public static func compact(_ n: Int) -> String {
        if n < 10_000 { return String(n) }
        if n < 1_000_000 { return String(n / 1000) + "k" }
        return String(n / 1_000_000) + "." + String(n / 100_000 % 10) + "M"
    }

    /// `1,234,567`: a count read at a glance and never rounded (a drop count).
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Splits `text` into lines of at most `width` cells (hard wrap; words are not kept whole
    /// when they are longer than a line).
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        let safe = TerminalSafe.escape(text)
        var lines: [String] = []
        var line = ""
        var used = 0
        for ch in safe {
            let w = CellWidth.of(String(ch))
            if used + w > width {
                // Break at the last space when there is one in the second half of the line.
                if let space = line.lastIndex(of: " "), CellWidth.of(line[..<space]) > width / 2 {
                    lines.append(String(line[..<space]))
                    line = String(line[line.index(after: space)...])
                    used = CellWidth.of(line)
                } else {
                    lines.append(line)
                    line = ""
                    used = 0
                }
            }
            line.append(ch)
            used += w
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
