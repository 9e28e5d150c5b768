/// Why the host sensor cannot start, each with what to do about it. The console and `serve`
/// keep running on their other sources when the sensor fails; `tradsec sense` exits 69.
public enum SensorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Loading BPF programs needs root (or CAP_BPF with CAP_PERFMON).
    case notPrivileged(euid: UInt32)
    /// The kernel publishes no BTF: CO-RE programs cannot be relocated for it.
    case noBTF(path: String)
    /// Kernel lockdown (confidentiality) forbids BPF reading kernel memory.
    case lockedDown(mode: String)
    /// The syscall layout is only known for x86_64.
    case unsupportedArchitecture(String)
    /// libbpf's shared library is not installed (or too old).
    case libbpfMissing(reason: String)
    /// The BPF object was not built (`make`) or not installed beside the binary.
    case objectMissing(searched: [String])
    /// The kernel refused the programs or a map (the verifier's last words included).
    case loadFailed(reason: String)
    /// A program could not be attached to its tracepoint.
    case attachFailed(reason: String)
    /// No rule the engine loaded can be fed by the sensor.
    case nothingToWatch(reason: String)
    /// `sensor:` settings that cannot be used.
    case badConfiguration(String)

    public static let packages = "libbpf-dev libelf-dev bpftool"

    public var description: String {
        switch self {
        case .notPrivileged(let euid):
            return "the host sensor loads eBPF programs, which needs root (or CAP_BPF and CAP_PERFMON); running as uid \(euid)"
        case .noBTF(let path):
            return "this kernel exposes no BTF type information (\(path) is missing): the sensor needs a kernel built with CONFIG_DEBUG_INFO_BTF=y (5.17 or later)"
        case .lockedDown(let mode):
            return "the kernel is locked down (\(mode)): lockdown forbids eBPF programs reading kernel memory; boot without lockdown=confidentiality to use the sensor"
        case .unsupportedArchitecture(let arch):
            return "the host sensor supports x86_64 only (this machine is \(arch))"
        case .libbpfMissing(let reason):
            return "libbpf is not available (\(reason)); install it with: sudo apt-get install -y \(Self.packages), then run make"
        case .objectMissing(let searched):
            return "the sensor's BPF object (tradsec-sensor.bpf.o) was not built; install the tools with: sudo apt-get install -y \(Self.packages), then run make (looked in: \(searched.joined(separator: ", ")); TRADSEC_SENSOR_OBJECT names another file)"
        case .loadFailed(let reason):
            return "the kernel refused the sensor's BPF programs: \(reason)"
        case .attachFailed(let reason):
            return "cannot attach the sensor to the kernel's tracepoints: \(reason)"
        case .nothingToWatch(let reason):
            return "nothing for the sensor to watch: \(reason)"
        case .badConfiguration(let message):
            return message
        }
    }
}

/// The text of a NUL-terminated C buffer the loader filled.
func cText(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
