/// Text-level steps Falco applies to conditions before parsing: list substitution (spec 2.5)
/// and exceptions appended as `and not (...)` (spec 1.11).
enum ConditionText {
    static let blanks: Set<Character> = [" ", "\t", "\n", "\r"]
    static let delimiters: Set<Character> = [" ", "\t", "\n", "\r", "(", ")", ",", "="]

    /// Quotes an item that contains a space and is not already quoted.
    static func quote(_ item: String) -> String {
        if item.contains(" "), let f = item.first, f != "\"", f != "'" { return "\"" + item + "\"" }
        return item
    }

    static func parenthesise(_ item: String) -> String {
        item.hasPrefix("(") ? item : "(" + item + ")"
    }

    /// Replaces every delimited occurrence of `name` by `items` (Falco `resolve_list`).
    /// Returns whether the list was used.
    @discardableResult
    static func substitute(list name: String, items: [String], in condition: inout String) -> Bool {
        guard !name.isEmpty else { return false }
        var text = Array(condition)
        let needle = Array(name)
        var used = false
        var start = find(needle, in: text, from: 0)
        while let s0 = start {
            var s = s0
            var end = s + needle.count
            let beforeOK = s == 0 || delimiters.contains(text[s - 1])
            let afterOK = end >= text.count || delimiters.contains(text[end])
            var next = s + 1
            if beforeOK && afterOK {
                while s > 0 && blanks.contains(text[s - 1]) { s -= 1 }
                while end < text.count && blanks.contains(text[end]) { end += 1 }
                let sub = items.map(quote).joined(separator: ", ")
                if sub.isEmpty {
                    if s > 0 && text[s - 1] == "," { s -= 1 } else if end < text.count && text[end] == "," { end += 1 }
                }
                var replaced: [Character] = []
                if s > 0 { replaced += text[0..<s]; replaced.append(" ") }
                replaced += Array(sub); replaced.append(" ")
                if end <= text.count { replaced += text[end...] }
                text = replaced
                next = s + sub.count + 1 + 1
                used = true
            }
            start = find(needle, in: text, from: next)
        }
        if used { condition = String(text) }
        return used
    }

    private static func find(_ needle: [Character], in text: [Character], from: Int) -> Int? {
        guard needle.count <= text.count, from <= text.count - needle.count else { return nil }
        var i = max(from, 0)
        while i <= text.count - needle.count {
            if text[i] == needle[0] {
                var k = 1
                while k < needle.count && text[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
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
