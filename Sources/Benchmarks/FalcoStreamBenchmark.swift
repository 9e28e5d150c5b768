#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Foundation
import TradsecCore

/// `tradsec bench ingest --falco-outputs`: Falco's two streaming outputs into tradsec.
/// `file_output` appends one line per alert to a file that `tradsec ingest --follow` follows;
/// `program_output` writes one line per alert into a program's stdin, here a connection to
/// `tradsec ingest --socket`. Each is a real child process with its own history; the benchmark
/// writes every alert as Falco does (one `write(2)` per line, as fast as it can) and times from
/// the first byte until the history holds them all. The plain approach beside them is
/// `tradsec ingest FILE` over the same lines at once, the batch import with no waiting at all.
public final class FalcoStreamBenchmark {
    public struct Figures: Sendable {
        /// Alerts the history held at the end.
        public var stored = 0
        /// First byte written (or the batch import started) → the last alert in the history.
        public var seconds = 0.0
        /// How long writing every line took (0 for the batch import).
        public var writeSeconds = 0.0

        public var alertsPerSecond: Double { seconds > 0 ? Double(stored) / seconds : 0 }
    }

    public struct Result: Sendable {
        public var follow: Figures
        public var socket: Figures
        public var batch: Figures
    }

    public let alerts: Int
    private var lines: [[UInt8]] = []

    public init(alerts: Int) {
        self.alerts = max(1, alerts)
    }

    /// Generates the alert lines, timed from now so the default retention keeps them.
    public func prepare() {
        var generator = AlertGenerator(seed: UInt64(getpid()), start: Timestamp.now())
        lines = (0..<alerts).map { Array((generator.next(index: $0) + "\n").utf8) }
    }

    /// Runs the three in turn under a scratch directory; `log` hears progress.
    public func run(tradsec: String, log: (String) -> Void) throws -> Result {
        let directory = FileManager.default.temporaryDirectory.path + "/tradsec-bench-streams-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = ["PATH=/usr/bin:/bin", "HOME=\(directory)", "XDG_CONFIG_HOME=\(directory)/config",
                           "XDG_DATA_HOME=\(directory)/data", "LC_ALL=C.UTF-8"]

        log("file_output → ingest --follow: \(alerts) alerts…")
        let follow = try runFollow(directory: directory, tradsec: tradsec, environment: environment)
        log("program_output → ingest --socket: \(alerts) alerts…")
        let socket = try runSocket(directory: directory, tradsec: tradsec, environment: environment)
        log("ingest FILE (batch): \(alerts) alerts…")
        let batch = try runBatch(directory: directory, tradsec: tradsec, environment: environment)
        return Result(follow: follow, socket: socket, batch: batch)
    }

    private func runFollow(directory: String, tradsec: String, environment: [String]) throws -> Figures {
        let file = directory + "/falco-events.json", history = directory + "/follow.sqlite"
        let out = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o600)
        guard out >= 0 else { throw BenchmarkError.failed("cannot create \(file): \(String(cString: strerror(errno)))") }
        defer { close(out) }
        let follower = try BenchChild.start([tradsec, "ingest", "--follow", file, "--db", history],
                                            output: directory + "/follow.log", environment: environment,
                                            ready: { _ in Self.holdsHistory(history) ? 0 : nil })
        defer { follower.stop() }
        return try deliver(to: out, history: history, child: follower)
    }

    private func runSocket(directory: String, tradsec: String, environment: [String]) throws -> Figures {
        let path = directory + "/ingest.sock", history = directory + "/socket.sqlite"
        let listener = try BenchChild.start([tradsec, "ingest", "--socket", path, "--db", history],
                                            output: directory + "/socket.log", environment: environment,
                                            ready: { text in text.contains("listening on") ? 0 : nil })
        defer { listener.stop() }
        let connection = try UnixSocketClient.connect(path)
        defer { close(connection) }
        return try deliver(to: connection, history: history, child: listener)
    }

    private func runBatch(directory: String, tradsec: String, environment: [String]) throws -> Figures {
        let file = directory + "/batch.json", history = directory + "/batch.sqlite"
        guard FileManager.default.createFile(atPath: file, contents: Data(lines.joined())) else {
            throw BenchmarkError.failed("cannot write \(file)")
        }
        let begin = Monotonic.seconds()
        let pid: pid_t
        do {
            pid = try Spawn.start([tradsec, "ingest", file, "--db", history], stdout: directory + "/batch.log",
                                  stderr: nil, environment: environment)
        } catch {
            throw BenchmarkError.unavailable("\(error)")
        }
        guard Spawn.wait(pid) == 0 else {
            throw BenchmarkError.programMisbehaved("tradsec ingest failed: \((try? TextFile.read(directory + "/batch.log", limit: 1 << 16)) ?? "")")
        }
        let seconds = Monotonic.seconds() - begin
        return Figures(stored: try AlertStore(path: history, readOnly: true).totalCount(), seconds: seconds)
    }

    /// Whether `path` is a history a reader can count yet (the follower has created it).
    private static func holdsHistory(_ path: String) -> Bool {
        guard access(path, F_OK) == 0, let store = try? AlertStore(path: path, readOnly: true) else { return false }
        return (try? store.totalCount()) != nil
    }

    /// Writes every line with its own `write(2)`, then waits until `history` holds them all.
    private func deliver(to fd: Int32, history: String, child: BenchChild) throws -> Figures {
        let begin = Monotonic.seconds()
        for line in lines {
            try line.withUnsafeBytes { bytes in
                var sent = 0
                while sent < bytes.count {
                    let n = write(fd, bytes.baseAddress! + sent, bytes.count - sent)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw BenchmarkError.failed("write: \(String(cString: strerror(errno)))")
                    }
                    sent += n
                }
            }
        }
        let written = Monotonic.seconds() - begin
        let store = try AlertStore(path: history, readOnly: true)
        let deadline = Monotonic.seconds() + 120
        var stored = 0
        while Monotonic.seconds() < deadline {
            stored = try store.totalCount()
            if stored >= lines.count { break }
            var status: Int32 = 0
            if waitpid(child.pid, &status, WNOHANG) == child.pid {
                throw BenchmarkError.programMisbehaved("tradsec ingest ended early: \(child.output())")
            }
            usleep(2_000)
        }
        return Figures(stored: stored, seconds: Monotonic.seconds() - begin, writeSeconds: written)
    }
}
