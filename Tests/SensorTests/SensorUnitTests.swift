import Assembly
import CSensor
import Config
import Foundation
import RuleEngine
@testable import Sensor
import TestSupport
import Testing
import TradsecCore

@Suite struct ContainerIdentityTests {
    let id = "3f9c2a7be1d04c5e8a6b1f2d3c4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f"

    @Test func layoutsOfTheEngines() {
        let cases: [(String, String)] = [
            ("/libpod_parent/libpod-\(id)", "podman"),                              // podman, cgroupfs manager
            ("/libpod_parent/libpod-\(id)/container", "podman"),                    // podman with a child group
            ("/machine.slice/libpod-\(id).scope", "podman"),                        // podman, systemd manager
            ("/system.slice/docker-\(id).scope", "docker"),                         // Docker, systemd driver
            ("/docker/\(id)", "docker"),                                             // Docker, cgroupfs driver
            ("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/cri-containerd-\(id).scope", "containerd"),
            ("/kubepods/besteffort/pod0a1b/\(id)", "containerd"),
            ("/kubepods.slice/kubepods-pod2.slice/crio-\(id).scope", "cri-o"),
        ]
        for (path, type) in cases {
            let identity = ContainerIdentity.from(cgroupPath: path)
            #expect(identity.id == String(id.prefix(12)), "\(path)")
            #expect(identity.fullID == id)
            #expect(identity.type == type, "\(path)")
        }
    }

    @Test func hostAndLookalikes() {
        for path in ["/", "/user.slice/user-0.slice/session-1.scope", "/libpod_parent/conmon",
                     "/machine.slice/libpod-conmon-\(id).scope", "/docker/\(id.uppercased())", "/docker/\(id.prefix(63))"] {
            #expect(ContainerIdentity.from(cgroupPath: path) == .host, "\(path)")
        }
    }

    @Test func leafFirstComponentsAsTheKernelSendsThem() {
        let identity = ContainerIdentity.from(cgroupComponents: ["container", Substring("libpod-\(id)"), "libpod_parent"])
        #expect(identity.id == String(id.prefix(12)))
    }
}

@Suite struct PathTextTests {
    @Test func relativePathsJoinTheirDirectory() {
        #expect(PathText.resolve("share/../../etc/shadow", against: "/usr") == "/etc/shadow")
        #expect(PathText.resolve("./shadow", against: "/etc") == "/etc/shadow")
        #expect(PathText.resolve("/etc//./passwd", against: "/tmp") == "/etc/passwd")
        #expect(PathText.resolve("../../../../x", against: "/a") == "/x")
        #expect(PathText.resolve("x", against: nil) == "x")
        #expect(PathText.split("/etc/shadow") == ("/etc", "shadow"))
        #expect(PathText.split("/shadow") == ("/", "shadow"))
    }
}

@Suite struct ValueTextTests {
    @Test func openFlagsAsFalcoShowsThem() {
        // The strings of the conformance captures.
        #expect(ValueText.openFlags(0o2000000) == "O_RDONLY|O_CLOEXEC")
        #expect(ValueText.openFlags(0o1000 | 0o100 | 1) == "O_TRUNC|O_CREAT|O_WRONLY")
        #expect(ValueText.openFlags(0o200000 | 0o4000 | 0o2000000) == "O_DIRECTORY|O_NONBLOCK|O_RDONLY|O_CLOEXEC")
        #expect(ValueText.isOpenRead(2) && ValueText.isOpenWrite(2))
        #expect(ValueText.isOpenRead(0) && !ValueText.isOpenWrite(0))
        #expect(!ValueText.isOpenRead(1) && ValueText.isOpenWrite(1))
    }

    @Test func resultsRequestsAndCapabilities() {
        #expect(ValueText.result(3) == "SUCCESS")
        #expect(ValueText.result(-2) == "ENOENT")
        #expect(ValueText.result(-115) == "EINPROGRESS")
        #expect(ValueText.result(Int64.min) == String(Int64.min))
        #expect(ValueText.ptraceRequest(16) == "PTRACE_ATTACH")
        #expect(ValueText.ptraceRequest(0x4206) == "PTRACE_SEIZE")
        #expect(ValueText.ptraceRequest(-1) == "PTRACE_UNKNOWN")
        #expect(ValueText.capabilities(1 << 21 | 1 << 1) == "CAP_DAC_OVERRIDE CAP_SYS_ADMIN")
        #expect(ValueText.socketDomain(17) == "AF_PACKET")
        #expect(ValueText.timeOfDay(1_522_704_423_470_393_498) == "21:27:03.470393498")
    }

