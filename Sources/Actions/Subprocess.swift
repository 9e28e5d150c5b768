#if canImport(Glibc)
import Glibc
#endif

/// Runs a program with an argument array (never a shell) and collects its exit status and
/// standard error. Used for `tar`: the only program an action starts.
enum Subprocess {
    struct Outcome {
        var status: Int32
        var stderr: String
    }

    static func run(_ argv: [String], stderrPath: String) throws(ActionError) -> Outcome {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // A clean signal mask: the caller's threads may block signals the child needs.
        var empty = sigset_t(); sigemptyset(&empty)
        var all = sigset_t(); sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let cargv = argv.map { strdup($0) } + [nil]
        let environment: [String] = ["PATH=/usr/bin:/bin", "LC_ALL=C"]
        let env = environment.map { strdup($0) } + [nil]
        defer { (cargv + env).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attr, cargv, env)
        guard rc == 0 else { throw ActionError("cannot start \(argv[0]): \(String(cString: strerror(rc)))", kind: .unavailable) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        let code = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        let text = FileOps.tail(stderrPath, maxBytes: 4096).map { String(decoding: $0, as: UTF8.self) } ?? ""
        unlink(stderrPath)
        return Outcome(status: code, stderr: text)
    }
}
