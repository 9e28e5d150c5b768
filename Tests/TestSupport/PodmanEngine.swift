#if canImport(Glibc)
import Glibc
#endif
import CurlClient
import TradsecCore

/// A real Docker-compatible engine for the suite: podman's API service on a private socket,
/// with all of podman's state under one temporary BASE directory (recipe:
/// shared/notes/real-components.md §1a). One per suite (start-up and teardown take seconds);
/// each test makes its own containers and networks with unique names.
public final class PodmanEngine: @unchecked Sendable {
    public static let installLine = "apt-get install -y podman runc busybox-static"
    /// The busybox image every engine imports.
    public static let image = "localhost/bbox:latest"

    public let base: String
    public let socket: String
    public let environment: [String]
    private var service: ChildProcess?

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public init() throws {
        for tool in ["/usr/bin/podman", "/usr/sbin/runc", "/usr/bin/busybox", "/usr/bin/nc", "/bin/tar"] where access(tool, X_OK) != 0 {
            if tool == "/usr/bin/nc" { continue }   // nc runs inside the container (busybox), not on the host
            throw Failure(description: "\(tool) is missing: the isolation tests need a real container engine; run: \(Self.installLine)")
        }
        guard geteuid() == 0 else {
            throw Failure(description: "the engine tests run rootful podman (bridge networks, netavark): run them as root")
        }
        base = makeTemporaryDirectory(prefix: "tradsec-podman")
        socket = base + "/podman.sock"
        environment = ["PATH=/usr/bin:/bin:/usr/sbin:/sbin", "HOME=" + base, "LANG=C.UTF-8",
                       "CONTAINERS_CONF=\(base)/containers.conf", "CONTAINERS_STORAGE_CONF=\(base)/storage.conf"]
        writeFile(base + "/containers.conf", """
            [containers]
            default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
            [engine]
            runtime = "runc"
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            # Locks in a file under tmp_dir, not podman's one shared-memory segment (/libpod_lock):
            # every suite's engine is started at once with a state of its own, and two first
            # podman calls racing to create that segment fail with "file exists".
            lock_type = "file"
            tmp_dir = "\(base)/libpod-tmp"
            volume_path = "\(base)/storage/volumes"
            [network]
            network_backend = "netavark"
            network_config_dir = "\(base)/netconf"

            """)
        writeFile(base + "/storage.conf", """
            [storage]
            driver = "overlay"
            graphroot = "\(base)/storage"
            runroot = "\(base)/run"

            """)
        do {
            try importBusybox()
            try startService()
        } catch {
            stop()
            throw error
        }
    }

