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
    /// Canonical text of the final condition (spec 2.9).
    public let compiledCondition: String
    /// The final condition's tree (lists substituted, macros expanded): what it reads, for
    /// callers that produce events (the host sensor). The canonical text does not always parse
    /// back (list items such as `(systemd)` are printed unquoted, as Falco prints them).
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
    var compiledMacros: [String: ConditionExpr] = [:]

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
        compileLists()
        try compileMacros()
        try compileRules()
        for macro in collection.macros where !macro.used {
            warnings.append(macro.context.warning("LOAD_UNUSED_MACRO", "Macro not referred to by any other rule/macro"))
        }
        for list in collection.lists where !list.used {
            warnings.append(list.context.warning("LOAD_UNUSED_LIST", "List not referred to by any other rule/macro"))
        }
    }

    // MARK: Lists

    private func compileLists() {
        for i in collection.lists.indices {
            var items: [String] = []
            for item in collection.lists[i].items {
                if let j = collection.listIndex[item], collection.lists[j].index < collection.lists[i].visibility {
                    items += collection.lists[j].items
                    collection.lists[j].used = true
                } else {
                    items.append(item)
                }
            }
            collection.lists[i].compiledItems = items
        }
    }

    /// List substitution over all lists, in order of first definition. Lists are found by
    /// looking the condition's delimited words up by name (names with delimiters are searched).
    private func substituteLists(_ text: String) -> String {
        var condition = Array(text.utf8)
        var changed = false
        var next = 0
        while let i = nextListToSubstitute(condition, from: next) {
            if ConditionText.substitute(list: collection.lists[i].nameBytes, items: collection.lists[i].compiledItems, in: &condition) {
                collection.lists[i].used = true
                changed = true
            }
            next = i + 1
        }
        return changed ? String(decoding: condition, as: UTF8.self) : text
    }

    /// Lowest list position >= `from` whose name occurs in the text.
    private func nextListToSubstitute(_ text: [UInt8], from: Int) -> Int? {
        var best: Int?
        var start = 0
        func consider(_ word: ArraySlice<UInt8>) {
            guard let i = collection.listIndex[String(decoding: word, as: UTF8.self)], i >= from else { return }
            if best.map({ i < $0 }) ?? true { best = i }
        }
        for (k, c) in text.enumerated() where ConditionText.isDelimiter(c) {
            if k > start { consider(text[start..<k]) }
            start = k + 1
        }
        if start < text.count { consider(text[start...]) }
        for i in listsWithDelimiters where i >= from && (best.map { i < $0 } ?? true) {
            if ConditionText.find(collection.lists[i].nameBytes, in: text, from: 0) != nil { best = i }
        }
        return best
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

    private var parsedMacros: [ConditionExpr] = []

    private mutating func compileMacros() throws(LoadFailure) {
        var parsed: [ConditionExpr] = []
        for macro in collection.macros {
            parsed.append(try parse(substituteLists(macro.condition), macro.conditionContext, kind: "macro"))
        }
        parsedMacros = parsed
        for i in collection.macros.indices {
            var stack: [String] = []
            compiledMacros[collection.macros[i].name] = try expandMacros(
                parsed[i], visibleBelow: collection.macros[i].visibility, parsed: parsed, stack: &stack,
                context: collection.macros[i].context)
        }
    }

    /// Replaces macro identifiers by their (expanded) trees. `visibleBelow`: only macros whose
    /// index is lower are visible (nil: all macros, for rules).
    private func expandMacros(_ expr: ConditionExpr, visibleBelow: Int?, parsed: [ConditionExpr], stack: inout [String],
                              context: YAMLContext, depth: Int = 0) throws(LoadFailure) -> ConditionExpr {
        // Macro chains nest trees inside trees: bound the result like the parser bounds text.
        guard depth < ConditionParser.loaderMaxDepth else {
            throw context.error("LOAD_ERR_COMPILE_CONDITION", "exceeded max depth limit of \(ConditionParser.loaderMaxDepth)")
        }
        switch expr {
        case .and(let children):
            return .and(try children.map { c throws(LoadFailure) in try expandMacros(c, visibleBelow: visibleBelow, parsed: parsed, stack: &stack, context: context, depth: depth + 1) })
        case .or(let children):
            return .or(try children.map { c throws(LoadFailure) in try expandMacros(c, visibleBelow: visibleBelow, parsed: parsed, stack: &stack, context: context, depth: depth + 1) })
        case .not(let child):
            return .not(try expandMacros(child, visibleBelow: visibleBelow, parsed: parsed, stack: &stack, context: context, depth: depth + 1))
        case .identifier(let name, _):
            guard let j = collection.macroIndex[name], visibleBelow.map({ collection.macros[j].index < $0 }) ?? true else {
                throw context.error("LOAD_ERR_VALIDATE", "Undefined macro '\(name)' used in filter.")
            }
            if stack.contains(name) {
                throw context.error("LOAD_ERR_VALIDATE", "reference loop in macro '\(name)'")
            }
            collection.macros[j].used = true
            stack.append(name)
            defer { stack.removeLast() }
            return try expandMacros(parsed[j], visibleBelow: collection.macros[j].visibility, parsed: parsed, stack: &stack,
                                    context: collection.macros[j].context, depth: depth + 1)
        default:
            return expr
        }
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

            let substituted = substituteLists(conditionText)
            let ast = try parse(substituted, rule.conditionContext, kind: "rule")
            var stack: [String] = []
            let expanded = try expandMacros(ast, visibleBelow: nil, parsed: parsedMacros, stack: &stack, context: rule.context)

            var compiler = FilterCompiler(catalog: catalog, slots: slots)
            let predicate: Predicate
            do {
                predicate = try compiler.compile(expanded)
            } catch {
                let ctx = Self.conditionContext(rule.conditionContext, substituted, error.position)
                if rule.skipIfUnknownFilter && error.isUnknownFilter {
                    warnings.append(ctx.warning("LOAD_UNKNOWN_FILTER", error.message))
                    continue
                }
                throw ctx.error("LOAD_ERR_COMPILE_CONDITION", error.message)
            }
            for w in compiler.warnings {
                warnings.append(rule.conditionContext.warning(w.code, w.message))
            }
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
                                      compiledCondition: CanonicalPrinter.print(expanded), condition: expanded, outputText: outputText,
                                      predicate: predicate, output: output, eventCodes: codes, order: order))
        }
    }
}

