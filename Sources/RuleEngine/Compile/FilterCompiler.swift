/// A compiled condition: evaluates an event with no text processing.
public typealias Predicate = @Sendable (Event) -> Bool

/// Type-checks a (macro-expanded) condition tree against a field catalog and turns it into
/// a tree of closures over field slots. Also collects the load-time warnings of spec 2.11.
public struct FilterCompiler {
    let access: FieldAccessBuilder
    /// Each warning once, in the order first raised.
    public private(set) var warnings: [CompileWarning] = []
    private var raised: Set<CompileWarning> = []
    /// Closures built so far (a shared macro's once): linear in the conditions' size.
    public private(set) var compiledNodes = 0

    /// Shared macros whose unshared tree is at least this big are evaluated once per event
    /// and their result reused. Below it, re-evaluating costs no more than the cache would;
    /// above it, a macro named twice by a macro named twice... would cost 2^depth per event.
    static let memoizedTreeSize = 32

    public init(catalog: FieldCatalog, slots: FieldSlotTable) {
        access = FieldAccessBuilder(catalog: catalog, slots: slots)
    }

    public mutating func compile(_ expr: ConditionExpr) throws(CompileError) -> Predicate {
        if case .macro(let macro) = expr { return try compileShared(macro) }
        compiledNodes += 1
        switch expr {
        case .macro:
            preconditionFailure("handled above")
        case .and(let children):
            let compiled = try children.map { child throws(CompileError) in try compile(child) }
            if compiled.count == 2 {
                let a = compiled[0], b = compiled[1]
                return { a($0) && b($0) }
            }
            return { event in
                compiled.withUnsafeBufferPointer { cs in
                    for c in cs where !c(event) { return false }
                    return true
                }
            }
        case .or(let children):
            let compiled = try children.map { child throws(CompileError) in try compile(child) }
            if compiled.count == 2 {
                let a = compiled[0], b = compiled[1]
                return { a($0) || b($0) }
            }
            return { event in
                compiled.withUnsafeBufferPointer { cs in
                    for c in cs where c(event) { return true }
                    return false
                }
            }
        case .not(let child):
            let c = try compile(child)
            return { !c($0) }
        case .identifier(let name, let position):
            throw CompileError("Undefined macro '\(name)' used in filter.", at: position)
        case .unaryCheck(let fieldExpr, _, _):
            let operand = try access.operand(fieldExpr)
            noteDeprecated(operand)
            let extract = operand.extract
            return { extract($0) != nil }
        case .binaryCheck(let fieldExpr, let opText, let modifier, let value, let position):
            return try compileBinary(fieldExpr, opText, modifier, value, position)
        }
    }

    /// A shared macro's predicate: compiled once per catalog and slot table, its warnings
    /// raised again (once) for every condition that names it.
    private mutating func compileShared(_ macro: MacroExpansion) throws(CompileError) -> Predicate {
        let key = MacroExpansion.CompileKey(catalog: ObjectIdentifier(access.catalog), slots: ObjectIdentifier(access.slots))
        if let known = macro.compiled[key] {
            switch known {
            case .success(let compiled):
                for w in compiled.warnings { raise(w) }
                return compiled.predicate
            case .failure(let error):
                throw error
            }
        }
        let outer = (warnings, raised)
        warnings = []; raised = []
        defer {
            let own = warnings
            (warnings, raised) = outer
            for w in own { raise(w) }
        }
        do {
            var predicate = try compile(macro.body)
            if macro.treeSize >= Self.memoizedTreeSize {
                let id = access.slots.newMemoID()
                let body = predicate
                predicate = { $0.memoized(id, body) }
                compiledNodes += 1
            }
            macro.compiled[key] = .success(.init(predicate: predicate, warnings: warnings))
            return predicate
        } catch {
            macro.compiled[key] = .failure(error)
            throw error
        }
    }

    private mutating func raise(_ warning: CompileWarning) {
        if raised.insert(warning).inserted { warnings.append(warning) }
    }

