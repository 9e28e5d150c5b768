#if canImport(Glibc)
import Glibc
#endif
import TradsecCore
import Yams

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
public enum ThemeLoader {
    public struct ThemeError: Error, CustomStringConvertible {
        public var description: String
    }

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

    /// The theme called `name` (or at path `name` when it ends in `.yaml`); `default` always exists.
    public static func load(_ name: String, searchPath: [String] = searchPath()) throws -> Theme {
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            return try parse(try readFile(name), fallbackName: name)
        }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ThemeError(description: "theme name '\(name)' may only hold letters, digits, '-' and '_'")
        }
        for dir in searchPath {
            let path = dir + "/" + name + ".yaml"
            if access(path, R_OK) == 0 { return try parse(try readFile(path), fallbackName: name) }
        }
        if name == "default" { return .builtIn }
        if name == "monochrome" { var t = Theme.builtIn; t.name = "monochrome"; t.attributesOnly = true; return t }
        throw ThemeError(description: "no theme '\(name)' (looked in \(searchPath.prefix(3).joined(separator: ", ")) …)")
    }

    /// Names of the themes found on the search path.
    public static func available(searchPath: [String] = searchPath()) -> [String] {
        var names = Set(["default", "monochrome"])
        for dir in searchPath {
            guard let d = opendir(dir) else { continue }
            defer { closedir(d) }
            while let entry = readdir(d) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
                if name.hasSuffix(".yaml") { names.insert(String(name.dropLast(5))) }
            }
        }
        return names.sorted()
    }

    public static func parse(_ yaml: String, fallbackName: String) throws -> Theme {
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch { throw ThemeError(description: "theme \(fallbackName): \(error)") }
        guard let map = node?.mapping else { throw ThemeError(description: "theme \(fallbackName): expected a mapping") }
        var theme = Theme.builtIn
        theme.name = map["name"]?.string ?? fallbackName
        theme.attributesOnly = map["attributes-only"]?.bool ?? false
        guard let roles = map["roles"]?.mapping else { return theme }
        for (key, value) in roles {
            guard let roleName = key.string else { continue }
            guard let role = StyleRole.allCases.first(where: { $0.themeKey == roleName }) else {
                throw ThemeError(description: "theme \(fallbackName): unknown role '\(roleName)' (line \((key.mark?.line).map(String.init) ?? "?"))")
            }
            guard let spec = value.mapping else { throw ThemeError(description: "theme \(fallbackName): role \(roleName) must be a mapping") }
            var style = Style()
            if let fg = spec["fg"]?.string {
                guard let color = Color(fg) else { throw ThemeError(description: "theme \(fallbackName): \(roleName).fg '\(fg)' is not a colour") }
                style.foreground = color
            }
            if let bg = spec["bg"]?.string {
                guard let color = Color(bg) else { throw ThemeError(description: "theme \(fallbackName): \(roleName).bg '\(bg)' is not a colour") }
                style.background = color
            }
            style.bold = spec["bold"]?.bool ?? false
            style.dim = spec["dim"]?.bool ?? false
            style.reverse = spec["reverse"]?.bool ?? false
            style.underline = spec["underline"]?.bool ?? false
            theme.styles[role] = style
        }
        return theme
    }

    static func readFile(_ path: String) throws -> String {
        do { return try TextFile.read(path, limit: 1_000_000) } catch { throw ThemeError(description: error.description) }
    }
}
