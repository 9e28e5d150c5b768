import TradsecCore

/// A rule output format compiled against a catalog: literal text and field references
/// (`%proc.name`, `%proc.aname[2]`, `%tolower(proc.name)`, `%20proc.name`, `%(proc.name)`).
public struct OutputFormat: @unchecked Sendable {
    enum Segment {
        case literal(String)
        case field(reference: Int, width: Int?)
    }

    struct Reference {
        /// Text as written after `%` (key of `output_fields` for plain fields).
        var text: String
        var operand: Operand
        /// Underlying field reference for transformer references (what `output_fields` shows).
        var outputFieldKey: String?
        var outputFieldOperand: Operand?
    }

    let segments: [Segment]
    let references: [Reference]

    /// Why an output format does not compile; `unknownField` marks what `skip-if-unknown-filter` downgrades.
    public enum FormatError: Error, Sendable, CustomStringConvertible {
        case tooLong(bytes: Int)
        case endsWithPercent
        case widthTooLarge
        /// `%(` whose reference is not followed by `)`.
        case missingCloseParen(reference: String)
        /// A field or transformer reference longer than `maxReferenceLength` (its first bytes).
        case referenceTooLong(start: String)
        /// A transformer call that does not parse.
        case badTransformer(String)
        /// A transformer whose argument does not compile.
        case transformerArgument(String, CompileError)
        case filterOnly(String)
        /// No prefix of the reference is a field; the first field's error, if one was tried.
        case unknownReference(String, CompileError?)

        public var message: String {
            switch self {
            case .tooLong(let bytes): "output is \(bytes) bytes long, more than the \(OutputFormat.maxFormatLength) allowed"
            case .endsWithPercent: "invalid formatting syntax: formatting cannot end with a %"
            case .widthTooLarge: "invalid formatting width: more than \(OutputFormat.maxWidth)"
            case .missingCloseParen(let reference): "invalid formatting token: missing ')' after %(\(reference)"
            case .referenceTooLong(let start): "unknown filter: field reference longer than \(OutputFormat.maxReferenceLength) bytes: \(start)..."
            case .badTransformer(let text): "unknown filter: \(text)"
            case .transformerArgument(let text, let error): "unknown filter: \(text): \(error.message)"
            case .filterOnly(let text): "\(text) is filter only and cannot be used as a display field"
            case .unknownReference(let text, let error): "unknown filter: \(text)" + (error.map { " (\($0.message))" } ?? "")
            }
        }

        public var unknownField: Bool {
            switch self {
            case .transformerArgument(_, let error): error.isUnknownFilter
            case .unknownReference(_, let error): error?.isUnknownFilter ?? true
            default: false
            }
        }

        /// The message, escaped for a terminal (it quotes the rule's output, which is input).
        public var description: String { TerminalSafe.escape(message) }
    }

    /// Longest output format a rule may have: outputs are a line or two; each alert repeats it.
    static let maxFormatLength = 64 << 10
    /// Widest `%NNfield` column: each alert pads every such reference to it.
    static let maxWidth = 256
    /// Longest field reference (`%name.arg[...]`, `%tolower(...)`): resolving one tries
    /// each shorter prefix in turn, so its cost grows with the square of its length.
    static let maxReferenceLength = 256
    /// Longest rendered message: the event's values can be long and a format may name
    /// the same field many times.
    static let maxRenderedLength = 1 << 20

