import CByteScan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one byte-level reader of JSON text (RFC 8259): whitespace, punctuation, strings and their
/// escapes, numbers, literals and whole skipped values, each checked as strictly as
/// ``JSONParser`` needs and failing with a ``JSONParseError`` that says where.
///
/// The specialised readers are built on it: ``JSONParser`` (a ``JSONValue`` tree), the alert
/// record scanner (the history's indexed fields, `RecordScanner`), the rule engine's event
/// scanner (only the fields a rule reads) and the cutting of a request body's array into its
/// alerts (`JSONArrayItems`). They decide what to keep; this decides what is JSON.
///
/// A position in a byte buffer that the caller keeps alive. The small steps are
/// `@_transparent`: the rule engine calls them from another module, where `@inline(__always)`
/// left them as calls (`tradsec bench engine` showed it); the rest is `@inlinable`.
public struct JSONByteScanner {
    public let base: UnsafePointer<UInt8>
    public let end: Int
    public var position: Int
    /// False: a raw CR or LF is not whitespace (the alert scanner's lines must stay one line).
    @usableFromInline let lineBreaksAreWhitespace: Bool
    /// Some string scanned so far held a byte of 0x80 or more (see ``StringExtent/hasNonASCII``).
    public var sawNonASCII = false

    @inlinable
    public init(base: UnsafePointer<UInt8>, count: Int, position: Int = 0, lineBreaksAreWhitespace: Bool = true) {
        self.base = base
        end = count
        self.position = position
        self.lineBreaksAreWhitespace = lineBreaksAreWhitespace
    }

    public init(_ buffer: UnsafeRawBufferPointer) {
        // An empty buffer may have a nil base; point at a static byte instead.
        // Reading a byte buffer as UInt8 is always valid.
        self.init(base: buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? Self.emptyByte, count: buffer.count)
    }

