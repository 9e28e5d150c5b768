#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RuleEngine
import Testing
import TestSupport
import TradsecCore
@testable import Sensor

/// The live sensor on this host's own activity: processes the tests start, matched by their
/// pids and unique markers (other processes on the machine also run).
extension LiveSensorTests {
@Suite struct HostSensorTests {
    @Test func execOpenAndConnectBecomeAlertsWithLiveValues() throws {
        try SensorHarness.requirements()
        let dir = makeTemporaryDirectory(prefix: "tradsec-sensor")
        defer { removeTree(dir) }
        let marker = SensorHarness.marker()
        let witness = dir + "/" + marker
        writeFile(witness, "x\n")

        // A listener the child connects to, and a port the child listens on (accept).
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        let port = try #require(bindLoopback(listener))
        #expect(listen(listener, 8) == 0)
        let acceptPort = freeLoopbackPort()

        let rules = SensorHarness.rulesFile("""
            - rule: Test exec
              desc: an echo of the test's marker
              condition: evt.type in (execve, execveat) and proc.cmdline contains \(marker)
              output: exec cmdline=%proc.cmdline parent=%proc.pname pcmdline=%proc.pcmdline pid=%proc.pid ppid=%proc.ppid exepath=%proc.exepath gparent=%proc.aname[2] user=%user.name uid=%user.uid container=%container.id
              priority: WARNING
            - rule: Test connect
              desc: a connection to the test's listener
              condition: evt.type = connect and fd.sport = \(port)
              output: connect name=%fd.name sip=%fd.sip sport=%fd.sport cip=%fd.cip cport=%fd.cport proto=%fd.l4proto type=%fd.typechar pid=%proc.pid cmdline=%proc.cmdline res=%evt.res
              priority: NOTICE
            - rule: Test accept
              desc: a connection accepted by the test's child
              condition: evt.type in (accept, accept4) and fd.sport = \(acceptPort)
              output: accept name=%fd.name cip=%fd.cip sport=%fd.sport server=%fd.is_server pid=%proc.pid
              priority: NOTICE
            """, in: dir)
        let (sensor, alerts) = try SensorHarness.start(rules: [SensorHarness.officialRules, rules])
        defer { sensor.stop() }
        #expect(sensor.coverage.active.contains("Read sensitive file untrusted"))

        // exec: sh forks echo (not the last command, so sh does not exec it in place).
        let script = "/bin/echo \(marker) > /dev/null; /bin/true"
        let shell = SensorHarness.run(["/bin/sh", "-c", script], directory: dir)
        let exec = try #require(alerts.wait { $0.rule == "Test exec" && $0.field("proc.cmdline") == "echo \(marker)" },
                                "alerts: \(alerts.all.map { JSONWriter.string($0) })")
        #expect(exec.field("proc.pname") == "sh")
        #expect(exec.field("proc.pcmdline") == "sh -c " + script)
        #expect(exec.field("proc.ppid") == String(shell.pid))
        #expect(exec.field("proc.exepath") == "/usr/bin/echo" || exec.field("proc.exepath") == "/bin/echo")
        #expect(exec.field("user.name") == "root")
        #expect(exec.field("user.uid") == "0")
        #expect(exec.field("container.id") == "host")
        // The grandparent is this test process (its command name, as the kernel keeps it).
        let ownName = try TextFile.read("/proc/self/comm").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(exec.field("proc.aname[2]") == ownName)

        // open of /etc/shadow: the official rule, with the child's own command line.
        let cat = SensorHarness.run(["/bin/cat", "/etc/shadow", witness], directory: dir)
        #expect(cat.status == 0)
        let shadow = try #require(alerts.wait { $0.rule == "Read sensitive file untrusted" && $0.field("proc.cmdline") == "cat /etc/shadow \(witness)" })
        #expect(shadow.field("fd.name") == "/etc/shadow")
        #expect(shadow.field("proc.pname") == ownName)
        #expect(shadow.field("proc.exepath") == "/usr/bin/cat" || shadow.field("proc.exepath") == "/bin/cat")
        #expect(shadow["priority"]?.stringValue == "Warning")
        #expect(shadow["source"]?.stringValue == "syscall")

