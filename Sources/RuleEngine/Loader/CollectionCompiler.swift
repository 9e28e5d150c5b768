import Foundation
import TradsecCore

/// A rule ready to evaluate.
public struct CompiledRule: @unchecked Sendable {
    public let name: String
    public let priority: Priority
    public let source: String
    public let tags: [String]
    public let enabledByDefault: Bool
    public let description: String
    /// Canonical text of the final condition (spec 2.9), printed when asked for (at most
    /// ``CanonicalPrinter/maxLength`` bytes: shared macros print once per use).
    public var compiledCondition: String { CanonicalPrinter.print(condition) }
    /// The final condition: lists substituted, macros expanded (and shared): what it reads,
    /// for callers that produce events (the host sensor).
    public let condition: ConditionExpr
    public let outputText: String
    let predicate: Predicate
    let output: OutputFormat
    /// Event codes the condition can match (syscall only; nil: every event of the source).
    let eventCodes: EventCodeSet?
    /// Position in definition order (evaluation order).
    let order: Int
}

/// Compiles the whole collection (Falco `rule_loader::compiler`): lists, then macros, then rules.
struct CollectionCompiler {
    let collection: RuleCollection
    let sources: Set<String>
    let slots: FieldSlotTable
    var warnings: [LoadMessage] = []
    var rules: [CompiledRule] = []
    var compiledMacros: [String: MacroExpansion] = [:]
    /// Closures built for the rules' conditions (each shared macro once).
    var compiledNodes = 0
    /// Condition warnings reported per load; the rest are counted in one last warning.
    static let maxConditionWarnings = 10_000
    private var conditionWarnings = 0

    init(collection: RuleCollection, sources: Set<String>, slots: FieldSlotTable) {
        self.collection = collection
        self.sources = sources
        self.slots = slots
    }

    /// Lists whose names contain delimiter characters (cannot be found as words).
    private var listsWithDelimiters: [Int] = []

    mutating func compile() throws(LoadFailure) {
        listsWithDelimiters = collection.listsWithDelimiters
        for i in collection.lists.indices { collection.lists[i].used = false }
        for i in collection.macros.indices { collection.macros[i].used = false }
        try compileLists()
        try compileMacros()
        try compileRules()
        if conditionWarnings > Self.maxConditionWarnings {
            warnings.append(LoadMessage(code: "LOAD_TOO_MANY_WARNINGS",
                message: "\(conditionWarnings - Self.maxConditionWarnings) more condition warnings not reported (the first \(Self.maxConditionWarnings) are)",
                locations: [LoadLocation(itemType: "rules content", itemName: "", file: collection.rules.last?.context.chain.first?.file ?? "", line: 0, column: 0)]))
        }
        for macro in collection.macros where !macro.used {
            warnings.append(macro.context.warning("LOAD_UNUSED_MACRO", "Macro not referred to by any other rule/macro"))
        }
        for list in collection.lists where !list.used {
            warnings.append(list.context.warning("LOAD_UNUSED_LIST", "List not referred to by any other rule/macro"))
        }
    }

    // MARK: Lists

    /// Items all lists may hold once lists named in lists are expanded (a list of n names
    /// of n-item lists holds n² items).
    static let maxCompiledListItems = 1 << 20

    private func compileLists() throws(LoadFailure) {
        var total = 0
        for i in collection.lists.indices {
            var items: [String] = []
            for item in collection.lists[i].items {
                if let j = collection.listIndex[item], collection.lists[j].index < collection.lists[i].visibility {
                    items += collection.lists[j].items
                    collection.lists[j].used = true
                } else {
                    items.append(item)
                }
                guard total + items.count <= Self.maxCompiledListItems else {
                    throw collection.lists[i].context.error("LOAD_ERR_VALIDATE",
                        "Lists expand to more than \(Self.maxCompiledListItems) items (lists naming lists)")
                }
            }
            total += items.count
            collection.lists[i].compiledItems = items
        }
    }

    /// Longest condition once lists are substituted: lists whose items name later lists
    /// can double the text at each step.
    static let maxConditionLength = 1 << 20
    /// Bytes list substitution may go through for one load (each list substituted in a
    /// condition is one pass over the condition's text).
    static let maxSubstitutionWork = 64 << 20
    private var substitutionWork = 0

