/// Enabled rules indexed by event type: an event only meets the rules that can match it.
public struct RuleMatcher: @unchecked Sendable {
    public enum Matching: Sendable { case first, all }

    let rules: [CompiledRule]
    /// Predicates apart from the rules, so evaluation does not copy rule structs.
    let predicates: [Predicate]
    /// Event type name -> id used by the decoder.
    public let eventTypeIDs: [String: Int]
    /// Per event type id: indices into `rules`, in definition order.
    let rulesByType: [[Int]]
    /// Syscall events whose type is not in the table, and events of other sources.
    let rulesForUnknownType: [Int]
    let rulesBySource: [String: [Int]]
    /// Per event type id: whether an enter event of that type is dropped (it has an exit event).
    let dropsEnter: [Bool]

    init(rules: [CompiledRule]) {
        self.rules = rules
        predicates = rules.map(\.predicate)
        let table = EventTypeTable.shared
        let names = table.acceptedNames.sorted()
        var ids: [String: Int] = [:]
        for (i, n) in names.enumerated() { ids[n] = i }
        var byType = Array(repeating: [Int](), count: names.count)
        var unknown: [Int] = []
        var bySource: [String: [Int]] = [:]
        for (r, rule) in rules.enumerated() {
            guard rule.source == "syscall", let codes = rule.eventCodes else {
                bySource[rule.source, default: []].append(r)
                continue
            }
            let all = codes.isFull
            if all { unknown.append(r) }
            for (i, name) in names.enumerated() where all || table.codes(for: name).contains(where: codes.contains) {
                byType[i].append(r)
            }
        }
        eventTypeIDs = ids
        dropsEnter = names.map { table.namesWithExit.contains($0) }
        rulesByType = byType
        rulesForUnknownType = unknown
        rulesBySource = bySource
    }

    public var ruleCount: Int { rules.count }

    /// Current Falco never evaluates syscall enter events (their exit event carries the
    /// arguments); enter-only events such as `container` still go through the rules.
    @inline(__always)
    public func isDroppedEnterEvent(_ event: Event) -> Bool {
        event.isEnter && event.source == "syscall" && (event.eventTypeID < 0 || dropsEnter[event.eventTypeID])
    }
    public func rule(at index: Int) -> CompiledRule { rules[index] }

    /// Indices of the rules that match, in definition order (only the first with `.first`).
    @inline(__always)
    public func match(_ event: Event, matching: Matching = .first, into result: inout [Int]) {
        result.removeAll(keepingCapacity: true)
        event.beginEvaluation()
        let candidates: [Int]
        if event.source == "syscall" {
            candidates = event.eventTypeID >= 0 ? rulesByType[event.eventTypeID] : rulesForUnknownType
        } else {
            candidates = rulesBySource[event.source] ?? []
        }
        for r in candidates where predicates[r](event) {
            result.append(r)
            if matching == .first { return }
        }
    }

    /// Whether any rule matches (the evaluation benchmark's unit of work).
    @inline(__always)
    public func firstMatch(_ event: Event) -> Int? {
        event.beginEvaluation()
        let candidates: [Int]
        if event.source == "syscall" {
            candidates = event.eventTypeID >= 0 ? rulesByType[event.eventTypeID] : rulesForUnknownType
        } else {
            candidates = rulesBySource[event.source] ?? []
        }
        return predicates.withUnsafeBufferPointer { p in
            candidates.withUnsafeBufferPointer { c in
                for r in c where p[r](event) { return r }
                return nil
            }
        }
    }
}
