import Config

/// `keys:`: action → a key or a list of keys; replaces that action's default keys.
///
/// ```yaml
/// keys:
///   quit: [q, ctrl-q]
///   containers: C
/// ```
extension KeyMap: ConfigSection {
    public static let key = "keys"

    public init(config value: ConfigValue) throws(ConfigError) {
        self.init()
        let actions = Action.allCases.map(\.rawValue)
        let bindings = try value.mapping(known: actions)
        for entry in bindings {
            let action = Action(rawValue: entry.key)!
            var keys: [Key] = []
            for name in try entry.value.strings() {
                guard let key = Key(name: name) else {
                    throw entry.value.wrongType("key names (q, ctrl-q, enter, pgdn, f1, space…)")
                }
                keys.append(key)
            }
            bind(action, to: keys)
        }
    }
}

/// `theme:`: the colour theme's name (or a `.yaml` path, relative to the config file), kept
/// with where it was written so a theme that cannot load is reported there.
public struct ThemeSetting: ConfigSection, Equatable {
    public static let key = "theme"
    public var name: String?
    public var location: ConfigLocation?

    public init() {}

    public init(config value: ConfigValue) throws(ConfigError) {
        let text = try value.string()
        name = text.hasSuffix(".yaml") || text.hasSuffix(".yml") ? try value.path() : text
        location = value.location
    }
}
