#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Benchmarks
import Foundation
import TradsecCore

/// Alert to screen, end to end: a real console in tmux, one alert at a time written where
/// Falco writes it, the time until its text is in the pane. `tail -F` of the same file in
/// the same tmux is the floor (what tmux and the pane polling cost by themselves).
struct BenchLatencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "Measure alert-to-screen latency of the console (followed file, Unix socket, serve's live feed) and its idle CPU.",
        discussion: """
            Starts each console under tmux (which must be installed), writes one alert at a time at
            random intervals and polls the pane until the alert's text shows. Paths: file (the console
            follows a Falco log), socket (`tradsec ingest --socket` writes the history the console shows),
            serve (an http_output POST to `tradsec serve`, which the console follows). The baseline is
            `tail -F` on the same file in the same tmux. Idle CPU is the console's own CPU time over
            --idle seconds with nothing arriving.
            """
    )

    @Option(help: "Alerts per path.")
    var probes = 20

    @Option(help: "Paths to measure: file, socket, serve (comma-separated).")
    var paths = "file,socket,serve"

    @Option(help: "Seconds of idle console to measure its CPU.")
    var idle = 10.0

    func run() throws {
        let exe = try Self.selfPath()
        guard let tmux = Self.which("tmux") else { throw ValidationError("tmux is not installed (apt-get install tmux)") }
        let dir = try Self.makeTemporaryDirectory()
        defer { _ = try? FileManager.default.removeItem(atPath: dir) }
        let wanted = Set(paths.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        var rows: [(String, [Double])] = []
        var idleFigure: Double?

        // Baseline: tail -F in tmux on a file written the same way.
        do {
            let file = dir + "/baseline.log"
            _ = FileManager.default.createFile(atPath: file, contents: nil)
            let pane = try TmuxPane(tmux: tmux, name: "baseline", directory: dir, argv: ["/usr/bin/tail", "-n", "0", "-F", file])
            defer { pane.kill() }
            let writer = try FileAppender(path: file)
            rows.append(("tail -F (baseline)", try measure(pane: pane, probes: probes) { writer.append($0) }))
        }
        if wanted.contains("file") {
            let file = dir + "/falco.log"
            _ = FileManager.default.createFile(atPath: file, contents: nil)
            let pane = try TmuxPane(tmux: tmux, name: "file", directory: dir,
                                    argv: [exe, "console", "--db", dir + "/file.db", "--source", "falco-file=" + file])
            defer { pane.kill() }
            let writer = try FileAppender(path: file)
            rows.append(("console ← followed file", try measure(pane: pane, probes: probes) { writer.append($0) }))
            if idle > 0, let pid = pane.pid() { idleFigure = Self.cpuShare(pid: pid, seconds: idle) }
        }
        if wanted.contains("socket") {
            let socketPath = dir + "/alerts.sock"
            let ingest = try Spawn.start([exe, "ingest", "--db", dir + "/socket.db", "--socket", socketPath],
                                         stdout: dir + "/ingest.out", stderr: nil, environment: Self.environment(dir))
            defer { kill(ingest, SIGTERM); _ = Spawn.wait(ingest) }
            let writer = try SocketWriter(path: socketPath, waitSeconds: 20)
            let pane = try TmuxPane(tmux: tmux, name: "socket", directory: dir, argv: [exe, "console", "--db", dir + "/socket.db"])
            defer { pane.kill() }
            rows.append(("console ← ingest --socket", try measure(pane: pane, probes: probes) { writer.send($0) }))
        }
        if wanted.contains("serve") {
            let port = 20_000 + Int(getpid() % 20_000)
            let serve = try Spawn.start([exe, "serve", "--db", dir + "/serve.db", "--listen", "127.0.0.1:\(port)"],
                                        stdout: dir + "/serve.out", stderr: nil, environment: Self.environment(dir))
            defer { kill(serve, SIGTERM); _ = Spawn.wait(serve) }
            var client = KeepAliveClient(host: "127.0.0.1", port: port)
            let ready = Monotonic.seconds() + 30
            while client.post(Array(Self.alert(marker: "serve-ready").utf8)) / 100 != 2 {
                guard Monotonic.seconds() < ready else { throw ValidationError("serve did not answer on port \(port); see \(dir)/serve.out") }
                usleep(50_000)
            }
            let pane = try TmuxPane(tmux: tmux, name: "serve", directory: dir,
                                    argv: [exe, "console", "--db", dir + "/console.db", "--source", "processor=http://127.0.0.1:\(port)"])
            defer { pane.kill() }
            rows.append(("console ← serve ← POST", try measure(pane: pane, probes: probes) { line in
                let status = client.post(Array(line.utf8))
                if status / 100 != 2 { FileHandle.standardError.write("POST answered \(status)\n".data(using: .utf8)!) }
            }))
        }

        print("alert to screen, \(probes) alerts per path (ms; the pane is polled, so each figure includes one poll):")
        print("  path                          median     p90   worst")
        for (name, samples) in rows {
            let sorted = samples.sorted()
            func at(_ p: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(p * Double(sorted.count - 1)))] * 1000 }
            print("  " + name.padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: " %7.1f %7.1f %7.1f", at(0.5), at(0.9), sorted.last.map { $0 * 1000 } ?? .nan))
        }
        if let idleFigure {
            print(String(format: "idle console (followed file, nothing arriving, %.0f s): %.2f %% of one core", idle, idleFigure * 100))
        }
    }

    /// Writes `probes` alerts one at a time and times each until its marker is on screen.
    private func measure(pane: TmuxPane, probes: Int, write: (String) throws -> Void) throws -> [Double] {
        // The first alert also waits for the program to start.
        try write(Self.alert(marker: "warmup-\(pane.name)"))
        guard pane.waitFor("warmup-\(pane.name)", timeout: 30) != nil else {
            throw ValidationError("\(pane.name): the warm-up alert never showed; screen:\n\(pane.capture())")
        }
        var samples: [Double] = []
        var random = SplitMix64(seed: UInt64(getpid()))
        for i in 0..<probes {
            // Off any timer's phase: 100-300 ms apart.
            usleep(UInt32(100_000 + random.next() % 200_000))
            let marker = String(format: "probe-%@-%04d", pane.name, i)
            let started = Monotonic.seconds()
            try write(Self.alert(marker: marker))
            guard let seen = pane.waitFor(marker, timeout: 10) else {
                throw ValidationError("\(pane.name): \(marker) did not show within 10 s")
            }
            samples.append(seen - started)
        }
        return samples
    }

    static func alert(marker: String) -> String {
        "{\"time\":\"\(Timestamp.now().rfc3339())\",\"rule\":\"\(marker)\",\"priority\":\"Critical\",\"output\":\"\(marker)\",\"output_fields\":{\"container.name\":\"bench\"}}\n"
    }

    /// The share of one core `pid` used over `seconds` (utime + stime from /proc).
    static func cpuShare(pid: pid_t, seconds: Double) -> Double? {
        func ticks() -> Double? {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = text.lastIndex(of: ")") else { return nil }
            let fields = text[text.index(after: close)...].split(separator: " ")
            guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
            return user + system
        }
        guard let before = ticks() else { return nil }
        usleep(UInt32(seconds * 1_000_000))
        guard let after = ticks() else { return nil }
        return (after - before) / Double(sysconf(Int32(_SC_CLK_TCK))) / seconds
    }

    static func environment(_ dir: String) -> [String] {
        ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=\(dir)", "XDG_CONFIG_HOME=\(dir)/config",
         "XDG_DATA_HOME=\(dir)/data", "TERM=xterm-256color", "LANG=C.UTF-8"]
    }

    static func selfPath() throws -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { throw ValidationError("cannot find this program's path") }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func which(_ program: String) -> String? {
        for dir in ["/usr/local/bin", "/usr/bin", "/bin"] where access(dir + "/" + program, X_OK) == 0 { return dir + "/" + program }
        return nil
    }

    static func makeTemporaryDirectory() throws -> String {
        var template = Array("/tmp/tradsec-latency-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ValidationError("cannot create a temporary directory") }
        return String(cString: made)
    }
}