    /// List substitution over all lists, in order of first definition (Falco substitutes
    /// every list in turn). Lists are found by looking the condition's delimited words up by
    /// name: those of the text, then those of each list's items as they are inserted (the only
    /// new words a substitution makes); names with delimiters are searched for.
    private mutating func substituteLists(_ text: String, _ context: YAMLContext) throws(LoadFailure) -> String {
        var condition = Array(text.utf8)
        var seen = Set<Int>()
        var candidates: [Int] = []   // list positions, largest first
        func addWords(of bytes: [UInt8], above: Int) {
            var start = 0
            func consider(_ end: Int) {
                guard end > start, let i = collection.listIndex[String(decoding: bytes[start..<end], as: UTF8.self)],
                      i > above, seen.insert(i).inserted else { return }
                candidates.append(i)
            }
            for (k, c) in bytes.enumerated() where ConditionText.isDelimiter(c) {
                consider(k)
                start = k + 1
            }
            consider(bytes.count)
            candidates.sort(by: >)
        }
        addWords(of: condition, above: -1)
        var changed = false
        var next = 0
        while true {
            var best = candidates.last
            for i in listsWithDelimiters where i >= next && (best.map { i < $0 } ?? true) {
                substitutionWork += condition.count
                if ConditionText.find(collection.lists[i].nameBytes, in: condition, from: 0) != nil { best = i }
            }
            guard let i = best else { break }
            if candidates.last == i { candidates.removeLast() }
            substitutionWork += condition.count
            if ConditionText.substitute(list: collection.lists[i].nameBytes, items: collection.lists[i].compiledItems, in: &condition) {
                collection.lists[i].used = true
                changed = true
                addWords(of: Array(collection.lists[i].compiledItems.map(ConditionText.quote).joined(separator: ", ").utf8), above: i)
            }
            guard condition.count <= Self.maxConditionLength else {
                throw context.error("LOAD_ERR_COMPILE_CONDITION",
                    "Condition is longer than \(Self.maxConditionLength) bytes once lists are substituted")
            }
            guard substitutionWork <= Self.maxSubstitutionWork else {
                throw context.error("LOAD_ERR_COMPILE_CONDITION",
                    "List substitution needs more than \(Self.maxSubstitutionWork) bytes of work (too many lists in too long conditions)")
            }
            next = i + 1
        }
        return changed ? String(decoding: condition, as: UTF8.self) : text
    }

    private func parse(_ text: String, _ ctx: YAMLContext, kind: String) throws(LoadFailure) -> ConditionExpr {
        do {
            return try ConditionParser.parse(text, maxDepth: ConditionParser.loaderMaxDepth)
        } catch {
            throw Self.conditionContext(ctx, text, error.position).error("LOAD_ERR_COMPILE_CONDITION", error.message)
        }
    }

    /// Adds the `condition expression` location: parser position relative to the condition node.
    static func conditionContext(_ ctx: YAMLContext, _ text: String, _ position: SourcePosition?) -> YAMLContext {
        let snippet = text.count > 20 ? String(text.prefix(17)) + "..." : text
        var c = ctx
        let base = ctx.chain.last
        let line = (base?.line ?? 0) + max((position?.line ?? 1) - 1, 0)
        let column = (position?.line ?? 1) == 1 ? (base?.column ?? 0) + max((position?.column ?? 1) - 1, 0) : (position?.column ?? 0)
        c.chain.append(LoadLocation(itemType: "condition expression", itemName: "\"" + snippet + "\"", file: base?.file ?? "",
                                    line: line, column: column))
        return c
    }

    // MARK: Macros

    private enum MacroState {
        case expanding
        case expanded(MacroExpansion)
    }

    private var parsedMacros: [ConditionExpr] = []
    private var macroStates: [MacroState?] = []
    /// Nesting of the expansion in progress (macros expanding inside macros).
    private var expansionDepth = 0

    private mutating func compileMacros() throws(LoadFailure) {
        var parsed: [ConditionExpr] = []
        for macro in collection.macros {
            parsed.append(try parse(substituteLists(macro.condition, macro.conditionContext), macro.conditionContext, kind: "macro"))
        }
        parsedMacros = parsed
        macroStates = Array(repeating: nil, count: parsed.count)
        for i in collection.macros.indices {
            compiledMacros[collection.macros[i].name] = try expansion(ofMacro: i)
        }
    }

    /// Macro `j` expanded, built on first use and shared by every later user.
    private mutating func expansion(ofMacro j: Int) throws(LoadFailure) -> MacroExpansion {
        switch macroStates[j] {
        case .expanded(let done)?: return done
        case .expanding?: throw collection.macros[j].context.error("LOAD_ERR_VALIDATE", "reference loop in macro '\(collection.macros[j].name)'")
        case nil: break
        }
        macroStates[j] = .expanding
        let macro = collection.macros[j]
        let (body, level, size) = try expandMacros(parsedMacros[j], visibleBelow: macro.visibility, context: macro.context)
        try Self.checkDepth(level, macro.context)
        let done = MacroExpansion(name: macro.name, body: body, level: level, treeSize: size)
        macroStates[j] = .expanded(done)
        return done
    }

    /// Macro chains nest trees inside trees: bound the result like the parser bounds text.
    static func checkDepth(_ level: Int, _ context: YAMLContext) throws(LoadFailure) {
        guard level < ConditionParser.loaderMaxDepth else {
            throw context.error("LOAD_ERR_COMPILE_CONDITION", "exceeded max depth limit of \(ConditionParser.loaderMaxDepth)")
        }
    }

