/// A 64-bit FNV-1a hash of an alert's raw JSON: the identity that keeps one alert from
/// being stored twice when a file is ingested again or a feed replays after a restart.
enum Fingerprint {
    static func of(_ raw: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in raw.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return Int64(bitPattern: hash)
    }
}
