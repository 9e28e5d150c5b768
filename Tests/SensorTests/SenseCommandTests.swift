#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
import TradsecCore
@testable import Sensor

extension LiveSensorTests {
    /// `tradsec sense` as a user runs it: alerts stored in the history, SIGTERM commits and exits 0.
    @Suite struct SenseCommandTests {
        @Test func senseStoresAlertsAndStopsCleanlyOnSIGTERM() throws {
            try SensorHarness.requirements()
            let dir = makeTemporaryDirectory(prefix: "tradsec-sense")
            defer { removeTree(dir) }
            let target = dir + "/" + SensorHarness.marker()
            writeFile(target, "x\n")
            let rules = SensorHarness.rulesFile("""
                - rule: Test sense
                  desc: an open of the test's file
                  condition: evt.type in (open, openat) and fd.name = \(target)
                  output: opened file=%fd.name process=%proc.name pid=%proc.pid
                  priority: ERROR
                """, in: dir)
            let db = dir + "/history.sqlite"
            // An empty config of its own (a named file must exist): the user's is not read.
            writeFile(dir + "/empty.yaml", "")
            let sense = try #require(ChildProcess.start([ChildProcess.tradsec, "sense", "--db", db, "--rules", rules, "--config", dir + "/empty.yaml"],
                                                        stdoutPath: dir + "/sense.out", stderrPath: dir + "/sense.err"))
            let deadline = Monotonic.seconds() + 30
            while !readFile(dir + "/sense.err").contains("watching (") && Monotonic.seconds() < deadline { usleep(50_000) }
            try #require(readFile(dir + "/sense.err").contains("watching ("), "sense did not start: \(readFile(dir + "/sense.err"))")
            let cat = SensorHarness.run(["/bin/cat", target], directory: dir)
            while !readFile(dir + "/sense.out").contains("\"proc.pid\":\(cat.pid)") && Monotonic.seconds() < deadline { usleep(50_000) }
            kill(sense.pid, SIGTERM)
            #expect(sense.wait() == 0, "\(readFile(dir + "/sense.err"))")
            #expect(readFile(dir + "/sense.err").contains("1 stored"))
            let printed = readFile(dir + "/sense.out")
            #expect(printed.contains("\"rule\":\"Test sense\""))
            #expect(printed.contains("\"proc.pid\":\(cat.pid)"))
            // The history has it, as Falco's JSON.
            let query = try #require(ChildProcess.start([ChildProcess.tradsec, "query", "--db", db, "--format", "json"], stdoutPath: dir + "/query.out"))
            #expect(query.wait() == 0)
            let stored = readFile(dir + "/query.out")
            #expect(stored.contains("\"rule\":\"Test sense\""))
            #expect(stored.contains("\"fd.name\":\"\(target)\""))
            // And went through the processing step before sense exited: correlated into an incident.
            let incidents = try #require(ChildProcess.start([ChildProcess.tradsec, "incidents", "--db", db, "--format", "json"],
                                                           stdoutPath: dir + "/incidents.out"))
            #expect(incidents.wait() == 0)
            #expect(readFile(dir + "/incidents.out").contains("\"rules\":[\"Test sense\"]"), "\(readFile(dir + "/incidents.out"))")
        }

        @Test func senseSaysWhyItCannotStart() throws {
            try #require(geteuid() == 0, "run as root (the unprivileged case runs as nobody)")
            let dir = makeTemporaryDirectory(prefix: "tradsec-sense")
            defer { removeTree(dir) }
            func sense(_ arguments: [String], prefix: [String] = [], environment: [String] = ChildProcess.inheritedEnvironment) throws -> (Int32, String) {
                let child = try #require(ChildProcess.start(prefix + [ChildProcess.tradsec, "sense", "--db", dir + "/h.sqlite"] + arguments,
                                                            stdoutPath: dir + "/out", stderrPath: dir + "/err", environment: environment))
                return (child.wait(), readFile(dir + "/err"))
            }
            // The object named in the environment is missing: no fallback, the way to build it.
            let missing = ChildProcess.inheritedEnvironment.filter { !$0.hasPrefix("TRADSEC_SENSOR_OBJECT=") } + ["TRADSEC_SENSOR_OBJECT=" + dir + "/none.bpf.o"]
            let (status, message) = try sense([], environment: missing)
            #expect(status == 69)
            #expect(message.contains("sensor's BPF object"))
            #expect(message.contains("apt-get install -y libbpf-dev libelf-dev bpftool, then run make"))
            // Not root: says so.
            let (unprivileged, why) = try sense([], prefix: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
            #expect(unprivileged == 69, "\(why)")
            #expect(why.contains("needs root"))
            // A ring buffer that is not a power of two is a setting that cannot work.
            let (bad, text) = try sense(["--ring-buffer", "3KB"])
            #expect(bad == 78)
            #expect(text.contains("power of two"))
        }
    }
}
