#if canImport(Glibc)
import Glibc
#endif
import TradsecCore
import Yams

/// `$XDG_CONFIG_HOME/tradsec/config.yaml`: the console's defaults. Flags win over it.
///
/// ```yaml
/// theme: solarized-dark
/// sources:
///   - falco-file=/var/log/falco/events.json
/// keys:                 # action: key or [keys]; replaces that action's default keys
///   quit: [q, ctrl-q]
///   containers: C
/// ```
public struct ConsoleConfig: Equatable, Sendable {
    public var theme: String?
    public var sources: [String] = []
    public var keyMap = KeyMap()
    public var path: String?

    public init() {}

    public struct ConfigError: Error, CustomStringConvertible { public var description: String }

    /// Top-level sections of the same file that other components own (incident actions, gauges,
    /// the processor and its notifications); each validates its own section.
    public static let otherSections: Set<String> = ["actions", "gauges", "serve", "enrichment", "correlation", "notifications", "response", "sensor"]

    public static var defaultPath: String { Paths.configDirectory + "/config.yaml" }

    /// The config at `path`; an absent file is an empty config.
    public static func load(path: String = defaultPath) throws -> ConsoleConfig {
        guard access(path, F_OK) == 0 else { return ConsoleConfig() }
        var config = try parse(try ThemeLoader.readFile(path), source: path)
        config.path = path
        return config
    }

    public static func parse(_ yaml: String, source: String) throws -> ConsoleConfig {
        var config = ConsoleConfig()
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch { throw ConfigError(description: "\(source): \(error)") }
        guard let node else { return config }
        guard let map = node.mapping else { throw ConfigError(description: "\(source): expected a mapping at the top") }
        for (key, value) in map {
            let line = key.mark.map { ":\($0.line)" } ?? ""
            switch key.string {
            case "theme":
                config.theme = value.string
            case "sources":
                guard let items = value.sequence else { throw ConfigError(description: "\(source)\(line): sources must be a list") }
                config.sources = items.compactMap(\.string)
            case "keys":
                guard let keys = value.mapping else { throw ConfigError(description: "\(source)\(line): keys must be a mapping") }
                for (actionNode, keyNode) in keys {
                    guard let name = actionNode.string, let action = Action(rawValue: name) else {
                        throw ConfigError(description: "\(source)\(actionNode.mark.map { ":\($0.line)" } ?? ""): unknown action '\(actionNode.string ?? "?")'; actions: \(Action.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    let names = keyNode.sequence?.compactMap(\.string) ?? [keyNode.string].compactMap { $0 }
                    var parsed: [Key] = []
                    for n in names {
                        guard let k = Key(name: n) else { throw ConfigError(description: "\(source): '\(n)' is not a key name (q, ctrl-q, enter, pgdn, f1, space…)") }
                        parsed.append(k)
                    }
                    config.keyMap.bind(action, to: parsed)
                }
            case let name? where ConsoleConfig.otherSections.contains(name):
                continue   // read and checked by the component that owns it
            default:
                throw ConfigError(description: "\(source)\(line): unknown setting '\(key.string ?? "?")' (theme, sources, keys, \(ConsoleConfig.otherSections.sorted().joined(separator: ", ")))")
            }
        }
        return config
    }
}
