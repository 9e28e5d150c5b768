/// Lexing helpers of `ConditionParser`: the token rules of libsinsp's parser (blanks,
/// identifiers, field names, numbers, quoted and bare strings, operators, modifiers).
extension ConditionParser {
    // MARK: - Lexing

    static let numericOperators = ["<=", "<", ">=", ">"]
    static let symbolStringOperators = ["==", "=", "!="]
    static let wordStringOperators = ["glob", "iglob", "contains", "icontains", "bcontains", "startswith",
                                      "bstartswith", "endswith", "regex"]
    static let listOperators = ["intersects", "in", "pmatch"]
    static let modifiers = ["oneof", "anyof", "allof"]
    static let transformers = ["tolower", "toupper", "b64", "basename", "len", "join", "concat", "getopt"]
    static let operatorList = (["exists"] + numericOperators + symbolStringOperators + wordStringOperators + listOperators)
        .map { "'\($0)'" }.joined(separator: ", ")

    static func transformerList(includeVal: Bool) -> String {
        ((includeVal ? ["val"] : []) + transformers).map { "'\($0)'" }.joined(separator: ", ")
    }

    static func isBlank(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x08 || c == 0x0D || c == 0x0A
    }

    /// POSIX [:space:] (RE2 class used by the bare string regexes).
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    static func isBareStringByte(_ c: UInt8) -> Bool {
        !(c == 0 || isSpace(c) || c == UInt8(ascii: "(") || c == UInt8(ascii: ")") || c == UInt8(ascii: "\"")
          || c == UInt8(ascii: "'") || c == UInt8(ascii: "=") || c == UInt8(ascii: ","))
    }

    static func isFieldArgBareByte(_ c: UInt8) -> Bool {
        !(c == 0 || isSpace(c) || c == UInt8(ascii: "[") || c == UInt8(ascii: "]") || c == UInt8(ascii: "\"")
          || c == UInt8(ascii: "'"))
    }

    private static func isLetter(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    private static func isWordByte(_ c: UInt8) -> Bool {
        isLetter(c) || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "_")
    }

    func byte(at i: Int) -> UInt8 { i < input.count ? input[i] : 0 }

    func matches(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard idx + n <= input.count else { return false }
        return literal.withUTF8Buffer { buf in
            for k in 0..<n where input[idx + k] != buf[k] { return false }
            return true
        }
    }

    func matches(_ literal: String) -> Bool {
        var k = idx
        for c in literal.utf8 {
            guard k < input.count, input[k] == c else { return false }
            k += 1
        }
        return true
    }

    mutating func advance(_ n: Int) { idx += n }

    @discardableResult
    mutating func lexBlank() -> Bool {
        var found = false
        while idx < input.count, Self.isBlank(input[idx]) { idx += 1; found = true }
        return found
    }

    mutating func lexString(_ literal: String) -> Bool {
        guard matches(literal) else { return false }
        lastToken = Array(literal.utf8)
        idx += literal.utf8.count
        return true
    }

    mutating func lexOperator(_ list: [String], needsBlank: Bool) -> String? {
        for op in list where matches(op) {
            if needsBlank && !Self.isBlank(byte(at: idx + op.utf8.count)) { continue }
            lastToken = Array(op.utf8)
            idx += op.utf8.count
            return op
        }
        return nil
    }

    /// Symbol operators need no blank; word operators must be followed by one.
    mutating func lexStringOperator() -> String? {
        if let op = lexOperator(Self.symbolStringOperators, needsBlank: false) { return op }
        return lexOperator(Self.wordStringOperators, needsBlank: true)
    }

    /// `oneof`/`anyof`/`allof` count as a modifier only between blanks and before a list or a
    /// list name (not `and`/`or`/`not`); otherwise the word is an ordinary value.
    mutating func lexModifier() -> String? {
        let saved = idx
        guard lexBlank() else { return nil }
        for m in Self.modifiers where matches(m) {
            let after = idx + m.utf8.count
            guard Self.isBlank(byte(at: after)) else { break }
            var k = after
            while Self.isBlank(byte(at: k)) { k += 1 }
            let next = byte(at: k)
            if next == UInt8(ascii: "(") {
                idx = after; lastToken = Array(m.utf8); return m
            }
            if Self.isLetter(next) {
                var e = k
                while Self.isWordByte(byte(at: e)) { e += 1 }
                let word = String(decoding: input[k..<e], as: UTF8.self)
                if word != "and" && word != "or" && word != "not" {
                    idx = after; lastToken = Array(m.utf8); return m
                }
            }
            break
        }
        idx = saved
        return nil
    }

    mutating func lexTransformerName() -> String? {
        for name in Self.transformers where matches(name) && byte(at: idx + name.utf8.count) == UInt8(ascii: "(") {
            idx += name.utf8.count + 1
            lastToken = Array((name + "(").utf8)
            return name
        }
        return nil
    }

