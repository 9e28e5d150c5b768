#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
import TradsecCore

/// Alerts read by `tradsec ingest` alone (no `serve`) go through the processing step: an
/// intrusion becomes one escalated incident, listed by `tradsec incidents`.
@Suite(.serialized) struct IncidentsCLITests {
    static func line(_ second: Int, _ rule: String, _ tag: String, priority: String = "Warning", container: String = "3ad7b26ded6d") -> String {
        let t = Timestamp(nanoseconds: 1_763_800_000_000_000_000 + Int64(second) * 1_000_000_000).rfc3339()
        return #"{"time":"\#(t)","rule":"\#(rule)","priority":"\#(priority)","output":"\#(rule)","output_fields":{"container.id":"\#(container)","container.name":"ai-trading-bot","proc.name":"sh"},"hostname":"trade-host-1","source":"syscall","tags":["\#(tag)"]}"#
    }

    @Test func anIntrusionIngestedFromAFileBecomesOneEscalatedIncident() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        writeFile(dir + "/config.yaml", "enrichment:\n  roles:\n    ai-trading-bot: [ai-trading-bot]\n")
        writeFile(dir + "/intrusion.jsonl", [
            Self.line(0, "Terminal shell in container", "mitre_execution", priority: "Notice"),
            Self.line(5, "Read trading API key", "mitre_credential_access"),
            Self.line(9, "Outbound connection to unknown host", "mitre_exfiltration", priority: "Notice"),
            Self.line(12, "Unrelated host alert", "x", container: "host"),
        ].joined(separator: "\n") + "\n")
        var (status, out, err) = Child.run(["ingest", "--db", db, "--config", dir + "/config.yaml", dir + "/intrusion.jsonl"], in: dir)
        #expect(status == 0, "\(err)")

        (status, out, err) = Child.run(["incidents", "--db", db, "--format", "json"], in: dir)
        #expect(status == 0, "\(err)")
        let incidents = out.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(incidents.count == 2)
        let bot = try #require(incidents.first { $0["container_id"]?.stringValue == "3ad7b26ded6d" })
        #expect(bot["escalated"] == .bool(true))
        #expect(bot["alert_count"]?.int64Value == 3)
        #expect(bot["severity"]?.stringValue == "Alert")
        #expect(bot["role"]?.stringValue == "ai-trading-bot")
        #expect(bot["stages"]?.arrayValue?.compactMap(\.stringValue) == ["execution", "credential-access", "exfiltration"])
        for key in ["id", "title", "container_name", "hostname", "opened", "updated", "rules"] { #expect(bot[key] != nil, "\(key)") }

        // Ingesting the same file again stores nothing, and so processes nothing twice.
        (status, _, err) = Child.run(["ingest", "--db", db, "--config", dir + "/config.yaml", dir + "/intrusion.jsonl"], in: dir)
        #expect(err.contains("0 stored, 4 already in the history"))
        (status, out, _) = Child.run(["incidents", "--db", db], in: dir)
        #expect(status == 0)
        #expect(out.contains("Alert ▲") && out.contains("ai-trading-bot"))
        #expect(out.split(separator: "\n").count == 3)   // header and two incidents
    }

    @Test func aBrokenConfigIsAConfigError() {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        writeFile(dir + "/config.yaml", "correlation:\n  windw: 5m\n")
        writeFile(dir + "/a.jsonl", Self.line(0, "R", "x") + "\n")
        let (status, _, err) = Child.run(["ingest", "--db", dir + "/h.sqlite", "--config", dir + "/config.yaml", dir + "/a.jsonl"], in: dir)
        #expect(status == 78)
        #expect(err.contains("windw"))
    }

    /// `make demo`: the bundled incident, played headless, escalates one incident (the bot's)
    /// and its response rule proposes one isolation: one audit row via response, result proposed.
    @Test func theDemoEscalatesAnIncidentAndProposesAnIsolation() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/demo.sqlite"
        var (status, out, err) = Child.run(["demo", "--instant", "--print", "--db", db], in: dir)
        #expect(status == 0, "\(err)")

        (status, out, err) = Child.run(["incidents", "--db", db, "--format", "json"], in: dir)
        #expect(status == 0, "\(err)")
        let incidents = out.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        let escalated = incidents.filter { $0["escalated"] == .bool(true) }
        #expect(escalated.count == 1)
        #expect(escalated.first?["container_name"]?.stringValue == "ai-trading-bot")

        (status, out, err) = Child.run(["audit", "--db", db, "--format", "json"], in: dir)
        #expect(status == 0, "\(err)")
        let rows = out.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row["via"]?.stringValue == "response" && row["result"]?.stringValue == "proposed" && row["action"]?.stringValue == "isolate")
        #expect(row["incident"]?.int64Value == escalated.first?["id"]?.int64Value)
        #expect(row["target"]?.stringValue?.contains("3ad7b26ded6d") == true)
    }
}
