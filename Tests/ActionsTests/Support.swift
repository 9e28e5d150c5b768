#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
import TestSupport

/// A temporary directory with a history in it; removed (whole tree) by `cleanup()`.
final class Workspace {
    let directory: String
    let store: AlertStore
    var dbPath: String { directory + "/history.sqlite" }

    init() throws {
        directory = makeTemporaryDirectory(prefix: "tradsec-actions")
        store = try AlertStore(path: directory + "/history.sqlite")
    }

    func cleanup() {
        if let child = ChildProcess.start(["/bin/rm", "-rf", directory], stdoutPath: "/dev/null", environment: []) { _ = child.wait() }
    }

    /// A runner as an operator "alice" over SSH would have it.
    func runner(_ config: ActionsConfig, store: AlertStore? = nil, environment: [String: String] = [:]) -> ActionRunner {
        ActionRunner(config: config, store: store ?? self.store,
                     who: AuditIdentity(user: "alice", sudoUser: "bob", sshClient: "192.0.2.7 50122"), environment: environment)
    }
}

/// Runs a program to completion: (status, stdout, stderr).
func runProgram(_ argv: [String], environment: [String] = ["PATH=/usr/bin:/bin", "LANG=C.UTF-8"], in directory: String) -> (Int32, String, String) {
    let tag = UInt32.random(in: 0...UInt32.max)
    guard let child = ChildProcess.start(argv, stdoutPath: directory + "/out-\(tag)", stderrPath: directory + "/err-\(tag)",
                                         environment: environment) else { return (-1, "", "cannot start \(argv[0])") }
    let status = child.wait()
    defer { unlink(directory + "/out-\(tag)"); unlink(directory + "/err-\(tag)") }
    return (status, child.stdout, child.stderr)
}
