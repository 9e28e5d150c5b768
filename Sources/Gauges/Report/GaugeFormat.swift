import TradsecCore

/// Numbers as the gauges print them, in the console and in `tradsec gauges`. Every function
/// takes any value, NaN and infinities included (readings come from Falco's endpoint and the
/// container engine): none converts a Double it has not range-checked.
public enum GaugeFormat {
    /// `312.4 MiB`, `1.2 GiB`, `812 KiB` (binary units, like top and docker stats).
    public static func bytes(_ b: UInt64) -> String {
        let v = Double(b), k = 1024.0
        if v >= k * k * k { return one(v / (k * k * k)) + " GiB" }
        if v >= k * k { return one(v / (k * k)) + " MiB" }
        if b >= 1024 { return String(b / 1024) + " KiB" }
        return String(b) + " B"
    }

    /// `12.5%`.
    public static func percent(_ p: Double) -> String { one(p) + "%" }

    /// `3s`, `5m`, `2h4m`.
    public static func age(seconds: Double) -> String {
        Duration.describe(nanoseconds: Int64(saturating: (seconds.clamped(to: 0...9e9) ?? 0) * 1e9))
    }

    /// A count as a person reads it: `0`, `1234`, `1.2M`, `3.4G`, `5.6T`, then `1.8e19`.
    public static func count(_ v: Double) -> String {
        guard v.isFinite else { return special(v) }
        let size = abs(v)
        if size < 1e6 { return String(Int64(v)) }
        if size < 1e9 { return one(v / 1e6) + "M" }
        if size < 1e12 { return one(v / 1e9) + "G" }
        if size < 1e15 { return one(v / 1e12) + "T" }
        return scientific(v)
    }

    /// One decimal: `12.3`, `-0.5`; beyond 1e15 in scientific notation.
    public static func one(_ v: Double) -> String {
        guard v.isFinite else { return special(v) }
        guard abs(v) < 1e15 else { return scientific(v) }
        let tenths = Int64((v * 10).rounded())
        return (tenths < 0 ? "-" : "") + String(tenths.magnitude / 10) + "." + String(tenths.magnitude % 10)
    }

    /// `1.8e19`, `-1.0e300`: a mantissa with one decimal and a power of ten.
    static func scientific(_ v: Double) -> String {
        guard v.isFinite, v != 0 else { return v == 0 ? "0" : special(v) }
        var mantissa = abs(v)
        var exponent = 0
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        var digits = one(mantissa)
        if digits == "10.0" { digits = "1.0"; exponent += 1 }
        return (v < 0 ? "-" : "") + digits + "e" + String(exponent)
    }

    /// What a non-finite reading shows as.
    static func special(_ v: Double) -> String { v.isNaN ? "?" : v > 0 ? "∞" : "-∞" }

    /// A reading as a sparkline level: `value × scale`, rounded, within 0…10^12 (the
    /// sparkline scales its levels by multiplying, so a level must leave room; NaN is 0).
    public static func sparkLevel(_ value: Double, scale: Double = 1) -> Int {
        Int(saturating: ((value * scale).clamped(to: 0...1e12) ?? 0).rounded())
    }

    /// `312.4 MiB / 1.0 GiB` or `312.4 MiB`; `–` when unknown.
    public static func memory(_ g: ResourceGauge) -> String {
        guard let m = g.memoryBytes else { return "–" }
        return bytes(m) + (g.memoryLimit.map { " / " + bytes($0) } ?? "")
    }

    /// `12.5%`, or `…` while the first rate is still being measured.
    public static func cpu(_ g: ResourceGauge) -> String {
        g.cpuPercent.map(percent) ?? "…"
    }
}
