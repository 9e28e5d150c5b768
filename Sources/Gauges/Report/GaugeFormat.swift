import TradsecCore

/// Numbers as the gauges print them, in the console and in `tradsec gauges`.
public enum GaugeFormat {
    /// `312.4 MiB`, `1.2 GiB`, `812 KiB` (binary units, like top and docker stats).
    public static func bytes(_ b: UInt64) -> String {
        let v = Double(b), k = 1024.0
        if v >= k * k * k { return one(v / (k * k * k)) + " GiB" }
        if v >= k * k { return one(v / (k * k)) + " MiB" }
        if v >= k { return String(Int(v / k)) + " KiB" }
        return String(b) + " B"
    }

    /// `12.5%`.
    public static func percent(_ p: Double) -> String { one(p) + "%" }

    /// `3s`, `5m`, `2h4m`.
    public static func age(seconds: Double) -> String {
        Duration.describe(nanoseconds: Int64(max(0, min(seconds, 9e9)) * 1e9))
    }

    /// A count as a person reads it: `0`, `1234`, `1.2M`.
    public static func count(_ v: Double) -> String {
        guard v.isFinite else { return String(v) }
        if v < 1_000_000 { return String(Int64(v)) }
        return one(v / 1_000_000) + "M"
    }

    public static func one(_ v: Double) -> String {
        guard v.isFinite else { return "?" }
        let tenths = Int64((v * 10).rounded())
        return String(tenths / 10) + "." + String(abs(tenths % 10))
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
