/// A field value of one event, already converted to the field's catalog type when the
/// event was decoded, so checks compare without parsing.
public enum FieldValue: Sendable, Equatable {
    /// CHARBUF text as UTF-8 bytes, BYTEBUF as raw bytes.
    case bytes([UInt8])
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case bool(Bool)
    case ip(IPAddress)
    /// Several values: list fields (`fd.types`, `ka.*` lists) and ancestor lists.
    case list([FieldValue])

    var bytesValue: [UInt8]? { if case .bytes(let b) = self { return b }; return nil }
}

/// An IPv4 or IPv6 address; IPv4 keeps its 4 bytes in `low`, so the two never compare equal.
public struct IPAddress: Sendable, Hashable {
    public var high: UInt64
    public var low: UInt64
    public var isV4: Bool

    /// Parses dotted quads (no leading zeros) and RFC 4291 IPv6 text (with `::` and an
    /// embedded IPv4 tail).
    public static func parse(_ text: String) -> IPAddress? {
        if text.contains(":") { return parseV6(text) }
        guard let v4 = parseV4(text) else { return nil }
        return IPAddress(high: 0, low: UInt64(v4), isV4: true)
    }

    static func parseV4(_ text: some StringProtocol) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy({ $0.isASCII && $0.isNumber }),
                  !(p.count > 1 && p.first == "0"), let octet = UInt32(p), octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    static func parseV6(_ text: String) -> IPAddress? {
        var groups: [UInt16] = []
        var tailGroups: [UInt16] = []
        var sawDouble = false
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func parseGroups(_ s: String, allowV4Tail: Bool) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            for (i, p) in parts.enumerated() {
                if allowV4Tail && i == parts.count - 1 && p.contains(".") {
                    guard let v4 = parseV4(p) else { return nil }
                    out.append(UInt16(v4 >> 16)); out.append(UInt16(v4 & 0xFFFF))
                    continue
                }
                guard !p.isEmpty, p.count <= 4, let g = UInt16(p, radix: 16) else { return nil }
                out.append(g)
            }
            return out
        }
        if halves.count == 2 {
            sawDouble = true
            guard let a = parseGroups(halves[0], allowV4Tail: false), let b = parseGroups(halves[1], allowV4Tail: true) else { return nil }
            groups = a; tailGroups = b
            guard a.count + b.count <= 7 else { return nil }
        } else {
            guard let a = parseGroups(halves[0], allowV4Tail: true), a.count == 8 else { return nil }
            groups = a
        }
        var all = groups
        if sawDouble { all += Array(repeating: 0, count: 8 - groups.count - tailGroups.count) + tailGroups }
        guard all.count == 8 else { return nil }
        var high: UInt64 = 0, low: UInt64 = 0
        for i in 0..<4 { high = high << 16 | UInt64(all[i]) }
        for i in 4..<8 { low = low << 16 | UInt64(all[i]) }
        return IPAddress(high: high, low: low, isV4: false)
    }

    public var description: String {
        if isV4 {
            let v = UInt32(truncatingIfNeeded: low)
            return "\(v >> 24).\(v >> 16 & 0xFF).\(v >> 8 & 0xFF).\(v & 0xFF)"
        }
        var groups: [UInt16] = []
        for i in (0..<4).reversed() { groups.append(UInt16(truncatingIfNeeded: high >> (UInt64(i) * 16))) }
        for i in (0..<4).reversed() { groups.append(UInt16(truncatingIfNeeded: low >> (UInt64(i) * 16))) }
        return groups.map { String($0, radix: 16) }.joined(separator: ":")
    }
}

/// A CIDR network for IPNET fields (`fd.net`, `fd.snet`, ...).
public struct IPNetwork: Sendable, Hashable {
    public var address: IPAddress
    public var prefixLength: Int

    public func contains(_ ip: IPAddress) -> Bool {
        guard ip.isV4 == address.isV4 else { return false }
        if address.isV4 {
            let mask: UInt64 = prefixLength == 0 ? 0 : (0xFFFF_FFFF << UInt64(32 - prefixLength)) & 0xFFFF_FFFF
            return ip.low & mask == address.low & mask
        }
        let hiBits = min(prefixLength, 64), loBits = max(prefixLength - 64, 0)
        let hiMask: UInt64 = hiBits == 0 ? 0 : ~0 << UInt64(64 - hiBits)
        let loMask: UInt64 = loBits == 0 ? 0 : ~0 << UInt64(64 - loBits)
        return ip.high & hiMask == address.high & hiMask && ip.low & loMask == address.low & loMask
    }
}
