/// `regex` as libsinsp runs it: RE2 with its POSIX option (egrep syntax, no Perl classes),
/// matching the whole value. Matched in time linear in the value's length (a Thompson NFA
/// run over its scalars, never backtracking), as RE2 guarantees: a backtracking engine
/// (ICU, which `NSRegularExpression` wraps) takes exponential time on `(a*)*b` against a
/// value of many `a`s, and event values are written by whoever the rules watch.
final class RegexMatcher: Sendable {
    /// RE2's limit on `{n,m}` counts.
    static let maxRepeat = 1000
    /// Instructions a pattern may compile to: patterns are at most 255 bytes, but counted
    /// repetitions nest (`((a{1000}){1000})`), and each instruction costs time per scalar.
    static let maxProgram = 4096

    private let program: [Instruction]

    init(pattern: String) throws(CompileError) {
        do {
            var parser = Parser(Array(pattern.unicodeScalars))
            let tree = try parser.parseAll()
            var compiler = Compiler()
            try compiler.emit(tree)
            compiler.program.append(.match)
            program = compiler.program
        } catch {
            throw CompileError("invalid regex pattern: \(pattern) (\(error))")
        }
    }

    // MARK: - Matching

    /// True when the whole of `bytes` (UTF-8; a byte that is not part of a valid sequence
    /// is a unit of its own that only `.` and negated classes match) matches the pattern.
    func matchesWhole(_ bytes: [UInt8]) -> Bool {
        let text = Self.scalars(bytes)
        var current = ThreadList(capacity: program.count)
        var next = ThreadList(capacity: program.count)
        var stack: [Int] = []
        addThread(0, at: 0, in: text, to: &current, stack: &stack)
        for (i, c) in text.enumerated() {
            if current.count == 0 { return false }
            next.clear()
            for k in 0..<current.count {
                let pc = current.dense[k]
                switch program[pc] {
                case .set(let set) where set.contains(c):
                    addThread(pc + 1, at: i + 1, in: text, to: &next, stack: &stack)
                case .any where c != 0x0A:
                    addThread(pc + 1, at: i + 1, in: text, to: &next, stack: &stack)
                default:
                    break
                }
            }
            swap(&current, &next)
        }
        for k in 0..<current.count where program[current.dense[k]] == .match { return true }
        return false
    }

    /// Follows jumps, splits and assertions from `pc` at position `at` (an explicit stack:
    /// no recursion), adding the instructions that consume a scalar or match.
    private func addThread(_ pc: Int, at position: Int, in text: [UInt32], to list: inout ThreadList, stack: inout [Int]) {
        stack.append(pc)
        while let pc = stack.popLast() {
            guard list.insert(pc) else { continue }
            switch program[pc] {
            case .jump(let target): stack.append(target)
            case .split(let a, let b): stack.append(b); stack.append(a)
            // RE2's POSIX mode is multi-line: ^ and $ also hold next to a newline.
            case .lineStart: if position == 0 || text[position - 1] == 0x0A { stack.append(pc + 1) }
            case .lineEnd: if position == text.count || text[position] == 0x0A { stack.append(pc + 1) }
            case .set, .any, .match: break
            }
        }
    }

