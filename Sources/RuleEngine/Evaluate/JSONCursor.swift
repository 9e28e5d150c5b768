import TradsecCore

extension EventFieldScanner {
    /// One JSON value of an event line converted to a field's type. The bytes are read by
    /// ``JSONByteScanner``; this only decides what each JSON value means for a field type.
    struct Cursor {
        var json: JSONByteScanner

        init(p: UnsafePointer<UInt8>, end: Int) { json = JSONByteScanner(base: p, count: end) }
        init(_ json: JSONByteScanner) { self.json = json }

        /// A string without escapes, as raw bytes (nil when it has escapes or is not a string).
        mutating func rawString() -> UnsafeRawBufferPointer? {
            guard json.current == UInt8(ascii: "\""), let e = try? json.scanString(), !e.hasEscapes else { return nil }
            return UnsafeRawBufferPointer(start: json.base + e.start, count: e.count)
        }

        /// A string value decoded to bytes: UTF-8 text, or (latin1) code points as bytes.
        mutating func decodedString(latin1: Bool) -> [UInt8]? {
            guard let e = try? json.scanString() else { return nil }
            if !latin1 || e.isVerbatimASCII { return json.decodedBytes(e) }
            // Code points U+0000..U+00FF are the raw bytes (Latin-1), as the dumps write buffers.
            guard let text = try? json.decodedString(e) else { return nil }
            return text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        }

        /// An integer literal (no fraction/exponent) that the strict parser keeps exactly; the
        /// cursor is left after it, or where it was when there is none.
        mutating func integer() -> (negative: Bool, magnitude: UInt64)? {
            var probe = json
            guard case .integer(let negative, let magnitude)? = try? probe.parseNumber() else { return nil }
            json = probe
            return (negative, magnitude)
        }

        private mutating func number() -> FieldValue? {
            switch try? json.parseNumber() {
            case .integer(negative: false, let magnitude)?: return .uint(magnitude)
            case .integer(negative: true, let magnitude)?: return .int(Int64(truncatingIfNeeded: 0 &- magnitude))
            case .double(let d)?: return .double(d)
            case nil: return nil
            }
        }

        /// A JSON value converted to the slot's type (nil: malformed, caller falls back).
        /// An unconvertible value (e.g. `null`) is stored as "no value" by returning `.some(nil)`.
        mutating func value(type: FieldType, depth: Int) -> FieldValue?? {
            switch json.current {
            case UInt8(ascii: "\""):
                guard let bytes = decodedString(latin1: type == .bytebuf) else { return nil }
                return .some(Self.fromString(bytes, type))
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                let isTrue = json.current == UInt8(ascii: "t")
                guard (try? json.expectLiteral(isTrue ? "true" : "false")) != nil else { return nil }
                switch type {
                case .bool: return .some(.bool(isTrue))
                case .charbuf, .dyn: return .some(.bytes(Array((isTrue ? "true" : "false").utf8)))
                default: return .some(nil)
                }
            case UInt8(ascii: "n"):
                guard (try? json.expectLiteral("null")) != nil else { return nil }
                return .some(nil)
            case UInt8(ascii: "["):
                // Lists of lists this deep are not Falco's: no value.
                guard let hasItems = try? json.openContainer(depth: depth + 1, maxDepth: 8) else { return nil }
                var items: [FieldValue] = []
                guard hasItems else { return .some(.list(items)) }
                while true {
                    guard let item = value(type: type, depth: depth + 1) else { return nil }
                    if let item { items.append(item) }
                    guard let more = try? json.nextElement(closing: UInt8(ascii: "]")) else { return nil }
                    if !more { return .some(.list(items)) }
                }
            case UInt8(ascii: "{"):
                guard (try? json.skipValue(depth: depth, maxDepth: EventFieldScanner.maxDepth)) != nil else { return nil }
                return .some(nil)
            default:
                guard let n = number() else { return nil }
                return .some(Self.fromNumber(n, type))
            }
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
    }
}
