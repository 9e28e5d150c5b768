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

    /// Replaces every delimited occurrence of `name` by `items` (Falco `resolve_list`, quirks
    /// included: blanks around the name are consumed, an empty list takes a comma with it, and
    /// the search resumes two bytes past the inserted items). Returns whether the list was used.
    ///
    /// One pass: the text before the search point is final and only grows at its end, so
    /// each occurrence costs its own length, not a copy of the whole text (Falco rebuilds the
    /// string per occurrence, which is quadratic in the number of occurrences).
    @discardableResult
    static func substitute(list name: [UInt8], items: [String], in text: inout [UInt8]) -> Bool {
        guard !name.isEmpty else { return false }
        let pattern = BytePattern(name)
        let sub = Array(items.map(quote).joined(separator: ", ").utf8)
        // The current text is `out + text[p...]`; the search resumes at `from` (>= p) in `text`.
        var out: [UInt8] = []
        var p = 0, from = 0
        var used = false
        while let s0 = pattern.find(in: text, from: from) {
            let end0 = s0 + name.count
            let before: UInt8? = s0 > p ? text[s0 - 1] : out.last
            let beforeOK = before.map(isDelimiter) ?? true
            let afterOK = end0 >= text.count || isDelimiter(text[end0])
            guard beforeOK && afterOK else { from = s0 + 1; continue }
            out += text[p..<s0]
            p = end0
            while let last = out.last, isBlank(last) { out.removeLast() }
            while p < text.count && isBlank(text[p]) { p += 1 }
            if sub.isEmpty {
                if out.last == UInt8(ascii: ",") { out.removeLast() } else if p < text.count && text[p] == UInt8(ascii: ",") { p += 1 }
            }
            let atStart = out.isEmpty
            if !atStart { out.append(0x20) }
            out += sub
            out.append(0x20)
            // Falco resumes at start + len(sub) + 2: at the text's start that skips one byte more.
            if atStart && p < text.count { out.append(text[p]); p += 1 }
            from = p
            used = true
        }
        guard used else { return false }
        out += text[p...]
        text = out
        return true
    }

    static func substitute(list name: String, items: [String], in condition: inout String) -> Bool {
        var bytes = Array(condition.utf8)
        let used = substitute(list: Array(name.utf8), items: items, in: &bytes)
        if used { condition = String(decoding: bytes, as: UTF8.self) }
        return used
    }

    static func find(_ needle: [UInt8], in text: [UInt8], from: Int) -> Int? {
        BytePattern(needle).find(in: text, from: from)
    }

    /// Substring search in time linear in the text (Knuth-Morris-Pratt): names are written
    /// by the rules file, and a naive search takes length(name) per byte on `aaa…ab`.
    struct BytePattern {
        let bytes: [UInt8]
        /// `failure[k]`: length of the longest proper border of `bytes[0...k]`.
        private let failure: [Int]

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            var failure = Array(repeating: 0, count: bytes.count)
            var k = 0
            for i in bytes.indices.dropFirst() {
                while k > 0 && bytes[i] != bytes[k] { k = failure[k - 1] }
                if bytes[i] == bytes[k] { k += 1 }
                failure[i] = k
            }
            self.failure = failure
        }

        func find(in text: [UInt8], from: Int) -> Int? {
            let n = bytes.count
            guard n > 0, from >= 0, n <= text.count - from else { return nil }
            return text.withUnsafeBufferPointer { t in
                bytes.withUnsafeBufferPointer { b in
                    var k = 0
                    var i = from
                    while i < t.count {
                        let c = t[i]
                        while k > 0 && c != b[k] { k = failure[k - 1] }
                        if c == b[k] { k += 1 }
                        if k == n { return i - n + 1 }
                        i += 1
                    }
                    return nil
                }
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
