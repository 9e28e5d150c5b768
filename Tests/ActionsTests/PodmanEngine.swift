#if canImport(Glibc)
import Glibc
#endif
import CurlClient
import Testing
import TestSupport

/// A real Docker-compatible engine for the suite: podman's API service on a private socket,
/// with all of podman's state under one temporary BASE directory (recipe:
/// shared/notes/real-components.md §1a). One per suite (start-up and teardown take seconds);
/// each test makes its own containers and networks with unique names.
final class PodmanEngine: @unchecked Sendable {
    static let installLine = "apt-get install -y podman runc busybox-static"
    @TaskLocal static var current: PodmanEngine?

    let base: String
    let socket: String
    let environment: [String]
    private var service: ChildProcess?

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// The engine the suite trait started; a test outside the trait fails loudly.
    static func shared() throws -> PodmanEngine {
        guard let engine = current else { throw Failure(description: "no podman engine: the suite must carry .podmanEngine") }
        return engine
    }

    init() throws {
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
        let deadline = monotonic() + 20
        while monotonic() < deadline {
            if access(socket, F_OK) == 0,
               let reply = try? CurlHTTP.send(HTTPRequest(url: "http://d/_ping", unixSocketPath: socket, timeout: 2)), reply.isSuccess { return }
            usleep(50_000)
        }
        throw Failure(description: "podman service did not answer on \(socket) within 20 s: \(readFile(base + "/service.log"))")
    }

    /// Removes everything podman made, kills the service, resets podman's state, removes BASE.
    func stop() {
        _ = try? podman(["rm", "-af", "-t", "0"])
        _ = try? podman(["network", "prune", "-f"])
        if let service {
            kill(service.pid, SIGTERM)
            _ = service.wait()
            self.service = nil
        }
        _ = try? podman(["system", "reset", "-f"])
        _ = try? run(["/bin/rm", "-rf", base])
    }

    // MARK: - Helpers for tests

    /// Runs `podman ARGS` with this engine's configuration; its stdout (trimmed).
    @discardableResult
    func podman(_ arguments: [String]) throws -> String {
        try run(["/usr/bin/podman"] + arguments)
    }

    /// Runs a command to completion; throws with its output when it fails.
    @discardableResult
    func run(_ argv: [String]) throws -> String {
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
    func makeNetwork() throws -> (name: String, gateway: String) {
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
    func makeContainer(network: String, extra: [String] = [], logLine: String = "bot heartbeat") throws -> (name: String, id: String) {
        let name = "tsbot-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let id = try podman(["run", "-d", "--name", name, "--network", network, "localhost/bbox:latest",
                             "sh", "-c", "trap 'exit 0' TERM; echo x > /tmp/dropped-by-intruder; echo '\(logLine)'; echo 'bot warning' >&2; while true; do sleep 1; done"])
        for net in extra { try podman(["network", "connect", "--alias", "\(name)-alias", net, name]) }
        return (name, id)
    }

    func removeContainer(_ name: String) { _ = try? podman(["rm", "-f", "-t", "0", name]) }
    func removeNetwork(_ name: String) {
        _ = try? podman(["network", "rm", "-f", name])
        unlink(base + "/netconf/\(name).json")
    }

    /// Whether the container can open a TCP connection to host:port (busybox nc, 2 s timeout).
    func containerCanReach(_ container: String, host: String, port: Int) -> Bool {
        (try? podman(["exec", container, "sh", "-c", "echo probe | nc -w 2 \(host) \(port)"])) != nil
    }
}

func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Starts one podman engine around a whole suite and tears it down after the last test.
struct PodmanEngineTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let engine = try PodmanEngine()
        defer { engine.stop() }
        try await PodmanEngine.$current.withValue(engine) { try await function() }
    }
}

extension Trait where Self == PodmanEngineTrait {
    static var podmanEngine: PodmanEngineTrait { PodmanEngineTrait() }
}

/// A TCP listener on one address (the container network's gateway) that counts connections:
/// the host service an isolated container must no longer reach.
final class TCPProbeListener: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLockLike()
    private var accepted = 0
    private var running = true
    private var thread: pthread_t?

    init(address: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr(address)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw PodmanEngine.Failure(description: "cannot listen on \(address): \(String(cString: strerror(errno)))")
        }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.fd = fd
        port = Int(UInt16(bigEndian: bound.sin_port))
        let box = Unmanaged.passRetained(self)
        var t = pthread_t()
        pthread_create(&t, nil, { arg in
            let me = Unmanaged<TCPProbeListener>.fromOpaque(arg!).takeRetainedValue()
            me.loop()
            return nil
        }, box.toOpaque())
        thread = t
    }

    private func loop() {
        while true {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 100)
            lock.lock()
            let keepGoing = running
            lock.unlock()
            if !keepGoing { return }
            guard ready > 0 else { continue }
            let client = accept(fd, nil, nil)
            if client >= 0 {
                lock.lock(); accepted += 1; lock.unlock()
                close(client)
            }
        }
    }

    var connections: Int { lock.lock(); defer { lock.unlock() }; return accepted }

    func stop() {
        lock.lock(); running = false; lock.unlock()
        if let thread { pthread_join(thread, nil) }
        thread = nil
        close(fd)
    }
}

/// A pthread mutex (Foundation's NSLock would pull Foundation into this file for one type).
final class NSLockLike: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func lock() { pthread_mutex_lock(&mutex) }
    func unlock() { pthread_mutex_unlock(&mutex) }
}
