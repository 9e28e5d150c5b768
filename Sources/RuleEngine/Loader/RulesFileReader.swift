import Config
import TradsecCore
import Yams

/// Reads one rules file into the collection, item by item, stopping at the first error
/// (Falco `rule_loader::reader`). Warnings go to `warnings`.
struct RulesFileReader {
    let file: String
    let collection: RuleCollection
    let engineVersion: SemanticVersion
    var warnings: [LoadMessage] = []
    /// Result of the optional schema check (spec 1.16); nil until the YAML parsed.
    var schemaValid: Bool?

    init(file: String, collection: RuleCollection, engineVersion: SemanticVersion) {
        self.file = file
        self.collection = collection
        self.engineVersion = engineVersion
    }

    var rootContext: YAMLContext {
        YAMLContext(chain: [LoadLocation(itemType: "rules content", itemName: "", file: file, line: 0, column: 0)])
    }

    mutating func read(_ text: String) throws(LoadFailure) {
        if let exceeded = YAMLAliasBudget.check(text) {
            var ctx = rootContext
            ctx.chain[0].line = exceeded.line
            ctx.chain[0].column = exceeded.column
            throw ctx.error("LOAD_ERR_YAML_PARSE", "YAML aliases stand for more than \(YAMLAliasBudget.maxAliasedNodes) nodes")
        }
        var documents: [Node] = []
        do {
            // The basic resolver keeps every scalar as text (as yaml-cpp does: `=`, `1.10`, `yes`
            // stay strings) and skips the regex-based type resolution Falco never needs.
            var sequence = try Yams.compose_all(yaml: text, .basic)
            while let doc = sequence.next() { documents.append(doc) }
            if let error = sequence.error { throw error }
        } catch {
            throw Self.yamlParseFailure(error, rootContext)
        }
        schemaValid = documents.allSatisfy(SchemaValidation.isValid)
        for document in documents {
            if YAMLValues.isNull(document) { continue }
            switch document {
            case .scalar: throw rootContext.validate("Rules content is not yaml")
            case .mapping: throw rootContext.validate("Rules content is not yaml array of objects")
            case .sequence(let items):
                for item in items {
                    if YAMLValues.isNull(item) { continue }
                    guard case .mapping = item else {
                        throw rootContext.adding("rules content item", "", item)
                            .validate("Unexpected element type. Each element should be a yaml associative array.")
                    }
                    try readItem(YAMLMap(item))
                }
            case .alias: throw rootContext.validate("Rules content is not yaml")
            }
        }
    }

    /// `LOAD_ERR_YAML_PARSE` with the parser's own position and a one-line message.
    static func yamlParseFailure(_ error: Error, _ root: YAMLContext) -> LoadFailure {
        var ctx = root
        var problem = "\(error)"
        if let yamlError = error as? YamlError {
            switch yamlError {
            case .scanner(let context, let p, let mark, _), .parser(let context, let p, let mark, _), .composer(let context, let p, let mark, _):
                problem = p + (context.map { " (\($0.text))" } ?? "")
                ctx.chain[0].line = mark.line
                ctx.chain[0].column = mark.column
            case .reader(let p, let offset, _, _):
                problem = p + (offset.map { " at byte \($0)" } ?? "")
            case .duplicatedKeysInMapping(let duplicates, let context):
                problem = "duplicated keys in mapping: \(duplicates.joined(separator: ", ")) (\(context.text))"
                ctx.chain[0].line = context.mark.line
                ctx.chain[0].column = context.mark.column
            default: break
            }
        }
        let oneLine = problem.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        return ctx.error("LOAD_ERR_YAML_PARSE", oneLine)
    }

    // MARK: - Items

    static let listKeys: Set<String> = ["list", "items", "append", "override"]
    static let macroKeys: Set<String> = ["macro", "condition", "append", "override"]
    static let ruleKeys: Set<String> = ["rule", "condition", "output", "desc", "priority", "source", "enabled", "capture",
                                        "capture_duration", "warn_evttypes", "skip-if-unknown-filter", "tags",
                                        "exceptions", "override", "append"]

    mutating func warnUnknownKeys(_ item: YAMLMap, allowed: Set<String>, _ ctx: YAMLContext) {
        for key in YAMLValues.keys(of: item) where !allowed.contains(key) {
            warnings.append(ctx.warning("LOAD_UNKNOWN_KEY", "Unknown key '\(key)'. The key will be ignored."))
        }
    }

