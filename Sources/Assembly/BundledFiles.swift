#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TradsecCore

/// Finds the files tradsec ships beside its binary (the trading rule pack, themes) whether it
/// runs from a build folder (`.build/debug/tradsec`) or an installation (`/usr/local/bin`).
public enum BundledFiles {
    /// The directory holding the running executable.
    public static var executableDirectory: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return "." }
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }

    /// `rules/NAME`: `$TRADSEC_RULES_DIR`, the source tree above a build folder,
    /// `<prefix>/share/tradsec/rules`, then `/etc/tradsec/rules`.
    public static func rulesFile(_ name: String) -> String? {
        var candidates: [String] = []
        if let dir = Paths.environment("TRADSEC_RULES_DIR") { candidates.append(dir) }
        let exe = executableDirectory
        candidates += [exe + "/../../rules", exe + "/../../../rules", exe + "/../share/tradsec/rules", "/etc/tradsec/rules"]
        return candidates.map { $0 + "/" + name }.first { access($0, R_OK) == 0 }
    }

    /// The trading rule pack, or a clear error naming the ways to point at it.
    public static func tradingRulePack() throws(AssemblyError) -> String {
        guard let pack = rulesFile("trading_rules.yaml") else {
            throw .noInput("cannot find the trading rule pack (rules/trading_rules.yaml); set TRADSEC_RULES_DIR or pass --rules")
        }
        return pack
    }
}
