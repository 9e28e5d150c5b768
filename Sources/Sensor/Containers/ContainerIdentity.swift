/// Which container a process runs in, read from the name of its cgroup: Falco's `container.id`
/// (the first 12 hex digits of the engine's id, or `host`) and `container.type`.
public struct ContainerIdentity: Sendable, Hashable {
    /// 12 hex digits, or "host".
    public let id: String
    /// The engine's full id (64 hex digits), empty on the host.
    public let fullID: String
    /// "docker", "podman", "containerd", "cri-o", or "host".
    public let type: String

    public static let host = ContainerIdentity(id: "host", fullID: "", type: "host")

    public var isHost: Bool { fullID.isEmpty }

    /// The container named by a cgroup path's components, the leaf first (the kernel side sends
    /// the last four; /proc/PID/cgroup gives them all). Layouts: Docker (`docker-<id>.scope`,
    /// or `/docker/<id>`), podman (`libpod-<id>.scope`, or `/libpod_parent/libpod-<id>` with the
    /// cgroupfs manager, possibly with a `container` child), containerd and CRI-O under
    /// Kubernetes (`cri-containerd-<id>.scope`, `crio-<id>.scope`, `/kubepods/.../<id>`).
    public static func from(cgroupComponents leafFirst: [Substring]) -> ContainerIdentity {
        for (depth, component) in leafFirst.enumerated() {
            var name = component
            if name.hasSuffix(".scope") { name = name.dropLast(6) }
            var type: String?
            for (prefix, engine) in prefixes where name.hasPrefix(prefix) {
                name = name.dropFirst(prefix.count)
                type = engine
                break
            }
            guard name.utf8.count == 64, name.utf8.allSatisfy(isLowerHex) else { continue }
            if type == nil {
                let above = leafFirst.dropFirst(depth + 1)
                if above.contains(where: { $0.contains("kubepods") }) { type = "containerd" }
                else if above.contains(where: { $0.contains("libpod") }) { type = "podman" }
                else { type = "docker" }
            }
            let full = String(name)
            return ContainerIdentity(id: String(full.prefix(12)), fullID: full, type: type ?? "docker")
        }
        return .host
    }

    /// The container of a root-first cgroup path (`/libpod_parent/libpod-<id>`).
    public static func from(cgroupPath path: String) -> ContainerIdentity {
        from(cgroupComponents: path.split(separator: "/").reversed())
    }

    private static let prefixes: [(String, String)] = [
        ("docker-", "docker"), ("libpod-", "podman"), ("cri-containerd-", "containerd"), ("crio-", "cri-o"),
        ("containerd-", "containerd"),
    ]

    private static func isLowerHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) }
}
