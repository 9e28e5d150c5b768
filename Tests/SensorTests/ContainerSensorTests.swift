#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RuleEngine
import Testing
import TestSupport
import TradsecCore
@testable import Sensor

/// The live sensor on activity inside a real podman container: the container's id (from the
/// process's cgroup) and name and image (from podman's Docker-compatible API), and the trading
/// pack's rules firing from what the container does.
extension LiveSensorTests {
@Suite struct ContainerSensorTests {
    @Test func containerActivityCarriesTheContainerAndFiresTradingRules() throws {
        try SensorHarness.requirements()
        let engine = try PodmanEngine()
        defer { engine.stop() }
        let dir = makeTemporaryDirectory(prefix: "tradsec-sensor")
        defer { removeTree(dir) }
        let name = "tsbot-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        // The container counts as a trading container: its name joins the pack's list.
        let local = SensorHarness.rulesFile("""
            - list: trading_container_names
              items: [\(name)]
              override:
                items: append
            - rule: Test container shadow read
              desc: /etc/shadow read inside a container
              condition: evt.type in (open, openat) and evt.is_open_read=true and fd.name = /etc/shadow and container.id != host
              output: shadow container_id=%container.id container_name=%container.name image=%container.image.repository type=%container.type cmdline=%proc.cmdline parent=%proc.pname
              priority: WARNING
            - rule: Test container connect
              desc: a connection attempt from a container
              condition: evt.type = connect and container.id != host and fd.sport = 4444
              output: connect sip=%fd.sip sport=%fd.sport res=%evt.res container_id=%container.id container_name=%container.name cmdline=%proc.cmdline
              priority: NOTICE
            """, in: dir)
        var options = HostSensor.Options()
        options.engineSockets = [engine.socket]
        let (sensor, alerts) = try SensorHarness.start(rules: [SensorHarness.officialRules, SensorHarness.tradingRules, local], options: options)
        defer { sensor.stop() }

        let id = try engine.podman(["run", "-d", "--name", name, "--network", "none", PodmanEngine.image,
                                    "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"])
        defer { engine.removeContainer(name) }
        let shortID = String(id.prefix(12))
        try #require(shortID.count == 12 && shortID.allSatisfy(\.isHexDigit), "podman run printed \(id)")

        // Programs by path: the image's static busybox runs bare applet names through
        // /proc/self/exe, whose command name (proc.name, as in Falco) is then "exe".
        try engine.podman(["exec", name, "sh", "-c", """
            /bin/cat /etc/shadow > /dev/null
            /bin/mkdir -p /app/data && echo 'ts,price' > /app/data/fills.csv && /bin/cat /app/data/fills.csv > /dev/null
            /bin/tar -cf /tmp/loot.tar /app/data
            echo 'API_KEY=x' > /app/.env && /bin/cat /app/.env > /dev/null
            echo implant > /bin/implant
            /bin/nc -w 1 192.0.2.1 4444 < /dev/null || true
            """])

        let shadow = try #require(alerts.wait { $0.rule == "Test container shadow read" && $0.field("container.id") == shortID },
                                  "alerts: \(alerts.all.map { $0.rule + " " + ($0.field("container.id") ?? "") })")
        #expect(shadow.field("container.name") == name)
        #expect(shadow.field("container.image.repository") == "localhost/bbox")
        #expect(shadow.field("container.type") == "podman")
        #expect(shadow.field("proc.cmdline") == "cat /etc/shadow")
        #expect(shadow.field("proc.pname") == "sh")

        // The trading pack, live: each alert names the container.
        for rule in ["Trading Data Read by Shell or Network Tool", "Archive Tool Run in Trading Container",
                     "Exchange API Key Read by Untrusted Process", "Write Below Binary Directory in Trading Container"] {
            let alert = alerts.wait { $0.rule == rule && $0.field("container.id") == shortID }
            #expect(alert != nil, "no '\(rule)' alert for container \(shortID)")
            #expect(alert?.field("container.name") == name)
        }
        let archive = alerts.wait { $0.rule == "Archive Tool Run in Trading Container" && $0.field("container.id") == shortID }
        #expect(archive?.field("proc.cmdline") == "tar -cf /tmp/loot.tar /app/data")
        let data = alerts.wait { $0.rule == "Trading Data Read by Shell or Network Tool" && $0.field("container.id") == shortID }
        #expect(data?.field("fd.name") == "/app/data/fills.csv")
        let implant = alerts.wait { $0.rule == "Write Below Binary Directory in Trading Container" && $0.field("container.id") == shortID }
        #expect(implant?.field("fd.name") == "/bin/implant")

        // A connection attempt with no network: the address comes from the caller's sockaddr.
        let connect = try #require(alerts.wait { $0.rule == "Test container connect" && $0.field("container.id") == shortID })
        #expect(connect.field("fd.sip") == "192.0.2.1")
        #expect(connect.field("fd.sport") == "4444")
        #expect(connect.field("container.name") == name)
        #expect(connect.field("evt.res")?.hasPrefix("E") == true)

        // Nothing of this lands on the host's container id.
        #expect(!alerts.all.contains { $0.rule == "Test container shadow read" && $0.field("container.id") == "host" })
        let stats = SensorHarness.statistics(sensor) { $0.containerLookups >= 1 }
        #expect(stats.containerLookups >= 1, "\(stats)")
    }
}
}
