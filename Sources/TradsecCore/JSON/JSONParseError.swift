/// Why a JSON text was refused, and where (a byte offset into the input).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case emptyInput
        /// The text ends inside a value.
        case truncated
        case unexpectedCharacter(UInt8)
        case invalidLiteral
        case trailingText
        case nestingTooDeep(limit: Int)
        case expectedKey
        case expectedColon
        /// Neither `,` nor the closing bracket (`}` or `]`) after a member or element.
        case expectedCommaOr(closing: UInt8)
        case unterminatedString
        case controlCharacterInString
        case invalidUTF8
        case invalidEscape(UInt8)
        case truncatedUnicodeEscape
        case invalidHexDigit
        case loneSurrogate
        case invalidNumber
        case leadingZero
    }

    public var kind: Kind
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// What went wrong, without the position.
    public var reason: String {
        switch kind {
        case .emptyInput: return "empty input"
        case .truncated: return "unexpected end of input (truncated JSON?)"
        case .unexpectedCharacter(let byte): return "unexpected character \(Self.describe(byte: byte))"
        case .invalidLiteral: return "invalid literal"
        case .trailingText: return "unexpected text after the JSON value"
        case .nestingTooDeep(let limit): return "nesting deeper than \(limit)"
        case .expectedKey: return "expected a string key"
        case .expectedColon: return "expected ':' after key"
        case .expectedCommaOr(let closing): return "expected ',' or '\(Character(Unicode.Scalar(closing)))'"
        case .unterminatedString: return "unterminated string (truncated JSON?)"
        case .controlCharacterInString: return "unescaped control character in string"
        case .invalidUTF8: return "invalid UTF-8 in string"
        case .invalidEscape(let byte): return "invalid escape '\\\(Character(Unicode.Scalar(byte)))'"
        case .truncatedUnicodeEscape: return "truncated \\u escape"
        case .invalidHexDigit: return "invalid hex digit in \\u escape"
        case .loneSurrogate: return "lone surrogate in \\u escape"
        case .invalidNumber: return "invalid number"
        case .leadingZero: return "leading zero in number"
        }
    }

    public var description: String { "\(reason) at byte \(offset)" }

    static func describe(byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "0x" + String(byte, radix: 16)
    }
}
