#if canImport(Glibc)
import Glibc
#endif
import CurlClient
import Testing
import TestSupport

/// A real podman with its Docker-compatible API on a private socket, everything under one
/// BASE directory (notes/real-components.md §1a: runc, cgroupfs, fixed ulimits, the full
/// config from the very first call). Containers run with `--network none`, so no bridge,
/// netns or firewall rules are created that would need cleaning up on the host.
final class PodmanEngine {
    static let install = "apt-get install -y podman runc busybox-static"
    static let image = "localhost/tradsec-gauges-bbox:latest"

    let base: String
    let socket: String
    private var service: ChildProcess?
    private var commandCount = 0

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Writes the configs, imports a busybox image built from the host's busybox binary and
    /// starts the API service. Throws (never skips) when a piece is missing.
    init() throws {
        for program in ["/usr/bin/podman", "/usr/sbin/runc", "/bin/busybox", "/bin/tar"] where access(program, X_OK) != 0 {
            throw Failure(description: "\(program) is missing; install the container engine with: \(Self.install)")
        }
        base = makeTemporaryDirectory(prefix: "tradsec-gauges-podman")
        socket = base + "/podman.sock"
        do {
            try setUp()
        } catch {
            tearDown()
            throw error
        }
    }

    private func setUp() throws {
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
        // The image: busybox with sh as a link, passwd and group.
        let root = base + "/rootfs"
        for dir in [root, root + "/bin", root + "/etc", root + "/tmp"] { mkdir(dir, 0o755) }
        guard let busybox = readBytes("/bin/busybox") else { throw Failure(description: "cannot read /bin/busybox") }
        writeFile(root + "/bin/busybox", busybox)
        chmod(root + "/bin/busybox", 0o755)
        symlink("busybox", root + "/bin/sh")
        writeFile(root + "/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
        writeFile(root + "/etc/group", "root:x:0:\n")
        try run(["/bin/tar", "-C", root, "-cf", base + "/rootfs.tar", "."], podman: false)
        try run(["/usr/bin/podman", "import", "--change", #"CMD ["/bin/sh"]"#, base + "/rootfs.tar", Self.image])
        service = ChildProcess.start(["/usr/bin/podman", "system", "service", "--time=0", "unix://" + socket],
                                     stdoutPath: base + "/service.log", environment: environment)
        guard service != nil else { throw Failure(description: "cannot start podman system service") }
        let ready = waitUntil(timeout: 20) {
            (try? CurlHTTP.send(HTTPRequest(url: "http://localhost/_ping", unixSocketPath: socket, timeout: 2)))?.bodyText == "OK"
        }
        guard ready else { throw Failure(description: "podman API did not answer on \(socket): \(readFile(base + "/service.log"))") }
    }

    var environment: [String] {
        ["CONTAINERS_CONF=\(base)/containers.conf", "CONTAINERS_STORAGE_CONF=\(base)/storage.conf",
         "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=\(base)"]
    }

    /// Runs a command (no shell); its output, or an error with the output when it fails.
    @discardableResult
    func run(_ argv: [String], podman: Bool = true) throws -> String {
        commandCount += 1
        let out = base + "/cmd\(commandCount).log"
        guard let child = ChildProcess.start(argv, stdoutPath: out, environment: podman ? environment : ["PATH=/usr/bin:/bin"]) else {
            throw Failure(description: "cannot start \(argv[0])")
        }
        let status = child.wait()
        guard status == 0 else { throw Failure(description: "\(argv.joined(separator: " ")) exited \(status): \(child.stdout)") }
        return child.stdout
    }

    /// A detached busybox container running `script` (sh -c), with `--network none`.
    func runContainer(name: String, memory: String, script: String) throws {
        try run(["/usr/bin/podman", "run", "-d", "--name", name, "--network", "none", "--memory", memory,
                 Self.image, "/bin/sh", "-c", script])
    }

    /// Containers, the service, podman's state and the BASE directory; then the empty cgroup
    /// directories podman's cgroupfs manager leaves behind (children first, best effort:
    /// another suite's engine may still be using them, and rmdir refuses a busy cgroup).
    func tearDown() {
        _ = try? run(["/usr/bin/podman", "rm", "-af", "-t", "0"])
        if let service {
            kill(service.pid, SIGTERM)
            _ = service.wait()
        }
        _ = try? run(["/usr/bin/podman", "system", "reset", "-f"])
        removeDeepTree(base)
        for controller in ["blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "memory", "pids", "systemd", "unified"] {
            let parent = "/sys/fs/cgroup/\(controller)/libpod_parent"
            rmdir(parent + "/conmon")
            rmdir(parent)
        }
    }
}
