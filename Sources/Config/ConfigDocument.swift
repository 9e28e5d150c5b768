#if canImport(Glibc)
import Glibc
#endif
import TradsecCore
import Yams

/// One config (or theme) file, read once and composed into YAML nodes.
///
/// The text is read with a size limit, its aliases measured before Yams composes it (an alias
/// bomb is refused, not expanded), and libyaml's nesting limit refuses a nesting bomb as a
/// syntax error. Every section reads from the same composed document.
public struct ConfigDocument {
    /// The file as it was named (messages say it so).
    public let file: String
    /// Relative paths in the file are relative to this directory.
    public let directory: String
    /// False when the file does not exist (and was not required): an empty config.
    public let exists: Bool
    let root: Node?

    /// Larger than this, a config or theme file is a mistake, not a config.
    public static let maxBytes = 1 << 20

    /// How a file's text is obtained: the disk, or a test's stand-in that counts reads.
    public struct Reader: Sendable {
        /// The text, or nil when there is no such file.
        public var read: @Sendable (_ path: String, _ limit: Int) throws(ConfigError) -> String?
        public init(read: @escaping @Sendable (_ path: String, _ limit: Int) throws(ConfigError) -> String?) { self.read = read }

        public static let disk = Reader { path, limit throws(ConfigError) in
            guard access(path, F_OK) == 0 else { return nil }
            do { return try TextFile.read(path, limit: limit) } catch {
                // The location names the file already.
                let text = "\(error)", opening = "cannot read \(path): "
                let reason = text.hasPrefix(opening) ? "cannot read it: " + text.dropFirst(opening.count)
                    : text.hasPrefix(path + " ") ? String(text.dropFirst(path.count + 1)) : text
                throw .unreadable(ConfigLocation(file: path), reason: reason)
            }
        }
    }

    /// Reads and composes `path`. A missing file is an empty document, or an error when
    /// `required` (a file the operator named).
    public static func read(path: String, required: Bool, reader: Reader = .disk) throws(ConfigError) -> ConfigDocument {
        guard let text = try reader.read(path, maxBytes) else {
            if required { throw .unreadable(ConfigLocation(file: path), reason: "no such file") }
            return ConfigDocument(file: path, directory: directory(of: path), exists: false, root: nil)
        }
        return try parse(text, file: path)
    }

    /// Composes `text` as the content of `file` (relative paths resolve against `directory`,
    /// by default the file's own).
    public static func parse(_ text: String, file: String, directory: String? = nil) throws(ConfigError) -> ConfigDocument {
        if let exceeded = YAMLAliasBudget.check(text) {
            throw .aliasBomb(ConfigLocation(file: file, line: exceeded.line, column: exceeded.column), limit: YAMLAliasBudget.maxAliasedNodes)
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw syntaxError(error, file: file) }
        return ConfigDocument(file: file, directory: directory ?? Self.directory(of: file), exists: true, root: root)
    }

    /// The whole document as a value (nil for an empty file).
    public var value: ConfigValue? {
        guard let root, !ConfigValue.isNull(root) else { return nil }
        return ConfigValue(node: root, keyPath: "", document: self)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The parser's problem on one line, at its own position.
    static func syntaxError(_ error: Error, file: String) -> ConfigError {
        var location = ConfigLocation(file: file)
        var problem = "\(error)"
        if let yamlError = error as? YamlError {
            switch yamlError {
            case .scanner(let context, let p, let mark, _), .parser(let context, let p, let mark, _), .composer(let context, let p, let mark, _):
                problem = p + (context.map { " (\($0.text))" } ?? "")
                location.line = mark.line
                location.column = mark.column
            case .reader(let p, let offset, _, _):
                problem = p + (offset.map { " at byte \($0)" } ?? "")
            case .duplicatedKeysInMapping(let duplicates, let context):
                problem = "a key given twice: \(duplicates.joined(separator: ", "))"
                location.line = context.mark.line
                location.column = context.mark.column
            default: break
            }
        }
        return .syntax(location, reason: problem.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " "))
    }
}
