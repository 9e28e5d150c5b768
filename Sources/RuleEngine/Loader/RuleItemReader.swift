import TradsecCore
import Yams

/// Rule items: full definitions, enabled-only items, overrides and legacy appends (spec 1.9, 1.13).
extension RulesFileReader {
    // MARK: - Rules

    static let appendableRuleKeys: Set<String> = ["condition", "output", "desc", "tags", "exceptions"]
    static let replaceableRuleKeys: Set<String> = ["condition", "output", "desc", "priority", "tags", "exceptions", "enabled",
                                                   "warn_evttypes", "skip-if-unknown-filter", "capture", "capture_duration"]

    mutating func readRule(_ item: YAMLMap, _ root: YAMLContext) throws(LoadFailure) {
        let anonymous = root.adding("rule", "", item)
        let name = try YAMLValues.string(item, "rule", required: true, nonEmpty: true, anonymous) ?? ""
        let ctx = root.adding("rule", name, item)
        warnUnknownKeys(item, allowed: Self.ruleKeys, ctx)
        let append = try legacyAppend(item, hasOverride: item["override"] != nil, ctx)
        let source = try YAMLValues.string(item, "source", required: false, ctx)

        if let overrides = try readOverrides(item, appendable: Self.appendableRuleKeys, replaceable: Self.replaceableRuleKeys, ctx) {
            try applyRuleOverrides(item, name: name, source: source, overrides: overrides, ctx)
        } else if append {
            let condition = try YAMLValues.string(item, "condition", required: false, ctx)
            let exceptions = try readExceptions(item, append: true, ctx)
            guard condition != nil || item["exceptions"] != nil else {
                throw ctx.error("LOAD_ERR_VALIDATE", "Appended rule must have exceptions or condition property")
            }
            let i = try collection.existingRule(named: name, source: source,
                missing: "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists", context: ctx)
            if let condition { collection.rules[i].condition += " " + condition }
            try collection.appendExceptions(exceptions, toRule: i)
            collection.touchRule(i)
        } else if ["condition", "output", "desc", "priority"].allSatisfy({ item[$0] == nil }) {
            warnings.append(ctx.warning("LOAD_DEPRECATED_ITEM", "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace')."))
            guard item["enabled"] != nil else { throw ctx.validate("Item has no mapping for key 'enabled'") }
            let enabled = try YAMLValues.bool(item, "enabled", ctx) ?? true
            let i = try collection.existingRule(named: name, source: source,
                missing: "Rule has 'enabled' key but no rule by that name already exists", context: ctx)
            collection.rules[i].enabled = enabled
        } else {
            try defineFullRule(item, name: name, source: source, ctx)
        }
    }

    mutating func defineFullRule(_ item: YAMLMap, name: String, source: String?, _ ctx: YAMLContext) throws(LoadFailure) {
        let condition = try YAMLValues.string(item, "condition", required: true, nonEmpty: true, ctx) ?? ""
        let output = try YAMLValues.string(item, "output", required: true, nonEmpty: true, ctx) ?? ""
        let desc = try YAMLValues.string(item, "desc", required: true, nonEmpty: true, ctx) ?? ""
        let priority = try readPriority(item, ctx)!
        let exceptions = try readExceptions(item, append: false, ctx)
        let rule = RuleCollection.RuleDefinition(
            name: name, condition: condition, output: output.trimmingBlanks(), description: desc, priority: priority,
            source: (source?.isEmpty ?? true) ? "syscall" : source!,
            enabled: try YAMLValues.bool(item, "enabled", ctx) ?? true,
            tags: Set(try YAMLValues.scalarSequence(item, "tags", required: false, ctx) ?? []),
            exceptions: exceptions,
            warnEventTypes: try YAMLValues.bool(item, "warn_evttypes", ctx) ?? true,
            skipIfUnknownFilter: try YAMLValues.bool(item, "skip-if-unknown-filter", ctx) ?? false,
            capture: try YAMLValues.bool(item, "capture", ctx) ?? false,
            captureDuration: try YAMLValues.uint32(item, "capture_duration", ctx) ?? 0,
            index: 0, visibility: 0, context: ctx,
            conditionContext: ctx.adding("rule condition", "", item["condition"]),
            outputContext: ctx.adding("rule output", "", item["output"]))
        if !collection.sources.contains(rule.source) {
            warnings.append(ctx.warning("LOAD_UNKNOWN_SOURCE", "Unknown source \(rule.source), skipping"))
        }
        try collection.defineRule(rule)
    }

