#if canImport(Glibc)
import Glibc
#endif

/// Inputs that reach bugs other people are fixing right now (issue 15's first list), skipped
/// while fuzzing (`TRADSEC_FUZZ_SKIP_KNOWN=1`, which `make fuzz` sets) so that the fuzzer gets
/// past them to what nobody knows yet. Replay never skips: their reproducers in
/// Fuzz/regressions fail until the fixes are merged, and then this file loses the entry.
/// Each test is deliberately coarse: skipping some good inputs costs little.
enum KnownIssues {
    static let skipping: Bool = getenv("TRADSEC_FUZZ_SKIP_KNOWN").map { String(cString: $0) != "0" } ?? false

    /// Item 1 (Timestamp nanosecond overflow): a `YYYY-MM-DD` whose year is outside the
    /// nanosecond range of an Int64 (1677-09-21 ... 2262-04-11), anywhere in the input.
    static func dateOutOfRange(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 10 else { return false }
        func digit(_ k: Int) -> Int? { bytes[k] >= 0x30 && bytes[k] <= 0x39 ? Int(bytes[k] - 0x30) : nil }
        for i in 0...(bytes.count - 10) where bytes[i + 4] == 0x2D && bytes[i + 7] == 0x2D {
            guard let a = digit(i), let b = digit(i + 1), let c = digit(i + 2), let d = digit(i + 3),
                  digit(i + 5) != nil, digit(i + 6) != nil, digit(i + 8) != nil, digit(i + 9) != nil else { continue }
            let year = a * 1000 + b * 100 + c * 10 + d
            if year <= 1678 || year >= 2261 { return true }
        }
        return false
    }

    /// Item 1 (Duration/TimeSpec: the parts of a duration are summed without an overflow
    /// check): somewhere in the input, a run of number-and-unit parts (`83141111m83141111m`)
    /// whose nanoseconds add up to more than an Int64 holds.
    static func durationOverflows(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let units: [UInt8: Double] = [UInt8(ascii: "s"): 1e9, UInt8(ascii: "m"): 6e10, UInt8(ascii: "h"): 3.6e12,
                                      UInt8(ascii: "d"): 8.64e13, UInt8(ascii: "w"): 6.048e14]
        var total = 0.0
        var number: [UInt8] = []
        for b in bytes {
            let c = b >= 0x41 && b <= 0x5A ? b | 0x20 : b   // the parser lowercases
            if (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: ".") {
                number.append(c)
            } else if let unit = units[c], let value = Double(String(decoding: number, as: UTF8.self)) {
                total += value * unit
                if total >= 9.2e18 { return true }
                number = []
            } else {
                total = 0
                number = []
            }
        }
        return false
    }

    /// Item 5 (numbers from peers: `Int64(d)` on a huge double): a JSON number with an exponent,
    /// or an integer of 19 digits or more, anywhere in the input.
    static func hugeNumber(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var run = 0
        for (i, b) in bytes.enumerated() {
            if b >= 0x30 && b <= 0x39 {
                run += 1
                if run >= 19 { return true }
            } else {
                if run > 0, b == UInt8(ascii: "e") || b == UInt8(ascii: "E") { return true }
                if run > 0, b == UInt8(ascii: "."), i + 1 < bytes.count, bytes[i + 1] >= 0x30, bytes[i + 1] <= 0x39 {
                    // a fraction: the decimal point continues the number
                    continue
                }
                run = 0
            }
        }
        return false
    }

    /// Item 5 (a negative `retry_after` from a receiver): "retry" (any case) and a minus sign
    /// before a digit, anywhere in the input.
    static func negativeRetryAfter(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        guard text.contains("retry") else { return false }
        let b = Array(text.utf8)
        return b.indices.dropLast().contains { b[$0] == UInt8(ascii: "-") && b[$0 + 1] >= 0x30 && b[$0 + 1] <= 0x39 }
    }

    /// Item 10 (a corrupt history): a packed record naming a text id above 2^20 (readers size
    /// an array of slots by the largest id).
    static func hugeTextIDs(_ records: some Collection<UInt8>) -> Bool {
        let bytes = Array(records)
        var r = 0
        while r + 72 <= bytes.count {
            for field in stride(from: 40, through: 64, by: 4) {
                let v = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[r + field + $1]) << (8 * UInt32($1)) }
                if v > 1 << 20 { return true }
            }
            r += 72
        }
        return false
    }
}
