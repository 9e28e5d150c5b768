/// Recursive-descent parser for Falco conditions, following libsinsp's `filter/parser.cpp`
/// (same lexing rules, same error texts) plus the newer modifiers and list transformers.
///
/// Works on bytes; recursion is bounded by `maxDepth` so hostile input cannot blow the stack.
public struct ConditionParser {
    /// libsinsp's parser default; Falco's rule loader raises it to 1000.
    public static let defaultMaxDepth = 100
    public static let loaderMaxDepth = 1000

    private let input: [UInt8]
    private var idx = 0
    private var depth = 0
    private let maxDepth: Int
    private var lastToken: [UInt8] = []

    public init(_ text: String, maxDepth: Int = ConditionParser.defaultMaxDepth) {
        input = Array(text.utf8)
        self.maxDepth = maxDepth
    }

    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(ConditionSyntaxError) -> ConditionExpr {
        var parser = ConditionParser(text, maxDepth: maxDepth)
        return try parser.parse()
    }

    public mutating func parse() throws(ConditionSyntaxError) -> ConditionExpr {
        if input.isEmpty { throw fail("filter input string is empty") }
        idx = 0; depth = 0; lastToken = []
        let result = try parseOr()
        if idx != input.count {
            throw fail("unexpected token after '" + String(decoding: lastToken, as: UTF8.self) + "', expecting 'or', 'and'")
        }
        return result
    }

    // MARK: - Grammar

    private mutating func enter() throws(ConditionSyntaxError) {
        depth += 1
        if depth >= maxDepth { throw fail("exceeded max depth limit of \(maxDepth)") }
    }