    /// Replaces macro identifiers by their shared expansions. `visibleBelow`: only macros
    /// whose index is lower are visible (nil: all macros, for rules). Returns the tree, its
    /// nesting levels and its size with every macro use counted (saturating).
    private mutating func expandMacros(_ expr: ConditionExpr, visibleBelow: Int?, context: YAMLContext)
        throws(LoadFailure) -> (ConditionExpr, level: Int, size: Int) {
        expansionDepth += 1
        defer { expansionDepth -= 1 }
        try Self.checkDepth(expansionDepth, context)
        switch expr {
        case .and(let children), .or(let children):
            var expanded: [ConditionExpr] = []
            expanded.reserveCapacity(children.count)
            var level = 0, size = 1
            for child in children {
                let (e, l, n) = try expandMacros(child, visibleBelow: visibleBelow, context: context)
                expanded.append(e)
                level = max(level, l + 1)
                size = Self.saturatingAdd(size, n)
            }
            if case .and = expr { return (.and(expanded), level, size) }
            return (.or(expanded), level, size)
        case .not(let child):
            let (e, l, n) = try expandMacros(child, visibleBelow: visibleBelow, context: context)
            return (.not(e), l + 1, Self.saturatingAdd(n, 1))
        case .identifier(let name, _):
            guard let j = collection.macroIndex[name], visibleBelow.map({ collection.macros[j].index < $0 }) ?? true else {
                throw context.error("LOAD_ERR_VALIDATE", "Undefined macro '\(name)' used in filter.")
            }
            collection.macros[j].used = true
            let shared = try expansion(ofMacro: j)
            return (.macro(shared), shared.level + 1, shared.treeSize)
        default:
            return (expr, 0, 1)
        }
    }

    static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    // MARK: Rules

    private mutating func compileRules() throws(LoadFailure) {
        for (order, rule) in collection.rules.enumerated() {
            // Rules of unknown sources are kept (for appends) but never compiled; the reader warned.
            guard let catalog = FieldCatalogs.catalog(for: rule.source), sources.contains(rule.source) else { continue }
            let conditionText = try ConditionText.withExceptions(rule.condition, rule.exceptions)

            // Output: drop %container.info, then validate.
            var outputText = rule.output
            if ConditionText.find(Array("%container.info".utf8), in: Array(outputText.utf8), from: 0) != nil {
                outputText = outputText.replacingOccurrences(of: "%container.info", with: "")
                warnings.append(rule.outputContext.warning("LOAD_DEPRECATED_ITEM", "%container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. The container plugin will automatically add required fields to the output once it sees a `%container.info` in the output."))
            }
            let access = FieldAccessBuilder(catalog: catalog, slots: slots)
            let output: OutputFormat
            do {
                output = try OutputFormat.compile(outputText, access: access)
            } catch {
                if rule.skipIfUnknownFilter && error.unknownField {
                    warnings.append(rule.outputContext.warning("LOAD_UNKNOWN_FILTER", error.message))
                    continue
                }
                throw rule.outputContext.error("LOAD_ERR_COMPILE_OUTPUT", error.message)
            }
            for reference in output.references where FilterCompiler.deprecatedConditionFields.contains(reference.operand.info.name) {
                warnings.append(rule.outputContext.warning("LOAD_DEPRECATED_ITEM", "usage of deprecated field '\(reference.operand.info.name)' has been detected in the rule output"))
            }

            let substituted = try substituteLists(conditionText, rule.conditionContext)
            let ast = try parse(substituted, rule.conditionContext, kind: "rule")
            let (expanded, level, _) = try expandMacros(ast, visibleBelow: nil, context: rule.context)
            try Self.checkDepth(level, rule.context)

            var compiler = FilterCompiler(catalog: catalog, slots: slots)
            let predicate: Predicate
            do {
                predicate = try compiler.compile(expanded)
                compiledNodes += compiler.compiledNodes
            } catch {
                let ctx = Self.conditionContext(rule.conditionContext, substituted, error.position)
                if rule.skipIfUnknownFilter && error.isUnknownFilter {
                    warnings.append(ctx.warning("LOAD_UNKNOWN_FILTER", error.message))
                    continue
                }
                throw ctx.error("LOAD_ERR_COMPILE_CONDITION", error.message)
            }
            // A shared macro raises its warnings again in every rule naming it: n rules naming a
            // macro of n checks would be n² warnings. Past the limit they are only counted.
            let room = max(0, Self.maxConditionWarnings - conditionWarnings)
            for w in compiler.warnings.prefix(room) {
                warnings.append(rule.conditionContext.warning(w.code, w.message))
            }
            conditionWarnings += compiler.warnings.count
            var codes: EventCodeSet?
            if rule.source == "syscall" {
                let set = EventTypeAnalysis.codes(of: expanded)
                if rule.warnEventTypes && set.count > 100 {
                    warnings.append(rule.context.warning("LOAD_NO_EVTTYPE", "Rule matches too many evt.type values. This has a significant performance penalty."))
                }
                codes = set
            }
            rules.append(CompiledRule(name: rule.name, priority: rule.priority, source: rule.source, tags: rule.tags.sorted(),
                                      enabledByDefault: rule.enabled, description: rule.description,
                                      condition: expanded, outputText: outputText,
                                      predicate: predicate, output: output, eventCodes: codes, order: order))
        }
    }
}

