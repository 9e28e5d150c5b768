#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
import TradsecCore
@testable import Sensor

extension LiveSensorTests {
    /// `tradsec serve --sensor`: the processor runs the host sensor, stores its alerts, and
    /// exposes its counters on /metrics (promtool accepts the whole exposition) and /health.
    @Suite struct ServeSensorTests {
        /// A started serve (its base URL), or why not.
        static func serve(_ arguments: [String], in dir: String, environment: [String] = ChildProcess.inheritedEnvironment) throws -> (ChildProcess, String) {
            let child = try #require(ChildProcess.start([ChildProcess.tradsec, "serve", "--db", dir + "/h.sqlite", "--listen", "127.0.0.1:0"] + arguments,
                                                        stdoutPath: dir + "/serve.out", stderrPath: dir + "/serve.err", environment: environment))
            let deadline = Monotonic.seconds() + 30
            var base = ""
            while base.isEmpty && Monotonic.seconds() < deadline {
                let err = readFile(dir + "/serve.err")
                if let range = err.range(of: "listening on http://127.0.0.1:") {
                    base = "http://127.0.0.1:" + err[range.upperBound...].prefix(while: \.isNumber)
                }
                usleep(20_000)
            }
            if base.isEmpty { kill(child.pid, SIGTERM); _ = child.wait() }
            try #require(!base.isEmpty, "serve did not start: \(readFile(dir + "/serve.err"))")
            return (child, base)
        }

        static func get(_ url: String, in dir: String) -> String {
            let out = dir + "/get-\(UInt32.random(in: 0...UInt32.max))"
            guard let curl = ChildProcess.start(["/usr/bin/curl", "-s", url], stdoutPath: out), curl.wait() == 0 else {
                Issue.record("curl \(url) failed")
                return ""
            }
            return readFile(out)
        }

        @Test func serveWithTheSensorStoresItsAlertsAndExposesItsCounters() throws {
            try SensorHarness.requirements()
            let dir = makeTemporaryDirectory(prefix: "tradsec-serve-sensor")
            defer { removeTree(dir) }
            let target = dir + "/" + SensorHarness.marker()
            writeFile(target, "x\n")
            let rules = SensorHarness.rulesFile("""
                - rule: Test serve sensor
                  desc: an open of the test's file
                  condition: evt.type in (open, openat) and fd.name = \(target)
                  output: opened file=%fd.name pid=%proc.pid
                  priority: ERROR
                """, in: dir)
            writeFile(dir + "/config.yaml", "sensor:\n  rules: [\(rules)]\n")
            let (serve, base) = try Self.serve(["--sensor", "--config", dir + "/config.yaml"], in: dir)
            defer { kill(serve.pid, SIGTERM); _ = serve.wait() }
            let deadline = Monotonic.seconds() + 20
            while !readFile(dir + "/serve.err").contains("sensor is watching") && Monotonic.seconds() < deadline { usleep(20_000) }
            let cat = SensorHarness.run(["/bin/cat", target], directory: dir)
            // Stored like any other alert: /events has it.
            var events = ""
            while !events.contains("\"proc.pid\":\(cat.pid)") && Monotonic.seconds() < deadline {
                usleep(100_000)
                events = Self.get(base + "/events?rule=Test%20serve%20sensor", in: dir)
            }
            #expect(events.contains("\"proc.pid\":\(cat.pid)"), "\(events)\n\(readFile(dir + "/serve.err"))")

            let metrics = Self.get(base + "/metrics", in: dir)
            #expect(metrics.contains("tradsec_sensor_up 1\n"))
            let events_ = metrics.split(separator: "\n").first { $0.hasPrefix("tradsec_sensor_events_total ") }
            #expect(UInt64(events_?.split(separator: " ").last ?? "") ?? 0 > 0, "\(metrics)")
            for reason in DropReason.allCases { #expect(metrics.contains("tradsec_sensor_drops_total{reason=\"\(reason.rawValue)\"} ")) }
            #expect(metrics.contains("tradsec_sensor_cpu_seconds_total{part=\"consumer\"} "))
            #expect(metrics.contains("tradsec_sensor_alerts_total "))
            // The processor's own families are still there: one exposition.
            #expect(metrics.contains("tradsec_alerts_received_total"))
            let promtool = "/usr/bin/promtool"
            if access(promtool, X_OK) == 0 {
                writeFile(dir + "/metrics.txt", metrics)
                let check = try #require(ChildProcess.start([promtool, "check", "metrics"], stdin: dir + "/metrics.txt", stdoutPath: dir + "/promtool.out"))
                #expect(check.wait() == 0, "promtool: \(readFile(dir + "/promtool.out"))")
            } else {
                Issue.record("promtool is missing: apt-get install -y --no-install-recommends prometheus (or make test)")
            }
            let health = Self.get(base + "/health", in: dir)
            #expect(health.contains("\"sensor\":{\"state\":\"running\""), "\(health)")
        }

        /// A sensor the machine cannot run: serve says why and serves on; /metrics says it is down.
        @Test func serveWithoutTheBPFObjectServesOnAndSaysWhy() throws {
            try #require(geteuid() == 0, "run as root")
            let dir = makeTemporaryDirectory(prefix: "tradsec-serve-sensor")
            defer { removeTree(dir) }
            writeFile(dir + "/empty.yaml", "")
            let environment = ChildProcess.inheritedEnvironment.filter { !$0.hasPrefix("TRADSEC_SENSOR_OBJECT=") }
                + ["TRADSEC_SENSOR_OBJECT=" + dir + "/none.bpf.o"]
            let (serve, base) = try Self.serve(["--sensor", "--config", dir + "/empty.yaml"], in: dir, environment: environment)
            defer { kill(serve.pid, SIGTERM); _ = serve.wait() }
            let deadline = Monotonic.seconds() + 10
            while !readFile(dir + "/serve.err").contains("serving without it") && Monotonic.seconds() < deadline { usleep(20_000) }
            #expect(readFile(dir + "/serve.err").contains("the host sensor cannot start: the sensor's BPF object"))
            let metrics = Self.get(base + "/metrics", in: dir)
            #expect(metrics.contains("tradsec_sensor_up 0\n"), "\(metrics)")
            #expect(!metrics.contains("tradsec_sensor_events_total"))
            let health = Self.get(base + "/health", in: dir)
            #expect(health.contains("\"sensor\":{\"state\":\"failed\",\"error\":\"the host sensor cannot start: the sensor's BPF object"), "\(health)")
            #expect(health.hasPrefix("{\"status\":\"ok\""))
        }
    }
}