    func readPriority(_ item: YAMLMap, _ ctx: YAMLContext) throws(LoadFailure) -> Priority? {
        guard let text = try YAMLValues.string(item, "priority", required: true, nonEmpty: true, ctx) else { return nil }
        guard let p = Priority(name: text.trimmingBlanks()) else {
            throw ctx.adding("rule priority", "", item["priority"]).validate("Invalid priority")
        }
        return p
    }

    mutating func applyRuleOverrides(_ item: YAMLMap, name: String, source: String?, overrides: [String: String],
                                             _ ctx: YAMLContext) throws(LoadFailure) {
        let appendKeys = overrides.filter { $0.value == "append" }.map(\.key)
        let replaceKeys = overrides.filter { $0.value == "replace" }.map(\.key)
        var i = -1
        if !appendKeys.isEmpty {
            i = try collection.existingRule(named: name, source: source,
                missing: "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists", context: ctx)
        }
        if !replaceKeys.isEmpty, i < 0 {
            i = try collection.existingRule(named: name, source: source,
                missing: "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists", context: ctx)
        }
        guard i >= 0 else { return }
        // Appends first, then replaces (spec 1.13).
        for key in appendKeys {
            switch key {
            case "condition": collection.rules[i].condition += " " + (try YAMLValues.string(item, key, required: true, ctx) ?? "")
            case "output": collection.rules[i].output += " " + (try YAMLValues.string(item, key, required: true, ctx) ?? "")
            case "desc": collection.rules[i].description += " " + (try YAMLValues.string(item, key, required: true, ctx) ?? "")
            case "tags": collection.rules[i].tags.formUnion(try YAMLValues.scalarSequence(item, key, required: false, ctx) ?? [])
            case "exceptions": try collection.appendExceptions(try readExceptions(item, append: true, ctx), toRule: i)
            default: break
            }
        }
        for key in replaceKeys {
            switch key {
            case "condition":
                collection.rules[i].condition = try YAMLValues.string(item, key, required: true, nonEmpty: true, ctx) ?? ""
                collection.rules[i].conditionContext = ctx.adding("rule condition", "", item[key])
            case "output":
                collection.rules[i].output = (try YAMLValues.string(item, key, required: true, nonEmpty: true, ctx) ?? "").trimmingBlanks()
                collection.rules[i].outputContext = ctx.adding("rule output", "", item[key])
            case "desc": collection.rules[i].description = try YAMLValues.string(item, key, required: true, ctx) ?? ""
            case "priority": collection.rules[i].priority = try readPriority(item, ctx)!
            case "tags": collection.rules[i].tags = Set(try YAMLValues.scalarSequence(item, key, required: false, ctx) ?? [])
            case "exceptions": try collection.replaceExceptions(try readExceptions(item, append: false, ctx), ofRule: i)
            case "enabled": collection.rules[i].enabled = try YAMLValues.bool(item, key, ctx) ?? true
            case "warn_evttypes": collection.rules[i].warnEventTypes = try YAMLValues.bool(item, key, ctx) ?? true
            case "skip-if-unknown-filter": collection.rules[i].skipIfUnknownFilter = try YAMLValues.bool(item, key, ctx) ?? false
            case "capture": collection.rules[i].capture = try YAMLValues.bool(item, key, ctx) ?? false
            case "capture_duration": collection.rules[i].captureDuration = try YAMLValues.uint32(item, key, ctx) ?? 0
            default: break
            }
        }
        collection.touchRule(i)
    }
}
