import TradsecCore

/// Everything collected from the rules files loaded so far: lists, macros and rules after
/// definitions, appends and overrides (Falco's `rule_loader::collector`).
public final class RuleCollection {
    struct ListDefinition {
        var name: String
        var nameBytes: [UInt8] = []
        var nameHasDelimiter: Bool { nameBytes.contains(where: ConditionText.isDelimiter) }
        var items: [String]
        var index: Int
        var visibility: Int
        var context: YAMLContext
        var used = false
        var compiledItems: [String] = []
    }

    struct MacroDefinition {
        var name: String
        var condition: String
        var index: Int
        var visibility: Int
        var context: YAMLContext
        var conditionContext: YAMLContext
        var used = false
    }

    /// `fields`/`comps` are either one scalar or a list of scalars.
    enum ExceptionScalars: Equatable {
        case single(String)
        case list([String])
        var items: [String] { switch self { case .single(let s): return [s]; case .list(let l): return l } }
        var isList: Bool { if case .list = self { return true }; return false }
    }

    /// One element of an exception value tuple: a scalar or an inline list.
    enum ExceptionValue: Equatable {
        case scalar(String)
        case list([String])
    }

    /// One entry of `values`: a bare scalar (single-field form) or a tuple (list form).
    enum ExceptionRow: Equatable {
        case scalar(String)
        case tuple([ExceptionValue])
    }

    struct ExceptionDefinition {
        var name: String
        var fields: ExceptionScalars?
        var comps: ExceptionScalars?
        var values: [ExceptionRow]
        var hasValues: Bool
        var context: YAMLContext
    }

    struct RuleDefinition {
        var name: String
        var condition: String
        var output: String
        var description: String
        var priority: Priority
        var source: String
        var enabled: Bool
        var tags: Set<String>
        var exceptions: [ExceptionDefinition]
        var warnEventTypes: Bool
        var skipIfUnknownFilter: Bool
        var capture: Bool
        var captureDuration: UInt32
        var index: Int
        var visibility: Int
        var context: YAMLContext
        var conditionContext: YAMLContext
        var outputContext: YAMLContext
    }

    var lists: [ListDefinition] = []
    var macros: [MacroDefinition] = []
    var rules: [RuleDefinition] = []
    var listIndex: [String: Int] = [:]
    /// Lists whose names contain delimiter characters (cannot be found as words).
    var listsWithDelimiters: [Int] { lists.indices.filter { lists[$0].nameHasDelimiter } }
    var macroIndex: [String: Int] = [:]
    var ruleIndex: [String: Int] = [:]
    /// One counter for lists, macros and rules: definition order and visibility (spec 1.12).
    var counter = 0
    /// Sources the engine knows; rules of other sources are kept but never compiled.
    var sources: Set<String> = ["syscall"]
    var requiredEngineVersion: SemanticVersion?
    var pluginRequirements: [[(name: String, version: SemanticVersion)]] = []

    func nextCounter() -> Int { counter += 1; return counter }

    // MARK: - Lists

    func defineList(name: String, items: [String], context: YAMLContext) {
        let c = nextCounter()
        if let i = listIndex[name] {
            lists[i].items = items; lists[i].visibility = c; lists[i].context = context
        } else {
            listIndex[name] = lists.count
            lists.append(ListDefinition(name: name, nameBytes: Array(name.utf8), items: items, index: c, visibility: c, context: context))
        }
    }

    func appendList(name: String, items: [String], context: YAMLContext) throws(LoadFailure) {
        guard let i = listIndex[name] else {
            throw context.error("LOAD_ERR_VALIDATE", "List uses 'append' or 'override.items: append' but no list by that name already exists")
        }
        lists[i].items += items
        lists[i].visibility = nextCounter()
    }

    // MARK: - Macros