    /// UTF-8 decoded to scalars; an invalid byte becomes 0x110000 + byte (no real scalar).
    static func scalars(_ bytes: [UInt8]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            func cont(_ k: Int) -> UInt32? {
                guard i + k < bytes.count, bytes[i + k] & 0xC0 == 0x80 else { return nil }
                return UInt32(bytes[i + k] & 0x3F)
            }
            if b0 < 0x80 { out.append(b0); i += 1; continue }
            if b0 & 0xE0 == 0xC0, let c1 = cont(1) {
                let v = (b0 & 0x1F) << 6 | c1
                if v >= 0x80 { out.append(v); i += 2; continue }
            } else if b0 & 0xF0 == 0xE0, let c1 = cont(1), let c2 = cont(2) {
                let v = (b0 & 0x0F) << 12 | c1 << 6 | c2
                if v >= 0x800 && !(0xD800...0xDFFF).contains(v) { out.append(v); i += 3; continue }
            } else if b0 & 0xF8 == 0xF0, let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) {
                let v = (b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
                if v >= 0x10000 && v <= 0x10FFFF { out.append(v); i += 4; continue }
            }
            out.append(0x110000 + b0)
            i += 1
        }
        return out
    }

    /// A set of instruction indices with O(1) insert and clear (sparse set).
    private struct ThreadList {
        var dense: [Int]
        var sparse: [Int]
        var count = 0

        init(capacity: Int) {
            dense = Array(repeating: 0, count: capacity)
            sparse = Array(repeating: 0, count: capacity)
        }

        mutating func clear() { count = 0 }

        /// False when `pc` was already there.
        mutating func insert(_ pc: Int) -> Bool {
            let s = sparse[pc]
            if s < count && dense[s] == pc { return false }
            sparse[pc] = count
            dense[count] = pc
            count += 1
            return true
        }
    }

    // MARK: - Syntax

    /// Why a pattern does not parse, in RE2's words (the text after the pattern in Falco's error).
    enum SyntaxError: Error, CustomStringConvertible {
        case unexpectedParen
        case missingParen
        case nestingTooDeep
        /// A repetition of a repetition, or a count that is too large or backwards (the operator).
        case badRepetition(String)
        /// A repetition with nothing to repeat (the operator).
        case missingRepetitionArgument(String)
        case trailingBackslash
        /// The escape as written, backslash included.
        case badEscape(String)
        case missingBracket
        /// A range whose end comes before its start (nil), or an unknown `[:name:]` class.
        case badCharacterRange(posixClass: String?)
        case patternTooLarge

        var description: String {
            switch self {
            case .unexpectedParen: "unexpected )"
            case .missingParen: "missing )"
            case .nestingTooDeep: "nesting too deep"
            case .badRepetition(let op): "bad repetition operator: \(op)"
            case .missingRepetitionArgument(let op): "missing argument to repetition operator: \(op)"
            case .trailingBackslash: "trailing \\"
            case .badEscape(let escape): "invalid escape sequence: \(escape)"
            case .missingBracket: "missing ]"
            case .badCharacterRange(nil): "invalid character class range"
            case .badCharacterRange(let name?): "invalid character class range: [:\(name):]"
            case .patternTooLarge: "pattern too large - compile failed"
            }
        }
    }

    /// Scalar ranges, possibly negated.
    struct CharSet: Equatable, Sendable {
        var ranges: [ClosedRange<UInt32>]
        var negated = false

        func contains(_ c: UInt32) -> Bool {
            var hit = false
            for r in ranges where r.contains(c) { hit = true; break }
            return hit != negated
        }
    }

    indirect enum Node {
        case empty
        case set(CharSet)
        case any
        case lineStart, lineEnd
        case concat([Node])
        case alternation([Node])
        case repeated(Node, min: Int, max: Int?)
    }

    enum Instruction: Equatable, Sendable {
        case set(CharSet)
        case any
        case lineStart, lineEnd
        case split(Int, Int)
        case jump(Int)
        case match
    }

    /// Recursive descent over POSIX egrep syntax as RE2 reads it with `posix_syntax`.
    struct Parser {
        let p: [Unicode.Scalar]
        var i = 0
        var depth = 0

        init(_ scalars: [Unicode.Scalar]) { p = scalars }

        var atEnd: Bool { i >= p.count }
        var peek: Unicode.Scalar? { i < p.count ? p[i] : nil }

        mutating func parseAll() throws(SyntaxError) -> Node {
            let node = try alternation()
            if !atEnd { throw SyntaxError.unexpectedParen }
            return node
        }

        mutating func alternation() throws(SyntaxError) -> Node {
            depth += 1
            defer { depth -= 1 }
            // Patterns are short (constants are at most 255 bytes); this keeps it so.
            guard depth < 256 else { throw SyntaxError.nestingTooDeep }
            var branches = [try concatenation()]
            while peek == "|" { i += 1; branches.append(try concatenation()) }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func concatenation() throws(SyntaxError) -> Node {
            var items: [Node] = []
            while let c = peek, c != "|", c != ")" {
                var atom = try self.atom()
                while let op = peek, let (min, max) = try repetition() {
                    if case .repeated = atom { throw SyntaxError.badRepetition(String(op)) }
                    if case .lineStart = atom { throw SyntaxError.missingRepetitionArgument(String(op)) }
                    atom = .repeated(atom, min: min, max: max)
                }
                items.append(atom)
            }
            return items.isEmpty ? .empty : (items.count == 1 ? items[0] : .concat(items))
        }

        /// `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` at the cursor (consumed), or nil. A `{` that
        /// does not start a valid count is a literal, as in RE2.
        mutating func repetition() throws(SyntaxError) -> (Int, Int?)? {
            switch peek {
            case "*": i += 1; return (0, nil)
            case "+": i += 1; return (1, nil)
            case "?": i += 1; return (0, 1)
            case "{":
                var k = i + 1
                func number() -> Int? {
                    var v = 0, digits = 0
                    while k < p.count, ("0"..."9").contains(p[k]) {
                        v = min(v * 10 + Int(p[k].value - 0x30), 100_000); k += 1; digits += 1
                    }
                    return digits > 0 ? v : nil
                }
                guard let low = number() else { return nil }
                var high: Int? = low
                if k < p.count, p[k] == "," {
                    k += 1
                    high = number()
                }
                guard k < p.count, p[k] == "}" else { return nil }
                if low > RegexMatcher.maxRepeat || (high ?? 0) > RegexMatcher.maxRepeat || (high.map { $0 < low } ?? false) {
                    throw SyntaxError.badRepetition(String(String.UnicodeScalarView(p[i...k])))
                }
                i = k + 1
                return (low, high)
            default:
                return nil
            }
        }

        mutating func atom() throws(SyntaxError) -> Node {
            let c = p[i]
            i += 1
            switch c {
            case "(":
                if peek == "?" { throw SyntaxError.missingRepetitionArgument("?") }
                let inner = try alternation()
                guard peek == ")" else { throw SyntaxError.missingParen }
                i += 1
                // A group of one: `(a*)*` repeats a group, which is allowed (`a**` is not).
                return .concat([inner])
            case ".": return .any
            case "^": return .lineStart
            case "$": return .lineEnd
            case "[": return .set(try bracket())
            case "\\":
                let scalar = try escape()
                return .set(CharSet(ranges: [scalar...scalar]))
            case "*", "+", "?": throw SyntaxError.missingRepetitionArgument(String(c))
            default: return .set(CharSet(ranges: [c.value...c.value]))
            }
        }

        /// The scalar an escape stands for (the backslash is consumed).
        mutating func escape() throws(SyntaxError) -> UInt32 {
            guard let e = peek else { throw SyntaxError.trailingBackslash }
            i += 1
            switch e {
            case "a": return 0x07
            case "f": return 0x0C
            case "t": return 0x09
            case "n": return 0x0A
            case "r": return 0x0D
            case "v": return 0x0B
            case "x":
                var hex = ""
                if peek == "{" {
                    i += 1
                    while let h = peek, h != "}" { hex.unicodeScalars.append(h); i += 1 }
                    guard peek == "}" else { throw SyntaxError.badEscape("\\x") }
                    i += 1
                } else {
                    for _ in 0..<2 { if let h = peek { hex.unicodeScalars.append(h); i += 1 } }
                }
                guard !hex.isEmpty, hex.count <= 8, let v = UInt32(hex, radix: 16), v <= 0x10FFFF else {
                    throw SyntaxError.badEscape("\\x" + hex)
                }
                return v
            default:
                // Punctuation stands for itself; letters and digits are Perl classes,
                // back-references or assertions, which POSIX syntax does not have.
                if e.isASCII && !(e.properties.isAlphabetic || ("0"..."9").contains(e)) { return e.value }
                if !e.isASCII { return e.value }
                throw SyntaxError.badEscape("\\\(e)")
            }
        }

        static let posixClasses: [String: [ClosedRange<UInt32>]] = [
            "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A], "alpha": [0x41...0x5A, 0x61...0x7A],
            "ascii": [0x00...0x7F], "blank": [0x09...0x09, 0x20...0x20], "cntrl": [0x00...0x1F, 0x7F...0x7F],
            "digit": [0x30...0x39], "graph": [0x21...0x7E], "lower": [0x61...0x7A], "print": [0x20...0x7E],
            "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E], "space": [0x09...0x0D, 0x20...0x20],
            "upper": [0x41...0x5A], "word": [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A],
            "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66],
        ]

        /// After `[`: the class up to its `]` (a `]` first is literal).
        mutating func bracket() throws(SyntaxError) -> CharSet {
            var set = CharSet(ranges: [])
            if peek == "^" { set.negated = true; i += 1 }
            var first = true
            while true {
                guard let c = peek else { throw SyntaxError.missingBracket }
                if c == "]" && !first { i += 1; break }
                first = false
                if c == "[", i + 1 < p.count, p[i + 1] == ":" {
                    var k = i + 2, name = ""
                    while k + 1 < p.count, !(p[k] == ":" && p[k + 1] == "]") { name.unicodeScalars.append(p[k]); k += 1 }
                    guard k + 1 < p.count, let ranges = Self.posixClasses[name] else {
                        throw SyntaxError.badCharacterRange(posixClass: name)
                    }
                    set.ranges += ranges
                    i = k + 2
                    continue
                }
                let low = try classScalar()
                if peek == "-", i + 1 < p.count, p[i + 1] != "]" {
                    i += 1
                    let high = try classScalar()
                    guard low <= high else { throw SyntaxError.badCharacterRange(posixClass: nil) }
                    set.ranges.append(low...high)
                } else {
                    set.ranges.append(low...low)
                }
            }
            return set
        }

        mutating func classScalar() throws(SyntaxError) -> UInt32 {
            let c = p[i]
            i += 1
            return c == "\\" ? try escape() : c.value
        }
    }

    /// Thompson construction; counted repetitions are unrolled (bounded by `maxProgram`).
    struct Compiler {
        var program: [Instruction] = []

        mutating func append(_ instruction: Instruction) throws(SyntaxError) {
            guard program.count < RegexMatcher.maxProgram else { throw SyntaxError.patternTooLarge }
            program.append(instruction)
        }

        mutating func emit(_ node: Node) throws(SyntaxError) {
            switch node {
            case .empty: break
            case .set(let set): try append(.set(set))
            case .any: try append(.any)
            case .lineStart: try append(.lineStart)
            case .lineEnd: try append(.lineEnd)
            case .concat(let items): for item in items { try emit(item) }
            case .alternation(let branches):
                // split L1, next; L1: a; jump end; next: split L2, ...
                var jumps: [Int] = []
                for (k, branch) in branches.enumerated() {
                    if k < branches.count - 1 {
                        let split = program.count
                        try append(.split(split + 1, 0))
                        try emit(branch)
                        jumps.append(program.count)
                        try append(.jump(0))
                        program[split] = .split(split + 1, program.count)
                    } else {
                        try emit(branch)
                    }
                }
                for j in jumps { program[j] = .jump(program.count) }
            case .repeated(let inner, let min, let max):
                for _ in 0..<min { try emit(inner) }
                if let max {
                    // Each optional copy: split into it or past all of them.
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(program.count)
                        try append(.split(program.count + 1, 0))
                        try emit(inner)
                    }
                    for s in splits { program[s] = .split(s + 1, program.count) }
                } else {
                    let loop = program.count
                    try append(.split(loop + 1, 0))
                    try emit(inner)
                    try append(.jump(loop))
                    program[loop] = .split(loop + 1, program.count)
                }
            }
        }
    }
}
