/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// Written by hand because alert ingest and event evaluation need far more lines a second
/// than Foundation's parsers give (docs/architecture.md, "Why our own JSON parser"). It rejects invalid UTF-8,
/// lone surrogates, trailing garbage and nesting deeper than ``maxDepth``. The bytes are read by
/// ``JSONByteScanner``; this builds the ``JSONValue`` tree.
public struct JSONParser {
    public static let maxDepth = 512

    private var scanner: JSONByteScanner

    public static func parse(bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(scanner: JSONByteScanner(bytes))
        parser.scanner.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.scanner.skipWhitespace()
        if !parser.scanner.isAtEnd { throw parser.scanner.failure(.trailingText) }
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

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        let c = try scanner.valueStart()
        switch c {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try scanner.decodedString(scanner.scanString()))
        case UInt8(ascii: "t"): try scanner.expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try scanner.expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try scanner.expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            switch try scanner.parseNumber() {
            case .integer(negative: false, let magnitude):
                return magnitude <= UInt64(Int64.max) ? .int(Int64(magnitude)) : .uint(magnitude)
            case .integer(negative: true, let magnitude):
                return .int(Int64(truncatingIfNeeded: 0 &- magnitude))   // down to Int64.min
            case .double(let d):
                return .double(d)
            }
        default: throw scanner.failure(.unexpectedCharacter(c))
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        // Nothing reserved: an object grows to its size, so `[{},{},…]` does not cost a table
        // per item, and an alert's small objects (kept until committed) stay small.
        var object = JSONObject()
        guard try scanner.openContainer(depth: depth, maxDepth: JSONParser.maxDepth) else { return .object(object) }
        repeat {
            // The key's UTF-8 is checked before the colon is looked for: the first error is reported.
            let key = try scanner.decodedString(scanner.scanKey())
            try scanner.expectColon()
            object.append(key, try parseValue(depth: depth))
        } while try scanner.nextElement(closing: UInt8(ascii: "}"))
        return .object(object)
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        var items: [JSONValue] = []
        guard try scanner.openContainer(depth: depth, maxDepth: JSONParser.maxDepth) else { return .array(items) }
        repeat {
            items.append(try parseValue(depth: depth))
        } while try scanner.nextElement(closing: UInt8(ascii: "]"))
        return .array(items)
    }
}
