/// Reads one operand (field or transformer) from an event.
typealias Extractor = @Sendable (Event) -> FieldValue?

/// A compiled operand: how to read it and what it yields.
struct Operand {
    var extract: Extractor
    var type: FieldType
    /// The field yields several values (list fields).
    var isList: Bool
    /// Several values of which any may satisfy a check (`proc.aname`, `fd.ip`, `fd.net`...).
    var isExistential: Bool
    /// Catalog entry of the underlying field (for flags and messages).
    var info: FieldInfo
    /// Text as written, for messages.
    var text: String
}

/// Builds extractors for field expressions against one catalog and slot table.
struct FieldAccessBuilder {
    let catalog: FieldCatalog
    let slots: FieldSlotTable
    let eventTypes = EventTypeTable.shared

    /// Ancestor fields: no index (or -1) means "any ancestor", `[N]` the N-th one.
    static let ancestorFields: Set<String> = ["proc.aname", "proc.apid", "proc.aexe", "proc.aexepath",
                                              "proc.acmdline", "proc.aargs", "proc.aenv"]

    func operand(_ expr: FieldExpr, forOutput: Bool = false) throws(CompileError) -> Operand {
        switch expr {
        case .field(let name, let argument, let position):
            return try field(name: name, bracketArgument: argument, position: position, forOutput: forOutput)
        case .transformer(let name, let arguments, _, let position):
            return try transformer(name: name, arguments: arguments, position: position)
        }
    }

    func field(name: String, bracketArgument: String?, position: SourcePosition?, forOutput: Bool = false) throws(CompileError) -> Operand {
        let written = bracketArgument.map { name + "[" + $0 + "]" } ?? name
        let resolved: FieldCatalog.Resolved
        switch catalog.resolve(name: name, bracketArgument: bracketArgument) {
        case .success(let r): resolved = r
        case .failure(.unknownField):
            throw CompileError("filter_check called with nonexistent field \(written)", at: position, unknownFilter: true)
        case .failure(.argumentMissing):
            throw CompileError("filter syntax error: field '\(written)' requires an argument", at: position)
        case .failure(.argumentNotAllowed):
            throw CompileError("field '\(name)' does not support arguments", at: position)
        case .failure(.badIndex):
            throw CompileError("unrecognized field \(written): the argument must be a number", at: position)
        }
        let info = resolved.info
        if info.printOnly && !forOutput {
            throw CompileError("filter_check called with nonexistent field \(written)", at: position, unknownFilter: true)
        }
        let key = info.name
        let argument = resolved.argument

        // evt.arg.NAME must be a parameter of some event.
        if key == "evt.arg" || key == "evt.rawarg", let argument {
            if !FieldCatalog.isIndex(argument) && !eventTypes.parameterNames.contains(argument) {
                throw CompileError("unknown event argument \(argument)", at: position)
            }
            if FieldCatalog.isIndex(argument) {
                return positionalArgument(index: Int(argument) ?? 0, info: info, text: written)
            }
            let slot = slots.slot(for: "evt.arg." + argument, type: .charbuf)
            return Operand(extract: { $0.value(at: slot) }, type: info.type == .dyn ? .charbuf : info.type,
                           isList: false, isExistential: false, info: info, text: written)
        }
        if let derived = derivedField(info: info, argument: argument, written: written) { return derived }
        if Self.ancestorFields.contains(key) {
            return ancestor(info: info, argument: argument, written: written)
        }
        let slotKey: String
        if let argument {
            slotKey = resolved.argumentWasBracketed ? key + "[" + argument + "]" : key + "." + argument
        } else {
            slotKey = key
        }
        let slot = slots.slot(for: slotKey, type: info.type, isList: info.isList)
        return Operand(extract: { $0.value(at: slot) }, type: info.type, isList: info.isList, isExistential: false,
                       info: info, text: written)
    }

    /// `evt.arg[N]`: the N-th parameter of the event, named through the event table.
    private func positionalArgument(index: Int, info: FieldInfo, text: String) -> Operand {
        let typeSlot = slots.slot(for: "evt.type", type: .charbuf)
        let dirSlot = slots.slot(for: "evt.dir", type: .charbuf)
        var slotByParam: [String: Int] = [:]
        for p in eventTypes.parameterNames.sorted() { slotByParam[p] = slots.slot(for: "evt.arg." + p, type: .charbuf) }
        let table = eventTypes.parametersByEvent
        let captured = slotByParam
        return Operand(extract: { event in
            guard case .bytes(let t)? = event.value(at: typeSlot) else { return nil }
            var dir = "X"
            if case .bytes(let d)? = event.value(at: dirSlot), d == [UInt8(ascii: ">")] { dir = "E" }
            guard let params = table[String(decoding: t, as: UTF8.self) + "/" + dir], index >= 0, index < params.count,
                  let slot = captured[params[index]] else { return nil }
            return event.value(at: slot)
        }, type: .charbuf, isList: false, isExistential: false, info: info, text: text)
    }

