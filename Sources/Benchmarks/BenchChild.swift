#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TradsecCore

/// A program a benchmark started: its pid, the port it announced (0 when it listens on none), its output file.
final class BenchChild {
    let pid: pid_t
    let port: Int
    let outputPath: String
    private var status: Int32?

    private init(pid: pid_t, port: Int, outputPath: String) {
        self.pid = pid
        self.port = port
        self.outputPath = outputPath
    }

    /// Starts `argv` with standard output and error into `output`, and waits (up to 20 s) for
    /// `ready` to find in it the port it listens on (or 0 once it is ready without one).
    static func start(_ argv: [String], output: String, environment: [String], ready: (String) -> Int?) throws -> BenchChild {
        let pid: pid_t
        do {
            pid = try Spawn.start(argv, stdout: output, stderr: nil, environment: environment)
        } catch {
            throw BenchmarkError.unavailable("\(error)")
        }
        let deadline = Monotonic.seconds() + 20
        while Monotonic.seconds() < deadline {
            let text = (try? TextFile.read(output, limit: 1 << 16)) ?? ""
            if let found = ready(text) { return BenchChild(pid: pid, port: found, outputPath: output) }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw BenchmarkError.unavailable("\(argv[0]) ended before listening: \(text)")
            }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        _ = Spawn.wait(pid)
        throw BenchmarkError.unavailable("\(argv[0]) did not say where it listens within 20 s")
    }

    /// Asks the child to end (SIGTERM) and waits; its exit status. Once only: later calls
    /// return the first status.
    @discardableResult
    func stop() -> Int32 {
        if let status { return status }
        kill(pid, SIGTERM)
        let status = Spawn.wait(pid)
        self.status = status
        return status
    }

    func output() -> String { (try? TextFile.read(outputPath, limit: 1 << 16)) ?? "" }
}
