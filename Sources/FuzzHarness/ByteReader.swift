/// Reads structure from the front of a fuzz input (a selector byte, a length) and hands out
/// the rest: libFuzzer mutates bytes, so each choice a harness makes comes from them.
struct ByteReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    /// The next byte, or 0 past the end (a short input still selects something).
    mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// The next two bytes, big-endian.
    mutating func uint16() -> Int { Int(byte()) << 8 | Int(byte()) }

    /// Up to `count` bytes.
    mutating func take(_ count: Int) -> UnsafeRawBufferPointer {
        let n = max(0, min(count, remaining))
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])
    }

    /// Everything not read yet.
    mutating func rest() -> UnsafeRawBufferPointer { take(remaining) }

    /// The rest split at `separator` (at most `limit` parts; the last keeps any further separators).
    mutating func split(separator: [UInt8], limit: Int) -> [[UInt8]] {
        let all = Array(rest())
        var parts: [[UInt8]] = []
        var start = 0
        var i = 0
        while i + separator.count <= all.count, parts.count < limit - 1 {
            if all[i..<(i + separator.count)].elementsEqual(separator) {
                parts.append(Array(all[start..<i]))
                i += separator.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(Array(all[start...]))
        return parts
    }
}

extension UnsafeRawBufferPointer {
    /// The bytes as text the way the code under test reads a reply (invalid UTF-8 repaired).
    var lossyText: String { String(decoding: self, as: UTF8.self) }
}
