/// Position inside a condition text: byte offset plus 1-based line and column (libsinsp `pos_info`).
public struct SourcePosition: Sendable, Equatable {
    public var offset: Int
    public var line: Int
    public var column: Int
    public static let start = SourcePosition(offset: 0, line: 1, column: 1)
}

/// Left-hand operand of a check: a field or a transformer applied to operands.
public indirect enum FieldExpr: Sendable, Equatable {
    case field(name: String, argument: String?, position: SourcePosition)
    /// `name(args...)`, optionally followed by `[arg]` (getopt).
    case transformer(name: String, arguments: [TransformerArgument], argument: String?, position: SourcePosition)

    var position: SourcePosition {
        switch self {
        case .field(_, _, let p), .transformer(_, _, _, let p): return p
        }
    }
}

/// Arguments of transformers: operands, literals (quoted strings, numbers) or parenthesised lists.
public indirect enum TransformerArgument: Sendable, Equatable {
    case operand(FieldExpr)
    case literal(String)
    case list([TransformerArgument])
}

/// Right-hand side of a binary check.
public enum ValueExpr: Sendable, Equatable {
    case value(String, position: SourcePosition)
    case list([String], position: SourcePosition)
    /// `val(field)` or a transformer: compares two fields of the same event.
    case field(FieldExpr, isVal: Bool, position: SourcePosition)
}

/// The condition tree. `and`/`or` are n-ary; parentheses are not nodes of their own.
public indirect enum ConditionExpr: Sendable, Equatable {
    case and([ConditionExpr])
    case or([ConditionExpr])
    case not(ConditionExpr)
    /// A bare identifier: a macro reference until macros are expanded.
    case identifier(String, position: SourcePosition)
    case unaryCheck(FieldExpr, op: String, position: SourcePosition)
    case binaryCheck(FieldExpr, op: String, modifier: String?, value: ValueExpr, position: SourcePosition)
    /// A macro reference after expansion: the macro's expanded tree, one object shared by
    /// every rule and macro that names it (never produced by the parser).
    case macro(MacroExpansion)
}

/// A syntax error with the position where the parser gave up.
public struct ConditionSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var position: SourcePosition
    public var description: String { message }
}
