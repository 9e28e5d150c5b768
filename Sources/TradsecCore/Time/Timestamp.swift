#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds since the Unix epoch, UTC: the precision Falco's alert times carry.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The latest time an Int64 of nanoseconds holds: 2262-04-11T23:47:16.854775807Z.
    public static let latest = Timestamp(nanoseconds: .max)
    /// The earliest time an alert may carry: the epoch. Alert times are attacker-controlled;
    /// keeping them non-negative means the difference of any two of them fits an Int64, so
    /// windows and ages computed from them cannot overflow.
    public static let epoch = Timestamp(nanoseconds: 0)

    /// The range of times an alert may carry (docs/security.md).
    public static let alertRange = epoch...latest

    /// Why a text is not a time.
    public enum ParseError: Error, Sendable, Equatable {
        /// Not RFC 3339 / ISO 8601 at all.
        case syntax
        /// A valid spelling of a time that nanoseconds since the epoch in 64 bits cannot hold
        /// (before 1677-09-21 or after 2262-04-11).
        case outOfRange
    }

    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.nanoseconds < b.nanoseconds }

    public var seconds: Double { Double(nanoseconds) / 1e9 }

    /// `delta` later (earlier when negative), saturating at the ends of the range rather
    /// than wrapping round: a bound computed from user input stays on the right side.
    public func adding(nanoseconds delta: Int64) -> Timestamp {
        let (sum, overflow) = nanoseconds.addingReportingOverflow(delta)
        if overflow { return Timestamp(nanoseconds: delta < 0 ? .min : .max) }
        return Timestamp(nanoseconds: sum)
    }

    public var description: String { rfc3339() }

    // MARK: - RFC 3339

    /// `2016-08-04T16:17:57.881781397Z`: Falco's `time` format (UTC, nine fraction digits).
    public func rfc3339(fractionDigits: Int = 9) -> String {
        let (secs, nanos) = nanoseconds.quotientAndRemainderFlooring(1_000_000_000)
        let (days, secOfDay) = secs.quotientAndRemainderFlooring(86_400)
        let (y, m, d) = Timestamp.civil(fromDays: days)
        var s = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T"
        s += pad(secOfDay / 3600, 2) + ":" + pad(secOfDay / 60 % 60, 2) + ":" + pad(secOfDay % 60, 2)
        if fractionDigits > 0 {
            let frac = pad(nanos, 9)
            s += "." + frac.prefix(min(fractionDigits, 9))
        }
        return s + "Z"
    }

    /// Parses RFC 3339 / ISO 8601 date-times: `2024-05-01T10:00:00Z`, with any number of
    /// fraction digits (extra precision beyond nanoseconds is truncated), `+hh:mm`/`+hhmm`
    /// offsets, a space instead of `T`, and a bare date (`2024-05-01`, midnight UTC).
    /// Nil when it is not such a time or 64 bits of nanoseconds cannot hold it.
    public init?(rfc3339 text: some StringProtocol) {
        guard case .success(let time) = Timestamp.parse(rfc3339: text) else { return nil }
        self = time
    }

    /// The same, saying why a text is not a time.
    public static func parse(rfc3339 text: some StringProtocol) -> Result<Timestamp, ParseError> {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= b.count else { return nil }
            var v: Int64 = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int64(c - 0x30)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = digits(4), expect(0x2D), let mo = digits(2), expect(0x2D), let d = digits(2),
              (1...12).contains(mo), d >= 1, d <= Timestamp.daysIn(month: mo, year: y) else { return .failure(.syntax) }
        var secOfDay: Int64 = 0
        var nanos: Int64 = 0
        var offset: Int64 = 0
        if i < b.count {
            guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == 0x20 else { return .failure(.syntax) }
            i += 1
            guard let h = digits(2), expect(0x3A), let mi = digits(2), h < 24, mi < 60 else { return .failure(.syntax) }
            var s: Int64 = 0
            if expect(0x3A) {
                guard let ss = digits(2), ss <= 60 else { return .failure(.syntax) }   // 60: leap second, folded into the next
                s = ss
            }
            secOfDay = h * 3600 + mi * 60 + s
            if expect(UInt8(ascii: ".")) || expect(UInt8(ascii: ",")) {
                var n = 0
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                    if n < 9 { nanos = nanos * 10 + Int64(b[i] - 0x30) }
                    n += 1; i += 1
                }
                guard n > 0 else { return .failure(.syntax) }
                for _ in n..<max(n, 9) { nanos *= 10 }
            }
            if expect(UInt8(ascii: "Z")) || expect(UInt8(ascii: "z")) {
                offset = 0
            } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard let oh = digits(2) else { return .failure(.syntax) }
                _ = expect(0x3A)
                guard let om = digits(2), oh < 24, om < 60 else { return .failure(.syntax) }
                offset = sign * (oh * 3600 + om * 60)
            } else if i != b.count {
                return .failure(.syntax)
            }
        }
        guard i == b.count else { return .failure(.syntax) }
        guard let time = Timestamp(days: Timestamp.days(fromCivil: y, mo, d), secondOfDay: secOfDay - offset, nanoseconds: nanos) else {
            return .failure(.outOfRange)
        }
        return .success(time)
    }

    /// A day since the epoch, a second of that day (may be negative or past a day: a UTC
    /// offset applied) and nanoseconds; nil when the sum does not fit 64 bits of nanoseconds.
    /// Days come from at most four-digit years, so only the last two steps can overflow.
    init?(days: Int64, secondOfDay: Int64, nanoseconds nanos: Int64) {
        var seconds = days * 86_400 + secondOfDay
        var nanos = nanos
        // Before the epoch the whole seconds alone can pass Int64.min when the fraction
        // would bring the sum back inside: borrow one second from the fraction first.
        if seconds < 0 && nanos > 0 { seconds += 1; nanos -= 1_000_000_000 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        let (sum, overflow2) = whole.addingReportingOverflow(nanos)
        guard !overflow2 else { return nil }
        nanoseconds = sum
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian; Howard Hinnant's algorithms)

    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysIn(month m: Int64, year y: Int64) -> Int64 {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

private func pad(_ v: Int64, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

extension Int64 {
    func quotientAndRemainderFlooring(_ d: Int64) -> (Int64, Int64) {
        let q = self / d, r = self % d
        return r < 0 ? (q - 1, r + d) : (q, r)
    }
}