    func defineMacro(name: String, condition: String, context: YAMLContext, conditionContext: YAMLContext) {
        let c = nextCounter()
        if let i = macroIndex[name] {
            macros[i].condition = condition; macros[i].visibility = c
            macros[i].context = context; macros[i].conditionContext = conditionContext
        } else {
            macroIndex[name] = macros.count
            macros.append(MacroDefinition(name: name, condition: condition, index: c, visibility: c,
                                          context: context, conditionContext: conditionContext))
        }
    }

    func appendMacro(name: String, condition: String, context: YAMLContext) throws(LoadFailure) {
        guard let i = macroIndex[name] else {
            throw context.error("LOAD_ERR_VALIDATE", "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists")
        }
        macros[i].condition += " " + condition
        macros[i].visibility = nextCounter()
    }

    // MARK: - Rules

    func defineRule(_ rule: RuleDefinition) throws(LoadFailure) {
        var rule = rule
        let c = nextCounter()
        for ex in rule.exceptions {
            guard ex.fields != nil else {
                throw ex.context.error("LOAD_ERR_VALIDATE", "Rule exception item must have fields property with a list of fields")
            }
        }
        for i in rule.exceptions.indices { try validateException(&rule.exceptions[i], source: rule.source) }
        if let i = ruleIndex[rule.name] {
            if rules[i].source != rule.source {
                throw rule.context.error("LOAD_ERR_VALIDATE", "Rule has been re-defined with a different source")
            }
            rule.index = rules[i].index
            rule.visibility = c
            rules[i] = rule
        } else {
            rule.index = c; rule.visibility = c
            ruleIndex[rule.name] = rules.count
            rules.append(rule)
        }
    }

    /// The existing rule an append/override item refers to, checking the source.
    func existingRule(named name: String, source: String?, missing: String, context: YAMLContext) throws(LoadFailure) -> Int {
        guard let i = ruleIndex[name] else { throw context.error("LOAD_ERR_VALIDATE", missing) }
        if let source, !source.isEmpty, rules[i].source != source {
            throw context.error("LOAD_ERR_VALIDATE", "Rule has been re-defined with a different source")
        }
        return i
    }

    func touchRule(_ i: Int) { rules[i].visibility = nextCounter() }

    func appendExceptions(_ exceptions: [ExceptionDefinition], toRule i: Int) throws(LoadFailure) {
        for var ex in exceptions {
            if let p = rules[i].exceptions.firstIndex(where: { $0.name == ex.name }) {
                if ex.fields != nil {
                    throw ex.context.error("LOAD_ERR_VALIDATE", "Can not append exception fields to existing exception, only values")
                }
                if ex.comps != nil {
                    throw ex.context.error("LOAD_ERR_VALIDATE", "Can not append exception comps to existing exception, only values")
                }
                rules[i].exceptions[p].values += ex.values
            } else {
                guard ex.fields != nil else {
                    throw ex.context.error("LOAD_ERR_VALIDATE", "Rule exception must have fields property with a list of fields")
                }
                guard !ex.values.isEmpty else {
                    throw ex.context.error("LOAD_ERR_VALIDATE", "Rule exception must have values property with a list of values")
                }
                try validateException(&ex, source: rules[i].source)
                rules[i].exceptions.append(ex)
            }
        }
    }

    func replaceExceptions(_ exceptions: [ExceptionDefinition], ofRule i: Int) throws(LoadFailure) {
        var validated: [ExceptionDefinition] = []
        for var ex in exceptions {
            guard ex.fields != nil else {
                throw ex.context.error("LOAD_ERR_VALIDATE", "Rule exception must have fields property with a list of fields")
            }
            try validateException(&ex, source: rules[i].source)
            validated.append(ex)
        }
        rules[i].exceptions = validated
    }