    @Test func ipv6TextFollowsRFC5952() {
        func bytes(_ groups: [UInt16]) -> [UInt8] { groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] } }
        #expect(SocketView.v6(bytes([0, 0, 0, 0, 0, 0, 0, 1])) == "::1")
        #expect(SocketView.v6(bytes([0x2001, 0xdb8, 0, 0, 0, 0, 0, 3])) == "2001:db8::3")
        #expect(SocketView.v6(bytes([0x2001, 0xdb8, 1, 0, 1, 0, 0, 1])) == "2001:db8:1:0:1::1")
        #expect(SocketView.v6(bytes([1, 2, 3, 4, 5, 6, 7, 8])) == "1:2:3:4:5:6:7:8")
    }
}

@Suite struct ContainerDetailsTests {
    @Test func inspectReply() throws {
        let reply = try JSONParser.parse(Array("""
            {"Id":"abc","Name":"/ai-trading-bot","Image":"sha256:0123","Config":{"Image":"registry.example:5000/acme/bot:1.4@sha256:ff",
             "Healthcheck":{"Test":["CMD-SHELL","curl -f http://localhost/ || exit 1"]}},
             "HostConfig":{"Privileged":true},"State":{"StartedAt":"2026-12-05T10:00:00.5Z"}}
            """.utf8))
        let details = try #require(ContainerDetails.parse(reply))
        #expect(details.name == "ai-trading-bot")
        #expect(details.imageRepository == "registry.example:5000/acme/bot")
        #expect(details.imageTag == "1.4")
        #expect(details.imageID == "0123")
        #expect(details.privileged)
        #expect(details.startNanos == Timestamp(rfc3339: "2026-12-05T10:00:00.5Z")?.nanoseconds)
        #expect(details.healthcheck == ["/bin/sh", "-c", "curl -f http://localhost/ || exit 1"])
        #expect(ContainerDetails.splitImage("localhost:5000/bbox") == ("localhost:5000/bbox", ""))
        #expect(ContainerDetails.parse(.object(JSONObject())) == nil)
    }
}

@Suite struct SensorConfigTests {
    @Test func sectionAndErrors() throws {
        let config = try TradsecConfig.section(SensorConfig.self, yaml: """
            sensor:
              ring_buffer: 16MB
              engine_sockets: [/run/podman/podman.sock]
              rules: rules/local.yaml
            """, file: "c.yaml", directory: "/etc/tradsec")
        #expect(config.ringBufferBytes == 16 << 20)
        #expect(config.engineSockets == ["/run/podman/podman.sock"])
        #expect(config.rules == ["/etc/tradsec/rules/local.yaml"])
        #expect(throws: ConfigError.self) { try TradsecConfig.section(SensorConfig.self, yaml: "sensor:\n  ring_buffer: 3MB\n", file: "c.yaml", directory: "/") }
        do {
            _ = try TradsecConfig.section(SensorConfig.self, yaml: "sensor:\n  ringbuffer: 8MB\n", file: "c.yaml", directory: "/")
            Issue.record("an unknown key was accepted")
        } catch {
            #expect(error.description.contains("c.yaml:2"))
            #expect(error.description.contains("ringbuffer"))
        }
        #expect(try TradsecConfig.section(SensorConfig.self, yaml: "gauges: {}\n", file: "c.yaml", directory: "/") == SensorConfig())
    }
}

