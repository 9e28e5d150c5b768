#if canImport(Glibc)
import Glibc
#endif
import TradsecCore
import Yams

/// One value of a config file with where it is: the typed reader every section decodes through.
///
/// Each accessor either returns the value in the type the section wants or throws a
/// ``ConfigError`` at the value's file:line:column, naming it by its key path
/// (`gauges.falco.healthz`). Sections never see YAML nodes.
public struct ConfigValue {
    let node: Node
    /// How messages name the value: `gauges.falco.healthz`, `correlation.sequences[1].stages`.
    public let keyPath: String
    /// The file as it was named.
    public let file: String
    /// Where relative paths resolve.
    public let directory: String

    init(node: Node, keyPath: String, file: String, directory: String) {
        self.node = node
        self.keyPath = keyPath
        self.file = file
        self.directory = directory
    }

    init(node: Node, keyPath: String, document: ConfigDocument) {
        self.init(node: node, keyPath: keyPath, file: document.file, directory: document.directory)
    }

    public var location: ConfigLocation {
        ConfigLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    /// `~`, `null` or nothing at all (`gauges:` alone).
    public var isNull: Bool { Self.isNull(node) }

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    // MARK: - Errors

    /// The value cannot work, for `reason`.
    public func invalid(_ reason: String) -> ConfigError { .invalid(location, key: keyPath, reason: reason) }

    /// The value is not `expected`; a secret's text is never quoted back.
    public func wrongType(_ expected: String, secret: Bool = false) -> ConfigError {
        .wrongType(location, key: keyPath, expected: expected, found: secret ? nil : shownText)
    }

    /// What the value looks like in a message: a scalar's text, else its kind.
    var shownText: String {
        switch node {
        case .scalar(let s): return s.string.count > 80 ? String(s.string.prefix(80)) + "…" : s.string
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    // MARK: - Scalars

    /// A scalar's text, which may be empty.
    public func text() throws(ConfigError) -> String {
        guard case .scalar(let s) = node else { throw wrongType("a text value") }
        return s.string
    }

    /// A non-empty scalar.
    public func string() throws(ConfigError) -> String {
        let s = try text()
        guard !s.isEmpty else { throw wrongType("a non-empty text value") }
        return s
    }

    /// One non-empty scalar, or a list of them.
    public func strings() throws(ConfigError) -> [String] {
        if case .scalar = node { return [try string()] }
        var out: [String] = []
        for item in try list() { out.append(try item.string()) }
        return out
    }

    /// `true`/`false` (also `yes`/`no`, `on`/`off`).
    public func bool() throws(ConfigError) -> Bool {
        switch try text().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw wrongType("true or false")
        }
    }

    /// A whole number within `range`.
    public func int(in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let text = try? text(), let v = Int(text), range.contains(v) else {
            throw wrongType(range.upperBound == Int.max ? "a whole number of at least \(range.lowerBound)"
                                                        : "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return v
    }

    /// A whole number above zero.
    public func positiveInt() throws(ConfigError) -> Int {
        guard let text = try? text(), let v = Int(text), v > 0 else { throw wrongType("a positive whole number") }
        return v
    }

    /// Nanoseconds: `500ms`, `30s`, `10m`, `1h30m`, or a bare number of seconds (`2`, `0.5`);
    /// at least `minimum` nanoseconds.
    public func duration(minimum: Int64 = 1) throws(ConfigError) -> Int64 {
        let text = (try? text()) ?? ""
        guard let ns = Self.nanoseconds(text), ns >= minimum else {
            let least = minimum % 1_000_000_000 == 0 ? Duration.describe(nanoseconds: minimum) : "\(minimum / 1_000_000)ms"
            throw wrongType(minimum > 1 ? "a duration of at least \(least) (500ms, 2s, 10m, 1h)" : "a duration (500ms, 30s, 10m, 1h)")
        }
        return ns
    }

    /// ``duration(minimum:)`` in seconds.
    public func seconds(minimum: Double = 1e-9) throws(ConfigError) -> Double {
        let floor = minimum * 1e9
        return Double(try duration(minimum: floor >= 1 && floor < 9e18 ? Int64(floor.rounded(.up)) : 1)) / 1e9
    }

    static func nanoseconds(_ text: String) -> Int64? {
        if let ns = Duration.parse(text) { return ns }
        // Digits and one point only: Double() would also take "inf", "nan" and "0x1p4".
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              text.filter({ $0 == "." }).count <= 1, let seconds = Double(text) else { return nil }
        let ns = seconds * 1e9
        guard ns.isFinite, ns >= 0, ns < 9e18 else { return nil }
        return Int64(ns)
    }

    /// A size in bytes through ``ByteSize`` (`8MiB`, `512KiB`; `MB` is MiB everywhere); a bare
    /// number counts `bare` bytes. At most `maximum`.
    public func size(bare: UInt64, maximum: UInt64 = UInt64(Int.max)) throws(ConfigError) -> UInt64 {
        guard let text = try? text(), let bytes = ByteSize.parse(text, bare: bare), bytes <= maximum else {
            throw wrongType("a size (64KiB, 8MiB, 1GiB)")
        }
        return bytes
    }

    /// A URL with one of `schemes`; a secret URL (a webhook's) is never quoted back.
    public func url(schemes: [String] = ["http", "https"], secret: Bool = false) throws(ConfigError) -> String {
        let text = (try? string()) ?? ""
        let scheme = text.firstIndex(of: ":").map { String(text[..<$0]).lowercased() }
        guard let scheme, schemes.contains(scheme), text.dropFirst(scheme.count).hasPrefix("://"),
              text.count > scheme.count + 3, !text.unicodeScalars.contains(where: TerminalSafe.isUnsafe) else {
            throw wrongType("an " + schemes.map { "\($0)://" }.joined(separator: " or ") + " URL", secret: secret)
        }
        return text
    }

    /// How a relative path is taken.
    public enum PathRule: Sendable {
        /// Relative to the config file's directory; `~/` is the home directory.
        case relativeToFile
        /// Must be absolute (a directory the file's place says nothing about, like `/proc`'s root).
        case absolute
    }

    /// A file system path.
    public func path(_ rule: PathRule = .relativeToFile) throws(ConfigError) -> String {
        let text = (try? string()) ?? ""
        guard !text.isEmpty, !text.contains("\0") else { throw wrongType("a path") }
        if text.hasPrefix("/") { return text }
        switch rule {
        case .absolute:
            throw wrongType("an absolute path")
        case .relativeToFile:
            if text.hasPrefix("~/") { return (Paths.environment("HOME") ?? "/root") + text.dropFirst(1) }
            return (directory == "/" ? "" : directory) + "/" + text
        }
    }

    /// One path or a list of them.
    public func paths(_ rule: PathRule = .relativeToFile) throws(ConfigError) -> [String] {
        if case .scalar = node { return [try path(rule)] }
        var out: [String] = []
        for item in try list() { out.append(try item.path(rule)) }
        return out
    }

    /// One of `names`.
    public func name(in names: [String]) throws(ConfigError) -> String {
        let text = (try? text()) ?? ""
        guard names.contains(text) else {
            let suggestion = KeySuggestion.closest(to: text, in: names).map { "; did you mean '\($0)'?" } ?? ""
            throw .wrongType(location, key: keyPath, expected: "one of " + names.joined(separator: ", ") + suggestion, found: shownText)
        }
        return text
    }

    /// A case of `type` by its name.
    public func name<E: CaseIterable & RawRepresentable>(of type: E.Type) throws(ConfigError) -> E where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        return E(rawValue: try name(in: names))!
    }

    // MARK: - Collections

    /// A list's items (`key[0]`, `key[1]`, …).
    public func list() throws(ConfigError) -> [ConfigValue] {
        guard case .sequence(let items) = node else { throw wrongType("a list") }
        return items.enumerated().map { child($1, keyPath + "[\($0)]") }
    }

    /// A mapping whose keys must be among `known` (`section` names it in messages, by default
    /// its key path). The first unknown key is an error with a close match suggested.
    public func mapping(known: [String], section: String? = nil) throws(ConfigError) -> ConfigMapping {
        let entries = try entries()
        let name = section ?? keyPath
        for entry in entries where !known.contains(entry.key) {
            throw .unknownKey(entry.keyValue.location, key: entry.key, section: name, known: known,
                              suggestion: KeySuggestion.closest(to: entry.key, in: known))
        }
        return ConfigMapping(value: self, entries: entries)
    }

    /// A mapping whose keys are data (role names, header names, actions), in file order.
    public func entries() throws(ConfigError) -> [ConfigMapping.Entry] {
        guard case .mapping(let mapping) = node else { throw wrongType("a mapping") }
        var out: [ConfigMapping.Entry] = []
        for (keyNode, valueNode) in mapping {
            let keyValue = child(keyNode, keyPath)
            guard case .scalar(let scalar) = keyNode else { throw keyValue.wrongType("a key name") }
            let key = scalar.string
            out.append(ConfigMapping.Entry(key: key, keyValue: keyValue, value: child(valueNode, keyPath.isEmpty ? key : keyPath + "." + key)))
        }
        return out
    }

    func child(_ node: Node, _ keyPath: String) -> ConfigValue {
        ConfigValue(node: node, keyPath: keyPath, file: file, directory: directory)
    }
}

/// A mapping's entries in file order, looked up by key.
public struct ConfigMapping: Sequence {
    public struct Entry {
        public let key: String
        /// The key itself (its position, for messages about it).
        public let keyValue: ConfigValue
        public let value: ConfigValue
    }

    /// The mapping as a whole (its position).
    public let value: ConfigValue
    public let entries: [Entry]

    public subscript(key: String) -> ConfigValue? { entries.first { $0.key == key }?.value }

    /// The value of `key`, which the mapping must have.
    public func require(_ key: String, section: String? = nil) throws(ConfigError) -> ConfigValue {
        guard let found = self[key] else { throw .missingKey(value.location, key: key, section: section ?? value.keyPath) }
        return found
    }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }
}
