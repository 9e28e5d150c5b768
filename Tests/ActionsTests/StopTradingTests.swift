import Actions
import AlertStore
import Testing
import TestSupport
import TradsecCore

@Suite("Stop trading: the bot's emergency endpoint")
struct StopTradingTests {
    func config(_ url: String, timeout: Double = 2, token: String? = nil) -> ActionsConfig {
        var c = ActionsConfig()
        c.stopTrading.url = url
        c.stopTrading.timeoutSeconds = timeout
        c.stopTrading.tokenEnvironment = token
        return c
    }

    @Test("200: posted once with reason and operator; ok, status and latency reported and audited")
    func accepted() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let bot = try RecordingHTTPServer { _ in .init(status: 200, body: #"{"stopped":true}"#) }
        defer { bot.stop() }
        let runner = ws.runner(config(bot.baseURL + "/api/emergency/stop"))
        let report = runner.run(ActionRequest(kind: .stopTrading, reason: "Falco: shadow file read"))
        #expect(report.result == .ok)
        #expect(report.message.contains("answered 200"))
        let requests = bot.requests
        #expect(requests.count == 1)
        #expect(requests.first?.method == "POST")
        #expect(requests.first?.path == "/api/emergency/stop")
        let body = try JSONParser.parse(requests.first?.bodyText ?? "")
        #expect(body["reason"]?.stringValue == "Falco: shadow file read")
        #expect(body["requested_by"]?.stringValue?.contains("alice") == true)
        let entry = try #require(try ws.store.auditEntries().first)
        #expect(entry.action == "stop-trading" && entry.result == .ok && entry.who.user == "alice" && entry.who.sudoUser == "bob")
        #expect(entry.who.sshClient == "192.0.2.7 50122")
        #expect((entry.latencyMilliseconds ?? -1) >= 0)
    }

    @Test("500 from the bot is a failure with the status in the message")
    func serverError() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let bot = try RecordingHTTPServer { _ in .init(status: 500, body: "kill switch broken") }
        defer { bot.stop() }
        let report = ws.runner(config(bot.baseURL + "/stop")).run(ActionRequest(kind: .stopTrading))
        #expect(report.result == .failed)
        #expect(report.message.contains("500") && report.message.contains("kill switch broken"))
        #expect(try ws.store.auditEntries().first?.result == .failed)
    }

    @Test("a slow bot is reported as a timeout, not hung on")
    func slow() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let bot = try RecordingHTTPServer { _ in .init(status: 200, delay: 3) }
        defer { bot.stop() }
        let report = ws.runner(config(bot.baseURL + "/stop", timeout: 0.4)).run(ActionRequest(kind: .stopTrading))
        #expect(report.result == .failed)
        #expect(report.message.contains("timed out"))
        #expect(report.latencyMilliseconds < 2500)
        #expect(report.failure == .unavailable)
    }

    @Test("the bearer token is sent but never stored in the audit log")
    func tokenNeverLogged() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let bot = try RecordingHTTPServer { _ in .init(status: 202) }
        defer { bot.stop() }
        let secret = "s3cr3t-token-\(UInt32.random(in: 0...UInt32.max))"
        let report = ws.runner(config(bot.baseURL + "/stop", token: "BOT_TOKEN"), environment: ["BOT_TOKEN": secret])
            .run(ActionRequest(kind: .stopTrading))
        #expect(report.result == .ok)
        #expect(bot.requests.first?.headers["authorization"] == "Bearer " + secret)
        let entry = try #require(try ws.store.auditEntries().first)
        #expect(!(entry.message ?? "").contains(secret) && !(entry.detail ?? "").contains(secret) && !report.message.contains(secret))
    }

    @Test("dry run sends nothing and is audited as dry-run")
    func dryRun() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let bot = try RecordingHTTPServer()
        defer { bot.stop() }
        let report = ws.runner(config(bot.baseURL + "/stop")).run(ActionRequest(kind: .stopTrading, dryRun: true))
        #expect(report.result == .dryRun)
        #expect(report.message.contains("would POST to \(bot.baseURL)/stop"))
        #expect(bot.requests.isEmpty)
        #expect(try ws.store.auditEntries().first?.result == .dryRun)
    }
}