    /// `[a-zA-Z]+[a-zA-Z0-9_]*`
    mutating func lexIdentifier() -> String? {
        guard Self.isLetter(byte(at: idx)) else { return nil }
        var e = idx
        while Self.isWordByte(byte(at: e)) { e += 1 }
        let token = Array(input[idx..<e])
        idx = e
        lastToken = token
        return String(decoding: token, as: UTF8.self)
    }

    /// Two or more identifier segments joined by dots; each segment starts with a letter.
    mutating func lexFieldName() -> String? {
        var e = idx
        var segments = 0
        while true {
            guard Self.isLetter(byte(at: e)) else { break }
            var s = e
            while Self.isWordByte(byte(at: s)) { s += 1 }
            segments += 1
            e = s
            if byte(at: e) == UInt8(ascii: "."), Self.isLetter(byte(at: e + 1)) { e += 1 } else { break }
        }
        guard segments >= 2 else { return nil }
        let token = Array(input[idx..<e])
        idx = e
        lastToken = token
        return String(decoding: token, as: UTF8.self)
    }

    mutating func lexRun(where accept: (UInt8) -> Bool) -> String? {
        var e = idx
        while e < input.count, accept(input[e]) { e += 1 }
        guard e > idx else { return nil }
        let token = Array(input[idx..<e])
        idx = e
        lastToken = token
        return String(decoding: token, as: UTF8.self)
    }

    mutating func lexHexNumber() -> String? {
        guard byte(at: idx) == UInt8(ascii: "0"), byte(at: idx + 1) | 0x20 == UInt8(ascii: "x") else { return nil }
        var e = idx + 2
        while Self.isLetter(byte(at: e)) || (byte(at: e) >= 0x30 && byte(at: e) <= 0x39) { e += 1 }
        guard e > idx + 2 else { return nil }
        let token = Array(input[idx..<e])
        idx = e; lastToken = token
        return String(decoding: token, as: UTF8.self)
    }

    /// `[+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)?`
    mutating func lexNumber() -> String? {
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        var e = idx
        if byte(at: e) == UInt8(ascii: "+") || byte(at: e) == UInt8(ascii: "-") { e += 1 }
        guard isDigit(byte(at: e)) else { return nil }
        while isDigit(byte(at: e)) { e += 1 }
        if byte(at: e) == UInt8(ascii: ".") { e += 1 }
        while isDigit(byte(at: e)) { e += 1 }
        if byte(at: e) | 0x20 == UInt8(ascii: "e"), byte(at: e + 1) == UInt8(ascii: "+") || byte(at: e + 1) == UInt8(ascii: "-"),
           isDigit(byte(at: e + 2)) {
            e += 2
            while isDigit(byte(at: e)) { e += 1 }
        }
        let token = Array(input[idx..<e])
        idx = e; lastToken = token
        return String(decoding: token, as: UTF8.self)
    }

    /// A quoted string (unescaped) or nil when the cursor is not on a quote that closes.
    mutating func lexQuotedString() throws(ConditionSyntaxError) -> [UInt8]? {
        let delimiter = byte(at: idx)
        guard delimiter == UInt8(ascii: "\"") || delimiter == UInt8(ascii: "'") else { return nil }
        let start = idx
        var prev = UInt8(ascii: "\\")
        var e = idx
        while e < input.count, input[e] != 0 {
            let c = input[e]
            if c == delimiter && prev != UInt8(ascii: "\\") {
                let token = Array(input[start...e])
                idx = e + 1
                do {
                    lastToken = try StringUnescaping.unescape(quotedToken: token)
                } catch {
                    throw fail(error.message)
                }
                return lastToken
            }
            prev = c
            e += 1
        }
        return nil
    }

    mutating func lexStringValue() throws(ConditionSyntaxError) -> String? {
        if let quoted = try lexQuotedString() { return String(decoding: quoted, as: UTF8.self) }
        guard let bare = lexRun(where: Self.isBareStringByte) else { return nil }
        do {
            return String(decoding: try StringUnescaping.decodeHexEscapes(bare: Array(bare.utf8)), as: UTF8.self)
        } catch {
            throw fail(error.message)
        }
    }

    // MARK: - Positions and errors

    /// The cursor's position, counted on from the last one asked for: the parser asks at
    /// every check, and counting from the start each time made parsing quadratic.
    func position() -> SourcePosition {
        var from = positions.last
        if from.offset > idx { from = .start }
        let p = Self.position(of: idx, in: input, from: from)
        positions.last = p
        return p
    }

    static func position(of offset: Int, in input: [UInt8], from start: SourcePosition = .start) -> SourcePosition {
        var line = start.line, column = start.column
        var i = start.offset
        while i < offset && i < input.count {
            if input[i] == 0x0A || input[i] == 0x0D { line += 1; column = 1 } else { column += 1 }
            i += 1
        }
        return SourcePosition(offset: offset, line: line, column: column)
    }

    func fail(_ message: String) -> ConditionSyntaxError {
        ConditionSyntaxError(message: message, position: position())
    }
}