    /// Filter-only fields that the dumps do not carry: derived from the fields they stand for.
    private func derivedField(info: FieldInfo, argument: String?, written: String) -> Operand? {
        func existential(over keys: [String], type: FieldType, sourceType: FieldType) -> Operand {
            let sourceSlots = keys.map { slots.slot(for: $0, type: sourceType) }
            return Operand(extract: { event in
                var values: [FieldValue] = []
                for s in sourceSlots { if let v = event.value(at: s) { values.append(v) } }
                return values.isEmpty ? nil : .list(values)
            }, type: type, isList: false, isExistential: true, info: info, text: written)
        }
        switch info.name {
        case "fd.ip": return existential(over: ["fd.cip", "fd.sip"], type: .ipaddr, sourceType: .ipaddr)
        case "fd.net": return existential(over: ["fd.cip", "fd.sip"], type: .ipnet, sourceType: .ipaddr)
        case "fd.cnet": return existential(over: ["fd.cip"], type: .ipnet, sourceType: .ipaddr)
        case "fd.snet": return existential(over: ["fd.sip"], type: .ipnet, sourceType: .ipaddr)
        case "fd.lnet": return existential(over: ["fd.lip"], type: .ipnet, sourceType: .ipaddr)
        case "fd.rnet": return existential(over: ["fd.rip"], type: .ipnet, sourceType: .ipaddr)
        case "fd.port", "fd.proto":
            // Ports of IP sockets only: the event must have a client or server address.
            let ports = info.name == "fd.port" ? ["fd.cport", "fd.sport"] : ["fd.cproto", "fd.sproto"]
            let portSlots = ports.map { slots.slot(for: $0, type: .port) }
            let ipSlots = ["fd.cip", "fd.sip"].map { slots.slot(for: $0, type: .ipaddr) }
            return Operand(extract: { event in
                guard ipSlots.contains(where: { event.value(at: $0) != nil }) else { return nil }
                var values: [FieldValue] = []
                for s in portSlots { if let v = event.value(at: s) { values.append(v) } }
                return values.isEmpty ? nil : .list(values)
            }, type: .port, isList: false, isExistential: true, info: info, text: written)
        case "evt.type.is":
            let typeSlot = slots.slot(for: "evt.type", type: .charbuf)
            let wanted = Array((argument ?? "").utf8)
            return Operand(extract: { event in
                guard case .bytes(let t)? = event.value(at: typeSlot) else { return nil }
                return .uint(t == wanted ? 1 : 0)
            }, type: .uint32, isList: false, isExistential: false, info: info, text: written)
        default:
            return nil
        }
    }

    private func ancestor(info: FieldInfo, argument: String?, written: String) -> Operand {
        let listSlot = slots.slot(for: info.name, type: info.type)
        let index = argument.flatMap { Int($0) } ?? -1
        if index < 0 {
            return Operand(extract: { event in
                guard let v = event.value(at: listSlot) else { return nil }
                if case .list(let items) = v { return items.isEmpty ? nil : v }
                return .list([v])
            }, type: info.type, isList: false, isExistential: true, info: info, text: written)
        }
        let directSlot = slots.slot(for: info.name + "[" + String(index) + "]", type: info.type)
        let selfSlot = info.name == "proc.aname" && index == 0 ? slots.slot(for: "proc.name", type: .charbuf) : nil
        return Operand(extract: { event in
            if let v = event.value(at: directSlot) { return v }
            if let selfSlot, let v = event.value(at: selfSlot) { return v }
            guard index >= 1, case .list(let items)? = event.value(at: listSlot), index - 1 < items.count else { return nil }
            return items[index - 1]
        }, type: info.type, isList: false, isExistential: false, info: info, text: written)
    }

    // MARK: - Transformers

