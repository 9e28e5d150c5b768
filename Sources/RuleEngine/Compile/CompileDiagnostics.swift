import TradsecCore

/// A condition that cannot be compiled; `isUnknownFilter` marks the errors that
/// `skip-if-unknown-filter` downgrades (unknown field, unknown event type).
public struct CompileError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var position: SourcePosition?
    public var isUnknownFilter: Bool
    /// Syntax errors keep their own codes apart from type errors only for reporting.
    public var isSyntax: Bool = false
    /// The message, escaped for a terminal (it quotes the condition, which is input).
    public var description: String { TerminalSafe.escape(message) }

    init(_ message: String, at position: SourcePosition? = nil, unknownFilter: Bool = false) {
        self.message = message
        self.position = position
        self.isUnknownFilter = unknownFilter
    }
}

/// A warning raised while compiling a condition (section 2.11 of the spec).
public struct CompileWarning: Sendable, Hashable {
    public var code: String
    public var message: String
    public var field: String?
}