    /// Fills default comps and checks operators and fields (Falco `validate_exception_info`).
    func validateException(_ ex: inout ExceptionDefinition, source: String) throws(LoadFailure) {
        guard let fields = ex.fields else { return }
        let catalog = sources.contains(source) ? FieldCatalogs.catalog(for: source) : nil
        switch fields {
        case .list(let names):
            if ex.comps == nil { ex.comps = .list(Array(repeating: "=", count: names.count)) }
            guard case .list(let rawComps)? = ex.comps, rawComps.count == names.count else {
                throw ex.context.error("LOAD_ERR_VALIDATE", "Fields and comps lists must have equal length")
            }
            let comps = rawComps.map { $0.trimmingBlanks() }
            ex.comps = .list(comps)
            for comp in comps where !ExceptionOperators.isSupported(comp) {
                throw ex.context.error("LOAD_ERR_VALIDATE", "'\(comp)' is not a supported comparison operator")
            }
            if let catalog {
                for name in names where !ExceptionOperators.isValidField(name, catalog: catalog) {
                    throw ex.context.error("LOAD_ERR_VALIDATE", "'\(name)' is not a supported filter field")
                }
            }
        case .single(let name):
            if ex.comps == nil { ex.comps = .single("in") }
            guard case .single(let rawComp)? = ex.comps else {
                throw ex.context.error("LOAD_ERR_VALIDATE", "Fields and comps must both be strings")
            }
            let comp = rawComp.trimmingBlanks()
            ex.comps = .single(comp)
            guard ["in", "pmatch", "intersects"].contains(comp) || ExceptionOperators.isModifierOperator(comp) else {
                throw ex.context.error("LOAD_ERR_VALIDATE", "When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof)")
            }
            if let catalog, !ExceptionOperators.isValidField(name, catalog: catalog) {
                throw ex.context.error("LOAD_ERR_VALIDATE", "'\(name)' is not a supported filter field")
            }
        }
    }
}

enum ExceptionOperators {
    static let plain: Set<String> = ["=", "==", "!=", "<", "<=", ">", ">=", "contains", "icontains", "bcontains",
                                     "startswith", "bstartswith", "endswith", "glob", "iglob", "regex", "in",
                                     "intersects", "pmatch", "exists"]
    static let modifiable: Set<String> = ["=", "==", "!=", "contains", "icontains", "bcontains", "startswith",
                                          "bstartswith", "endswith", "glob", "iglob", "regex"]

    static func isModifierOperator(_ comp: String) -> Bool {
        let parts = comp.split(whereSeparator: { $0 == " " || $0 == "\t" })
        return parts.count == 2 && modifiable.contains(String(parts[0])) && ConditionParser.modifiers.contains(String(parts[1]))
    }

    static func isSupported(_ comp: String) -> Bool { plain.contains(comp) || isModifierOperator(comp) }

    static func isListLike(_ comp: String) -> Bool {
        comp == "in" || comp == "intersects" || comp == "pmatch" || isModifierOperator(comp)
    }

    /// A field (possibly inside transformers) the source's catalog knows.
    static func isValidField(_ text: String, catalog: FieldCatalog) -> Bool {
        guard let ast = try? ConditionParser.parse(text + " exists"), case .unaryCheck(let field, _, _) = ast else { return false }
        let builder = FieldAccessBuilder(catalog: catalog, slots: FieldSlotTable())
        return (try? builder.operand(field)) != nil
    }
}

/// `x.y.z` versions of engines and plugins.
public struct SemanticVersion: Sendable, Comparable, CustomStringConvertible {
    public var major: Int, minor: Int, patch: Int

    public init(major: Int, minor: Int, patch: Int) { self.major = major; self.minor = minor; self.patch = patch }

    public init?(_ text: String) {
        let core = text.split(separator: "-", maxSplits: 1).first.map(String.init) ?? text
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2]), a >= 0, b >= 0, c >= 0 else { return nil }
        major = a; minor = b; patch = c
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    public static func < (l: SemanticVersion, r: SemanticVersion) -> Bool {
        (l.major, l.minor, l.patch) < (r.major, r.minor, r.patch)
    }

    /// Same major version and not older (libsinsp `compatible_with`).
    public func isCompatible(with required: SemanticVersion) -> Bool {
        major == required.major && !(self < required)
    }
}
