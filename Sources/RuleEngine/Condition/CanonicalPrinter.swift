/// Prints a condition tree in libsinsp's canonical form (`ast.cpp` string visitor), the form
/// Falco reports as `condition_compiled`.
public enum CanonicalPrinter {
    /// Longest text printed: shared macros print their whole expansion at every use, so a
    /// small file can stand for a text longer than memory (`m2: m1 and m1`, 40 levels deep).
    public static let maxLength = 1 << 20
    /// Ends a text cut at `maxLength`.
    public static let truncationMarker = " ...(truncated)"

    public static func print(_ expr: ConditionExpr, maxLength: Int = CanonicalPrinter.maxLength) -> String {
        var out = ""
        if !write(expr, into: &out, limit: maxLength) { out += truncationMarker }
        return out
    }

    /// False when the text had reached `limit` and the rest was left out (a text may end
    /// up to one leaf past `limit`).
    static func write(_ expr: ConditionExpr, into out: inout String, limit: Int) -> Bool {
        guard out.utf8.count < limit else { return false }
        switch expr {
        case .and(let children), .or(let children):
            let joiner: String
            if case .and = expr { joiner = " and " } else { joiner = " or " }
            out += "("
            for (i, child) in children.enumerated() {
                if i > 0 { out += joiner }
                guard write(child, into: &out, limit: limit) else { return false }
            }
            out += ")"
        case .not(let child):
            out += "not "
            return write(child, into: &out, limit: limit)
        case .macro(let macro):
            return write(macro.body, into: &out, limit: limit)
        case .identifier(let name, _):
            out += name
        case .unaryCheck(let field, let op, _):
            out += print(field) + " " + op
        case .binaryCheck(let field, let op, let modifier, let value, _):
            out += print(field) + " " + op
            if let modifier { out += " " + modifier }
            out += " "
            switch value {
            case .value(let v, _): out += escape(v)
            case .list(let items, _): out += "(" + items.map(escape).joined(separator: ", ") + ")"
            case .field(let f, let isVal, _): out += isVal ? "val(" + print(f) + ")" : print(f)
            }
        }
        return true
    }

    public static func print(_ field: FieldExpr) -> String {
        switch field {
        case .field(let name, let argument, _):
            return argument.map { name + "[" + $0 + "]" } ?? name
        case .transformer(let name, let arguments, let argument, _):
            let args = arguments.map(print).joined(separator: ",")
            return name + "(" + args + ")" + (argument.map { "[" + $0 + "]" } ?? "")
        }
    }

    static func print(_ argument: TransformerArgument) -> String {
        switch argument {
        case .operand(let f): return print(f)
        case .literal(let v): return escape(v)
        case .list(let items): return "(" + items.map(print).joined(separator: ",") + ")"
        }
    }

    /// Bare unless the value has a space, `=`, quote, backslash, NUL or control escape.
    public static func escape(_ value: String) -> String {
        var needsQuotes = false
        var body = ""
        for ch in value.unicodeScalars {
            switch ch {
            case "\u{08}": needsQuotes = true; body += "\\b"
            case "\u{0C}": needsQuotes = true; body += "\\f"
            case "\n": needsQuotes = true; body += "\\n"
            case "\r": needsQuotes = true; body += "\\r"
            case "\t": needsQuotes = true; body += "\\t"
            case "\\": needsQuotes = true; body += "\\\\"
            case "\"": needsQuotes = true; body += "\\\""
            case " ", "'", "=", "\u{00}": needsQuotes = true; body.unicodeScalars.append(ch)
            default: body.unicodeScalars.append(ch)
            }
        }
        return needsQuotes ? "\"" + body + "\"" : body
    }
}