        // TCP connect: curl to the listener; the client port is the one the listener sees.
        guard let curl = ChildProcess.start(["/usr/bin/curl", "-s", "-m", "3", "http://127.0.0.1:\(port)/\(marker)"],
                                            stdoutPath: dir + "/curl.out") else {
            Issue.record("curl is missing: apt-get install -y curl")
            return
        }
        var peer = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let connection = withUnsafeMutablePointer(to: &peer) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener, $0, &length) } }
        #expect(connection >= 0)
        let clientPort = UInt16(bigEndian: peer.sin_port)
        close(connection)
        _ = curl.wait()
        let connect = try #require(alerts.wait { $0.rule == "Test connect" && $0.field("proc.pid") == String(curl.pid) })
        #expect(connect.field("fd.sip") == "127.0.0.1")
        #expect(connect.field("fd.sport") == String(port))
        #expect(connect.field("fd.cip") == "127.0.0.1")
        #expect(connect.field("fd.cport") == String(clientPort))
        #expect(connect.field("fd.name") == "127.0.0.1:\(clientPort)->127.0.0.1:\(port)")
        #expect(connect.field("fd.l4proto") == "tcp")
        #expect(connect.field("fd.typechar") == "4")
        #expect(["SUCCESS", "EINPROGRESS"].contains(connect.field("evt.res") ?? ""))   // curl connects without blocking
        #expect(connect.field("proc.cmdline")?.hasPrefix("curl -s -m 3 http://127.0.0.1:\(port)/") == true)

        // accept: busybox nc listens; this process connects.
        if let nc = ChildProcess.start(["/usr/bin/busybox", "nc", "-l", "-p", String(acceptPort)], stdoutPath: dir + "/nc.out") {
            var connected = false
            let deadline = Monotonic.seconds() + 5
            while !connected && Monotonic.seconds() < deadline {
                connected = canConnectToLoopback(acceptPort)
                if !connected { usleep(50_000) }
            }
            #expect(connected)
            let accepted = try #require(alerts.wait { $0.rule == "Test accept" && $0.field("proc.pid") == String(nc.pid) })
            #expect(accepted.field("fd.cip") == "127.0.0.1")
            #expect(accepted.field("fd.sport") == String(acceptPort))
            #expect(accepted.field("fd.is_server") == "true")
            kill(nc.pid, SIGKILL)
            _ = nc.wait()
        }
        let stats = SensorHarness.statistics(sensor) { $0.alerts >= 4 }
        #expect(stats.eventsEvaluated > 0)
        #expect(stats.alerts >= 4)
        #expect(stats.processes > 10)
        #expect(stats.consumerCPUSeconds > 0)
        #expect(stats.processResidentBytes > 1 << 20)
        #expect(stats.ringBufferBytes == 8 << 20)
    }

    @Test func raisesNothingForItsOwnWork() throws {
        try SensorHarness.requirements()
        let dir = makeTemporaryDirectory(prefix: "tradsec-sensor")
        defer { removeTree(dir) }
        let target = dir + "/" + SensorHarness.marker()
        writeFile(target, "x\n")
        let rules = SensorHarness.rulesFile("""
            - rule: Test open
              desc: any open of the test's file
              condition: evt.type in (open, openat, openat2) and fd.name = \(target)
              output: open pid=%proc.pid name=%proc.name
              priority: NOTICE
            """, in: dir)
        let (sensor, alerts) = try SensorHarness.start(rules: [rules])
        defer { sensor.stop() }
        // This process (the sensor's own) opens the file many times, a child once.
        for _ in 0..<200 { close(open(target, O_RDONLY)) }
        let cat = SensorHarness.run(["/bin/cat", target], directory: dir)
        let seen = try #require(alerts.wait { $0.field("proc.pid") == String(cat.pid) })
        #expect(seen.field("proc.name") == "cat")
        for _ in 0..<200 { close(open(target, O_RDONLY)) }
        // A second child after the sensor's own opens: everything before it has been drained.
        let cat2 = SensorHarness.run(["/bin/cat", target], directory: dir)
        _ = try #require(alerts.wait { $0.field("proc.pid") == String(cat2.pid) })
        let pids = Set(alerts.all.compactMap { $0.field("proc.pid") })
        #expect(pids == [String(cat.pid), String(cat2.pid)])
        #expect(!pids.contains(String(getpid())))
    }

    @Test func aStormOfOpensIsCountedAsDropsAndTheSensorKeepsWorking() throws {
        try SensorHarness.requirements()
        let dir = makeTemporaryDirectory(prefix: "tradsec-sensor")
        defer { removeTree(dir) }
        let target = dir + "/storm"
        writeFile(target, "x\n")
        let after = dir + "/" + SensorHarness.marker()
        writeFile(after, "x\n")
        let rules = SensorHarness.rulesFile("""
            - rule: Test storm
              desc: opens of the storm's file
              condition: evt.type in (open, openat) and fd.name = \(target) and proc.pid = 0
              output: storm %proc.pid
              priority: NOTICE
            - rule: Test after
              desc: the open after the storm
              condition: evt.type in (open, openat) and fd.name = \(after)
              output: after pid=%proc.pid
              priority: NOTICE
            """, in: dir)
        var options = HostSensor.Options()
        options.ringBufferBytes = 4096   // a page: the storm cannot fit
        let (sensor, alerts) = try SensorHarness.start(rules: [rules], options: options)
        defer { sensor.stop() }
        // Two loops at 100,000 opens/s each, on both CPUs.
        let loads = (0..<2).compactMap { i in
            ChildProcess.start([ChildProcess.tradsec, "bench", "sensor-load", "--path", target, "--seconds", "2", "--rate", "100000"],
                               stdoutPath: dir + "/load\(i).out")
        }
        #expect(loads.count == 2)
        for load in loads { #expect(load.wait() == 0) }
        let opens = loads.compactMap { Int(readFile($0.stdoutPath).split(separator: " ").first ?? "") }.reduce(0, +)
        #expect(opens >= 100_000)
        let stats = sensor.statistics()
        #expect(stats.drops[.ringBufferFull, default: 0] > 0)
        #expect(stats.ringBufferDropsByKind["syscall", default: 0] > 0)
        #expect(stats.received > 0)
        #expect(stats.records >= stats.received)
        // Still alive and right afterwards. The one-page ring buffer also overflows with the rest
        // of the machine's activity, so the check opens until one open gets through.
        var seen: JSONValue?
        for _ in 0..<30 where seen == nil {
            let cat = SensorHarness.run(["/bin/cat", after], directory: dir)
            seen = alerts.wait(timeout: 1) { $0.rule == "Test after" && $0.field("proc.pid") == String(cat.pid) }
        }
        #expect(seen != nil, "no open after the storm reached the rules: \(sensor.statistics())")
        #expect(!alerts.all.contains { $0.rule == "Test storm" })
    }

    @Test func fileAndPrivilegeSyscallsCarryTheirArguments() throws {
        try SensorHarness.requirements()
        let dir = makeTemporaryDirectory(prefix: "tradsec-sensor")
        defer { removeTree(dir) }
        writeFile(dir + "/a", "x\n")
        writeFile(dir + "/b", "x\n")
        let rules = SensorHarness.rulesFile("""
            - rule: Test unlink
              desc: rm's unlink
              condition: evt.type in (unlink, unlinkat) and proc.name = rm
              output: unlink name=%evt.arg.name path=%evt.arg.path res=%evt.res pid=%proc.pid
              priority: NOTICE
            - rule: Test rename
              desc: mv's rename
              condition: evt.type in (rename, renameat, renameat2) and proc.name = mv
              output: rename old=%evt.arg.oldpath new=%evt.arg.newpath pid=%proc.pid
              priority: NOTICE
            - rule: Test chmod
              desc: chmod's chmod
              condition: evt.type in (chmod, fchmodat, fchmodat2) and proc.name = chmod
              output: chmod file=%evt.arg.filename mode=%evt.arg.mode pid=%proc.pid
              priority: NOTICE
            - rule: Test setuid
              desc: setpriv dropping to nobody
              condition: evt.type in (setuid, setresuid, setreuid) and proc.name = setpriv
              output: setuid type=%evt.type ruid=%evt.arg.ruid euid=%evt.arg.euid uid=%evt.arg.uid pid=%proc.pid
              priority: NOTICE
            """, in: dir)
        let (sensor, alerts) = try SensorHarness.start(rules: [rules])
        defer { sensor.stop() }
        // Relative paths, resolved against the working directory in the kernel.
        let shell = SensorHarness.run(["/bin/sh", "-c", "cd \(dir) && /bin/rm a && /bin/mv b c && /bin/chmod 600 c"], directory: dir)
        #expect(shell.status == 0)
        let unlink = try #require(alerts.wait { $0.rule == "Test unlink" && $0.field("evt.res") == "SUCCESS" })
        #expect(unlink.field("evt.arg.name") == dir + "/a" || unlink.field("evt.arg.path") == dir + "/a")
        let rename = try #require(alerts.wait { $0.rule == "Test rename" })
        #expect(rename.field("evt.arg.oldpath") == dir + "/b")
        #expect(rename.field("evt.arg.newpath") == dir + "/c")
        let chmod = try #require(alerts.wait { $0.rule == "Test chmod" })
        #expect(chmod.field("evt.arg.filename") == dir + "/c")
        #expect(chmod.field("evt.arg.mode") == "0600")
        let setpriv = SensorHarness.run(["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/bin/true"], directory: dir)
        #expect(setpriv.status == 0)
        let setuid = try #require(alerts.wait { $0.rule == "Test setuid" && $0.field("proc.pid") == String(setpriv.pid) })
        let ids = [setuid.field("evt.arg.ruid"), setuid.field("evt.arg.euid"), setuid.field("evt.arg.uid")]
        #expect(ids.contains("65534"), "\(ids)")
    }

    @Test func aMissingObjectIsATypedError() throws {
        try #require(geteuid() == 0, "run as root")
        let (engine, _) = RulesReport.load([SensorHarness.tradingRules])
        var options = HostSensor.Options()
        options.objectPath = "/nonexistent/tradsec-sensor.bpf.o"
        #expect(throws: SensorError.objectMissing(searched: ["/nonexistent/tradsec-sensor.bpf.o"])) {
            _ = try HostSensor(engine: engine, options: options)
        }
        options.objectPath = nil
        options.ringBufferBytes = 5000
        #expect(throws: SensorError.self) { _ = try HostSensor(engine: engine, options: options) }
        #expect(SensorError.objectMissing(searched: ["x"]).description.contains("apt-get install -y libbpf-dev libelf-dev bpftool, then run make"))
    }
}
}