    private mutating func noteDeprecated(_ operand: Operand) {
        let name = operand.info.name
        if Self.deprecatedConditionFields.contains(name) {
            let message = name == "evt.dir"
                ? "evt.dir is deprecated: enter events are dropped, so 'evt.dir = <' is always true and 'evt.dir = >' always false"
                : "\(name) is deprecated: \(operand.info.description)"
            raise(CompileWarning(code: "LOAD_DEPRECATED_ITEM", message: message, field: name))
        }
    }

    static let deprecatedConditionFields: Set<String> = ["evt.dir", "evt.latency", "evt.latency.s", "evt.latency.ns",
                                                         "evt.latency.human", "evt.wait_latency"]

    private mutating func compileBinary(_ fieldExpr: FieldExpr, _ opText: String, _ modifier: String?, _ value: ValueExpr,
                                        _ position: SourcePosition) throws(CompileError) -> Predicate {
        guard let op = CompareOp(rawValue: opText) else {
            throw CompileError("unknown operator \(opText)", at: position)
        }
        let left = try access.operand(fieldExpr)
        noteDeprecated(left)
        let family = left.type.family
        if left.isList {
            guard op == .in || op == .intersects else {
                throw CompileError("'\(op.rawValue)' operator not supported for list filters", at: position)
            }
        } else if !op.isAllowed(for: family) {
            throw CompileError("'\(op.rawValue)' operator not supported for \(family.filterWord) filters", at: position)
        }
        if left.info.name == "evt.around" && op != .eq {
            throw CompileError("'\(op.rawValue)' operator not supported for evt.around", at: position)
        }
        let valuePosition: SourcePosition
        switch value {
        case .value(_, let p), .list(_, let p), .field(_, _, let p): valuePosition = p
        }

        // Field-to-field comparison.
        if case .field(let rhsExpr, _, _) = value {
            return try compileFieldComparison(left, op, modifier, rhsExpr, position)
        }

        var texts: [String]
        switch value {
        case .value(let v, _): texts = [v]
        case .list(let items, _): texts = items
        case .field: texts = []
        }
        checkConstantWarnings(left, op, texts)

        let isEventType = left.info.name == "evt.type" || left.info.name == "syscall.type"
        if isEventType {
            for t in texts where !EventTypeTable.shared.acceptedNames.contains(t) {
                throw CompileError("unknown event type \(t)", at: valuePosition, unknownFilter: true)
            }
        }
        if op == .pmatch && family != .string {
            throw CompileError("pmatch requires all charbuf arguments", at: position)
        }
        let constants = try texts.map { t throws(CompileError) -> Constant in
            do throws(CompileError) { return try ConstantParser.parse(t, type: left.type, op: op) } catch {
                var e = error; e.position = e.position ?? valuePosition; throw e
            }
        }

        let test: ValueTests.Test
        if let modifier {
            let tests = try constants.map { c throws(CompileError) in try ValueTests.make(op, c) }
            switch modifier {
            case "oneof": test = { v in tests.reduce(0) { $0 + ($1(v) ? 1 : 0) } == 1 }
            case "anyof": test = { v in tests.contains { $0(v) } }
            default: test = { v in tests.allSatisfy { $0(v) } }
            }
        } else if op == .in || op == .intersects {
            if case .value = value, constants.count == 1, !left.isList {
                test = try ValueTests.make(.eq, constants[0])
            } else {
                test = ValueTests.membership(constants)
            }
        } else if op == .pmatch {
            let matcher = PathPrefixMatcher(constants.compactMap { if case .bytes(let b) = $0 { return b }; return nil })
            test = { if case .bytes(let b) = $0 { return matcher.matches(b) }; return false }
        } else {
            guard constants.count == 1 else {
                throw CompileError("'\(op.rawValue)' operator expects a single value", at: valuePosition)
            }
            do throws(CompileError) { test = try ValueTests.make(op, constants[0]) } catch {
                var e = error; e.position = position; throw e
            }
        }
        return Self.wrap(left, op, test)
    }

