#if canImport(Glibc)
import Glibc
#endif

/// Starts programs with an argument array (never a shell), files for the standard streams
/// and a clean signal mask: `Foundation.Process` leaves signals blocked in children started
/// from worker threads and hangs on daemonizing children (notes/tech-probe.md §8). The one
/// place the project calls `posix_spawn`; actions, benchmarks and tests go through it.
public enum Spawn {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var program: String
        public var errno: Int32
        public var description: String { "cannot start \(program): \(String(cString: strerror(errno)))" }
    }

    /// Starts `argv` (`argv[0]` is the program's path) and returns its pid. `stderr` nil sends
    /// standard error to the same file as standard output.
    public static func start(_ argv: [String], stdin: String = "/dev/null", stdout: String = "/dev/null",
                             stderr: String? = "/dev/null", environment: [String]) throws(Failure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let stderr {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // A clean signal mask and default handlers: the caller's threads may block or ignore
        // signals the child needs.
        var empty = sigset_t(); sigemptyset(&empty)
        var all = sigset_t(); sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let cargv = argv.map { strdup($0) } + [nil]
        let cenv = environment.map { strdup($0) } + [nil]
        defer { (cargv + cenv).forEach { free($0) } }
        var pid: pid_t = 0
        guard let program = argv.first else { throw Failure(program: "", errno: EINVAL) }
        let rc = posix_spawn(&pid, program, &actions, &attr, cargv, cenv)
        guard rc == 0 else { throw Failure(program: program, errno: rc) }
        return pid
    }

    /// Waits for `pid`; its exit status, or 128 + the signal that killed it (as shells report it).
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