    private mutating func readItem(_ item: YAMLMap) throws(LoadFailure) {
        let root = rootContext
        if item["required_engine_version"] != nil {
            try readEngineVersion(item, root.adding("required_engine_version", "", item))
        } else if item["required_plugin_versions"] != nil {
            try readPluginVersions(item, root.adding("required plugin versions", "", item))
        } else if item["list"] != nil {
            try readList(item, root)
        } else if item["macro"] != nil {
            try readMacro(item, root)
        } else if item["rule"] != nil {
            try readRule(item, root)
        } else {
            warnings.append(root.adding("rules content item", "", item).warning("LOAD_UNKNOWN_ITEM", "Unknown top level item"))
        }
    }

    private mutating func readEngineVersion(_ item: YAMLMap, _ ctx: YAMLContext) throws(LoadFailure) {
        warnUnknownKeys(item, allowed: ["required_engine_version"], ctx)
        guard let text = try YAMLValues.string(item, "required_engine_version", required: true, ctx) else { return }
        let version: SemanticVersion
        if let n = UInt32(text) {
            version = SemanticVersion(major: 0, minor: Int(n), patch: 0)
        } else if let v = SemanticVersion(text) {
            version = v
        } else {
            throw ctx.validate("Unable to parse engine version '\(text)' as a semver string. Expected \"x.y.z\" semver format.")
        }
        guard engineVersion.isCompatible(with: version) else {
            throw ctx.error("LOAD_ERR_VALIDATE", "Rules require engine version \(version), but engine version is \(engineVersion)")
        }
        if collection.requiredEngineVersion.map({ $0 < version }) ?? true { collection.requiredEngineVersion = version }
    }

    private mutating func readPluginVersions(_ item: YAMLMap, _ ctx: YAMLContext) throws(LoadFailure) {
        warnUnknownKeys(item, allowed: ["required_plugin_versions"], ctx)
        guard case .sequence(let entries)? = item["required_plugin_versions"] else {
            throw ctx.validate("Value of required_plugin_versions must be a sequence")
        }
        for entry in entries {
            let ectx = ctx.adding("required plugin versions entry", "", entry)
            guard case .mapping = entry else { throw ectx.validate("Unexpected element type. Each element should be a yaml associative array.") }
            let entry = YAMLMap(entry)
            let name = try YAMLValues.string(entry, "name", required: true, nonEmpty: true, ectx) ?? ""
            let named = ctx.adding("required plugin versions entry", name, entry)
            let versionText = try YAMLValues.string(entry, "version", required: true, nonEmpty: true, named) ?? ""
            guard let version = SemanticVersion(versionText) else {
                throw named.error("LOAD_ERR_VALIDATE", "Invalid required version '\(versionText)' for plugin '\(name)'")
            }
            var requirement: [(name: String, version: SemanticVersion)] = [(name, version)]
            if let alternatives = entry["alternatives"], !YAMLValues.isNull(alternatives) {
                guard case .sequence(let alts) = alternatives else { throw named.validate("Value of alternatives must be a sequence") }
                for alt in alts {
                    let actx = named.adding("required plugin versions alternative", "", alt)
                    guard case .mapping = alt else { throw actx.validate("Unexpected element type. Each element should be a yaml associative array.") }
                    let alt = YAMLMap(alt)
                    let altName = try YAMLValues.string(alt, "name", required: true, nonEmpty: true, actx) ?? ""
                    let altText = try YAMLValues.string(alt, "version", required: true, nonEmpty: true, actx) ?? ""
                    guard let altVersion = SemanticVersion(altText) else {
                        throw actx.error("LOAD_ERR_VALIDATE", "Invalid required version '\(altText)' for plugin '\(altName)'")
                    }
                    if requirement.contains(where: { $0.name == altName }) {
                        throw actx.error("LOAD_ERR_VALIDATE", "Defined multiple alternative version requirements for plugin '\(altName)'")
                    }
                    requirement.append((altName, altVersion))
                }
            }
            collection.pluginRequirements.append(requirement)
        }
    }

    // MARK: - Overrides