    /// Parses and validates `format`; unknown fields and filter-only fields are errors.
    static func compile(_ format: String, access: FieldAccessBuilder) throws(FormatError) -> OutputFormat {
        let bytes = Array(format.utf8)
        guard bytes.count <= maxFormatLength else {
            throw FormatError.tooLong(bytes: bytes.count)
        }
        var segments: [Segment] = []
        var references: [Reference] = []
        var literal: [UInt8] = []
        var i = 0
        func flush() {
            if !literal.isEmpty { segments.append(.literal(String(decoding: literal, as: UTF8.self))); literal = [] }
        }
        while i < bytes.count {
            let c = bytes[i]
            guard c == UInt8(ascii: "%") else { literal.append(c); i += 1; continue }
            i += 1
            guard i < bytes.count else {
                throw FormatError.endsWithPercent
            }
            var width: Int?
            var digits = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                digits = digits * 10 + Int(bytes[i] - 0x30)
                guard digits <= maxWidth else {
                    throw FormatError.widthTooLarge
                }
                i += 1; width = digits
            }
            var parenthesised = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "(") { parenthesised = true; i += 1 }
            let start = i
            let (reference, end) = try parseReference(bytes, from: start, access: access)
            i = end
            if parenthesised {
                guard i < bytes.count, bytes[i] == UInt8(ascii: ")") else {
                    throw FormatError.missingCloseParen(reference: reference.text)
                }
                i += 1
            }
            flush()
            segments.append(.field(reference: references.count, width: width))
            references.append(reference)
        }
        flush()
        return OutputFormat(segments: segments, references: references)
    }

    static let transformerPrefixes: [(String, [UInt8])] = ConditionParser.transformers.map { ($0, Array(($0 + "(").utf8)) }

    /// The longest valid field or transformer starting at `start` (shortened one character at a time).
    private static func parseReference(_ bytes: [UInt8], from start: Int, access: FieldAccessBuilder) throws(FormatError) -> (Reference, Int) {
        // Transformer: name(...) up to the matching parenthesis.
        for (name, prefix) in Self.transformerPrefixes {
            guard bytes.count - start > prefix.count, bytes[start..<start + prefix.count].elementsEqual(prefix) else { continue }
            var depth = 0
            var e = start
            let limit = min(bytes.count, start + maxReferenceLength)
            while e < limit {
                if bytes[e] == UInt8(ascii: "(") { depth += 1 }
                if bytes[e] == UInt8(ascii: ")") { depth -= 1; if depth == 0 { e += 1; break } }
                e += 1
            }
            if depth > 0 && e == start + maxReferenceLength {
                throw FormatError.referenceTooLong(start: String(decoding: bytes[start..<min(bytes.count, start + 20)], as: UTF8.self))
            }
            let text = String(decoding: bytes[start..<e], as: UTF8.self)
            guard let ast = try? ConditionParser.parse(text + " exists"), case .unaryCheck(let expr, _, _) = ast else {
                throw FormatError.badTransformer(text)
            }
            do throws(CompileError) {
                let operand = try access.operand(expr, forOutput: true)
                var underlying: FieldExpr = expr
                while case .transformer(_, let args, _, _) = underlying, case .operand(let inner)? = args.first { underlying = inner }
                let key = CanonicalPrinter.print(underlying)
                let underlyingOperand = try? access.operand(underlying, forOutput: true)
                return (Reference(text: text, operand: operand, outputFieldKey: key, outputFieldOperand: underlyingOperand), e)
            } catch {
                throw FormatError.transformerArgument(text, error)
            }
        }
        var end = start
        // One byte past the longest reference is enough to know it is too long.
        let scanLimit = min(bytes.count, start + maxReferenceLength + 1)
        while end < scanLimit {
            let c = bytes[end]
            let isWord = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
            if isWord { end += 1; continue }
            if c == UInt8(ascii: "["), let close = bytes[end..<scanLimit].firstIndex(of: UInt8(ascii: "]")) { end = close + 1; continue }
            break
        }
        guard end - start <= maxReferenceLength else {
            throw FormatError.referenceTooLong(start: String(decoding: bytes[start..<min(bytes.count, start + 20)], as: UTF8.self))
        }
        let fullText = String(decoding: bytes[start..<end], as: UTF8.self)
        var candidateEnd = end
        var lastError: CompileError?
        while candidateEnd > start {
            let text = String(decoding: bytes[start..<candidateEnd], as: UTF8.self)
            var name = text
            var argument: String?
            if text.hasSuffix("]"), let open = text.firstIndex(of: "[") {
                name = String(text[..<open])
                argument = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
            }
            if name.utf8.contains(UInt8(ascii: ".")), name.utf8.last != UInt8(ascii: ".") {
                let resolved: Result<Operand, CompileError>
                do throws(CompileError) {
                    resolved = .success(try access.field(name: name, bracketArgument: argument, position: nil, forOutput: true))
                } catch { resolved = .failure(error) }
                switch resolved {
                case .success(let operand):
                    if operand.info.filterOnly {
                        throw FormatError.filterOnly(text)
                    }
                    return (Reference(text: text, operand: operand, outputFieldKey: text, outputFieldOperand: operand), candidateEnd)
                case .failure(let error):
                    lastError = lastError ?? error
                }
            }
            candidateEnd -= 1
        }
        throw FormatError.unknownReference(fullText.isEmpty ? String(decoding: bytes[start...].prefix(20), as: UTF8.self) : fullText, lastError)
    }

    /// Renders the message; missing values print `<NA>`. A message longer than
    /// `maxRenderedLength` is cut there and ends with `...(truncated)`.
    func render(_ event: Event) -> String {
        var out = ""
        for segment in segments {
            if out.utf8.count > Self.maxRenderedLength {
                return String(decoding: out.utf8.prefix(Self.maxRenderedLength), as: UTF8.self) + CanonicalPrinter.truncationMarker
            }
            switch segment {
            case .literal(let text): out += text
            case .field(let index, let width):
                var text = references[index].operand.extract(event).map(ValueRendering.text) ?? "<NA>"
                if let width {
                    if text.count > width { text = String(text.prefix(width)) }
                    else if text.count < width { text += String(repeating: " ", count: width - text.count) }
                }
                out += text
            }
        }
        if out.utf8.count > Self.maxRenderedLength {
            return String(decoding: out.utf8.prefix(Self.maxRenderedLength), as: UTF8.self) + CanonicalPrinter.truncationMarker
        }
        return out
    }

    /// `output_fields`: every plain field reference (transformers contribute their underlying field).
    func outputFields(_ event: Event) -> [(String, JSONValue)] {
        var result: [(String, JSONValue)] = []
        var seen = Set<String>()
        for reference in references {
            guard let key = reference.outputFieldKey, let operand = reference.outputFieldOperand, seen.insert(key).inserted else { continue }
            result.append((key, Self.jsonValue(operand, event)))
        }
        return result
    }

    static let timeFields: Set<String> = ["evt.time", "evt.time.s", "evt.time.iso8601", "evt.datetime", "evt.datetime.s"]

    static func jsonValue(_ operand: Operand, _ event: Event) -> JSONValue {
        if timeFields.contains(operand.info.name), let raw = event.rawTime { return .int(raw) }
        guard let value = operand.extract(event) else { return .null }
        return jsonValue(value)
    }

    static func jsonValue(_ value: FieldValue) -> JSONValue {
        switch value {
        case .bytes(let b): return .string(String(decoding: b, as: UTF8.self))
        case .int(let v): return .int(v)
        case .uint(let v): return v <= UInt64(Int64.max) ? .int(Int64(v)) : .uint(v)
        case .double(let d): return .double(d)
        case .bool(let b): return .bool(b)
        case .ip(let ip): return .string(ip.description)
        case .list(let items): return .array(items.map(jsonValue))
        }
    }
}
