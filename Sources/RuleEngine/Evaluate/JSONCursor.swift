#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension EventFieldScanner {
    /// A position in one JSON line: skips values, reads keys and strings, converts values to field types.
    struct Cursor {
        let p: UnsafePointer<UInt8>
        let end: Int
        var i = 0

        init(p: UnsafePointer<UInt8>, end: Int) { self.p = p; self.end = end }

        @inline(__always) var current: UInt8 { i < end ? p[i] : 0 }

        @inline(__always) mutating func skipWS() {
            while i < end, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0A || p[i] == 0x0D { i += 1 }
        }

        @inline(__always) mutating func take(_ b: UInt8) -> Bool {
            if i < end && p[i] == b { i += 1; return true }
            return false
        }

        /// Index of the first `"` or `\\` at or after `from` (or `end`), eight bytes at a time.
        @inline(__always)
        func quoteOrBackslash(from: Int) -> Int {
            var k = from
            let ones: UInt64 = 0x0101010101010101, highs: UInt64 = 0x8080808080808080
            while k + 8 <= end {
                let x = UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)
                let q = x ^ (ones &* 0x22), b = x ^ (ones &* 0x5C)
                // A byte equal to the target becomes zero; the lowest flagged byte is exact.
                let m = ((q &- ones) & ~q & highs) | ((b &- ones) & ~b & highs)
                if m != 0 { return k + m.trailingZeroBitCount / 8 }
                k += 8
            }
            while k < end && p[k] != 0x22 && p[k] != 0x5C { k += 1 }
            return k
        }

        /// A key without escapes (all field names): its raw bytes.
        @inline(__always)
        mutating func rawKey() -> UnsafeRawBufferPointer? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = i
            let k = quoteOrBackslash(from: start)
            guard k < end, p[k] == 0x22 else { return nil }
            i = k + 1
            return UnsafeRawBufferPointer(start: p + start, count: k - start)
        }

        /// A string without escapes, as raw bytes (nil if it has escapes: caller falls back).
        mutating func rawString() -> UnsafeRawBufferPointer? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = i
            guard let q = memchr(p + start, 0x22, end - start) else { return nil }
            let close = p.distance(to: q.assumingMemoryBound(to: UInt8.self))
            let r = UnsafeRawBufferPointer(start: p + start, count: close - start)
            // Escapes or control characters: let the strict path handle it.
            if memchr(p + start, 0x5C, close - start) != nil { return nil }
            i = close + 1
            return r
        }

        /// A string value decoded to bytes: UTF-8 text, or (latin1) code points as bytes.
        mutating func decodedString(latin1: Bool) -> [UInt8]? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = i
            // Fast path: no escapes and (for text) no need to re-encode.
            while i < end {
                let b = p[i]
                if b == UInt8(ascii: "\"") {
                    if !latin1 {
                        let out = Array(UnsafeBufferPointer(start: p + start, count: i - start))
                        i += 1
                        return out
                    }
                    break
                }
                if b == UInt8(ascii: "\\") || b < 0x20 || (latin1 && b >= 0x80) { break }
                i += 1
            }
            var out = Array(UnsafeBufferPointer(start: p + start, count: i - start))
            while i < end {
                let b = p[i]
                if b == UInt8(ascii: "\"") { i += 1; return out }
                if b < 0x20 { return nil }
                if b == UInt8(ascii: "\\") {
                    i += 1
                    guard i < end else { return nil }
                    let e = p[i]; i += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        guard var scalar = hex4() else { return nil }
                        if scalar >= 0xD800 && scalar < 0xDC00 {
                            guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(), low >= 0xDC00, low < 0xE000 else { return nil }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        append(scalar, to: &out, latin1: latin1)
                    default: return nil
                    }
                    continue
                }
                if latin1 && b >= 0x80 {
                    // Decode one UTF-8 sequence; the code point's low byte is the raw byte.
                    guard let (scalar, n) = utf8Scalar() else { return nil }
                    out.append(UInt8(truncatingIfNeeded: scalar)); i += n
                    continue
                }
                out.append(b); i += 1
            }
            return nil
        }

        private func utf8Scalar() -> (UInt32, Int)? {
            let b0 = UInt32(p[i])
            if b0 & 0xE0 == 0xC0, i + 1 < end { return ((b0 & 0x1F) << 6 | UInt32(p[i + 1]) & 0x3F, 2) }
            if b0 & 0xF0 == 0xE0, i + 2 < end { return ((b0 & 0x0F) << 12 | (UInt32(p[i + 1]) & 0x3F) << 6 | UInt32(p[i + 2]) & 0x3F, 3) }
            if b0 & 0xF8 == 0xF0, i + 3 < end {
                return ((b0 & 0x07) << 18 | (UInt32(p[i + 1]) & 0x3F) << 12 | (UInt32(p[i + 2]) & 0x3F) << 6 | UInt32(p[i + 3]) & 0x3F, 4)
            }
            return nil
        }

        private func append(_ scalar: UInt32, to out: inout [UInt8], latin1: Bool) {
            if latin1 { out.append(UInt8(truncatingIfNeeded: scalar)); return }
            guard let u = Unicode.Scalar(scalar) else { out += [0xEF, 0xBF, 0xBD]; return }
            out += Array(String(Character(u)).utf8)
        }

        private mutating func hex4() -> UInt32? {
            guard i + 4 <= end else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 {
                guard let h = StringUnescaping.hexValue(p[i + k]) else { return nil }
                v = v << 4 | UInt32(h)
            }
            i += 4
            return v
        }

        /// An integer literal (no fraction/exponent); the cursor is left after it.
        mutating func integer() -> (negative: Bool, magnitude: UInt64)? {
            var k = i
            var negative = false
            if k < end && p[k] == UInt8(ascii: "-") { negative = true; k += 1 }
            guard k < end, p[k] >= 0x30, p[k] <= 0x39 else { return nil }
            var v: UInt64 = 0
            while k < end, p[k] >= 0x30, p[k] <= 0x39 {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(p[k] - 0x30))
                if o1 || o2 { return nil }
                v = a; k += 1
            }
            if k < end, p[k] == UInt8(ascii: ".") || p[k] == UInt8(ascii: "e") || p[k] == UInt8(ascii: "E") { return nil }
            i = k
            return (negative, v)
        }

        private mutating func number() -> FieldValue? {
            let start = i
            if let v = integer() {
                if !v.negative { return .uint(v.magnitude) }
                if v.magnitude <= UInt64(Int64.max) + 1 { return .int(Int64(truncatingIfNeeded: 0 &- v.magnitude)) }
                // Below Int64.min: read as a double, as the strict parser does.
                i = start
            }
            var k = start
            while k < end, EventFieldScanner.isNumberByte(p[k]) { k += 1 }
            guard k > start, let d = Double(String(decoding: UnsafeBufferPointer(start: p + start, count: k - start), as: UTF8.self)) else { return nil }
            i = k
            return .double(d)
        }

        /// A JSON value converted to the slot's type (nil: malformed, caller falls back).
        /// An unconvertible value (e.g. `null`) is stored as "no value" by returning `.some(nil)`.
        mutating func value(type: FieldType, depth: Int) -> FieldValue?? {
            switch current {
            case UInt8(ascii: "\""):
                guard let bytes = decodedString(latin1: type == .bytebuf) else { return nil }
                return .some(Self.fromString(bytes, type))
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                let isTrue = current == UInt8(ascii: "t")
                guard literal(isTrue ? "true" : "false") else { return nil }
                switch type {
                case .bool: return .some(.bool(isTrue))
                case .charbuf, .dyn: return .some(.bytes(Array((isTrue ? "true" : "false").utf8)))
                default: return .some(nil)
                }
            case UInt8(ascii: "n"):
                guard literal("null") else { return nil }
                return .some(nil)
            case UInt8(ascii: "["):
                guard depth < 8 else { return nil }
                i += 1
                var items: [FieldValue] = []
                skipWS()
                if take(UInt8(ascii: "]")) { return .some(.list(items)) }
                while true {
                    skipWS()
                    guard let item = value(type: type, depth: depth + 1) else { return nil }
                    if let item { items.append(item) }
                    skipWS()
                    if take(UInt8(ascii: ",")) { continue }
                    guard take(UInt8(ascii: "]")) else { return nil }
                    return .some(.list(items))
                }
            case UInt8(ascii: "{"):
                guard skipValue(depth: depth) else { return nil }
                return .some(nil)
            default:
                guard let n = number() else { return nil }
                return .some(Self.fromNumber(n, type))
            }
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard i + n <= end, memcmp(p + i, word.utf8Start, n) == 0 else { return false }
            i += n
            return true
        }

        static func fromString(_ bytes: [UInt8], _ type: FieldType) -> FieldValue? {
            switch type {
            case .charbuf, .dyn, .bytebuf: return .bytes(bytes)
            case .bool:
                if bytes == Array("true".utf8) { return .bool(true) }
                return bytes == Array("false".utf8) ? .bool(false) : nil
            case .ipaddr, .ipnet: return IPAddress.parse(String(decoding: bytes, as: UTF8.self)).map(FieldValue.ip)
            case .int16, .int32, .int64: return Int64(String(decoding: bytes, as: UTF8.self)).map(FieldValue.int)
            case .double: return Double(String(decoding: bytes, as: UTF8.self)).flatMap(NumericConversion.finite).map(FieldValue.double)
            default: return UInt64(String(decoding: bytes, as: UTF8.self)).map(FieldValue.uint)
            }
        }

        static func fromNumber(_ n: FieldValue, _ type: FieldType) -> FieldValue? {
            switch (type, n) {
            case (.int16, .uint(let v)), (.int32, .uint(let v)), (.int64, .uint(let v)): return .int(Int64(bitPattern: v))
            case (.int16, .int), (.int32, .int), (.int64, .int): return n
            case (.double, .uint(let v)): return .double(Double(v))
            case (.double, .int(let v)): return .double(Double(v))
            case (.double, .double(let d)): return NumericConversion.finite(d).map(FieldValue.double)
            case (.bool, .uint(let v)): return .bool(v != 0)
            case (.bool, .int(let v)): return .bool(v != 0)
            case (.charbuf, _), (.dyn, _): return .bytes(Array(ValueRendering.text(of: n).utf8))
            case (_, .int(let v)) where type.family == .numeric: return .uint(UInt64(bitPattern: v))
            case (_, .uint) where type.family == .numeric: return n
            case (_, .double(let d)) where type.family == .numeric: return NumericConversion.value(d, signedType: type.isSigned)
            default: return nil
            }
        }

        /// Skips any JSON value (bounded nesting).
        mutating func skipValue(depth: Int) -> Bool {
            guard depth < 64 else { return false }
            switch current {
            case UInt8(ascii: "\""):
                i += 1
                while true {
                    let k = quoteOrBackslash(from: i)
                    guard k < end else { return false }
                    if p[k] == 0x22 { i = k + 1; return true }
                    i = k + 2   // an escape: skip the backslash and the escaped byte
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = current == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                let isObject = close == UInt8(ascii: "}")
                i += 1
                skipWS()
                if take(close) { return true }
                while true {
                    skipWS()
                    if isObject {
                        guard current == UInt8(ascii: "\""), skipValue(depth: depth + 1) else { return false }
                        skipWS()
                        guard take(UInt8(ascii: ":")) else { return false }
                        skipWS()
                    }
                    guard skipValue(depth: depth + 1) else { return false }
                    skipWS()
                    if take(UInt8(ascii: ",")) { continue }
                    return take(close)
                }
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default:
                let start = i
                while i < end, EventFieldScanner.isNumberByte(p[i]) { i += 1 }
                return i > start
            }
        }
    }
}