/// One program in a detached tmux session of its own server, started without a shell.
private struct TmuxPane {
    let tmux: String
    let name: String
    let socket: String
    let directory: String

    init(tmux: String, name: String, directory: String, argv: [String]) throws {
        self.tmux = tmux
        self.name = name
        self.directory = directory
        socket = directory + "/tmux-" + name
        let pid = try Spawn.start([tmux, "-S", socket, "-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "48", "-s", name] + argv,
                                  environment: BenchLatencyCommand.environment(directory))
        guard Spawn.wait(pid) == 0 else { throw ValidationError("tmux could not start \(argv[0])") }
    }

    func capture() -> String {
        let out = directory + "/capture-" + name
        guard let pid = try? Spawn.start([tmux, "-S", socket, "capture-pane", "-p", "-t", name], stdout: out,
                                         environment: BenchLatencyCommand.environment(directory)) else { return "" }
        _ = Spawn.wait(pid)
        return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    }

    /// Polls the pane; the monotonic time the text was first seen, nil after `timeout`.
    func waitFor(_ text: String, timeout: Double) -> Double? {
        let deadline = Monotonic.seconds() + timeout
        while Monotonic.seconds() < deadline {
            if capture().contains(text) { return Monotonic.seconds() }
            usleep(1_000)
        }
        return nil
    }

    func pid() -> pid_t? {
        let out = directory + "/pid-" + name
        guard let p = try? Spawn.start([tmux, "-S", socket, "display-message", "-p", "-t", name, "#{pane_pid}"], stdout: out,
                                       environment: BenchLatencyCommand.environment(directory)) else { return nil }
        _ = Spawn.wait(p)
        return (try? String(contentsOfFile: out, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    func kill() {
        if let p = try? Spawn.start([tmux, "-S", socket, "kill-server"], environment: BenchLatencyCommand.environment(directory)) {
            _ = Spawn.wait(p)
        }
    }
}

/// Appends lines to a file with one write each (as Falco's file_output does).
private final class FileAppender {
    let fd: Int32
    init(path: String) throws {
        fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw ValidationError("cannot open \(path)") }
    }
    deinit { close(fd) }
    func append(_ line: String) {
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
    }
}

/// One connection to a Unix stream socket (as Falco's program_output piped into a client would).
private final class SocketWriter {
    let fd: Int32
    init(path: String, waitSeconds: Double) throws {
        fd = try UnixSocketClient.connect(path, waitSeconds: waitSeconds)
    }
    deinit { close(fd) }
    func send(_ line: String) {
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
    }
}
