import Yams

/// Falco's optional JSON-schema check of a rules document (spec 1.16). It never fails a
/// load; `LoadResult.schemaValid` reports it. Checks are "weak": scalars are compared by text.
enum SchemaValidation {
    static let stringKeys: Set<String> = ["required_engine_version", "macro", "condition", "list", "rule", "desc", "output", "source"]
    static let booleanKeys: Set<String> = ["enabled", "append", "capture", "warn_evttypes", "skip-if-unknown-filter"]
    static let priorities: Set<String> = ["EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "INFORMATIONAL", "DEBUG"]
    static let overridableKeys: Set<String> = ["items", "desc", "condition", "output", "priority", "enabled", "exceptions", "capture",
                                               "capture_duration", "tags", "warn_evttypes", "skip-if-unknown-filter"]

    /// Whether a document (already parsed) matches the schema; nil documents are fine.
    static func isValid(_ document: Node) -> Bool {
        if YAMLValues.isNull(document) { return true }
        guard case .sequence(let items) = document else { return false }
        return items.allSatisfy(isValidItem)
    }

    static func isScalar(_ n: Node) -> Bool { if case .scalar = n { return true }; return false }
    static func text(_ n: Node) -> String? { YAMLValues.scalarText(n) }

    static func isValidItem(_ item: Node) -> Bool {
        guard case .mapping(let m) = item else { return false }
        for (k, v) in m {
            guard let key = text(k) else { return false }
            switch key {
            case _ where stringKeys.contains(key):
                guard isScalar(v) else { return false }
            case _ where booleanKeys.contains(key):
                guard let t = text(v), t == "true" || t == "false" else { return false }
            case "capture_duration":
                guard let t = text(v), UInt64(t) != nil else { return false }
            case "priority":
                guard let t = text(v), priorities.contains(t) else { return false }
            case "items", "tags":
                guard case .sequence(let seq) = v, seq.allSatisfy(isScalar) else { return false }
            case "required_plugin_versions":
                guard case .sequence(let seq) = v, seq.allSatisfy(isValidPluginRequirement) else { return false }
            case "exceptions":
                guard case .sequence(let seq) = v, seq.allSatisfy(isValidException) else { return false }
            case "override":
                guard case .mapping(let o) = v, o.count > 0 else { return false }
                for (ok, ov) in o {
                    guard let name = text(ok), overridableKeys.contains(name), let op = text(ov), op == "append" || op == "replace" else { return false }
                }
            default:
                return false
            }
        }
        return true
    }

    static func isValidPluginRequirement(_ n: Node) -> Bool {
        guard case .mapping(let m) = n else { return false }
        for (k, v) in m {
            switch text(k) {
            case "name", "version": guard isScalar(v) else { return false }
            case "alternatives":
                guard case .sequence(let alts) = v else { return false }
                for a in alts {
                    guard case .mapping(let am) = a else { return false }
                    for (ak, av) in am {
                        guard let name = text(ak), name == "name" || name == "version", isScalar(av) else { return false }
                    }
                }
            default: return false
            }
        }
        return true
    }

    static func isValidException(_ n: Node) -> Bool {
        guard case .mapping(let m) = n, m.keys.contains(where: { text($0) == "name" }) else { return false }
        for (k, _) in m {
            guard let key = text(k), ["name", "fields", "comps", "values"].contains(key) else { return false }
        }
        return true
    }
}
