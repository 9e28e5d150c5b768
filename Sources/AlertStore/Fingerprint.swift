/// A 64-bit FNV-1a hash of an alert's raw JSON: the identity that keeps one alert from
/// being stored twice when a file is ingested again or a feed replays after a restart.
enum Fingerprint {
    static func of(_ raw: String) -> Int64 {
        // Native strings hand out their UTF-8 storage directly; iterating `utf8` byte by
        // byte through the view costs several times more on this hot path.
        if let hash = raw.utf8.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) { return hash }
        return Array(raw.utf8).withUnsafeBytes { hash($0) }
    }

    private static func hash(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return Int64(bitPattern: hash)
    }
}
