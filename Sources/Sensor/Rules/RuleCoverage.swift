import RuleEngine

/// Which loaded rules the sensor can feed, which it cannot and why, and which events it watches
/// for them. Rules whose conditions read a field the sensor never fills, or that match only
/// events it does not produce, are disabled in the engine (as Falco skips rules naming unknown
/// fields with `skip-if-unknown-filter`), and listed once with the reason.
public struct RuleCoverage: Sendable {
    public struct Skipped: Sendable, Equatable {
        public var rule: String
        public var reason: String
    }

    /// Rules that run on the sensor's events, in definition order.
    public var active: [String]
    public var skipped: [Skipped]
    /// Syscalls reported by the kernel side (`evt.type` names), beside the process events
    /// (execve, clone, procexit) that are always reported to keep the process table.
    public var watchedSyscalls: [String]
    /// Fields the rules' outputs print that the sensor has no value for (`<NA>` in alerts).
    public var unfilledOutputFields: [String]
    /// Names compared with `fd.sip.name`, resolved so addresses can be matched to them.
    var serverNames: [String]
    /// The engine slots the active rules' conditions read (the others are output-only).
    var conditionSlotKeys: Set<String> = []

    /// One line per skipped rule, then a summary.
    public var report: String {
        var lines = skipped.map { "skipped rule '\($0.rule)': \($0.reason)" }
        lines.append("\(active.count) rules active, \(skipped.count) skipped; watching " +
                     (watchedSyscalls.isEmpty ? "process events only" : watchedSyscalls.joined(separator: ", ") + " and process events"))
        if !unfilledOutputFields.isEmpty {
            lines.append("fields printed as <NA> (the sensor does not fill them): " + unfilledOutputFields.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

enum CoverageAnalysis {
    /// Every event name the sensor can produce.
    static let producedEvents: [String] = SyscallTable.all.map(\.name) + SyscallTable.processEventNames

    /// Disables the rules the sensor cannot feed and says what to watch for the others.
    static func apply(to engine: RulesEngine) -> RuleCoverage {
        var active: [String] = [], skipped: [RuleCoverage.Skipped] = []
        var serverNames = Set<String>()
        var readsWorkingDirectory = false
        var conditionKeys = Set<String>()
        var activeRules: [CompiledRule] = []
        for (index, rule) in engine.rules.enumerated() where engine.enabled[index] && rule.source == "syscall" {
            var references = References()
            references.collect(rule.condition)
            let missing = references.fields.filter { !fillable($0) }.sorted()
            if !missing.isEmpty {
                skipped.append(.init(rule: rule.name, reason: "uses fields the sensor cannot fill: " + missing.joined(separator: ", ")))
                continue
            }
            guard producedEvents.contains(where: { rule.canMatch(eventType: $0) }) else {
                let wanted = EventTypeTable.shared.acceptedNames.filter { rule.canMatch(eventType: $0) }.sorted()
                skipped.append(.init(rule: rule.name, reason: "matches only events the sensor does not watch: " +
                                     wanted.prefix(8).joined(separator: ", ") + (wanted.count > 8 ? ", ..." : "")))
                continue
            }
            active.append(rule.name)
            activeRules.append(rule)
            serverNames.formUnion(references.serverNames)
            for field in references.fields { conditionKeys.formUnion(slotKeys(field) ?? []) }
            if references.fields.contains("proc.cwd") { readsWorkingDirectory = true }
        }
        for rule in skipped { engine.setEnabled(false, .rule(rule.rule)) }
        var watched = SyscallTable.all.filter { syscall in activeRules.contains { $0.canMatch(eventType: syscall.name) } }.map(\.name)
        if readsWorkingDirectory {
            for name in ["chdir", "fchdir"] where !watched.contains(name) { watched.append(name) }
        }
        let filler = FieldFiller(slots: engine.slots)
        return RuleCoverage(active: active, skipped: skipped, watchedSyscalls: watched,
                            unfilledOutputFields: filler.unfilled.sorted(), serverNames: serverNames.sorted(),
                            conditionSlotKeys: conditionKeys)
    }

    /// A field as written in a condition (name and bracket argument) the sensor can fill.
    static func fillable(_ written: String) -> Bool {
        guard let keys = slotKeys(written) else { return false }
        return keys.allSatisfy { SensorField.from(slotKey: $0) != nil }
    }

    /// The slot keys the engine reads for a field as written (`proc.aname[2]`, `fd.snet`), as the
    /// engine's compiler names them; nil when the catalog does not know the field.
    static func slotKeys(_ written: String) -> [String]? {
        var name = written
        var bracket: String?
        if let open = written.firstIndex(of: "["), written.hasSuffix("]") {
            name = String(written[..<open])
            bracket = String(written[written.index(after: open)..<written.index(before: written.endIndex)])
        }
        guard case .success(let resolved) = FieldCatalogs.syscall.resolve(name: name, bracketArgument: bracket) else { return nil }
        let key = resolved.info.name
        let argument = resolved.argument
        switch key {
        case "evt.arg", "evt.rawarg":
            guard let argument, Int(argument) == nil else { return ["evt.arg[index]"] }
            return ["evt.arg." + argument]
        case "fd.ip", "fd.net": return ["fd.cip", "fd.sip"]
        case "fd.cnet": return ["fd.cip"]
        case "fd.snet": return ["fd.sip"]
        case "fd.lnet": return ["fd.lip"]
        case "fd.rnet": return ["fd.rip"]
        case "fd.port": return ["fd.cport", "fd.sport", "fd.cip", "fd.sip"]
        case "fd.proto": return ["fd.cproto", "fd.sproto"]
        case "evt.type.is": return ["evt.type"]
        case "proc.aname", "proc.apid", "proc.aexe", "proc.aexepath", "proc.acmdline":
            return [argument.map { key + "[" + $0 + "]" } ?? key]
        default:
            guard let argument else { return [key] }
            return [resolved.argumentWasBracketed ? key + "[" + argument + "]" : key + "." + argument]
        }
    }

    /// The fields a condition reads, and the names it compares `fd.sip.name` with.
    struct References {
        var fields = Set<String>()
        var serverNames = Set<String>()
        /// Shared macro expansions already read (each is visited once, however often it is named).
        private var visited = Set<ObjectIdentifier>()

        mutating func collect(_ expr: ConditionExpr) {
            switch expr {
            case .macro(let expansion):
                if visited.insert(ObjectIdentifier(expansion)).inserted { collect(expansion.body) }
            case .and(let children), .or(let children): for child in children { collect(child) }
            case .not(let child): collect(child)
            case .identifier: break
            case .unaryCheck(let field, _, _): add(field)
            case .binaryCheck(let field, let op, _, let value, _):
                add(field)
                switch value {
                case .field(let other, _, _): add(other)
                case .value(let text, _) where isServerName(field) && (op == "=" || op == "=="): serverNames.insert(text)
                case .list(let items, _) where isServerName(field) && op == "in": serverNames.formUnion(items)
                default: break
                }
            }
        }

        private func isServerName(_ field: FieldExpr) -> Bool {
            if case .field("fd.sip.name", nil, _) = field { return true }
            return false
        }

        private mutating func add(_ field: FieldExpr) {
            switch field {
            case .field(let name, let argument, _): fields.insert(argument.map { name + "[" + $0 + "]" } ?? name)
            case .transformer(_, let arguments, _, _): for argument in arguments { add(argument) }
            }
        }

        private mutating func add(_ argument: TransformerArgument) {
            switch argument {
            case .operand(let field): add(field)
            case .list(let items): for item in items { add(item) }
            case .literal: break
            }
        }
    }
}
