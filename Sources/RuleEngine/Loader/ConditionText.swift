/// Text-level steps Falco applies to conditions before parsing: list substitution (spec 2.5)
/// and exceptions appended as `and not (...)` (spec 1.11).
enum ConditionText {
    @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
    @inline(__always) static func isDelimiter(_ c: UInt8) -> Bool {
        isBlank(c) || c == UInt8(ascii: "(") || c == UInt8(ascii: ")") || c == UInt8(ascii: ",") || c == UInt8(ascii: "=")
    }

    /// Quotes an item that contains a space and is not already quoted.
    static func quote(_ item: String) -> String {
        if item.utf8.contains(0x20), let f = item.utf8.first, f != 0x22, f != 0x27 { return "\"" + item + "\"" }
        return item
    }

    static func parenthesise(_ item: String) -> String {
        item.hasPrefix("(") ? item : "(" + item + ")"
    }

    /// Replaces every delimited occurrence of `name` by `items` (Falco `resolve_list`), on UTF-8
    /// bytes. Returns whether the list was used.
    @discardableResult
    static func substitute(list name: [UInt8], items: [String], in text: inout [UInt8]) -> Bool {
        guard !name.isEmpty else { return false }
        var used = false
        var start = find(name, in: text, from: 0)
        while let s0 = start {
            var s = s0
            var end = s + name.count
            let beforeOK = s == 0 || isDelimiter(text[s - 1])
            let afterOK = end >= text.count || isDelimiter(text[end])
            var next = s + 1
            if beforeOK && afterOK {
                while s > 0 && isBlank(text[s - 1]) { s -= 1 }
                while end < text.count && isBlank(text[end]) { end += 1 }
                let sub = Array(items.map(quote).joined(separator: ", ").utf8)
                if sub.isEmpty {
                    if s > 0 && text[s - 1] == UInt8(ascii: ",") { s -= 1 } else if end < text.count && text[end] == UInt8(ascii: ",") { end += 1 }
                }
                var replaced: [UInt8] = []
                replaced.reserveCapacity(text.count + sub.count + 2)
                if s > 0 { replaced += text[0..<s]; replaced.append(0x20) }
                replaced += sub; replaced.append(0x20)
                if end <= text.count { replaced += text[end...] }
                text = replaced
                next = s + sub.count + 2
                used = true
            }
            start = find(name, in: text, from: next)
        }
        return used
    }

    static func substitute(list name: String, items: [String], in condition: inout String) -> Bool {
        var bytes = Array(condition.utf8)
        let used = substitute(list: Array(name.utf8), items: items, in: &bytes)
        if used { condition = String(decoding: bytes, as: UTF8.self) }
        return used
    }

    static func find(_ needle: [UInt8], in text: [UInt8], from: Int) -> Int? {
        guard needle.count <= text.count, from <= text.count - needle.count else { return nil }
        return text.withUnsafeBufferPointer { t in
            needle.withUnsafeBufferPointer { n in
                var i = max(from, 0)
                let first = n[0]
                while i <= t.count - n.count {
                    if t[i] == first {
                        var k = 1
                        while k < n.count && t[i + k] == n[k] { k += 1 }
                        if k == n.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }

    /// `(C) and not X1 and not X2 ...` for the rule's exceptions.
    static func withExceptions(_ condition: String, _ exceptions: [RuleCollection.ExceptionDefinition]) throws(LoadFailure) -> String {
        guard !exceptions.isEmpty else { return condition }
        var result = "(" + condition + ")"
        for ex in exceptions {
            guard let fields = ex.fields, let comps = ex.comps else { continue }
            var text = ""
            switch fields {
            case .single(let field):
                let comp = comps.items.first ?? "in"
                var items: [String] = []
                for row in ex.values {
                    guard case .scalar(let v) = row else {
                        throw ex.context.error("LOAD_ERR_VALIDATE", "Expected values array to contain a list of strings")
                    }
                    items.append(quote(v))
                }
                if !items.isEmpty { text = "(" + field + " " + comp + " (" + items.joined(separator: ", ") + "))" }
            case .list(let names):
                var tuples: [String] = []
                for row in ex.values {
                    let cells: [RuleCollection.ExceptionValue]
                    switch row {
                    case .tuple(let t): cells = t
                    case .scalar(let s): cells = [.scalar(s)]
                    }
                    guard cells.count == names.count else {
                        throw ex.context.error("LOAD_ERR_VALIDATE", "Fields and values lists must have equal length")
                    }
                    var parts: [String] = []
                    for (k, field) in names.enumerated() {
                        let comp = comps.items[k]
                        let value: String
                        switch cells[k] {
                        case .list(let items): value = "(" + items.map(quote).joined(separator: ", ") + ")"
                        case .scalar(let v): value = ExceptionOperators.isListLike(comp) ? parenthesise(v) : quote(v)
                        }
                        parts.append(" " + field + " " + comp + " " + value)
                    }
                    tuples.append("(" + parts.joined(separator: " and ") + ")")
                }
                if !tuples.isEmpty { text = "(" + tuples.joined(separator: " or ") + ")" }
            }
            if !text.isEmpty { result += " and not " + text }
        }
        return result
    }
}
