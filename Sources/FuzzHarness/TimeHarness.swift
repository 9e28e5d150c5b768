import TradsecCore

/// Times, durations and sizes as users and peers write them: `Timestamp(rfc3339:)` (alert
/// times), `Duration.parse` and `TimeSpec.parse` (--since, ?since=), `ByteSize.parse` (config
/// sizes), priority filters. Parsed times print and parse back to themselves.
enum TimeHarness {
    static let target = FuzzTarget(
        "time",
        "Timestamp(rfc3339:) round trip through rfc3339(), Duration/TimeSpec/ByteSize/PriorityFilter parse without traps, results in range",
        maxLength: 128, dictionary: nil
    ) { bytes in check(bytes.lossyText) }

    /// A fixed "now", so a replay gives what the fuzzer saw.
    static let now = Timestamp(nanoseconds: 1_795_338_000_000_000_000)

    static func check(_ text: String) {
        if let t = Timestamp(rfc3339: text) {
            for digits in [9, 3, 0] {
                let printed = t.rfc3339(fractionDigits: digits)
                guard let back = Timestamp(rfc3339: printed) else {
                    Invariant.require(false, "\(printed) (printed from \(t.nanoseconds) ns) does not parse")
                    return
                }
                if digits == 9 {
                    Invariant.require(back == t, "\(text) -> \(t.nanoseconds) ns -> \(printed) -> \(back.nanoseconds) ns")
                } else {
                    // Fewer digits truncate toward the past, by less than a second.
                    Invariant.require(back <= t && t.nanoseconds - back.nanoseconds < 1_000_000_000, "\(printed) is not \(t) truncated")
                }
            }
        }
        if let d = Duration.parse(text) {
            Invariant.require(d >= 0, "negative duration \(d) from \(text)")
            _ = Duration.describe(nanoseconds: d)
        }
        if let t = TimeSpec.parse(text, now: now) { _ = t.rfc3339() }
        for bare in [1, ByteSize.mebibyte] {
            if let size = ByteSize.parse(text, bare: bare) { Invariant.require(size >= 1, "size \(size) from \(text)") }
        }
        if let filter = PriorityFilter(text) { _ = filter.description }
        _ = Priority(name: text)
    }
}
