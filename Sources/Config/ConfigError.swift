import TradsecCore

/// Where a setting is: the file as it was named, and the 1-based line and column of the
/// node (0 when there is no node, e.g. a file that cannot be read, or a command-line flag).
public struct ConfigLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line`, as every config message starts (the column is kept for callers that
    /// point at it), or the file alone without a position.
    public var description: String {
        let name = TerminalSafe.escape(file)
        return line > 0 ? "\(name):\(line)" : name
    }
}

/// Every mistake a config file (or a theme file) can hold, each with where it is.
///
/// One type for every section, so a command reports a bad key in `gauges:` exactly as one in
/// `serve:`, and a caller can choose which sections' errors stop it (``DecodedConfig``).
/// Text from the file (keys, values) is escaped for the terminal; secrets are never quoted.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be read, is too large, or was named and is not there.
    case unreadable(ConfigLocation, reason: String)
    /// Not YAML (the parser's own message), or a duplicate key.
    case syntax(ConfigLocation, reason: String)
    /// Aliases standing for more nodes than ``YAMLAliasBudget/maxAliasedNodes`` ("billion laughs").
    case aliasBomb(ConfigLocation, limit: Int)
    /// A key the section does not have; `section` is empty at the top level.
    case unknownKey(ConfigLocation, key: String, section: String, known: [String], suggestion: String?)
    /// A required key is absent from the mapping at `location`.
    case missingKey(ConfigLocation, key: String, section: String)
    /// A value of the wrong kind: `key` must be `expected`; `found` is nil for a secret.
    case wrongType(ConfigLocation, key: String, expected: String, found: String?)
    /// A value of the right kind that cannot work (`reason` says why).
    case invalid(ConfigLocation, key: String, reason: String)

    public var location: ConfigLocation {
        switch self {
        case .unreadable(let l, _), .syntax(let l, _), .aliasBomb(let l, _), .unknownKey(let l, _, _, _, _),
             .missingKey(let l, _, _), .wrongType(let l, _, _, _), .invalid(let l, _, _):
            return l
        }
    }

    /// The message without the location, escaped for the terminal (keys and values come
    /// from the file).
    public var message: String { TerminalSafe.escape(text) }

    private var text: String {
        switch self {
        case .unreadable(_, let reason):
            return reason
        case .syntax(_, let reason):
            return "not valid YAML: \(reason)"
        case .aliasBomb(_, let limit):
            return "YAML aliases stand for more than \(limit) nodes"
        case .unknownKey(_, let key, let section, let known, let suggestion):
            let place = section.isEmpty ? "at the top level" : "in \(section)"
            var text = "unknown key '\(key)' \(place)"
            if let suggestion { text += "; did you mean '\(suggestion)'?" }
            return text + " (known: \(known.joined(separator: ", ")))"
        case .missingKey(_, let key, let section):
            return "\(section) needs \(key)"
        case .wrongType(_, let key, let expected, let found):
            let shown = found.map { ", not '\($0)'" } ?? ""
            return "\(key) must be \(expected)\(shown)"
        case .invalid(_, let key, let reason):
            return key.isEmpty ? reason : "\(key): \(reason)"
        }
    }

    /// `file:line: message`.
    public var description: String { "\(location): \(message)" }
}
