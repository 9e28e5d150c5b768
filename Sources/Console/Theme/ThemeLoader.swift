#if canImport(Glibc)
import Glibc
#endif
import Config
import TradsecCore

/// Finds and reads `themes/NAME.yaml`.
///
/// A theme file:
/// ```yaml
/// name: solarized-dark
/// attributes-only: false        # true: ignore colours (monochrome)
/// roles:
///   critical: { fg: "#dc322f", bold: true }
///   selection: { fg: bright-white, bg: 25 }
/// ```
/// Roles left out keep the built-in default's style.
/// Theme files are read like config.yaml (``ConfigDocument``, ``ConfigValue``): the same size
/// limit, the same errors at file:line:column, unknown keys refused the same way.
public enum ThemeLoader {
    /// Where theme files are looked for, in order: `$TRADSEC_THEMES`, the config directory's
    /// `themes/`, a `themes/` folder beside or above the executable (a source checkout),
    /// and the system-wide share directories.
    public static func searchPath() -> [String] {
        var dirs: [String] = []
        if let env = Paths.environment("TRADSEC_THEMES") { dirs.append(env) }
        dirs.append(Paths.configDirectory + "/themes")
        var exe = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &exe, exe.count - 1)
        if n > 0 {
            var dir = String(decoding: exe[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            for _ in 0..<5 {
                guard let slash = dir.lastIndex(of: "/") else { break }
                dir = String(dir[..<slash])
                dirs.append(dir + "/themes")
                dirs.append(dir + "/share/tradsec/themes")
            }
        }
        dirs += ["/usr/local/share/tradsec/themes", "/usr/share/tradsec/themes"]
        return dirs
    }

    /// The theme called `name` (or at path `name` when it ends in `.yaml`); `default` always
    /// exists. `origin` is where the name was given (the config's `theme:`, `--theme`), for
    /// errors about the name itself.
    public static func load(_ name: String, searchPath: [String] = searchPath(),
                            origin: ConfigLocation = ConfigLocation(file: "theme")) throws(ConfigError) -> Theme {
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            return try read(name, fallbackName: name)
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw .invalid(origin, key: "", reason: "theme name '\(name)' may only hold letters, digits, '-' and '_'")
        }
        for dir in searchPath {
            let path = dir + "/" + name + ".yaml"
            if access(path, R_OK) == 0 { return try read(path, fallbackName: name) }
        }
        if name == "default" { return .builtIn }
        if name == "monochrome" { var t = Theme.builtIn; t.name = "monochrome"; t.attributesOnly = true; return t }
        let known = available(searchPath: searchPath)
        let close = KeySuggestion.closest(to: name, in: known).map { "; did you mean '\($0)'?" } ?? ""
        throw .invalid(origin, key: "", reason: "no theme '\(name)'\(close) (themes: \(known.joined(separator: ", ")); looked in \(searchPath.prefix(3).joined(separator: ", ")) …)")
    }

    /// Names of the themes found on the search path.
    public static func available(searchPath: [String] = searchPath()) -> [String] {
        var names = Set(["default", "monochrome"])
        for dir in searchPath {
            for name in DirectoryEntries.names(in: dir) ?? [] where name.hasSuffix(".yaml") {
                names.insert(String(name.dropLast(5)))
            }
        }
        return names.sorted()
    }

    static func read(_ path: String, fallbackName: String) throws(ConfigError) -> Theme {
        try decode(ConfigDocument.read(path: path, required: true), fallbackName: fallbackName)
    }

    /// A theme file's text (`file` names it in errors).
    public static func parse(_ yaml: String, file: String, fallbackName: String) throws(ConfigError) -> Theme {
        try decode(ConfigDocument.parse(yaml, file: file), fallbackName: fallbackName)
    }

    static let styleKeys = ["fg", "bg", "bold", "dim", "reverse", "underline"]

    static func decode(_ document: ConfigDocument, fallbackName: String) throws(ConfigError) -> Theme {
        guard let value = document.value else {
            throw .invalid(ConfigLocation(file: document.file), key: "", reason: "an empty theme file (name:, attributes-only:, roles:)")
        }
        let m = try value.mapping(known: ["name", "attributes-only", "roles"], section: "the theme")
        var theme = Theme.builtIn
        theme.name = try m["name"]?.string() ?? fallbackName
        theme.attributesOnly = try m["attributes-only"]?.bool() ?? false
        guard let rolesValue = m["roles"] else { return theme }
        for entry in try rolesValue.mapping(known: StyleRole.allCases.map(\.themeKey)) {
            let role = StyleRole.allCases.first { $0.themeKey == entry.key }!
            let spec = try entry.value.mapping(known: styleKeys)
            var style = Style()
            if let v = spec["fg"] { style.foreground = try color(v) }
            if let v = spec["bg"] { style.background = try color(v) }
            style.bold = try spec["bold"]?.bool() ?? false
            style.dim = try spec["dim"]?.bool() ?? false
            style.reverse = try spec["reverse"]?.bool() ?? false
            style.underline = try spec["underline"]?.bool() ?? false
            theme.styles[role] = style
        }
        return theme
    }

    static func color(_ value: ConfigValue) throws(ConfigError) -> Color {
        guard let color = Color((try? value.text()) ?? "") else {
            throw value.wrongType("a colour (default, red, bright-red, 0 to 255, #rrggbb)")
        }
        return color
    }
}
