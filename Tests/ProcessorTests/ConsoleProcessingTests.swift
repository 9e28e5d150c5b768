import AlertStore
import Assembly
import Console
import Foundation
import TestSupport
import Testing
import TradsecCore

/// The console's own sources go through the processing step that `ingest` and `serve` run;
/// a console that follows a processor computes none of it.
@Suite struct ConsoleProcessingTests {
    /// Services for `tradsec console --config FILE --source SPEC...` on `db`.
    func services(_ specs: [String], db: String, config: String) throws -> ConsoleServices {
        var flags = ConsoleFlags(databasePath: db)
        flags.sources = specs
        let plan = try ConsoleAssembly.plan(flags, config: TradsecConfig.load(flag: config), environment: [:])
        return try ConsoleAssembly.services(plan)
    }

    @Test func alertsFromAFollowedFileAreEnrichedAndCorrelatedIntoAnIncident() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        writeFile(dir + "/config.yaml", "enrichment:\n  roles:\n    ai-trading-bot: [bot-*]\n")
        let bot = (name: "bot-1", id: "0123456789ab")
        let lines = [
            falcoAlert(rule: "Terminal shell in container", container: bot.name, containerID: bot.id, tags: ["mitre_execution"]),
            falcoAlert(rule: "Read trading API key", priority: "Warning", container: bot.name, containerID: bot.id, tags: ["mitre_credential_access"]),
            falcoAlert(rule: "Outbound connection to unknown host", container: bot.name, containerID: bot.id, tags: ["mitre_exfiltration"]),
        ]
        writeFile(dir + "/falco.json", lines.joined(separator: "\n") + "\n")
        let services = try services(["falco-file=\(dir)/falco.json"], db: dir + "/h.sqlite", config: dir + "/config.yaml")
        #expect(services.sources.map(\.name) == ["falco-file:\(dir)/falco.json", "processing"])
        for source in services.sources { source.start(store: services.store) }
        defer { for source in services.sources { source.stop() } }

        try waitFor { try services.store.incidents().first?.alertCount == 3 }
        let incident = try #require(try services.store.incidents().first)
        #expect(incident.containerID == bot.id && incident.role == "ai-trading-bot")
        #expect(incident.escalated)
        let ids = try services.store.alerts(AlertQuery(limit: 10)).map(\.id)
        let enrichment = try services.store.enrichment(for: ids)
        #expect(ids.count == 3 && ids.allSatisfy { enrichment[$0]?.role == "ai-trading-bot" && enrichment[$0]?.incidentID == incident.id })
        let status = try #require(services.sources.last?.status)
        #expect(status.state == .running && status.counters.stored == 3)
    }

    @Test func aConsoleOnlyFollowingAProcessorRunsNoProcessingOfItsOwn() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        writeFile(dir + "/config.yaml", "correlation:\n  window: 5m\n")
        let services = try services(["processor=http://127.0.0.1:9"], db: dir + "/h.sqlite", config: dir + "/config.yaml")
        #expect(services.sources.map(\.name).contains("processing") == false)
    }

    @Test func aBrokenProcessingSectionStopsTheConsoleWithItsLine() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        writeFile(dir + "/config.yaml", "response:\n  rules:\n    - {name: r, actions: [explode]}\n")
        #expect {
            _ = try services(["falco-file=\(dir)/falco.json"], db: dir + "/h.sqlite", config: dir + "/config.yaml")
        } throws: { error in
            (error as? AssemblyError)?.exitCode == 78 && "\(error)".hasPrefix(dir + "/config.yaml:3:") && "\(error)".contains("explode")
        }
    }

    /// One parser for `--source` and `sources:`: every kind from either, relative paths in the
    /// file relative to the file, mistakes at file:line (78) or as a usage error (64).
    @Test func everySourceKindComesFromTheFlagAndTheConfigAlike() throws {
        let kinds = ["falco-file=/var/log/falco.json", "socket=/run/falco.sock", "processor=http://127.0.0.1:8080",
                     "events=/srv/capture.jsonl", "demo=20", "demo=0", "host"]
        let expected: [SourceSpec] = [.falcoFile("/var/log/falco.json"), .socket("/run/falco.sock"), .processor("http://127.0.0.1:8080"),
                                      .events("/srv/capture.jsonl"), .demo(speed: 20), .demo(speed: nil), .host]
        #expect(try kinds.map { try SourceSpec.parse(flag: $0) } == expected)
        let yaml = "sources:\n" + kinds.map { "  - \($0)\n" }.joined() + "  - events=capture.jsonl\n"
        let fromFile = try TradsecConfig.section(SourceList.self, yaml: yaml, file: "/etc/tradsec/config.yaml").specs
        #expect(fromFile == expected + [.events("/etc/tradsec/capture.jsonl")])

        #expect { try TradsecConfig.section(SourceList.self, yaml: "sources:\n  - host\n  - carrier-pigeon=1\n", file: "c.yaml") } throws: { error in
            "\(error)".hasPrefix("c.yaml:3: ") && "\(error)".contains("unknown kind 'carrier-pigeon'")
        }
        #expect { try SourceSpec.parse(flag: "demo=fast") } throws: { error in (error as? AssemblyError)?.exitCode == 64 }
    }
}