@Suite struct CoverageTests {
    /// The official rules and the trading pack as the sensor takes them: which rules run, which
    /// are skipped and why, which syscalls are watched (no kernel needed).
    @Test func officialRulesAndTheTradingPack() throws {
        let (engine, results) = RulesReport.load([SensorHarness.officialRules, SensorHarness.tradingRules])
        try #require(engine.isValid, "\(RulesReport.validationText(results: results))")
        let coverage = CoverageAnalysis.apply(to: engine)
        let skipped = Dictionary(uniqueKeysWithValues: coverage.skipped.map { ($0.rule, $0.reason) })
        #expect(skipped["Contact K8S API Server From Container"]?.contains("k8s.ns.name") == true)
        #expect(skipped["Redirect STDOUT/STDIN to Network Connection in Container"]?.contains("dup") == true)
        #expect(skipped.count == 2, "\(coverage.report)")
        // Skipped rules are disabled in the engine; the rest are left as they were.
        #expect(!engine.enabledRules.contains { skipped[$0.name] != nil })
        for rule in ["Read sensitive file untrusted", "Run shell untrusted", "Terminal shell in container", "PTRACE attached to process",
                     "Packet socket created in container", "Linux Kernel Module Injection Detected", "Disallowed SSH Connection Non Standard Port"] {
            #expect(coverage.active.contains(rule), "\(rule): \(skipped[rule] ?? "not loaded")")
        }
        // Every rule of the trading pack runs.
        let (pack, _) = RulesReport.load([SensorHarness.tradingRules])
        for rule in pack.ruleSummaries.map(\.name) { #expect(coverage.active.contains(rule), "\(rule): \(skipped[rule] ?? "")") }
        for name in ["openat", "connect", "socket", "ptrace", "execve", "init_module", "symlinkat"] {
            #expect(coverage.watchedSyscalls.contains(name), "\(name)")
        }
        #expect(!coverage.watchedSyscalls.contains("setuid"))   // no loaded rule reads it
        #expect(coverage.serverNames.contains("api.binance.com"))
    }

    @Test func fieldsOfConditions() {
        #expect(CoverageAnalysis.fillable("proc.aname[3]"))
        #expect(CoverageAnalysis.fillable("evt.arg.flags"))
        #expect(CoverageAnalysis.fillable("evt.arg[flags]"))
        #expect(CoverageAnalysis.fillable("fd.snet"))
        #expect(!CoverageAnalysis.fillable("fd.proto"))
        #expect(!CoverageAnalysis.fillable("k8s.pod.name"))
        #expect(!CoverageAnalysis.fillable("evt.arg.queuepct"))
        #expect(!CoverageAnalysis.fillable("evt.arg[0]"))
        #expect(!CoverageAnalysis.fillable("no.such.field"))
    }
}

@Suite struct KernelRecordTests {
    /// A record laid out as the kernel side writes it: the header, then the strings.
    static func record(kind: UInt16, strings: [[UInt8]], sizeDelta: Int = 0) -> [UInt8] {
        var header = tsr_record()
        header.kind = kind
        let lengths = strings.map { UInt16($0.count) } + Array(repeating: 0, count: 6 - strings.count)
        header.len = (lengths[0], lengths[1], lengths[2], lengths[3], lengths[4], lengths[5])
        let total = KernelRecord.headerSize + strings.reduce(0) { $0 + $1.count }
        header.size = UInt16(total + sizeDelta)
        var bytes = withUnsafeBytes(of: header) { Array($0) }
        for s in strings { bytes += s }
        return bytes
    }

    @Test func stringsAndKernelPaths() throws {
        let bytes = Self.record(kind: UInt16(TSR_KIND_EXEC.rawValue), strings: [
            Array("/usr/bin/cat".utf8), Array("cat\0bin\0usr".utf8), Array("cat\0/etc/shadow\0-n".utf8), Array("cat".utf8), Array("/".utf8),
        ])
        try bytes.withUnsafeBytes { raw in
            let record = try #require(KernelRecord(raw.baseAddress!, size: raw.count))
            #expect(record.text(0) == "/usr/bin/cat")
            #expect(record.kernelPath(1) == "/usr/bin/cat")
            #expect(record.arguments(2) == ["cat", "/etc/shadow", "-n"])
            #expect(record.text(3) == "cat")
            #expect(record.kernelPath(4) == "/")
            #expect(record.kernelPath(5) == nil)
        }
    }

    @Test func aRecordLongerThanItsBytesIsRefused() {
        let bytes = Self.record(kind: 1, strings: [Array("abc".utf8)], sizeDelta: 10)
        bytes.withUnsafeBytes { raw in #expect(KernelRecord(raw.baseAddress!, size: raw.count) == nil) }
        let short = Self.record(kind: 1, strings: [Array("abc".utf8)])
        short.withUnsafeBytes { raw in #expect(KernelRecord(raw.baseAddress!, size: raw.count - 2) == nil) }
        [UInt8](repeating: 0, count: 8).withUnsafeBytes { raw in #expect(KernelRecord(raw.baseAddress!, size: 8) == nil) }
    }
}

@Suite struct PathNormalTests {
    @Test func normalPathsAreLeftAlone() {
        for path in ["/etc/shadow", "/a/...b/c", "/a/.hidden", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/a/..."] {
            #expect(PathText.isNormal(path), "\(path)")
            #expect(PathText.normalize(path) == path)
        }
        for (path, normal) in [("/a//b", "/a/b"), ("/a/./b", "/a/b"), ("/a/../b", "/b"), ("/a/b/", "/a/b"), ("/a/.", "/a"), ("/a/..", "/"), ("/", "/")] {
            #expect(!PathText.isNormal(path), "\(path)")
            #expect(PathText.normalize(path) == normal, "\(path)")
        }
    }
}
