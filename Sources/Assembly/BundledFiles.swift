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
    /// The running executable's path ("" when /proc cannot tell).
    public static var executablePath: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return String(decoding: buffer[0..<max(n, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The directory holding the running executable.
    public static var executableDirectory: String {
        let path = executablePath
        guard !path.isEmpty else { return "." }
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }

    /// `bench/NAME` of the source tree above a build folder (benchmark helpers are not installed).
    public static func benchFile(_ name: String) -> String? {
        let exe = executableDirectory
        return [exe + "/../../bench", exe + "/../../../bench"].map { $0 + "/" + name }.first { access($0, R_OK) == 0 }
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