    private mutating func parseOr() throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        var children: [ConditionExpr] = []
        lexBlank()
        children.append(try parseAnd())
        lexBlank()
        while lexString("or") {
            if !lexBlank() {
                guard lexString("(") else { throw fail("expected blank or '(' after 'or'") }
                children.append(try parseEmbeddedRemainder())
            } else {
                children.append(try parseAnd())
            }
            lexBlank()
        }
        return children.count > 1 ? .or(children) : children[0]
    }

    private mutating func parseAnd() throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        var children: [ConditionExpr] = []
        lexBlank()
        children.append(try parseNot())
        lexBlank()
        while lexString("and") {
            if !lexBlank() {
                guard lexString("(") else { throw fail("expected blank or '(' after 'and'") }
                children.append(try parseEmbeddedRemainder())
            } else {
                children.append(try parseNot())
            }
            lexBlank()
        }
        return children.count > 1 ? .and(children) : children[0]
    }

    private mutating func parseNot() throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        var negate = false
        lexBlank()
        // "not" followed by at least one blank (RGX_NOTBLANK); "notb" is an identifier.
        while matches("not"), idx + 3 < input.count, Self.isBlank(input[idx + 3]) {
            advance(3)
            lexBlank()
            lastToken = Array("not".utf8)
            negate.toggle()
        }
        let child: ConditionExpr
        if lexString("not(") {
            negate.toggle()
            child = try parseEmbeddedRemainder()
        } else {
            child = try parseCheck()
        }
        return negate ? .not(child) : child
    }

    private mutating func parseEmbeddedRemainder() throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        let child = try parseOr()
        lexBlank()
        guard lexString(")") else { throw fail("expected a ')' token") }
        return child
    }

    private mutating func parseCheck() throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        let pos = position()
        if lexString("(") { return try parseEmbeddedRemainder() }
        if let name = lexFieldName() {
            let left = try parseFieldRemainder(name, pos)
            return try parseCondition(left, pos)
        }
        if let transformer = lexTransformerName() {
            let left = try parseTransformerRemainder(transformer, pos)
            return try parseCondition(left, pos)
        }
        if let identifier = lexIdentifier() {
            return .identifier(identifier, position: pos)
        }
        throw fail("expected a '(' token, a field check, or an identifier")
    }

    private mutating func parseFieldRemainder(_ name: String, _ pos: SourcePosition) throws(ConditionSyntaxError) -> FieldExpr {
        try enter(); defer { depth -= 1 }
        var argument: String?
        if lexString("[") {
            if let quoted = try lexQuotedString() {
                argument = String(decoding: quoted, as: UTF8.self)
            } else if let bare = lexRun(where: Self.isFieldArgBareByte) {
                argument = bare
            } else {
                throw fail("expected a valid field argument: a quoted string or a bare string")
            }
            guard lexString("]") else { throw fail("expected a ']' token") }
        }
        return .field(name: name, argument: argument, position: pos)
    }

    /// After `name(`: the arguments, the closing `)` and an optional `[arg]`.
    private mutating func parseTransformerRemainder(_ name: String, _ pos: SourcePosition) throws(ConditionSyntaxError) -> FieldExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        var arguments: [TransformerArgument] = []
        switch name {
        case "join", "concat", "getopt":
            arguments.append(try parseTransformerArgument(allowList: true))
            lexBlank()
            while lexString(",") {
                lexBlank()
                arguments.append(try parseTransformerArgument(allowList: true))
                lexBlank()
            }
            try validateListTransformerShape(name, arguments)
        default:
            let argPos = position()
            if let inner = lexTransformerName() {
                arguments.append(.operand(try parseTransformerRemainder(inner, argPos)))
            } else if let field = lexFieldName() {
                arguments.append(.operand(try parseFieldRemainder(field, argPos)))
            } else {
                throw fail("expected a field or a nested valid transformer: " + Self.transformerList(includeVal: true))
            }
        }
        lexBlank()
        guard lexString(")") else { throw fail("expected a ')' token closing the transformer") }
        var argument: String?
        if name == "getopt", lexString("[") {
            guard let bare = lexRun(where: Self.isFieldArgBareByte) else {
                throw fail("expected a valid field argument: a quoted string or a bare string")
            }
            argument = bare
            guard lexString("]") else { throw fail("expected a ']' token") }
        }
        return .transformer(name: name, arguments: arguments, argument: argument, position: pos)
    }

    private func validateListTransformerShape(_ name: String, _ args: [TransformerArgument]) throws(ConditionSyntaxError) {
        func isList(_ a: TransformerArgument) -> Bool { if case .list = a { return true }; return false }
        switch name {
        case "join":
            guard args.count == 2, !isList(args[0]), isList(args[1]) else {
                throw fail("'join' expects a separator and a list of values: join(\"sep\", (a, b))")
            }
        case "concat":
            guard args.count >= 2, !args.contains(where: isList) else {
                throw fail("'concat' expects two or more values")
            }
        default: // getopt
            guard args.count == 2, isList(args[0]), !isList(args[1]) else {
                throw fail("'getopt' expects a list of arguments and an option string")
            }
        }
    }

    /// `targ := field | transformer | quoted string | number | "(" [ tl ("," tl)* ] ")"`.
    private mutating func parseTransformerArgument(allowList: Bool) throws(ConditionSyntaxError) -> TransformerArgument {
        try enter(); defer { depth -= 1 }
        let pos = position()
        if allowList, lexString("(") {
            lexBlank()
            var items: [TransformerArgument] = []
            if !lexString(")") {
                items.append(try parseTransformerArgument(allowList: false))
                lexBlank()
                while lexString(",") {
                    lexBlank()
                    items.append(try parseTransformerArgument(allowList: false))
                    lexBlank()
                }
                guard lexString(")") else { throw fail("expected a ')' token") }
            }
            return .list(items)
        }
        if let inner = lexTransformerName() { return .operand(try parseTransformerRemainder(inner, pos)) }
        if let field = lexFieldName() { return .operand(try parseFieldRemainder(field, pos)) }
        if let quoted = try lexQuotedString() { return .literal(String(decoding: quoted, as: UTF8.self)) }
        if let number = lexHexNumber() ?? lexNumber() { return .literal(number) }
        throw fail("expected a field, a transformer, a quoted string or a number as transformer argument")
    }

    private mutating func parseCondition(_ left: FieldExpr, _ pos: SourcePosition) throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        if lexString("exists") {
            return .unaryCheck(left, op: "exists", position: pos)
        }
        if let op = lexOperator(Self.numericOperators, needsBlank: false) {
            return .binaryCheck(left, op: op, modifier: nil, value: try parseNumberOrTransformer(), position: pos)
        }
        if let op = lexStringOperator() {
            if let modifier = lexModifier() {
                return .binaryCheck(left, op: op, modifier: modifier, value: try parseListOrIdentifier(), position: pos)
            }
            return .binaryCheck(left, op: op, modifier: nil, value: try parseStringOrTransformer(), position: pos)
        }
        if let op = lexOperator(Self.listOperators, needsBlank: false) {
            return .binaryCheck(left, op: op, modifier: nil, value: try parseListOrTransformer(), position: pos)
        }
        throw fail("expected a valid check operator: one of " + Self.operatorList)
    }

    private mutating func parseNumberOrTransformer() throws(ConditionSyntaxError) -> ValueExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        let pos = position()
        if let rhs = try parseRightHandField() { return rhs }
        if let number = lexHexNumber() ?? lexNumber() {
            return .value(number, position: pos)
        }
        throw fail("expected a number value or a field with a valid transformer: " + Self.transformerList(includeVal: true))
    }

    private mutating func parseStringOrTransformer() throws(ConditionSyntaxError) -> ValueExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        let pos = position()
        if let rhs = try parseRightHandField() { return rhs }
        if let value = try lexStringValue() { return .value(value, position: pos) }
        throw fail("expected a string value or a field with a valid transformer: " + Self.transformerList(includeVal: true))
    }

    private mutating func parseListOrTransformer() throws(ConditionSyntaxError) -> ValueExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        let pos = position()
        if let list = try parseListLiteral() { return .list(list, position: pos) }
        if let rhs = try parseRightHandField() { return rhs }
        if let identifier = lexIdentifier() { return .value(identifier, position: pos) }
        throw fail("expected a list, an identifier, or a field with a valid transformer: " + Self.transformerList(includeVal: true))
    }

    /// After a modifier: a list or a list name.
    private mutating func parseListOrIdentifier() throws(ConditionSyntaxError) -> ValueExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        let pos = position()
        if let list = try parseListLiteral() { return .list(list, position: pos) }
        if let identifier = lexIdentifier() { return .value(identifier, position: pos) }
        throw fail("expected a list or an identifier after the operator modifier")
    }

    private mutating func parseListLiteral() throws(ConditionSyntaxError) -> [String]? {
        guard lexString("(") else { return nil }
        var values: [String] = []
        lexBlank()
        if let first = try lexStringValue() {
            values.append(first)
            lexBlank()
            while lexString(",") {
                lexBlank()
                guard let next = try lexStringValue() else {
                    throw fail("expected a string value")
                }
                values.append(next)
                lexBlank()
            }
        }
        guard lexString(")") else { throw fail("expected a ')' token") }
        return values
    }

    /// `val(field)` or a transformer on the right-hand side; nil when neither is there.
    private mutating func parseRightHandField() throws(ConditionSyntaxError) -> ValueExpr? {
        try enter(); defer { depth -= 1 }
        lexBlank()
        let pos = position()
        if lexString("val(") {
            lexBlank()
            let fieldPos = position()
            guard let name = lexFieldName() else { throw fail("expected a field within 'val' transformer") }
            let field = try parseFieldRemainder(name, fieldPos)
            lexBlank()
            guard lexString(")") else { throw fail("expected a ')' token closing the transformer") }
            return .field(field, isVal: true, position: pos)
        }
        if let transformer = lexTransformerName() {
            return .field(try parseTransformerRemainder(transformer, pos), isVal: false, position: pos)
        }
        return nil
    }

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

    private func byte(at i: Int) -> UInt8 { i < input.count ? input[i] : 0 }

    private func matches(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard idx + n <= input.count else { return false }
        return literal.withUTF8Buffer { buf in
            for k in 0..<n where input[idx + k] != buf[k] { return false }
            return true
        }
    }

    private func matches(_ literal: String) -> Bool {
        var k = idx
        for c in literal.utf8 {
            guard k < input.count, input[k] == c else { return false }
            k += 1
        }
        return true
    }

    private mutating func advance(_ n: Int) { idx += n }

    @discardableResult
    private mutating func lexBlank() -> Bool {
        var found = false
        while idx < input.count, Self.isBlank(input[idx]) { idx += 1; found = true }
        return found
    }

    private mutating func lexString(_ literal: String) -> Bool {
        guard matches(literal) else { return false }
        lastToken = Array(literal.utf8)
        idx += literal.utf8.count
        return true
    }

    private mutating func lexOperator(_ list: [String], needsBlank: Bool) -> String? {
        for op in list where matches(op) {
            if needsBlank && !Self.isBlank(byte(at: idx + op.utf8.count)) { continue }
            lastToken = Array(op.utf8)
            idx += op.utf8.count
            return op
        }
        return nil
    }

    /// Symbol operators need no blank; word operators must be followed by one.
    private mutating func lexStringOperator() -> String? {
        if let op = lexOperator(Self.symbolStringOperators, needsBlank: false) { return op }
        return lexOperator(Self.wordStringOperators, needsBlank: true)
    }

    /// `oneof`/`anyof`/`allof` count as a modifier only between blanks and before a list or a
    /// list name (not `and`/`or`/`not`); otherwise the word is an ordinary value.
    private mutating func lexModifier() -> String? {
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

    private mutating func lexTransformerName() -> String? {
        for name in Self.transformers where matches(name) && byte(at: idx + name.utf8.count) == UInt8(ascii: "(") {
            idx += name.utf8.count + 1
            lastToken = Array((name + "(").utf8)
            return name
        }
        return nil
    }

    /// `[a-zA-Z]+[a-zA-Z0-9_]*`
    private mutating func lexIdentifier() -> String? {
        guard Self.isLetter(byte(at: idx)) else { return nil }
        var e = idx
        while Self.isWordByte(byte(at: e)) { e += 1 }
        let token = Array(input[idx..<e])
        idx = e
        lastToken = token
        return String(decoding: token, as: UTF8.self)
    }

    /// Two or more identifier segments joined by dots; each segment starts with a letter.
    private mutating func lexFieldName() -> String? {
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

    private mutating func lexRun(where accept: (UInt8) -> Bool) -> String? {
        var e = idx
        while e < input.count, accept(input[e]) { e += 1 }
        guard e > idx else { return nil }
        let token = Array(input[idx..<e])
        idx = e
        lastToken = token
        return String(decoding: token, as: UTF8.self)
    }

    private mutating func lexHexNumber() -> String? {
        guard byte(at: idx) == UInt8(ascii: "0"), byte(at: idx + 1) | 0x20 == UInt8(ascii: "x") else { return nil }
        var e = idx + 2
        while Self.isLetter(byte(at: e)) || (byte(at: e) >= 0x30 && byte(at: e) <= 0x39) { e += 1 }
        guard e > idx + 2 else { return nil }
        let token = Array(input[idx..<e])
        idx = e; lastToken = token
        return String(decoding: token, as: UTF8.self)
    }

    /// `[+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)?`
    private mutating func lexNumber() -> String? {
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
    private mutating func lexQuotedString() throws(ConditionSyntaxError) -> [UInt8]? {
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

    private mutating func lexStringValue() throws(ConditionSyntaxError) -> String? {
        if let quoted = try lexQuotedString() { return String(decoding: quoted, as: UTF8.self) }
        guard let bare = lexRun(where: Self.isBareStringByte) else { return nil }
        do {
            return String(decoding: try StringUnescaping.decodeHexEscapes(bare: Array(bare.utf8)), as: UTF8.self)
        } catch {
            throw fail(error.message)
        }
    }

    // MARK: - Positions and errors

    func position() -> SourcePosition { Self.position(of: idx, in: input) }

    static func position(of offset: Int, in input: [UInt8]) -> SourcePosition {
        var line = 1, column = 1
        var i = 0
        while i < offset && i < input.count {
            if input[i] == 0x0A || input[i] == 0x0D { line += 1; column = 1 } else { column += 1 }
            i += 1
        }
        return SourcePosition(offset: offset, line: line, column: column)
    }

    private func fail(_ message: String) -> ConditionSyntaxError {
        ConditionSyntaxError(message: message, position: position())
    }
}