    /// Applies a single-value test to what the operand yields (missing: false; lists per operator).
    static func wrap(_ left: Operand, _ op: CompareOp, _ test: @escaping ValueTests.Test) -> Predicate {
        let extract = left.extract
        if left.isList {
            let requireAll = op == .in
            return { event in
                guard let v = extract(event) else { return false }
                guard case .list(let items) = v else { return test(v) }
                return requireAll ? items.allSatisfy(test) : items.contains(where: test)
            }
        }
        if left.isExistential {
            return { event in
                guard let v = extract(event) else { return false }
                guard case .list(let items) = v else { return test(v) }
                return items.contains(where: test)
            }
        }
        return { event in
            guard let v = extract(event) else { return false }
            return test(v)
        }
    }

    private mutating func compileFieldComparison(_ left: Operand, _ op: CompareOp, _ modifier: String?, _ rhsExpr: FieldExpr,
                                                 _ position: SourcePosition) throws(CompileError) -> Predicate {
        if modifier != nil { throw CompileError("operator modifiers do not take a field on the right", at: position) }
        if op == .pmatch || op == .regex {
            throw CompileError("'\(op.rawValue)' operator does not support a field on the right-hand side", at: position)
        }
        let right = try access.operand(rhsExpr)
        if left.info.noRHS { throw CompileError("field '\(left.text)' cannot be used in a field-to-field comparison", at: position) }
        if right.info.noRHS { throw CompileError("field '\(right.text)' cannot be used as a right-hand side field", at: position) }
        if left.type == .ipnet || right.type == .ipnet {
            throw CompileError("IPNET fields cannot be compared with a field", at: position)
        }
        guard left.type.family == right.type.family, left.isList == right.isList || op.isListOperator else {
            throw CompileError("field '\(left.text)' has type \(left.type.rawValue) while the right-hand side field '\(right.text)' has incompatible type \(right.type.rawValue)", at: position)
        }
        let extractRight = right.extract
        let extractLeft = left.extract
        return { event in
            guard let l = extractLeft(event), let r = extractRight(event) else { return false }
            if case .list(let items) = l { return items.contains { ValueTests.dynamic(op, $0, r) } }
            return ValueTests.dynamic(op, l, r)
        }
    }

    // MARK: - Warnings (spec 2.11)

    private mutating func checkConstantWarnings(_ left: Operand, _ op: CompareOp, _ texts: [String]) {
        for t in texts {
            if access.catalog.looksLikeField(t) {
                raise(CompileWarning(code: "LOAD_COMPILE_CONDITION",
                    message: "'\(t)' may be a valid field misused as a const string value", field: nil))
            } else if t.utf8.last == UInt8(ascii: ")"), let open = t.firstIndex(of: "("),
                      ConditionParser.transformers.contains(String(t[..<open])) || t[..<open] == "val" {
                raise(CompileWarning(code: "LOAD_COMPILE_CONDITION",
                    message: "'\(t)' may be a valid field transformer misused as a const string value", field: nil))
            }
            if op == .regex && !Self.hasRegexMetacharacters(t) {
                raise(CompileWarning(code: "LOAD_COMPILE_CONDITION",
                    message: "regex check with '\(t)' may be optimized with simpler operators such as '=', 'contains', 'startswith', 'endswith'", field: nil))
            }
            let name = left.info.name
            if t == "<NA>", name.hasPrefix("ka.") || name.hasPrefix("jevt."),
               [.eq, .eqeq, .ne, .in, .intersects, .pmatch].contains(op) {
                raise(CompileWarning(code: "LOAD_UNSAFE_NA_CHECK", message: "", field: name))
            }
        }
    }

    static func hasRegexMetacharacters(_ pattern: String) -> Bool {
        var p = Substring(pattern)
        if p.hasPrefix("^") { p = p.dropFirst() }
        if p.hasSuffix("$") { p = p.dropLast() }
        for affix in [".*", ".+", ".?"] {
            if p.hasPrefix(affix) { p = p.dropFirst(2) }
            if p.hasSuffix(affix) { p = p.dropLast(2) }
        }
        return p.contains { "\\^$.|?*+()[]{}".contains($0) }
    }
}