    /// `override:` as key -> operation, validated for the item kind.
    func readOverrides(_ item: YAMLMap, appendable: Set<String>, replaceable: Set<String>,
                               _ ctx: YAMLContext) throws(LoadFailure) -> [String: String]? {
        guard let node = item["override"] else { return nil }
        let octx = ctx.adding("overrides", "", node)
        guard case .mapping(let mapping) = node else { throw octx.validate("Value of override must be a map") }
        var overrides: [String: String] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = YAMLValues.scalarText(keyNode), let op = YAMLValues.scalarText(valueNode) else {
                throw octx.validate("Value is not a scalar value")
            }
            let operation = op.trimmingBlanks()
            let allowed = (appendable.contains(key) ? ["append"] : []) + (replaceable.contains(key) ? ["replace"] : [])
            guard operation == "append" || operation == "replace" else {
                throw octx.validate("Invalid override operation for key '\(key)': '\(operation)'. Allowed values are: \(allowed.joined(separator: ", ")) ")
            }
            if operation == "append" && !appendable.contains(key) {
                throw octx.validate(replaceable.contains(key) ? "Key '\(key)' cannot be appended to, use 'replace' instead"
                                                               : "Key '\(key)' cannot be appended to")
            }
            if operation == "replace" && !replaceable.contains(key) {
                throw octx.validate("Key '\(key)' cannot be replaced")
            }
            guard item[key] != nil else {
                throw octx.validate("An \(operation) override for '\(key)' was specified but '\(key)' is not defined")
            }
            overrides[key] = operation
        }
        for key in YAMLValues.keys(of: item) where (appendable.contains(key) || replaceable.contains(key)) && overrides[key] == nil {
            throw ctx.validate("Unexpected key '\(key)': no corresponding entry under 'override' is defined.")
        }
        return overrides
    }

    mutating func legacyAppend(_ item: YAMLMap, hasOverride: Bool, _ ctx: YAMLContext) throws(LoadFailure) -> Bool {
        let append = try YAMLValues.bool(item, "append", ctx) ?? false
        if append {
            warnings.append(ctx.warning("LOAD_DEPRECATED_ITEM", "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead."))
            if hasOverride {
                throw ctx.validate("Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.")
            }
        }
        return append
    }

    // MARK: - Lists and macros

    private mutating func readList(_ item: YAMLMap, _ root: YAMLContext) throws(LoadFailure) {
        let anonymous = root.adding("list", "", item)
        let name = try YAMLValues.string(item, "list", required: true, nonEmpty: true, anonymous) ?? ""
        let ctx = root.adding("list", name, item)
        warnUnknownKeys(item, allowed: Self.listKeys, ctx)
        if !Self.isValidListName(name) {
            warnings.append(ctx.warning("LOAD_INVALID_LIST_NAME", "List has an invalid name. List names should match a regular expression: [^()\"'[:space:]=,]+"))
        }
        let append = try legacyAppend(item, hasOverride: item["override"] != nil, ctx)
        let items = try YAMLValues.scalarSequence(item, "items", required: true, ctx) ?? []
        if let overrides = try readOverrides(item, appendable: ["items"], replaceable: ["items"], ctx) {
            if overrides["items"] == "append" {
                try collection.appendList(name: name, items: items, context: ctx)
            } else {
                collection.defineList(name: name, items: items, context: ctx)
            }
        } else if append {
            try collection.appendList(name: name, items: items, context: ctx)
        } else {
            collection.defineList(name: name, items: items, context: ctx)
        }
    }

    private mutating func readMacro(_ item: YAMLMap, _ root: YAMLContext) throws(LoadFailure) {
        let anonymous = root.adding("macro", "", item)
        let name = try YAMLValues.string(item, "macro", required: true, nonEmpty: true, anonymous) ?? ""
        let ctx = root.adding("macro", name, item)
        warnUnknownKeys(item, allowed: Self.macroKeys, ctx)
        if !Self.isValidMacroName(name) {
            warnings.append(ctx.warning("LOAD_INVALID_MACRO_NAME", "Macro has an invalid name. Macro names should match a regular expression: [a-zA-Z]+[a-zA-Z0-9_]*"))
        }
        let append = try legacyAppend(item, hasOverride: item["override"] != nil, ctx)
        let condition = try YAMLValues.string(item, "condition", required: true, nonEmpty: true, ctx) ?? ""
        let conditionContext = ctx.adding("macro condition", "", item["condition"])
        if let overrides = try readOverrides(item, appendable: ["condition"], replaceable: ["condition"], ctx) {
            if overrides["condition"] == "append" {
                try collection.appendMacro(name: name, condition: condition, context: ctx)
            } else {
                collection.defineMacro(name: name, condition: condition, context: ctx, conditionContext: conditionContext)
            }
        } else if append {
            try collection.appendMacro(name: name, condition: condition, context: ctx)
        } else {
            collection.defineMacro(name: name, condition: condition, context: ctx, conditionContext: conditionContext)
        }
    }

    static func isValidListName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { "()\"'=,".unicodeScalars.contains($0) || $0 == " " || ($0.value >= 9 && $0.value <= 13) }
    }

    static func isValidMacroName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ($0.value >= 48 && $0.value <= 57) || $0 == "_" }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { (value >= 65 && value <= 90) || (value >= 97 && value <= 122) }
}