    // Immutable after initialisation, so sharing it across threads is safe.
    nonisolated(unsafe) private static let emptyByte: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.pointee = 0
        return UnsafePointer(p)
    }()

    // MARK: - Bytes and punctuation

    /// The byte at the position, or 0 at the end (never a valid JSON byte outside a string).
    @inlinable @inline(__always)
    public var current: UInt8 { position < end ? base[position] : 0 }

    @inlinable @inline(__always)
    public var isAtEnd: Bool { position >= end }

    @inlinable @inline(__always)
    public func failure(_ kind: JSONParseError.Kind, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(kind, at: offset ?? position)
    }

    @_transparent
    public mutating func skipWhitespace() {
        while position < end {
            let c = base[position]
            if c == 0x20 || c == 0x09 || (lineBreaksAreWhitespace && (c == 0x0A || c == 0x0D)) { position += 1 } else { return }
        }
    }

    /// Steps over `byte` when it is next; false (and no step) otherwise.
    @inlinable @inline(__always)
    public mutating func take(_ byte: UInt8) -> Bool {
        if position < end && base[position] == byte { position += 1; return true }
        return false
    }

    /// The first byte of a value: the end of the text is an error.
    @inlinable @inline(__always)
    public func valueStart() throws(JSONParseError) -> UInt8 {
        guard position < end else { throw failure(position == 0 ? .emptyInput : .truncated) }
        return base[position]
    }

    /// `true`, `false` or `null`.
    @inlinable @inline(__always)
    public mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard end - position >= n else { throw failure(.truncated) }
        guard memcmp(base + position, word.utf8Start, n) == 0 else { throw failure(.invalidLiteral) }
        position += n
    }

    // MARK: - Containers

    /// At `{` or `[` (of nesting `depth`, which must not exceed `maxDepth`): steps in and over
    /// whitespace; false when the container is empty (and then stepped over whole).
    @_transparent
    public mutating func openContainer(depth: Int, maxDepth: Int) throws(JSONParseError) -> Bool {
        if depth > maxDepth { throw failure(.nestingTooDeep(limit: maxDepth)) }
        let closing = base[position] &+ 2   // `{` + 2 is `}`, `[` + 2 is `]`
        position += 1
        skipWhitespace()
        if take(closing) { return false }
        return true
    }

    /// An object member's key and its colon, whitespace around them skipped; the position is
    /// then at the member's value.
    @_transparent
    public mutating func memberKey() throws(JSONParseError) -> StringExtent {
        let key = try scanKey()
        try expectColon()
        return key
    }

    /// An object member's key (whitespace before it skipped).
    @_transparent
    public mutating func scanKey() throws(JSONParseError) -> StringExtent {
        skipWhitespace()
        guard position < end else { throw failure(.truncated) }
        guard base[position] == UInt8(ascii: "\"") else { throw failure(.expectedKey) }
        return try scanString()
    }

    /// The colon after a key, and the whitespace around it.
    @_transparent
    public mutating func expectColon() throws(JSONParseError) {
        skipWhitespace()
        guard position < end else { throw failure(.truncated) }
        guard base[position] == UInt8(ascii: ":") else { throw failure(.expectedColon) }
        position += 1
        skipWhitespace()
    }

    /// After a member or element: true at a comma (another follows; whitespace after it is
    /// skipped), false at `closing` (stepped over).
    @_transparent
    public mutating func nextElement(closing: UInt8) throws(JSONParseError) -> Bool {
        skipWhitespace()
        guard position < end else { throw failure(.truncated) }
        let c = base[position]
        position += 1
        if c == UInt8(ascii: ",") { skipWhitespace(); return true }
        if c == closing { return false }
        throw failure(.expectedCommaOr(closing: closing), at: position - 1)
    }

    /// Validates and steps over any value; containers nested deeper than `maxDepth` (counting
    /// this value's as `depth + 1`) are an error.
    @_transparent
    public mutating func skipValue(depth: Int, maxDepth: Int) throws(JSONParseError) {
        // Strings and numbers (most values) inline in the caller; the rest is a call.
        switch current {
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: try skipOtherValue(depth: depth, maxDepth: maxDepth)
        }
    }

    @inlinable @inline(never)
    mutating func skipOtherValue(depth: Int, maxDepth: Int) throws(JSONParseError) {
        let c = try valueStart()
        switch c {
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "{"):
            guard try openContainer(depth: depth + 1, maxDepth: maxDepth) else { return }
            repeat {
                _ = try memberKey()
                try skipValue(depth: depth + 1, maxDepth: maxDepth)
            } while try nextElement(closing: UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            guard try openContainer(depth: depth + 1, maxDepth: maxDepth) else { return }
            repeat {
                try skipValue(depth: depth + 1, maxDepth: maxDepth)
            } while try nextElement(closing: UInt8(ascii: "]"))
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw failure(.unexpectedCharacter(c))
        }
    }

    // MARK: - Structure only

    // For cutting text into values that are then parsed strictly one by one (the items of a
    // request's array of alerts): a bad value must not hide the good ones after it, so only
    // strings and brackets are followed and nothing else is checked.

    /// At `"`: steps past the closing quote, a backslash taking the byte after it; nothing
    /// else is checked. At the end of the text when it ends first (an `unterminatedString`
    /// at the opening quote).
    @inlinable
    public mutating func skipStringStructure() throws(JSONParseError) {
        let quote = position
        position += 1
        while true {
            position = tradsec_first_special(base, position, end)
            guard position < end else { position = end; throw failure(.unterminatedString, at: quote) }
            switch base[position] {
            case UInt8(ascii: "\""): position += 1; return
            case UInt8(ascii: "\\"): position += 2
            default: position += 1   // a control or non-ASCII byte: not judged here
            }
        }
    }

    /// At `{` or `[`: steps past the bracket that closes it, brackets counted outside strings
    /// (any closing bracket closes any opening one, and the depth is not limited: the value is
    /// parsed strictly afterwards). At the end of the text when it ends first: an
    /// `unterminatedString` at the quote of the string it ended in, or `truncated`.
    @inlinable
    public mutating func skipContainerStructure() throws(JSONParseError) {
        var depth = 0
        while position < end {
            switch base[position] {
            case UInt8(ascii: "\""):
                try skipStringStructure()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { position += 1; return }
            default:
                break
            }
            position += 1
        }
        throw failure(.truncated)
    }

    // MARK: - Strings

    /// A string's content bytes `start..<end` (between its quotes), as they are in the text.
    public struct StringExtent: Sendable, Equatable {
        public var start: Int
        public var end: Int
        /// It holds a backslash escape: its decoded bytes differ from the text.
        public var hasEscapes: Bool
        /// It holds a byte of 0x80 or more (not yet validated as UTF-8).
        public var hasNonASCII: Bool

        @inlinable
        public init(start: Int, end: Int, hasEscapes: Bool, hasNonASCII: Bool) {
            self.start = start
            self.end = end
            self.hasEscapes = hasEscapes
            self.hasNonASCII = hasNonASCII
        }

        @inlinable public var count: Int { end - start }
        /// The bytes in the text are the string's, and all ASCII.
        @inlinable public var isVerbatimASCII: Bool { !hasEscapes && !hasNonASCII }
    }

    /// At `"`: finds the closing quote and validates what is between (escapes, surrogate
    /// pairs, no raw control characters); UTF-8 is checked by ``decodedString(_:)``.
    @_transparent
    public mutating func scanString() throws(JSONParseError) -> StringExtent {
        // Most strings are plain ASCII: one search to the closing quote, inline in the caller.
        let k = tradsec_first_special(base, position + 1, end)
        if k < end && base[k] == UInt8(ascii: "\"") {
            let extent = StringExtent(start: position + 1, end: k, hasEscapes: false, hasNonASCII: false)
            position = k + 1
            return extent
        }
        return try scanStringWithSpecialBytes()
    }

    @inlinable @inline(never)
    mutating func scanStringWithSpecialBytes() throws(JSONParseError) -> StringExtent {
        let quote = position
        position += 1
        var escapes = false, nonASCII = false
        while true {
            // To the first quote, backslash, control or non-ASCII byte, 16 bytes a step (C: SSE2).
            position = tradsec_first_special(base, position, end)
            guard position < end else { throw failure(.unterminatedString, at: quote) }
            let c = base[position]
            if c == UInt8(ascii: "\"") {
                position += 1
                return StringExtent(start: quote + 1, end: position - 1, hasEscapes: escapes, hasNonASCII: nonASCII)
            }
            if c == UInt8(ascii: "\\") {
                escapes = true
                try scanEscape(quote: quote)
            } else if c < 0x20 {
                throw failure(.controlCharacterInString)
            } else {
                nonASCII = true
                sawNonASCII = true
                position += 1
                while position < end && base[position] >= 0x80 { position += 1 }
            }
        }
    }

    /// Validates one escape at a backslash and steps over it (a `\u` high surrogate with its low half).
    @inlinable
    mutating func scanEscape(quote: Int) throws(JSONParseError) {
        let backslash = position
        guard position + 1 < end else { throw failure(.unterminatedString, at: quote) }
        let e = base[position + 1]
        position += 2
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return
        case UInt8(ascii: "u"):
            let v = try hex4()
            if v >= 0xD800 && v < 0xDC00 {
                guard end - position >= 6, base[position] == UInt8(ascii: "\\"), base[position + 1] == UInt8(ascii: "u") else {
                    throw failure(.loneSurrogate)
                }
                position += 2
                let low = try hex4()
                guard low >= 0xDC00 && low < 0xE000 else { throw failure(.loneSurrogate) }
            } else if v >= 0xDC00 && v < 0xE000 {
                throw failure(.loneSurrogate)
            }
        default:
            throw failure(.invalidEscape(e), at: backslash)
        }
    }

    @inlinable
    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard end - position >= 4 else { throw failure(.truncatedUnicodeEscape) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let d = Self.hexValue(base[position]) else { throw failure(.invalidHexDigit) }
            v = v << 4 | d
            position += 1
        }
        return v
    }

    @inlinable @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c &- 48)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c &- 87)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c &- 55)
        default: return nil
        }
    }

    /// Writes the bytes of a string that ``scanString()`` accepted to `out`, escapes decoded;
    /// returns how many. Decoding never lengthens ("\n" is 2 bytes for 1, "\uXXXX" 6 for at
    /// most 3, a pair 12 for 4), so `out` needs room for `extent.count` bytes.
    @inlinable
    public func decode(_ extent: StringExtent, to out: UnsafeMutablePointer<UInt8>) -> Int {
        if !extent.hasEscapes {
            out.initialize(from: base + extent.start, count: extent.count)
            return extent.count
        }
        var o = 0
        var k = extent.start
        while k < extent.end {
            let c = base[k]
            if c != UInt8(ascii: "\\") { out[o] = c; o += 1; k += 1; continue }
            let e = base[k + 1]
            k += 2
            switch e {
            case UInt8(ascii: "b"): out[o] = 0x08
            case UInt8(ascii: "f"): out[o] = 0x0C
            case UInt8(ascii: "n"): out[o] = 0x0A
            case UInt8(ascii: "r"): out[o] = 0x0D
            case UInt8(ascii: "t"): out[o] = 0x09
            case UInt8(ascii: "u"):
                var v = validatedHex4(at: k)
                k += 4
                if v >= 0xD800 && v < 0xDC00 {
                    v = 0x10000 + ((v - 0xD800) << 10) + (validatedHex4(at: k + 2) &- 0xDC00)
                    k += 6
                }
                // Scanned: never a lone surrogate, so always a scalar.
                for b in UTF8.encode(Unicode.Scalar(v) ?? "\u{FFFD}")! { out[o] = b; o += 1 }
                continue
            default: out[o] = e   // " \ /
            }
            o += 1
        }
        return o
    }

    @inlinable
    func validatedHex4(at k: Int) -> UInt32 {
        var v: UInt32 = 0
        for j in k..<(k + 4) { v = v << 4 | (Self.hexValue(base[j]) ?? 0) }
        return v
    }

    /// A scanned string's bytes, escapes decoded (not checked as UTF-8).
    @inlinable
    public func decodedBytes(_ extent: StringExtent) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: max(extent.count, 1)) { buffer, count in
            count = decode(extent, to: buffer.baseAddress!)
        }
    }

    /// A scanned string as text; invalid UTF-8 is an error (at the opening quote).
    public func decodedString(_ extent: StringExtent) throws(JSONParseError) -> String {
        if extent.isVerbatimASCII {
            return String(decoding: UnsafeBufferPointer(start: base + extent.start, count: extent.count), as: UTF8.self)
        }
        if !extent.hasNonASCII {
            // ASCII and decoded escapes: valid UTF-8 by construction.
            return String(unsafeUninitializedCapacity: max(extent.count, 1)) { decode(extent, to: $0.baseAddress!) }
        }
        let text: String?
        if extent.hasEscapes {
            text = String(validating: decodedBytes(extent), as: UTF8.self)
        } else {
            text = String(validating: UnsafeBufferPointer(start: base + extent.start, count: extent.count), as: UTF8.self)
        }
        guard let text else { throw failure(.invalidUTF8, at: extent.start - 1) }
        return text
    }

    // MARK: - Numbers

    /// A number's text `start..<end`; `isInteger`: no fraction and no exponent.
    public struct NumberExtent: Sendable, Equatable {
        public var start: Int
        public var end: Int
        public var isInteger: Bool

        @inlinable
        public init(start: Int, end: Int, isInteger: Bool) {
            self.start = start
            self.end = end
            self.isInteger = isInteger
        }
    }

    /// Validates a number (RFC 8259 grammar) and steps over it.
    @inlinable @inline(__always)
    public mutating func scanNumber() throws(JSONParseError) -> NumberExtent {
        let start = position
        _ = take(UInt8(ascii: "-"))
        guard isDigit(current) else { throw failure(.invalidNumber, at: start) }
        if base[position] == 0x30 {
            position += 1
            if isDigit(current) { throw failure(.leadingZero, at: start) }
        } else {
            skipDigits()
        }
        var isInteger = true
        if take(UInt8(ascii: ".")) {
            isInteger = false
            guard isDigit(current) else { throw failure(.invalidNumber, at: start) }
            skipDigits()
        }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            isInteger = false
            if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
            guard isDigit(current) else { throw failure(.invalidNumber, at: start) }
            skipDigits()
        }
        return NumberExtent(start: start, end: position, isInteger: isInteger)
    }

    /// Validates a number and steps over it; a plain integer without a call.
    @_transparent
    public mutating func skipNumber() throws(JSONParseError) {
        let start = position
        _ = take(UInt8(ascii: "-"))
        let digits = position
        skipDigits()
        let c = current
        if position - digits == 1 || (position - digits > 1 && base[digits] != 0x30),
           c != UInt8(ascii: "."), c != UInt8(ascii: "e"), c != UInt8(ascii: "E") {
            return
        }
        position = start
        _ = try scanNumber()
    }

    @inlinable @inline(__always)
    func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    @inlinable @inline(__always)
    mutating func skipDigits() {
        while position < end && isDigit(base[position]) { position += 1 }
    }

    /// A number's value: exact when it is an integer that ``JSONParser`` keeps as one
    /// (a magnitude up to `UInt64.max`, or down to `Int64.min`), otherwise a double.
    public enum Number: Sendable, Equatable {
        case integer(negative: Bool, magnitude: UInt64)
        case double(Double)
    }

    /// Validates a number, steps over it and gives its value; never traps on overflow.
    @inlinable
    public mutating func parseNumber() throws(JSONParseError) -> Number {
        let extent = try scanNumber()
        let negative = base[extent.start] == UInt8(ascii: "-")
        if extent.isInteger {
            var magnitude: UInt64 = 0
            var overflow = false
            for k in (negative ? extent.start + 1 : extent.start)..<extent.end {
                let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (m2, o2) = m1.addingReportingOverflow(UInt64(base[k] &- 0x30))
                magnitude = m2
                overflow = overflow || o1 || o2
            }
            if !overflow && (!negative || magnitude <= UInt64(Int64.max) + 1) {
                return .integer(negative: negative, magnitude: magnitude)
            }
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + extent.start, count: extent.end - extent.start), as: UTF8.self)
        guard let d = Double(text) else { throw failure(.invalidNumber, at: extent.start) }
        return .double(d)
    }
}
