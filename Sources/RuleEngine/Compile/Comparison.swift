/// Comparison operators of the condition language.
enum CompareOp: String, Sendable {
    case eq = "=", eqeq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    case contains, icontains, bcontains, startswith, bstartswith, endswith, glob, iglob, regex
    case `in`, intersects, pmatch, exists

    var isListOperator: Bool { self == .in || self == .intersects || self == .pmatch }

    /// Operators each type family accepts (spec 2.4).
    func isAllowed(for family: TypeFamily) -> Bool {
        switch family {
        case .numeric: return [.eq, .eqeq, .ne, .lt, .le, .gt, .ge, .in, .intersects, .exists].contains(self)
        case .bool, .ip: return [.eq, .eqeq, .ne, .in, .intersects, .exists].contains(self)
        case .string: return ![.bcontains, .bstartswith].contains(self)
        case .buffer: return [.eq, .eqeq, .ne, .contains, .bcontains, .startswith, .bstartswith, .endswith,
                              .in, .intersects, .exists].contains(self)
        }
    }
}

/// Single-value tests built once per check; the hot ones are specialised closures.
enum ValueTests {
    typealias Test = @Sendable (FieldValue) -> Bool

    static func make(_ op: CompareOp, _ constant: Constant) throws(CompileError) -> Test {
        switch (op, constant) {
        case (.eq, .bytes(let c)), (.eqeq, .bytes(let c)):
            return { if case .bytes(let b) = $0 { return b == c }; return false }
        case (.ne, .bytes(let c)):
            return { if case .bytes(let b) = $0 { return b != c }; return false }
        case (.contains, .bytes(let c)), (.bcontains, .bytes(let c)):
            return { if case .bytes(let b) = $0 { return StringMatching.contains(b, c) }; return false }
        case (.icontains, .bytes(let c)):
            let lowered = c.map(StringMatching.lowerASCII)
            return { if case .bytes(let b) = $0 { return StringMatching.containsIgnoringCase(b, loweredNeedle: lowered) }; return false }
        case (.startswith, .bytes(let c)), (.bstartswith, .bytes(let c)):
            return { if case .bytes(let b) = $0 { return StringMatching.hasPrefix(b, c) }; return false }
        case (.endswith, .bytes(let c)):
            return { if case .bytes(let b) = $0 { return StringMatching.hasSuffix(b, c) }; return false }
        case (.glob, .bytes(let c)):
            return { if case .bytes(let b) = $0 { return StringMatching.glob(c, b) }; return false }
        case (.iglob, .bytes(let c)):
            return { if case .bytes(let b) = $0 { return StringMatching.glob(c, b, ignoreCase: true) }; return false }
        case (.regex, .bytes(let c)):
            let matcher = try RegexMatcher(pattern: String(decoding: c, as: UTF8.self))
            return { if case .bytes(let b) = $0 { return matcher.matchesWhole(b) }; return false }
        case (.eq, .net(let n)), (.eqeq, .net(let n)), (.in, .net(let n)), (.intersects, .net(let n)):
            return { if case .ip(let ip) = $0 { return n.contains(ip) }; return false }
        case (.ne, .net(let n)):
            return { if case .ip(let ip) = $0 { return !n.contains(ip) }; return false }
        case (.eq, _), (.eqeq, _):
            return { ordering($0, constant) == 0 }
        case (.ne, _):
            return { if let o = ordering($0, constant) { return o != 0 }; return false }
        case (.lt, _):
            return { if let o = ordering($0, constant) { return o < 0 }; return false }
        case (.le, _):
            return { if let o = ordering($0, constant) { return o <= 0 }; return false }
        case (.gt, _):
            return { if let o = ordering($0, constant) { return o > 0 }; return false }
        case (.ge, _):
            return { if let o = ordering($0, constant) { return o >= 0 }; return false }
        default:
            throw CompileError("'\(op.rawValue)' operator not supported for this value")
        }
    }

    /// Set membership for `in`/`intersects` on scalars.
    static func membership(_ constants: [Constant]) -> Test {
        var bytes = Set<[UInt8]>()
        var others: [Constant] = []
        var networks: [IPNetwork] = []
        for c in constants {
            switch c {
            case .bytes(let b): bytes.insert(b)
            case .net(let n): networks.append(n)
            default: others.append(c)
            }
        }
        let byteSet = bytes, rest = others, nets = networks
        if rest.isEmpty && nets.isEmpty {
            return { if case .bytes(let b) = $0 { return byteSet.contains(b) }; return false }
        }
        return { value in
            if case .bytes(let b) = value { return byteSet.contains(b) }
            if case .ip(let ip) = value, nets.contains(where: { $0.contains(ip) }) { return true }
            return rest.contains { ordering(value, $0) == 0 }
        }
    }

    /// Orders a value against a constant of the same kind; nil when they cannot be compared.
    static func ordering(_ value: FieldValue, _ constant: Constant) -> Int? {
        switch (value, constant) {
        case (.bytes(let a), .bytes(let b)):
            if a == b { return 0 }
            return a.lexicographicallyPrecedes(b) ? -1 : 1
        case (.int(let a), .int(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.uint(let a), .uint(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.int(let a), .uint(let b)): return a < 0 ? -1 : (UInt64(a) == b ? 0 : (UInt64(a) < b ? -1 : 1))
        case (.uint(let a), .int(let b)): return b < 0 ? 1 : (a == UInt64(b) ? 0 : (a < UInt64(b) ? -1 : 1))
        case (.double(let a), .double(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.double(let a), .int(let b)): return ordering(.double(a), .double(Double(b)))
        case (.double(let a), .uint(let b)): return ordering(.double(a), .double(Double(b)))
        case (.int(let a), .double(let b)): return ordering(.double(Double(a)), .double(b))
        case (.uint(let a), .double(let b)): return ordering(.double(Double(a)), .double(b))
        case (.bool(let a), .bool(let b)): return a == b ? 0 : 1
        case (.ip(let a), .ip(let b)): return a == b ? 0 : 1
        default: return nil
        }
    }

    /// A field value turned into a constant, for field-to-field comparisons.
    static func constant(from value: FieldValue) -> Constant? {
        switch value {
        case .bytes(let b): return .bytes(b)
        case .int(let v): return .int(v)
        case .uint(let v): return .uint(v)
        case .double(let v): return .double(v)
        case .bool(let v): return .bool(v)
        case .ip(let v): return .ip(v)
        case .list: return nil
        }
    }

    /// Uncompiled comparison for field-to-field checks (the right value changes per event).
    static func dynamic(_ op: CompareOp, _ value: FieldValue, _ rhs: FieldValue) -> Bool {
        if case .list(let items) = rhs {
            return items.contains { dynamic(op == .intersects ? .eq : (op == .in ? .eq : op), value, $0) }
        }
        guard let c = constant(from: rhs) else { return false }
        switch op {
        case .in, .intersects: return ordering(value, c) == 0
        case .pmatch:
            guard case .bytes(let v) = value, case .bytes(let p) = c else { return false }
            return PathPrefixMatcher([p]).matches(v)
        default:
            guard let test = try? make(op, c) else { return false }
            return test(value)
        }
    }
}
