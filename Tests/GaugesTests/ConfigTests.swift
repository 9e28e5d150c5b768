import Assembly
import Config
@testable import Gauges
import Testing

@Suite struct GaugesConfigTests {
    @Test func fullSectionIsRead() throws {
        let c = try TradsecConfig.section(GaugesConfig.self, yaml: """
            theme: default
            gauges:
              interval: 500ms
              history: 60
              root: /host
              falco:
                pid: 812
                healthz: http://127.0.0.1:8765/healthz
                metrics: http://127.0.0.1:8765/metrics
              bot:
                container: ai-trading-bot
                docker_socket: /run/podman/podman.sock
              thresholds:
                falco_memory_warn: 300MB
                falco_memory_critical: 1GiB
                falco_cpu_warn: 40%
                bot_cpu_critical: 190
                bot_memory_warn: 70%
                bot_memory_critical: 2G
                feed_stale_warn: 5m
                feed_stale_critical: 1h
            """, file: "config.yaml")
        #expect(c.interval == 0.5)
        #expect(c.historyLength == 60)
        #expect(c.root == "/host")
        #expect(c.falco.process == .pid(812))
        #expect(c.falco.processUID == 0, "Falco must run as root unless told otherwise")
        #expect(c.bot.container == "ai-trading-bot")
        #expect(c.bot.dockerSocket == "/run/podman/podman.sock")
        #expect(c.thresholds.falcoMemoryWarn == .bytes(300 << 20))
        #expect(c.thresholds.falcoMemoryCritical == .bytes(1 << 30))
        #expect(c.thresholds.falcoCPUWarn == 40)
        #expect(c.thresholds.botCPUCritical == 190)
        #expect(c.thresholds.botMemoryWarn == .ofLimit(0.7))
        #expect(c.thresholds.botMemoryCritical == .bytes(2 << 30))
        #expect(c.thresholds.feedStaleWarnSeconds == 300)
        #expect(c.thresholds.feedStaleCriticalSeconds == 3600)
    }

    @Test func falcosUserCanBeGivenOrTheCheckTurnedOff() throws {
        #expect(try TradsecConfig.section(GaugesConfig.self, yaml: "gauges:\n  falco:\n    process_uid: 472\n", file: "c.yaml").falco.processUID == 472)
        #expect(try TradsecConfig.section(GaugesConfig.self, yaml: "gauges:\n  falco:\n    process_uid: any\n", file: "c.yaml").falco.processUID == nil)
    }

    @Test func absentSectionGivesTheDefaults() throws {
        let c = try TradsecConfig.section(GaugesConfig.self, yaml: "theme: default\n", file: "c.yaml")
        #expect(c == GaugesConfig())
        #expect(c.falco.process == .name("falco"))
        #expect(c.thresholds.falcoMemoryWarn == .bytes(400 << 20))
        #expect(!c.bot.isConfigured)
    }

    @Test(arguments: [
        ("gauges:\n  falco:\n    proces: falco\n", ":3:", "unknown key 'proces' in gauges.falco; did you mean 'process'?"),
        ("gauges:\n  intervall: 2s\n", ":2:", "unknown key 'intervall' in gauges; did you mean 'interval'?"),
        ("gauges:\n  thresholds:\n    falco_mem_warn: 1G\n", ":3:", "unknown key 'falco_mem_warn' in gauges.thresholds"),
        ("gauges:\n  bot:\n    container: ai-bot\n    pid: 4\n", ":3:", "give one of container"),
        ("gauges:\n  bot:\n    container: 'a/../b'\n", ":3:", "must be a container name or id, not 'a/../b'"),
        ("gauges:\n  falco:\n    healthz: localhost:8765\n", ":3:", "must be an http:// or https:// URL"),
        ("gauges:\n  interval: soon\n", ":2:", "must be a duration"),
        ("gauges:\n  history: 1\n", ":2:", "whole number from 2"),
        ("gauges:\n  falco:\n    process_uid: root\n", ":3:", "process_uid must be a user id (0 to 4294967295) or any, not 'root'"),
        ("gauges:\n  thresholds:\n    falco_memory_warn: lots\n", ":3:", "must be a size (400MB, 1GiB, 512KiB) or a percentage of the limit (80%), not 'lots'"),
        ("gauges:\n  thresholds:\n    bot_memory_warn: 150%\n", ":3:", "must be a percentage of the limit (1% to 100%), not '150%'"),
        ("gauges:\n  root: relative/dir\n", ":2:", "absolute path"),
        ("gauges: [1, 2]\n", ":1:", "must be a mapping"),
    ])
    func mistakesAreRefusedWithFileAndLine(yaml: String, line: String, message: String) {
        #expect {
            try TradsecConfig.section(GaugesConfig.self, yaml: yaml, file: "/etc/tradsec/config.yaml")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("/etc/tradsec/config.yaml" + line) && text.contains(message)
        }
    }
}
