import Yams

/// `exceptions:` of rule items (spec 1.11): names, fields, comps and value tuples.
extension RulesFileReader {
    // MARK: - Exceptions

    mutating func readExceptions(_ item: YAMLMap, append: Bool, _ ctx: YAMLContext) throws(LoadFailure) -> [RuleCollection.ExceptionDefinition] {
        guard let node = item["exceptions"], !YAMLValues.isNull(node) else { return [] }
        let exsCtx = ctx.adding("exceptions", "", node)
        guard case .sequence(let entries) = node else { throw exsCtx.error("LOAD_ERR_VALIDATE", "Rule exceptions must be a sequence") }
        var result: [RuleCollection.ExceptionDefinition] = []
        var seen = Set<String>()
        for entry in entries {
            let anonymous = exsCtx.adding("exception", "", entry)
            guard case .mapping = entry else { throw anonymous.error("LOAD_ERR_VALIDATE", "Rule exception must be a mapping") }
            let entry = YAMLMap(entry)
            let name = try YAMLValues.string(entry, "name", required: true, anonymous) ?? ""
            let ectx = ctx.adding("exception", name, entry)
            warnUnknownKeys(entry, allowed: ["name", "fields", "comps", "values"], ectx)
            if !seen.insert(name).inserted {
                warnings.append(ectx.warning("LOAD_EXCEPTION_NAME_NOT_UNIQUE", "Multiple definitions of exception '\(name)' in the same rule"))
            }
            let fields = try readScalars(entry, "fields", required: !append, ectx)
            let comps = try readScalars(entry, "comps", required: false, ectx)
            var values: [RuleCollection.ExceptionRow] = []
            let valuesNode = entry["values"]
            if let valuesNode, !YAMLValues.isNull(valuesNode) {
                let vctx = ectx.adding("exception values", "", valuesNode)
                guard case .sequence(let rows) = valuesNode else { throw vctx.error("LOAD_ERR_VALIDATE", "Rule exception values must be a sequence") }
                for row in rows {
                    let rctx = vctx.adding("exception value", "", row)
                    switch row {
                    case .scalar(let s): values.append(.scalar(s.string))
                    case .sequence(let cells):
                        var tuple: [RuleCollection.ExceptionValue] = []
                        for cell in cells {
                            switch cell {
                            case .scalar(let s): tuple.append(.scalar(s.string))
                            case .sequence(let inner):
                                var list: [String] = []
                                for x in inner {
                                    guard let t = YAMLValues.scalarText(x) else { throw rctx.validate("sequence value is not scalar") }
                                    list.append(t)
                                }
                                tuple.append(.list(list))
                            default: throw rctx.validate("Value is not a scalar value")
                            }
                        }
                        values.append(.tuple(tuple))
                    default: throw rctx.validate("Value is not a scalar value")
                    }
                }
            } else if append {
                warnings.append(ectx.warning("LOAD_APPEND_NO_VALUES", "Overriding/appending exception with no values"))
            }
            result.append(.init(name: name, fields: fields, comps: comps, values: values,
                                hasValues: valuesNode != nil, context: ectx))
        }
        return result
    }

    func readScalars(_ entry: YAMLMap, _ key: String, required: Bool, _ ctx: YAMLContext) throws(LoadFailure) -> RuleCollection.ExceptionScalars? {
        guard let node = entry[key] else {
            if required { throw ctx.validate("Item has no mapping for key '\(key)'") }
            return nil
        }
        if YAMLValues.isNull(node) {
            if required { throw ctx.validate("Mapping for key '\(key)' is empty") }
            return nil
        }
        switch node {
        case .scalar(let s): return .single(s.string)
        case .sequence(let seq):
            var items: [String] = []
            for x in seq {
                guard let t = YAMLValues.scalarText(x) else { throw ctx.validate("sequence value is not scalar") }
                items.append(t)
            }
            return .list(items)
        default: throw ctx.validate("Value is not a scalar value")
        }
    }
}