    /// A busybox image from the host's static busybox: no registry needed.
    private func importBusybox() throws {
        let root = base + "/rootfs"
        mkdir(root, 0o755); mkdir(root + "/bin", 0o755); mkdir(root + "/etc", 0o755); mkdir(root + "/tmp", 0o1777)
        try run(["/bin/cp", "/usr/bin/busybox", root + "/bin/busybox"])
        let applets = try run(["/usr/bin/busybox", "--list"]).split(separator: "\n")
        for applet in applets where applet != "busybox" { symlink("busybox", root + "/bin/" + applet) }
        writeFile(root + "/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
        writeFile(root + "/etc/group", "root:x:0:\n")
        try run(["/bin/tar", "-C", root, "-cf", base + "/rootfs.tar", "."])
        try podman(["import", "--change", #"CMD ["/bin/sh"]"#, base + "/rootfs.tar", "localhost/bbox:latest"])
    }

    private func startService() throws {
        guard let child = ChildProcess.start(["/usr/bin/podman", "system", "service", "--time=0", "unix://" + socket],
                                             stdoutPath: base + "/service.log", environment: environment) else {
            throw Failure(description: "cannot start podman system service")
        }
        service = child
        let deadline = Monotonic.seconds() + 20
        while Monotonic.seconds() < deadline {
            if access(socket, F_OK) == 0,
               let reply = try? CurlHTTP.send(HTTPRequest(url: "http://d/_ping", unixSocketPath: socket, timeout: 2)), reply.isSuccess { return }
            usleep(50_000)
        }
        throw Failure(description: "podman service did not answer on \(socket) within 20 s: \(readFile(base + "/service.log"))")
    }

    /// Removes everything podman made, kills the service, resets podman's state, removes BASE.
    public func stop() {
        _ = try? podman(["rm", "-af", "-t", "0"])
        _ = try? podman(["network", "prune", "-f"])
        if let service {
            kill(service.pid, SIGTERM)
            _ = service.wait()
            self.service = nil
        }
        _ = try? podman(["system", "reset", "-f"])
        _ = try? run(["/bin/rm", "-rf", base])
        // podman's cgroupfs manager leaves empty cgroup directories behind (children first;
        // best effort: another suite's engine may still use them, and rmdir refuses a busy one).
        for controller in ["blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "memory", "pids", "systemd", "unified"] {
            let parent = "/sys/fs/cgroup/\(controller)/libpod_parent"
            rmdir(parent + "/conmon")
            rmdir(parent)
        }
    }

    // MARK: - Helpers for tests

    /// Runs `podman ARGS` with this engine's configuration; its stdout (trimmed).
    @discardableResult
    public func podman(_ arguments: [String]) throws -> String {
        try run(["/usr/bin/podman"] + arguments)
    }

    /// Runs a command to completion; throws with its output when it fails.
    @discardableResult
    public func run(_ argv: [String]) throws -> String {
        let tag = UInt32.random(in: 0...UInt32.max)
        let out = base + "/cmd-\(tag).out", err = base + "/cmd-\(tag).err"
        defer { unlink(out); unlink(err) }
        guard let child = ChildProcess.start(argv, stdoutPath: out, stderrPath: err, environment: environment) else {
            throw Failure(description: "cannot start \(argv[0])")
        }
        let status = child.wait()
        guard status == 0 else {
            throw Failure(description: "\(argv.joined(separator: " ")) exited \(status): \(child.stderr)\(child.stdout)")
        }
        var text = child.stdout
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// A bridge network with a random /24 and its own bridge name: engines of other suites on
    /// this host must not share it, and podman 4.3's CLI cannot name the bridge, so the network
    /// is written as netavark config (what `podman network create` would write). Returns (name, gateway).
    public func makeNetwork() throws -> (name: String, gateway: String) {
        let tag = String(UInt32.random(in: 0x1000...0xFFFF), radix: 16)
        let second = Int.random(in: 200...249), third = Int.random(in: 0...255)
        let name = "tsnet-\(tag)"
        let id = (0..<64).map { _ in String(Int.random(in: 0...15), radix: 16) }.joined()
        mkdir(base + "/netconf", 0o755)
        writeFile(base + "/netconf/\(name).json", """
            {"name": "\(name)", "id": "\(id)", "driver": "bridge", "network_interface": "tsbr\(tag)",
             "created": "2026-11-22T00:00:00.000000000Z",
             "subnets": [{"subnet": "10.\(second).\(third).0/24", "gateway": "10.\(second).\(third).1"}],
             "ipv6_enabled": false, "internal": false, "dns_enabled": false, "ipam_options": {"driver": "host-local"}}
            """)
        return (name, "10.\(second).\(third).1")
    }

    /// A running busybox container on `network` (plus `extra` networks), which exits on SIGTERM.
    public func makeContainer(network: String, extra: [String] = [], logLine: String = "bot heartbeat") throws -> (name: String, id: String) {
        let name = "tsbot-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let id = try podman(["run", "-d", "--name", name, "--network", network, "localhost/bbox:latest",
                             "sh", "-c", "trap 'exit 0' TERM; echo x > /tmp/dropped-by-intruder; echo '\(logLine)'; echo 'bot warning' >&2; while true; do sleep 1; done"])
        for net in extra { try podman(["network", "connect", "--alias", "\(name)-alias", net, name]) }
        return (name, id)
    }

    public func removeContainer(_ name: String) { _ = try? podman(["rm", "-f", "-t", "0", name]) }
    public func removeNetwork(_ name: String) {
        _ = try? podman(["network", "rm", "-f", name])
        unlink(base + "/netconf/\(name).json")
    }

    /// A detached busybox container running `script` (`sh -c`) with no network at all, so
    /// nothing is created in the host's network; `memory` is podman's `--memory` value.
    public func runContainer(name: String, memory: String, script: String) throws {
        try podman(["run", "-d", "--name", name, "--network", "none", "--memory", memory, Self.image, "/bin/sh", "-c", script])
    }

    /// Whether the container can open a TCP connection to host:port (busybox nc, 2 s timeout).
    public func containerCanReach(_ container: String, host: String, port: Int) -> Bool {
        (try? podman(["exec", container, "sh", "-c", "echo probe | nc -w 2 \(host) \(port)"])) != nil
    }
}


