#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TradsecCore

/// Runs a program as a child process with an argument array (never a shell) and a clean
/// signal mask: Foundation.Process leaves signals blocked in children of test threads and
/// hangs on daemonizing children such as tmux (notes/tech-probe.md §8).
public struct ChildProcess {
    public let pid: pid_t
    public let stdoutPath: String
    public let stderrPath: String

    /// The `tradsec` binary built beside the test bundle.
    public static var tradsec: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        var dir = String(decoding: buffer[0..<max(0, n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        while !dir.isEmpty, access(dir + "/tradsec", X_OK) != 0 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        return dir + "/tradsec"
    }

    /// This process's environment, as `NAME=value` strings.
    public static var inheritedEnvironment: [String] {
        ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
    }

    /// Starts `argv` (`argv[0]` is the program's path). With `stderrPath` nil, standard error
    /// goes to the same file as standard output.
    public static func start(_ argv: [String], stdin: String = "/dev/null", stdoutPath: String, stderrPath: String? = nil,
                             environment: [String] = ChildProcess.inheritedEnvironment) -> ChildProcess? {
        guard let pid = try? Spawn.start(argv, stdin: stdin, stdout: stdoutPath, stderr: stderrPath, environment: environment) else {
            return nil
        }
        return ChildProcess(pid: pid, stdoutPath: stdoutPath, stderrPath: stderrPath ?? stdoutPath)
    }

    /// Waits for the child; its exit status, or 128 + the signal that killed it.
    public func wait() -> Int32 { Spawn.wait(pid) }

    public var stdout: String { readFile(stdoutPath) }
    public var stderr: String { readFile(stderrPath) }
}