    func transformer(name: String, arguments: [TransformerArgument], position: SourcePosition) throws(CompileError) -> Operand {
        switch name {
        case "tolower", "toupper", "b64", "basename", "len":
            guard arguments.count == 1, case .operand(let inner) = arguments[0] else {
                throw CompileError("transformer '\(name)' expects one field", at: position)
            }
            let base = try operand(inner)
            if base.info.noTransformer {
                throw CompileError("field '\(base.text)' does not support transformers", at: position)
            }
            return try applyUnary(name, to: base, position: position)
        case "join", "concat":
            var separator: [UInt8] = []
            var items: [TransformerArgument] = arguments
            if name == "join" {
                guard arguments.count == 2, case .literal(let sep) = arguments[0], case .list(let list) = arguments[1] else {
                    throw CompileError("'join' expects a separator and a list", at: position)
                }
                separator = Array(sep.utf8); items = list
            }
            var parts: [Extractor] = []
            var info: FieldInfo?
            for item in items {
                switch item {
                case .literal(let text):
                    let bytes = FieldValue.bytes(Array(text.utf8))
                    parts.append({ _ in bytes })
                case .operand(let expr):
                    let op = try operand(expr)
                    if op.info.noTransformer { throw CompileError("field '\(op.text)' does not support transformers", at: position) }
                    info = info ?? op.info
                    parts.append(op.extract)
                case .list:
                    throw CompileError("nested lists are not supported in '\(name)'", at: position)
                }
            }
            let sep = separator
            let captured = parts
            let text = name + "(...)"
            let fallbackInfo = info ?? FieldCatalogs.syscall.fields["evt.type"]!
            return Operand(extract: { event in
                var out: [UInt8] = []
                for (i, part) in captured.enumerated() {
                    guard let v = part(event) else { return nil }
                    if i > 0 { out += sep }
                    out += ValueRendering.bytes(of: v)
                }
                return .bytes(out)
            }, type: .charbuf, isList: false, isExistential: false, info: fallbackInfo, text: text)
        default:
            throw CompileError("transformer '\(name)' is not supported", at: position)
        }
    }

    private func applyUnary(_ name: String, to base: Operand, position: SourcePosition) throws(CompileError) -> Operand {
        let family = base.type.family
        func unsupported() -> CompileError {
            CompileError("can't add field transformer: type '\(base.type.rawValue)' is not supported by '\(name)' transformer applied on field '\(base.text)'", at: position)
        }
        let extract = base.extract
        let text = name + "(" + base.text + ")"
        func mapBytes(_ f: @escaping @Sendable ([UInt8]) -> [UInt8]?) -> Extractor {
            return { event in
                guard let v = extract(event) else { return nil }
                switch v {
                case .bytes(let b): return f(b).map(FieldValue.bytes)
                case .list(let items):
                    return .list(items.compactMap { item in item.bytesValue.flatMap(f).map(FieldValue.bytes) })
                default: return nil
                }
            }
        }
        switch name {
        case "tolower", "toupper":
            guard family == .string else { throw unsupported() }
            let upper = name == "toupper"
            return Operand(extract: mapBytes { b in
                b.map { c in upper ? (c >= 0x61 && c <= 0x7A ? c - 32 : c) : StringMatching.lowerASCII(c) }
            }, type: base.type, isList: base.isList, isExistential: base.isExistential, info: base.info, text: text)
        case "b64":
            guard family == .string || family == .buffer else { throw unsupported() }
            return Operand(extract: mapBytes(Base64.decode), type: base.type, isList: base.isList,
                           isExistential: base.isExistential, info: base.info, text: text)
        case "basename":
            guard family == .string else { throw unsupported() }
            return Operand(extract: mapBytes { b in
                if let slash = b.lastIndex(of: UInt8(ascii: "/")) { return Array(b[(slash + 1)...]) }
                return b
            }, type: base.type, isList: base.isList, isExistential: base.isExistential, info: base.info, text: text)
        default: // len
            guard family == .string || family == .buffer || base.isList else { throw unsupported() }
            let isList = base.isList
            return Operand(extract: { event in
                guard let v = extract(event) else { return nil }
                switch v {
                case .bytes(let b): return .uint(UInt64(b.count))
                case .list(let items): return isList ? .uint(UInt64(items.count)) : nil
                default: return nil
                }
            }, type: .uint64, isList: false, isExistential: false, info: base.info, text: text)
        }
    }
}

/// Base64 decoding with optional padding; nil on invalid input.
enum Base64 {
    static func decode(_ input: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        var seenPadding = false
        for c in input {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - 65)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - 97 + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - 48 + 52)
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            case UInt8(ascii: "="): seenPadding = true; continue
            default: return nil
            }
            if seenPadding { return nil }
            buffer = buffer << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        if bits >= 6 { return nil }
        return out
    }
}

/// Falco's text rendering of values (outputs, join/concat).
enum ValueRendering {
    static func bytes(of value: FieldValue) -> [UInt8] {
        switch value {
        case .bytes(let b): return b
        default: return Array(text(of: value).utf8)
        }
    }

    static func text(of value: FieldValue) -> String {
        switch value {
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        case .int(let v): return String(v)
        case .uint(let v): return String(v)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .bool(let b): return b ? "true" : "false"
        case .ip(let ip): return ip.description
        // List fields print like libsinsp: (a,b).
        case .list(let items): return "(" + items.map(text).joined(separator: ",") + ")"
        }
    }
}
