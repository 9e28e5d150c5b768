/// Recursive-descent parser for Falco conditions, following libsinsp's `filter/parser.cpp`
/// (same lexing rules, same error texts) plus the newer modifiers and list transformers.
///
/// Works on bytes; recursion is bounded by `maxDepth` so hostile input cannot blow the stack.
public struct ConditionParser {
    /// libsinsp's parser default; Falco's rule loader raises it to 1000.
    public static let defaultMaxDepth = 100
    public static let loaderMaxDepth = 1000

    let input: [UInt8]
    var idx = 0
    private var depth = 0
    private let maxDepth: Int
    var lastToken: [UInt8] = []
    /// Where `position()` last counted to (shared by copies of the parser: positions of one input).
    let positions = PositionCache()

    final class PositionCache {
        var last = SourcePosition.start
    }

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
}
