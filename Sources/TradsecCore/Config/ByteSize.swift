/// Sizes written in configuration files: `512KiB`, `400MB`, `1.5GiB`, `2g`, a bare number.
///
/// One reader for every section, so `MB` means the same everywhere. Units are binary, as
/// Docker and podman read memory sizes: `K`/`KB`/`KiB` are 1024 bytes, `M`/`MB`/`MiB`
/// 1024², `G`/`GB`/`GiB` 1024³, `B` one byte; case does not matter. What a bare number means
/// is the caller's (`bare`: bytes for a body limit, MiB for a memory threshold).
public enum ByteSize {
    public static let kibibyte: UInt64 = 1 << 10
    public static let mebibyte: UInt64 = 1 << 20

    /// The size in bytes; nil when it is not a size, not above zero, or more than `UInt64` holds.
    public static func parse(_ text: String, bare: UInt64) -> UInt64? {
        // ASCII only: lowercased() would also turn the Kelvin sign into a "k".
        guard text.allSatisfy(\.isASCII) else { return nil }
        let lower = text.lowercased().trimmingBlanks
        let units: [(String, Double)] = [("kib", 0x1p10), ("mib", 0x1p20), ("gib", 0x1p30), ("kb", 0x1p10), ("mb", 0x1p20), ("gb", 0x1p30),
                                         ("k", 0x1p10), ("m", 0x1p20), ("g", 0x1p30), ("b", 1)]
        var number = Substring(lower)
        var factor = Double(bare)
        var whole = bare
        for (suffix, unit) in units where lower.hasSuffix(suffix) {
            number = lower.dropLast(suffix.count)
            factor = unit
            whole = UInt64(unit)
            break
        }
        let digits = String(number).trimmingBlanks
        // Whole numbers exactly (a Double rounds above 2^53); fractions through a Double.
        if !digits.isEmpty, digits.allSatisfy(\.isNumber), let value = UInt64(digits) {
            let (bytes, overflow) = value.multipliedReportingOverflow(by: whole)
            return overflow || bytes == 0 ? nil : bytes
        }
        // Digits and one point only: Double() would also take "inf", "nan" and "0x1p4".
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              digits.filter({ $0 == "." }).count <= 1, let value = Double(digits) else { return nil }
        let bytes = value * factor
        guard bytes >= 1, bytes < 0x1p64 else { return nil }
        return UInt64(bytes)
    }
}

extension String {
    fileprivate var trimmingBlanks: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
