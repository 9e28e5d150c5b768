#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
import Testing
import TestSupport
import TradsecCore

/// Response rules end to end: alerts read by `tradsec ingest` alone go through the processing
/// step, whose rules propose or take actions on a real container engine (podman).
@Suite("Response rules against a real container engine", .serialized, .podmanEngine)
struct ResponseEngineTests {
    static func line(_ second: Int, _ rule: String, _ tag: String, container: (name: String, id: String), priority: String = "Warning") -> String {
        let t = Timestamp.now().adding(nanoseconds: Int64(second - 30) * 1_000_000_000).rfc3339()
        return #"{"time":"\#(t)","rule":"\#(rule)","priority":"\#(priority)","output":"\#(rule)","output_fields":{"container.id":"\#(container.id)","container.name":"\#(container.name)","proc.name":"sh"},"hostname":"trade-host-1","source":"syscall","tags":["\#(tag)"]}"#
    }

    static func intrusion(_ container: (name: String, id: String)) -> String {
        [line(0, "Terminal shell in container", "mitre_execution", container: container, priority: "Notice"),
         line(5, "Read trading API key", "mitre_credential_access", container: container),
         line(9, "Outbound connection to unknown host", "mitre_exfiltration", container: container, priority: "Notice")]
            .joined(separator: "\n") + "\n"
    }

    func auditRows(_ ws: Workspace) throws -> [JSONValue] {
        try tradsec(["audit", "--db", ws.dbPath, "--format", "json"], in: ws.directory).1.split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }

    @Test("auto mode isolates the container the engine resolves by id, once; restore undoes it")
    func autoIsolateAndRestore() throws {
        let engine = try PodmanEngine.shared()
        let ws = try Workspace()
        defer { ws.cleanup() }
        let net = try engine.makeNetwork()
        defer { engine.removeNetwork(net.name) }
        let bot = try engine.makeContainer(network: net.name)
        defer { engine.removeContainer(bot.name) }
        let config = ws.directory + "/config.yaml"
        writeFile(config, """
            actions:
              docker: {socket: \(engine.socket)}
            response:
              rules:
                - name: isolate the bot on an escalated intrusion
                  match: {containers: [\(bot.name)], escalated: true}
                  actions: [isolate]
                  mode: auto
                  cooldown: 10m
            """)
        // Falco names the container by its short id; the name is only what the alert claims.
        let alerts = ws.directory + "/intrusion.jsonl"
        writeFile(alerts, Self.intrusion((bot.name, String(bot.id.prefix(12)))))
        let (status, _, err) = tradsec(["ingest", "--db", ws.dbPath, "--config", config, alerts], in: ws.directory)
        #expect(status == 0, "\(err)")
        let client = DockerEngineClient(socketPath: engine.socket)
        #expect(try client.inspect(bot.id).value["NetworkSettings"]?["Networks"] == .object(JSONObject()), "isolated by the response rule")
        let response = try auditRows(ws).filter { $0["via"]?.stringValue == "response" }
        #expect(response.count == 1, "escalated twice, acted once (the cooldown)")
        #expect(response.first?["action"]?.stringValue == "isolate")
        #expect(response.first?["result"]?.stringValue == "done")
        #expect(response.first?["target"]?.stringValue == bot.name)

        let restored = tradsec(["action", "restore", "--target", bot.name, "--db", ws.dbPath, "--config", config], in: ws.directory)
        #expect(restored.0 == 0, "\(restored.2)")
        #expect(try client.inspect(bot.id).value["NetworkSettings"]?["Networks"]?.objectValue?.pairs.map(\.0) == [net.name])
    }

    @Test("a forged alert naming another container by name is not acted on: the id does not resolve")
    func forgedNameIsNotFollowed() throws {
        let engine = try PodmanEngine.shared()
        let ws = try Workspace()
        defer { ws.cleanup() }
        let net = try engine.makeNetwork()
        defer { engine.removeNetwork(net.name) }
        let bot = try engine.makeContainer(network: net.name)
        defer { engine.removeContainer(bot.name) }
        let config = ws.directory + "/config.yaml"
        writeFile(config, """
            actions:
              docker: {socket: \(engine.socket)}
            response:
              rules:
                - {name: isolate anything escalated, match: {escalated: true}, actions: [isolate], mode: auto}
            """)
        // container.id is the bot's *name*: an engine resolving by name would isolate the bot.
        let alerts = ws.directory + "/forged.jsonl"
        writeFile(alerts, Self.intrusion((name: "cryptominer", id: bot.name)))
        #expect(tradsec(["ingest", "--db", ws.dbPath, "--config", config, alerts], in: ws.directory).0 == 0)
        let client = DockerEngineClient(socketPath: engine.socket)
        #expect(try client.inspect(bot.id).value["NetworkSettings"]?["Networks"]?.objectValue?.pairs.map(\.0) == [net.name], "untouched")
        let response = try auditRows(ws).filter { $0["via"]?.stringValue == "response" }
        #expect(response.count == 1)
        #expect(response.first?["result"]?.stringValue == "refused")
        #expect(response.first?["message"]?.stringValue?.contains("not one the engine lists by that id") == true)
    }

    @Test("propose mode gives exactly one audit row per proposal and acts on nothing")
    func proposeOnly() throws {
        let engine = try PodmanEngine.shared()
        let ws = try Workspace()
        defer { ws.cleanup() }
        let net = try engine.makeNetwork()
        defer { engine.removeNetwork(net.name) }
        let bot = try engine.makeContainer(network: net.name)
        defer { engine.removeContainer(bot.name) }
        let config = ws.directory + "/config.yaml"
        writeFile(config, """
            actions:
              docker: {socket: \(engine.socket)}
            response:
              rules:
                - {name: propose isolation, match: {containers: [\(bot.name)], escalated: true}, actions: [isolate]}
            """)
        let alerts = ws.directory + "/intrusion.jsonl"
        writeFile(alerts, Self.intrusion((bot.name, String(bot.id.prefix(12)))))
        #expect(tradsec(["ingest", "--db", ws.dbPath, "--config", config, alerts], in: ws.directory).0 == 0)
        // Ingesting the same lines again processes nothing again, so proposes nothing again.
        #expect(tradsec(["ingest", "--db", ws.dbPath, "--config", config, alerts], in: ws.directory).0 == 0)
        let rows = try auditRows(ws)
        #expect(rows.count == 1)
        #expect(rows.first?["result"]?.stringValue == "proposed")
        #expect(rows.first?["via"]?.stringValue == "response")
        #expect(rows.first?["detail"]?["container_id"]?.stringValue == String(bot.id.prefix(12)))
        let client = DockerEngineClient(socketPath: engine.socket)
        #expect(try client.inspect(bot.id).value["NetworkSettings"]?["Networks"]?.objectValue?.pairs.map(\.0) == [net.name])
    }
}
