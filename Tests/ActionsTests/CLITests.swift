#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
import Testing
import TestSupport
import TradsecCore

/// The built `tradsec` binary, run as an operator would, with HOME and XDG paths in `directory`.
func tradsec(_ arguments: [String], in directory: String, extraEnvironment: [String] = []) -> (Int32, String, String) {
    runProgram([ChildProcess.tradsec] + arguments,
               environment: ["PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=" + directory, "USER=tester",
                             "SSH_CLIENT=198.51.100.23 40022 22"] + extraEnvironment,
               in: directory)
}

@Suite("tradsec action / audit (the binary)")
struct ActionCLITests {
    @Test("stop-trading: --yes posts; without a terminal and without --yes it refuses (exit 2) and says why")
    func stopTrading() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let bot = try RecordingHTTPServer { _ in .init(status: 200, body: "stopped") }
        defer { bot.stop() }
        let config = ws.directory + "/config.yaml"
        writeFile(config, "actions:\n  stop_trading: {url: \"\(bot.baseURL)/api/emergency/stop\", timeout: 2s, name: alpha}\n")
        let refused = tradsec(["action", "stop-trading", "--db", ws.dbPath, "--config", config], in: ws.directory)
        #expect(refused.0 == 2)
        #expect(refused.2.contains("--yes"))
        #expect(bot.requests.isEmpty)
        let done = tradsec(["action", "stop-trading", "--yes", "--reason", "shell in bot", "--db", ws.dbPath, "--config", config], in: ws.directory)
        #expect(done.0 == 0, "\(done.2)")
        #expect(done.1.hasPrefix("stop-trading alpha: ok"))
        #expect(bot.requests.count == 1 && bot.requests.first?.bodyText.contains("shell in bot") == true)
        let (status, json, _) = tradsec(["audit", "--db", ws.dbPath, "--format", "json"], in: ws.directory)
        #expect(status == 0)
        let rows = try json.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(rows.map { $0["result"]?.stringValue } == ["ok", "refused"])
        #expect(rows.allSatisfy { $0["ssh_client"]?.stringValue == "198.51.100.23 40022" && $0["via"]?.stringValue == "cli" })
        #expect(rows.first?["detail"]?["status"] == .int(200))
        #expect(rows.first?["detail"]?["reason"]?.stringValue == "shell in bot", "the operator's reason survives a successful action")
        #expect(tradsec(["audit", "--db", ws.dbPath, "--since", "10m", "--format", "json"], in: ws.directory).1.split(separator: "\n").count == 2)
        #expect(tradsec(["audit", "--db", ws.dbPath, "--since", "2099-01-01", "--format", "json"], in: ws.directory).1.isEmpty)
        #expect(tradsec(["audit", "--db", ws.dbPath, "--since", "yesterday-ish"], in: ws.directory).0 == 64)
        let table = tradsec(["audit", "--db", ws.dbPath], in: ws.directory).1
        #expect(table.hasPrefix("TIME") && table.contains("stop-trading") && table.contains("refused"))
    }

    @Test("exit codes: failed 1, unreachable 69, bad config 78 (with file:line), unknown action 64")
    func exitCodes() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let bot = try RecordingHTTPServer { _ in .init(status: 503) }
        defer { bot.stop() }
        let config = ws.directory + "/config.yaml"
        writeFile(config, "actions:\n  stop_trading: {url: \"\(bot.baseURL)/stop\"}\n")
        #expect(tradsec(["action", "stop-trading", "--yes", "--db", ws.dbPath, "--config", config], in: ws.directory).0 == 1)
        bot.stop()
        writeFile(config, "actions:\n  stop_trading: {url: \"http://127.0.0.1:9/stop\", timeout: 1s}\n")
        #expect(tradsec(["action", "stop-trading", "--yes", "--db", ws.dbPath, "--config", config], in: ws.directory).0 == 69)
        writeFile(config, "theme: default\nactions:\n  backup:\n    path: [x]\n")
        let bad = tradsec(["action", "backup", "--db", ws.dbPath, "--config", config], in: ws.directory)
        #expect(bad.0 == 78)
        #expect(bad.2.contains("config.yaml:4: unknown key 'path' in actions.backup"))
        #expect(tradsec(["action", "frobnicate", "--db", ws.dbPath], in: ws.directory).0 == 64)
        #expect(tradsec(["action", "isolate", "--db", ws.dbPath], in: ws.directory).0 == 64, "isolate needs --target")
    }

    @Test("backup through the CLI: archive path and digest printed, dry run writes nothing")
    func backup() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        mkdir(ws.directory + "/data", 0o700)
        writeFile(ws.directory + "/data/positions.json", "{}")
        let config = ws.directory + "/config.yaml"
        writeFile(config, "actions:\n  backup: {paths: [data], dir: backups}\n")
        let dry = tradsec(["action", "backup", "--dry-run", "--db", ws.dbPath, "--config", config], in: ws.directory)
        #expect(dry.0 == 0 && dry.1.contains("dry-run"))
        #expect(listDirectory(ws.directory + "/backups") == nil)
        let done = tradsec(["action", "backup", "--db", ws.dbPath, "--config", config], in: ws.directory)
        #expect(done.0 == 0, "\(done.2)")
        let files = try #require(listDirectory(ws.directory + "/backups"))
        #expect(files.count == 2 && files.contains { $0.hasSuffix(".tar.gz") } && files.contains { $0.hasSuffix(".tar.gz.sha256") })
    }
}

extension EngineTests {
    @Test("the CLI against the engine: isolate needs confirmation, --yes isolates, unknown target is 65, restore brings it back")
    func cli() throws { try withBot { f in
        let (engine, ws, net, bot) = (f.engine, f.ws, f.net, f.bot)
        let config = ws.directory + "/config.yaml"
        writeFile(config, "actions:\n  docker: {socket: \(engine.socket)}\n")
        let client = DockerEngineClient(socketPath: engine.socket)
        let common = ["--db", ws.dbPath, "--config", config]

        let unconfirmed = tradsec(["action", "isolate", "--target", bot.name] + common, in: ws.directory)
        #expect(unconfirmed.0 == 2)
        #expect(try client.inspect(bot.id).value["NetworkSettings"]?["Networks"]?.objectValue?.count == 1, "nothing done without confirmation")
        #expect(tradsec(["action", "isolate", "--target", "not-a-container", "--yes"] + common, in: ws.directory).0 == 65)
        let isolated = tradsec(["action", "isolate", "--target", bot.name, "--yes"] + common, in: ws.directory)
        #expect(isolated.0 == 0, "\(isolated.1)\(isolated.2)")
        #expect(try client.inspect(bot.id).value["NetworkSettings"]?["Networks"] == .object(JSONObject()))
        let restored = tradsec(["action", "restore", "--target", bot.name] + common, in: ws.directory)
        #expect(restored.0 == 0, "\(restored.1)\(restored.2)")
        #expect(try client.inspect(bot.id).value["NetworkSettings"]?["Networks"]?[net.name] != nil)
        let audit = tradsec(["audit", "--db", ws.dbPath, "--format", "json"], in: ws.directory).1
        let results = try audit.split(separator: "\n").map { try JSONParser.parse(String($0)) }
            .map { "\($0["action"]?.stringValue ?? "") \($0["result"]?.stringValue ?? "")" }
        #expect(results == ["restore ok", "isolate ok", "isolate refused", "isolate refused"])
    } }
}
