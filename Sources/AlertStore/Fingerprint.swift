import TradsecCore

/// A 64-bit hash of an alert's raw JSON: the identity that keeps one alert from being stored
/// twice when a file is ingested again or a feed replays after a restart. It is unique
/// together with the alert's time, so 64 bits leave collisions out of reach.
///
/// Eight bytes per step with a multiply-xor mix (the history before v8 used FNV-1a, one
/// byte per step, 3–4 % of ingest; the v8 migration recomputed the stored fingerprints).
enum Fingerprint {
    static func of(_ raw: String) -> Int64 {
        withUTF8(raw) { hash($0) }
    }

    static func hash(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ (UInt64(bytes.count) &* k)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            h = mix(h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        return Int64(bitPattern: SplitMix64.mix(mix(h ^ tail)))
    }

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        let m = x.multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return m.high ^ m.low
    }
}
