/// Why a JSON text was refused, and where (a byte offset into the input).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var offset: Int
    public var description: String { "\(reason) at byte \(offset)" }
}

/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// Written by hand because alert ingest and event evaluation need far more lines a second
/// than Foundation's parsers give (docs/architecture.md, "Why our own JSON parser"). It rejects invalid UTF-8,
/// lone surrogates, trailing garbage and nesting deeper than ``maxDepth``.
public struct JSONParser {
    public static let maxDepth = 512

    private let base: UnsafePointer<UInt8>
    private let end: Int
    private var i = 0

    private init(_ buffer: UnsafeRawBufferPointer) {
        // An empty buffer may have a nil base; point at a static byte instead.
        if let p = buffer.baseAddress {
            base = p.assumingMemoryBound(to: UInt8.self)
        } else {
            base = JSONParser.emptyByte
        }
        end = buffer.count
    }

    // Immutable after initialisation, so sharing it across threads is safe.
    nonisolated(unsafe) private static let emptyByte: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.pointee = 0
        return UnsafePointer(p)
    }()

    public static func parse(bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.i != parser.end { throw parser.fail("unexpected text after the JSON value") }
        return value
    }

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        do {
            return try bytes.withUnsafeBytes { try parse(bytes: $0) }
        } catch let error as JSONParseError {
            throw error
        } catch {
            fatalError("unreachable")
        }
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        do {
            return try text.withUTF8 { try parse(bytes: UnsafeRawBufferPointer($0)) }
        } catch let error as JSONParseError {
            throw error
        } catch {
            fatalError("unreachable")
        }
    }

    // MARK: - Values

    private func fail(_ reason: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(reason: reason, offset: offset ?? i)
    }

    private mutating func skipWhitespace() {
        while i < end {
            let c = base[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard i < end else { throw fail(i == 0 ? "empty input" : "unexpected end of input (truncated JSON?)") }
        switch base[i] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character \(JSONParser.describe(byte: base[i]))")
        }
    }

    static func describe(byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "0x" + String(byte, radix: 16)
    }

    private mutating func expectWord(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard end - i >= n else { throw fail("unexpected end of input (truncated JSON?)") }
        let w = word.utf8Start
        for k in 0..<n where base[i + k] != w[k] { throw fail("invalid literal") }
        i += n
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > JSONParser.maxDepth { throw fail("nesting deeper than \(JSONParser.maxDepth)") }
        i += 1
        // Nothing reserved: an object grows to its size, so `[{},{},…]` does not cost a table
        // per item, and an alert's small objects (kept until committed) stay small.
        var object = JSONObject()
        skipWhitespace()
        if i < end && base[i] == UInt8(ascii: "}") { i += 1; return .object(object) }
        while true {
            skipWhitespace()
            guard i < end else { throw fail("unexpected end of input (truncated JSON?)") }
            guard base[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard i < end else { throw fail("unexpected end of input (truncated JSON?)") }
            guard base[i] == UInt8(ascii: ":") else { throw fail("expected ':' after key") }
            i += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            object.append(key, value)
            skipWhitespace()
            guard i < end else { throw fail("unexpected end of input (truncated JSON?)") }
            let c = base[i]
            i += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "}") { return .object(object) }
            throw fail("expected ',' or '}'", at: i - 1)
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > JSONParser.maxDepth { throw fail("nesting deeper than \(JSONParser.maxDepth)") }
        i += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if i < end && base[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard i < end else { throw fail("unexpected end of input (truncated JSON?)") }
            let c = base[i]
            i += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "]") { return .array(items) }
            throw fail("expected ',' or ']'", at: i - 1)
        }
    }

    // MARK: - Strings

    private mutating func parseString() throws(JSONParseError) -> String {
        let start = i
        i += 1
        let contentStart = i
        // Fast path: no escapes. Scan to the closing quote, then validate UTF-8 once, and
        // only when a non-ASCII byte was seen (ASCII is valid UTF-8 and converts much faster).
        var high: UInt8 = 0
        while i < end {
            let c = base[i]
            if c == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(start: base + contentStart, count: i - contentStart)
                i += 1
                if high < 0x80 { return String(decoding: raw, as: UTF8.self) }
                guard let s = String(validating: raw, as: UTF8.self) else {
                    throw fail("invalid UTF-8 in string", at: start)
                }
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw fail("unescaped control character in string") }
            high |= c
            i += 1
        }
        if i >= end { throw fail("unterminated string (truncated JSON?)", at: start) }
        // Slow path: copy segments and decode escapes.
        var bytes = [UInt8](UnsafeBufferPointer(start: base + contentStart, count: i - contentStart))
        while i < end {
            let c = base[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                guard let s = String(validating: bytes, as: UTF8.self) else {
                    throw fail("invalid UTF-8 in string", at: start)
                }
                return s
            }
            if c < 0x20 { throw fail("unescaped control character in string") }
            if c != UInt8(ascii: "\\") { bytes.append(c); i += 1; continue }
            i += 1
            guard i < end else { break }
            let e = base[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): bytes.append(0x22)
            case UInt8(ascii: "\\"): bytes.append(0x5C)
            case UInt8(ascii: "/"): bytes.append(0x2F)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // High surrogate: must be followed by \u low surrogate.
                    guard end - i >= 6, base[i] == UInt8(ascii: "\\"), base[i + 1] == UInt8(ascii: "u") else {
                        throw fail("lone surrogate in \\u escape")
                    }
                    i += 2
                    let low = try parseHex4()
                    guard low >= 0xDC00 && low < 0xE000 else { throw fail("lone surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw fail("lone surrogate in \\u escape")
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                bytes.append(contentsOf: UTF8.encode(u)!)
            default:
                throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: i - 2)
            }
        }
        throw fail("unterminated string (truncated JSON?)", at: start)
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard end - i >= 4 else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = base[i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 55)
            default: throw fail("invalid hex digit in \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    // MARK: - Numbers

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = i
        var negative = false
        if base[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < end, base[i] >= 0x30, base[i] <= 0x39 else { throw fail("invalid number", at: start) }
        if base[i] == 0x30, i + 1 < end, base[i + 1] >= 0x30, base[i + 1] <= 0x39 {
            throw fail("leading zero in number", at: start)
        }
        var magnitude: UInt64 = 0
        var overflow = false
        while i < end, base[i] >= 0x30, base[i] <= 0x39 {
            let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (m2, o2) = m1.addingReportingOverflow(UInt64(base[i] - 0x30))
            magnitude = m2
            overflow = overflow || o1 || o2
            i += 1
        }
        var isInteger = true
        if i < end, base[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard i < end, base[i] >= 0x30, base[i] <= 0x39 else { throw fail("invalid number", at: start) }
            while i < end, base[i] >= 0x30, base[i] <= 0x39 { i += 1 }
        }
        if i < end, base[i] == UInt8(ascii: "e") || base[i] == UInt8(ascii: "E") {
            isInteger = false
            i += 1
            if i < end, base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-") { i += 1 }
            guard i < end, base[i] >= 0x30, base[i] <= 0x39 else { throw fail("invalid number", at: start) }
            while i < end, base[i] >= 0x30, base[i] <= 0x39 { i += 1 }
        }
        if isInteger && !overflow {
            if negative {
                if magnitude <= UInt64(Int64.max) { return .int(-Int64(magnitude)) }
                if magnitude == UInt64(Int64.max) + 1 { return .int(Int64.min) }
            } else {
                return magnitude <= UInt64(Int64.max) ? .int(Int64(magnitude)) : .uint(magnitude)
            }
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: i - start), as: UTF8.self)
        guard let d = Double(text) else { throw fail("invalid number", at: start) }
        return .double(d)
    }
}
