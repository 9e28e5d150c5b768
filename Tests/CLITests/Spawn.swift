#if canImport(Glibc)
import Glibc
#endif

import TestSupport

/// The built `tradsec` binary as a child process, with its own output files in `directory`.
struct Child {
    let process: ChildProcess
    var pid: pid_t { process.pid }
    var stdout: String { process.stdout }
    var stderr: String { process.stderr }

    static func start(_ arguments: [String], stdin: String = "/dev/null", environment: [String: String] = [:],
                      in directory: String) -> Child {
        var env = ["PATH=/usr/bin:/bin", "HOME=" + directory, "LANG=C.UTF-8"]
        for (k, v) in environment { env.append("\(k)=\(v)") }
        let tag = UInt32.random(in: 0...UInt32.max)
        guard let process = ChildProcess.start([ChildProcess.tradsec] + arguments, stdin: stdin,
                                               stdoutPath: directory + "/stdout-\(tag)", stderrPath: directory + "/stderr-\(tag)",
                                               environment: env) else {
            preconditionFailure("cannot start \(ChildProcess.tradsec)")
        }
        return Child(process: process)
    }

    func wait() -> Int32 { process.wait() }

    static func read(_ path: String) -> String { readFile(path) }

    /// Runs to completion: (exit status, stdout, stderr).
    static func run(_ arguments: [String], stdin: String = "/dev/null", environment: [String: String] = [:],
                    in directory: String) -> (Int32, String, String) {
        let child = start(arguments, stdin: stdin, environment: environment, in: directory)
        let status = child.wait()
        return (status, child.stdout, child.stderr)
    }
}

func makeTemporaryDirectory() -> String { TestSupport.makeTemporaryDirectory(prefix: "tradsec-cli") }

func alertLine(_ n: Int, priority: String = "Warning", container: String = "host", rule: String = "Test rule",
               output: String? = nil) -> String {
    let secs = 1_763_800_000 + n
    let t = "2025-11-22T\(String(format2(secs / 3600 % 24))):\(format2(secs / 60 % 60)):\(format2(secs % 60)).000000001Z"
    let out = output ?? "alert number \(n)"
    return #"{"hostname":"trade-host","output":"\#(out)","output_fields":{"container.id":"\#(container)","container.name":"\#(container == "host" ? "host" : "bot")","proc.name":"cat"},"priority":"\#(priority)","rule":"\#(rule)","source":"syscall","tags":["t"],"time":"\#(t)"}"#
}

private func format2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
