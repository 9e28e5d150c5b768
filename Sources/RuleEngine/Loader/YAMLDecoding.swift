import Yams

/// Decoding of rules-file YAML values with yaml-cpp's leniency and Falco's messages (spec 1.4).
/// `context` is the location chain of the item being read; errors extend it.
struct YAMLContext {
    var chain: [LoadLocation]

    func adding(_ type: String, _ name: String, _ map: YAMLMap) -> YAMLContext { adding(type, name, map.node) }

    func adding(_ type: String, _ name: String, _ node: Node?) -> YAMLContext {
        var c = self
        c.chain.append(LoadLocation(itemType: type, itemName: name, file: chain.first?.file ?? "",
                                    line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0))
        return c
    }

    func error(_ code: String, _ message: String) -> LoadFailure {
        LoadFailure(message: LoadMessage(code: code, message: message, locations: chain))
    }

    func warning(_ code: String, _ message: String) -> LoadMessage {
        LoadMessage(code: code, message: message, locations: chain)
    }

    func validate(_ message: String) -> LoadFailure { error("LOAD_ERR_YAML_VALIDATE", message) }
}

/// A YAML mapping with its scalar keys indexed once (Yams' `Node[key]` builds and resolves
/// a node per lookup, which dominated load time).
struct YAMLMap {
    let node: Node
    private var values: [String: Node] = [:]
    private(set) var keys: [String] = []

    init(_ node: Node) {
        self.node = node
        if case .mapping(let m) = node {
            for (k, v) in m {
                guard case .scalar(let s) = k else { continue }
                if values[s.string] == nil { keys.append(s.string) }
                values[s.string] = v
            }
        }
    }

    subscript(key: String) -> Node? { values[key] }
}

enum YAMLValues {
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node else { return false }
        guard s.style == .plain || s.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    static func scalarText(_ node: Node) -> String? {
        if case .scalar(let s) = node { return s.string }
        return nil
    }

    /// A present, non-null scalar string value; `required` gives Falco's missing-key messages.
    static func string(_ item: YAMLMap, _ key: String, required: Bool, nonEmpty: Bool = false,
                       _ ctx: YAMLContext) throws(LoadFailure) -> String? {
        guard let value = item[key] else {
            if required { throw ctx.validate("Item has no mapping for key '\(key)'") }
            return nil
        }
        let vctx = ctx.adding("value for", key, value)
        if isNull(value) {
            if required { throw vctx.validate("Mapping for key '\(key)' is empty") }
            return nil
        }
        guard let text = scalarText(value) else { throw vctx.validate("Value is not a scalar value") }
        if nonEmpty && text.isEmpty { throw vctx.validate("Value must be non-empty") }
        return text
    }

    /// yaml-cpp booleans: true/false, yes/no, on/off, y/n in lower, upper or capitalised form.
    static func bool(_ item: YAMLMap, _ key: String, _ ctx: YAMLContext) throws(LoadFailure) -> Bool? {
        guard let value = item[key], !isNull(value) else { return nil }
        let vctx = ctx.adding("value for", key, value)
        guard let text = scalarText(value) else { throw vctx.validate("Value is not a scalar value") }
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N": return false
        default: throw vctx.validate("Can't decode YAML scalar value")
        }
    }

    static func uint32(_ item: YAMLMap, _ key: String, _ ctx: YAMLContext) throws(LoadFailure) -> UInt32? {
        guard let value = item[key], !isNull(value) else { return nil }
        let vctx = ctx.adding("value for", key, value)
        guard let text = scalarText(value), let v = UInt32(text) else { throw vctx.validate("Can't decode YAML scalar value") }
        return v
    }

    /// A sequence of scalars (`items`, `tags`); null means absent.
    static func scalarSequence(_ item: YAMLMap, _ key: String, required: Bool, _ ctx: YAMLContext) throws(LoadFailure) -> [String]? {
        guard let value = item[key] else {
            if required { throw ctx.validate("Item has no mapping for key '\(key)'") }
            return nil
        }
        let vctx = ctx.adding("value for", key, value)
        if isNull(value) {
            if required { throw vctx.validate("Mapping for key '\(key)' is empty") }
            return nil
        }
        guard case .sequence(let seq) = value else { throw vctx.validate("Value is not a sequence") }
        var out: [String] = []
        for element in seq {
            guard let text = scalarText(element) else { throw vctx.validate("sequence value is not scalar") }
            out.append(text)
        }
        return out
    }

    static func keys(of item: YAMLMap) -> [String] { item.keys }
}
