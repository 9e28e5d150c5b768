#if canImport(Glibc)
import Glibc
#endif
import CSensor
import TradsecCore

/// The checks made before anything is loaded, so a sensor that cannot start says exactly why
/// instead of passing on an errno from deep inside libbpf.
public enum Preflight {
    public static let btfPath = "/sys/kernel/btf/vmlinux"
    public static let objectName = "tradsec-sensor.bpf.o"

    /// Every check, in the order a user fixes them; returns the BPF object's path.
    public static func check(objectPath: String? = nil) throws(SensorError) -> String {
        let machine = Self.machine()
        guard machine == "x86_64" else { throw .unsupportedArchitecture(machine) }
        guard hasPrivileges() else { throw .notPrivileged(euid: geteuid()) }
        guard access(btfPath, R_OK) == 0 else { throw .noBTF(path: btfPath) }
        if let mode = lockdownMode(), mode == "confidentiality" { throw .lockedDown(mode: mode) }
        var error = [CChar](repeating: 0, count: 512)
        guard tsr_libbpf_load(&error, error.count) == 0 else { throw .libbpfMissing(reason: cText(error)) }
        if let objectPath {
            guard access(objectPath, R_OK) == 0 else { throw .objectMissing(searched: [objectPath]) }
            return objectPath
        }
        let candidates = objectCandidates()
        guard let found = candidates.first(where: { access($0, R_OK) == 0 }) else { throw .objectMissing(searched: candidates) }
        return found
    }

    static func machine() -> String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: &names.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// Root, or the capabilities that let a process load tracing programs (CAP_SYS_ADMIN, or
    /// CAP_BPF with CAP_PERFMON).
    static func hasPrivileges() -> Bool {
        if geteuid() == 0 { return true }
        guard let status = try? TextFile.read("/proc/self/status", limit: 1 << 16),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let caps = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: " \t"), radix: 16) else { return false }
        let sysAdmin: UInt64 = 1 << 21, perfmon: UInt64 = 1 << 38, bpf: UInt64 = 1 << 39
        return caps & sysAdmin != 0 || (caps & bpf != 0 && caps & perfmon != 0)
    }

    /// The bracketed mode of /sys/kernel/security/lockdown (nil: no lockdown support).
    static func lockdownMode() -> String? {
        guard let text = try? TextFile.read("/sys/kernel/security/lockdown", limit: 256),
              let open = text.firstIndex(of: "["), let close = text[open...].firstIndex(of: "]") else { return nil }
        return String(text[text.index(after: open)..<close])
    }

    /// Where the object may be: `$TRADSEC_SENSOR_OBJECT` alone when set; else beside the executable, the build tree
    /// (`.build/bpf`, two levels above `.build/<triple>/<configuration>/`), `<prefix>/lib/tradsec`.
    static func objectCandidates() -> [String] {
        // Named explicitly, it is the only one: a typo must not fall back to another build.
        if let explicit = Paths.environment("TRADSEC_SENSOR_OBJECT") { return [explicit] }
        let exe = executableDirectory()
        return [exe + "/" + objectName, exe + "/../../bpf/" + objectName, exe + "/../lib/tradsec/" + objectName,
                "/usr/local/lib/tradsec/" + objectName, "/usr/lib/tradsec/" + objectName]
    }

    static func executableDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return "." }
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
