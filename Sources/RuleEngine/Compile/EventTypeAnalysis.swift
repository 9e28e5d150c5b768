/// The set of event codes a syscall condition can match (spec 2.10): used for the
/// `LOAD_NO_EVTTYPE` warning and to index rules by event type.
struct EventCodeSet: Equatable {
    var bits: [UInt64]
    let universe: Int

    init(universe: Int, full: Bool) {
        self.universe = universe
        bits = Array(repeating: full ? ~0 : 0, count: (universe + 63) / 64)
        if full { trim() }
    }

    private mutating func trim() {
        let extra = bits.count * 64 - universe
        if extra > 0 { bits[bits.count - 1] &= ~0 >> UInt64(extra) }
    }

    mutating func insert(_ code: Int) { bits[code / 64] |= 1 << UInt64(code % 64) }
    func contains(_ code: Int) -> Bool { bits[code / 64] & (1 << UInt64(code % 64)) != 0 }
    var count: Int { bits.reduce(0) { $0 + $1.nonzeroBitCount } }
    var isFull: Bool { count == universe }

    func union(_ o: EventCodeSet) -> EventCodeSet { var r = self; for i in bits.indices { r.bits[i] |= o.bits[i] }; return r }
    func intersection(_ o: EventCodeSet) -> EventCodeSet { var r = self; for i in bits.indices { r.bits[i] &= o.bits[i] }; return r }
    func complement() -> EventCodeSet { var r = self; for i in bits.indices { r.bits[i] = ~r.bits[i] }; r.trim(); return r }
}

enum EventTypeAnalysis {
    enum Truth { case never, always, unknown }

    /// `evt.num = 0`, `< 1`, `<= 0`, `in (0)` never hold; `!= 0`, `> 0`, `>= 1` always hold.
    static func evtNumCheck(_ op: String, _ value: ValueExpr) -> Truth {
        if op == "in", case .list(let items, _) = value { return items == ["0"] ? .never : .unknown }
        guard case .value(let text, _) = value, let n = UInt64(text) else { return .unknown }
        switch op {
        case "=", "==": return n == 0 ? .never : .unknown
        case "<": return n <= 1 ? .never : .unknown
        case "<=": return n == 0 ? .never : .unknown
        case "!=", ">": return n == 0 ? .always : .unknown
        case ">=": return n <= 1 ? .always : .unknown
        default: return .unknown
        }
    }

    static func codes(of expr: ConditionExpr) -> EventCodeSet {
        analyze(expr, negated: false, table: EventTypeTable.shared)
    }

    private static func analyze(_ expr: ConditionExpr, negated: Bool, table: EventTypeTable) -> EventCodeSet {
        let all = EventCodeSet(universe: table.codeCount, full: true)
        let none = EventCodeSet(universe: table.codeCount, full: false)
        switch expr {
        case .and(let children):
            let sets = children.map { analyze($0, negated: negated, table: table) }
            return sets.dropFirst().reduce(sets[0]) { negated ? $0.union($1) : $0.intersection($1) }
        case .or(let children):
            let sets = children.map { analyze($0, negated: negated, table: table) }
            return sets.dropFirst().reduce(sets[0]) { negated ? $0.intersection($1) : $0.union($1) }
        case .not(let child):
            return analyze(child, negated: !negated, table: table)
        case .macro(let macro):
            // A shared macro is analysed once per polarity, however many rules name it.
            let k = negated ? 1 : 0
            if let known = macro.eventCodes[k] { return known }
            let codes = analyze(macro.body, negated: negated, table: table)
            macro.eventCodes[k] = codes
            return codes
        case .identifier, .unaryCheck:
            return all
        case .binaryCheck(let field, let op, _, let value, _):
            guard case .field(let name, nil, _) = field else { return all }
            if name == "evt.num" {
                // evt.num starts at 1: some checks can never hold, some always hold.
                switch evtNumCheck(op, value) {
                case .never: return negated ? all : none
                case .always: return negated ? none : all
                case .unknown: return all
                }
            }
            guard name == "evt.type" || name == "syscall.type" else { return all }
            var names: [String]
            switch value {
            case .value(let v, _): names = [v]
            case .list(let items, _): names = items
            case .field: return all
            }
            var set = none
            for n in names { for c in table.codes(for: n) { set.insert(c) } }
            switch op {
            case "=", "==", "in", "intersects": return negated ? set.complement() : set
            case "!=": return negated ? set : set.complement()
            default: return all
            }
        }
    }
}
