#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension EventFieldScanner {
    /// Open-addressing table from key bytes to slot and special role, looked up without allocating.
    /// Open-addressing table from key bytes to slot and role, in unmanaged memory so a lookup
    /// does no reference counting.
    final class KeyTable: @unchecked Sendable {
        struct Entry { var hash: UInt64; var keyStart: Int32; var keyLength: Int32; var slot: Int32; var role: UInt8; var used: Bool }
        private let entries: UnsafeMutablePointer<Entry>
        private let keyBytes: UnsafeMutablePointer<UInt8>
        private let capacity: Int
        private let mask: Int

        init(keys: [(key: String, slot: Int32, role: UInt8)]) {
            var capacity = 16
            while capacity < keys.count * 4 { capacity <<= 1 }
            self.capacity = capacity
            mask = capacity - 1
            var table = Array(repeating: Entry(hash: 0, keyStart: 0, keyLength: 0, slot: -1, role: 0, used: false), count: capacity)
            var bytesAll: [UInt8] = []
            for k in keys {
                let bytes = Array(k.key.utf8)
                let h = bytes.withUnsafeBytes { Self.hash($0) }
                var i = Int(truncatingIfNeeded: h) & mask
                while table[i].used {
                    let e = table[i]
                    if Array(bytesAll[Int(e.keyStart)..<Int(e.keyStart + e.keyLength)]) == bytes { break }
                    i = (i + 1) & mask
                }
                if !table[i].used {
                    table[i] = Entry(hash: h, keyStart: Int32(bytesAll.count), keyLength: Int32(bytes.count), slot: -1, role: 0, used: true)
                    bytesAll += bytes
                }
                if k.slot >= 0 { table[i].slot = k.slot }
                table[i].role |= k.role
            }
            entries = .allocate(capacity: capacity)
            entries.initialize(from: table, count: capacity)
            keyBytes = .allocate(capacity: max(bytesAll.count, 1))
            keyBytes.initialize(from: bytesAll, count: bytesAll.count)
        }

        deinit {
            entries.deallocate()
            keyBytes.deallocate()
        }

        /// Length plus the first and last eight bytes: field names differ there, and it costs two loads.
        @inline(__always)
        static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
            let n = bytes.count
            var a: UInt64 = 0, b: UInt64 = 0
            if n >= 8 {
                a = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
                b = bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            } else {
                for (k, byte) in bytes.enumerated() { a |= UInt64(byte) << UInt64(k * 8) }
            }
            var h = (a &* 0x9E3779B97F4A7C15) ^ (b &* 0xC2B2AE3D27D4EB4F) ^ UInt64(n)
            h ^= h >> 29
            return h &* 0x94D049BB133111EB
        }

        @inline(__always)
        func lookup(_ bytes: UnsafeRawBufferPointer) -> (slot: Int32, role: UInt8)? {
            let h = Self.hash(bytes)
            var i = Int(truncatingIfNeeded: h) & mask
            while entries[i].used {
                let e = entries[i]
                if e.hash == h && Int(e.keyLength) == bytes.count
                    && memcmp(keyBytes + Int(e.keyStart), bytes.baseAddress!, bytes.count) == 0 {
                    return (e.slot, e.role)
                }
                i = (i + 1) & mask
            }
            return nil
        }
    }
}
