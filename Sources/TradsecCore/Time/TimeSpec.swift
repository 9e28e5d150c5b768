/// Durations (`90s`, `15m`, `2h`, `7d`, `1w`, `1h30m`) as users type them on the command line.
public enum Duration {
    /// Nanoseconds in `text`, or nil when it is not a duration.
    public static func parse(_ text: some StringProtocol) -> Int64? {
        let units: [Character: Int64] = [
            "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
            "d": 86_400_000_000_000, "w": 604_800_000_000_000,
        ]
        var total: Int64 = 0
        var number = ""
        var sawUnit = false
        let chars = Array(text.lowercased())
        var k = 0
        while k < chars.count {
            let c = chars[k]
            if c.isASCII, c.isNumber || c == "." {
                number.append(c)
            } else {
                var unit: Int64?
                if c == "m", k + 1 < chars.count, chars[k + 1] == "s" {
                    unit = 1_000_000; k += 1          // "ms"
                } else {
                    unit = units[c]
                }
                guard let unit, let value = Double(number), value >= 0 else { return nil }
                let add = value * Double(unit)
                // Past about 292 years (Int64 nanoseconds) a duration is not one, and the
                // sum of several parts must not wrap round either.
                guard add < 9e18 else { return nil }
                let (sum, overflow) = total.addingReportingOverflow(Int64(add))
                guard !overflow else { return nil }
                total = sum
                number = ""
                sawUnit = true
            }
            k += 1
        }
        guard number.isEmpty, sawUnit else { return nil }
        return total
    }

    /// `2h5m`-style text for a span, for humans: the two largest units.
    public static func describe(nanoseconds: Int64) -> String {
        var s = max(0, nanoseconds / 1_000_000_000)
        if s < 60 { return "\(s)s" }
        let d = s / 86_400; s %= 86_400
        let h = s / 3600; s %= 3600
        let m = s / 60; s %= 60
        if d > 0 { return h > 0 ? "\(d)d\(h)h" : "\(d)d" }
        if h > 0 { return m > 0 ? "\(h)h\(m)m" : "\(h)h" }
        return s > 0 ? "\(m)m\(s)s" : "\(m)m"
    }
}

/// A point in time given either as a duration back from now (`15m`) or as a timestamp.
public enum TimeSpec {
    public static func parse(_ text: String, now: Timestamp = .now()) -> Timestamp? {
        let trimmed = text.trimmingSpaces
        if trimmed == "now" { return now }
        if let d = Duration.parse(trimmed) { return now.adding(nanoseconds: -d) }
        if let t = Timestamp(rfc3339: trimmed) { return t }
        // Seconds since the epoch, as `date +%s` prints.
        if let secs = Int64(trimmed), secs > 0, case let (ns, overflow) = secs.multipliedReportingOverflow(by: 1_000_000_000), !overflow {
            return Timestamp(nanoseconds: ns)
        }
        return nil
    }

    public static let help = "a duration back from now (30s, 15m, 2h, 7d, 1w, 1h30m), an RFC 3339 time (2026-11-22T10:00:00Z), a date (2026-11-22) or epoch seconds"
}

extension String {
    /// The string without leading and trailing spaces, tabs and line ends.
    public var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
