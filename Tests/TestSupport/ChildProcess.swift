#if canImport(Glibc)
import Glibc
#endif
import Foundation

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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let stderrPath {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(); sigemptyset(&empty)
        var all = sigset_t(); sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let cargv = argv.map { strdup($0) } + [nil]
        let cenv = environment.map { strdup($0) } + [nil]
        defer { (cargv + cenv).forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &actions, &attr, cargv, cenv) == 0 else { return nil }
        return ChildProcess(pid: pid, stdoutPath: stdoutPath, stderrPath: stderrPath ?? stdoutPath)
    }

    /// Waits for the child; its exit status, or 128 + the signal that killed it.
    public func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    public var stdout: String { readFile(stdoutPath) }
    public var stderr: String { readFile(stderrPath) }
}
