#if canImport(Glibc)
import Glibc
#endif
import TradsecCore

/// Runs a program with an argument array (never a shell) and collects its exit status and
/// standard error. Used for `tar`: the only program an action starts.
enum Subprocess {
    struct Outcome {
        var status: Int32
        var stderr: String
    }

    /// `stdoutPath`: where standard output goes (an existing file keeps its mode).
    static func run(_ argv: [String], stdoutPath: String = "/dev/null", stderrPath: String) throws(ActionError) -> Outcome {
        let pid: pid_t
        do {
            pid = try Spawn.start(argv, stdout: stdoutPath, stderr: stderrPath, environment: ["PATH=/usr/bin:/bin", "LC_ALL=C"])
        } catch {
            throw ActionError.unavailable("\(error)")
        }
        let code = Spawn.wait(pid)
        let text = FileOps.tail(stderrPath, maxBytes: 4096).map { String(decoding: $0, as: UTF8.self) } ?? ""
        unlink(stderrPath)
        return Outcome(status: code, stderr: text)
    }
}
