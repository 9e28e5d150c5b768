#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
@testable import Console
import Synchronization
import Testing
import TestSupport
import TradsecCore

/// A stand-in Docker Engine API on a Unix socket: one container on one network, which a
/// disconnect really removes (the real engine is exercised in ActionsTests).
final class FakeEngine: Sendable {
    static let fullID = "4f2a9c1b7e3d" + String(repeating: "0a", count: 26)
    let server: RecordingHTTPServer
    let socket: String

    init(directory: String) throws {
        socket = directory + "/engine.sock"
        let state = Mutex(true)
        server = try RecordingHTTPServer(unixSocket: socket) { request in
            if request.path.hasPrefix("/v1.41/containers/json") {
                return .init(body: #"[{"Id":"\#(FakeEngine.fullID)","Names":["/ai-trading-bot"],"Image":"bot:1","State":"running"}]"#)
            }
            if request.path == "/v1.41/containers/\(FakeEngine.fullID)/json" {
                let networks = state.withLock { $0 }
                    ? #"{"trading":{"NetworkID":"n1","Aliases":["bot"],"IPAddress":"10.1.0.5","MacAddress":"aa:bb:cc:dd:ee:ff"}}"# : "{}"
                return .init(body: #"{"Id":"\#(FakeEngine.fullID)","NetworkSettings":{"Networks":\#(networks)}}"#)
            }
            if request.method == "POST" && request.path == "/v1.41/networks/trading/disconnect" {
                state.withLock { $0 = false }
                return .init(status: 200)
            }
            return .init(status: 404, body: #"{"message":"no such thing"}"#)
        }
    }

    var disconnects: Int { server.requests.filter { $0.path.hasSuffix("/disconnect") }.count }
}

@Suite("Console incident keys: confirmation by name, progress, result, audit screen")
struct IncidentKeysTests {
    /// A harness whose incident effects go through a real worker and runner.
    func make(readOnly: Bool = false) throws -> (Harness, FakeEngine, IncidentWorker) {
        let h = try Harness(readOnly: readOnly)
        let engine = try FakeEngine(directory: h.directory)
        var config = ActionsConfig()
        config.docker.socket = engine.socket
        let worker = IncidentWorker(runner: ActionRunner(config: config, store: h.store, who: AuditIdentity(user: "oncall")))
        if !readOnly { h.state.incident = IncidentState(stopTradingName: "alpha") }
        try h.insert([Harness.alert("Shell in trading container", .critical)])
        h.load()
        return (h, engine, worker)
    }

    /// Hands the effects' incident work to the worker, waits, and applies what it reported
    /// (and runs what that asked for next), as the session loop does.
    func drive(_ h: Harness, _ worker: IncidentWorker, _ effects: [Effect]) {
        var effects = effects
        while !effects.isEmpty {
            for case .incident(let work) in effects { worker.submit(work) }
            worker.waitUntilIdle()
            effects = worker.takeResults().flatMap { h.state.applyIncident($0) }
        }
    }

    func screenText(_ h: Harness) -> String {
        let grid = h.render()
        return (0..<grid.height).map { grid.row($0) }.joined(separator: "\n")
    }

    @Test("I on a container: the wrong name does nothing (refusal audited); the right name isolates and the audit row exists")
    func isolateNeedsTheName() throws {
        let (h, engine, worker) = try make()
        defer { engine.server.stop() }
        h.press(.character("c"))
        #expect(h.state.screen == .containers)
        drive(h, worker, h.press(.character("I")))
        guard case .confirmIncident(let prompt) = h.state.mode else { Issue.record("no confirmation prompt: \(h.state.mode)"); return }
        #expect(prompt.expected == "ai-trading-bot")
        #expect(screenText(h).contains("ISOLATE — type ai-trading-bot to confirm (Esc cancels)"))

        h.type("ai-trading-bto")
        drive(h, worker, h.press(.enter))
        #expect(h.state.mode == .normal)
        #expect(engine.disconnects == 0, "a wrong name must not touch the engine")
        #expect(screenText(h).contains("nothing done"))
        #expect(try h.store.auditEntries().map(\.result) == [.refused])
        #expect(try h.store.auditEntries().first?.target == "ai-trading-bot")

        drive(h, worker, h.press(.character("I")))
        h.type("ai-trading-bot")
        let effects = h.press(.enter)
        #expect(screenText(h).contains("isolate ai-trading-bot…"), "progress shows while the action runs")
        drive(h, worker, effects)
        #expect(engine.disconnects == 1)
        let rows = try h.store.auditEntries()
        #expect(rows.map(\.result) == [.ok, .refused])
        #expect(rows.first?.via == "console" && rows.first?.who.user == "oncall" && rows.first?.target == "ai-trading-bot")
        #expect(screenText(h).contains("isolate ai-trading-bot: ok"))

        drive(h, worker, h.press(.character("A")))
        #expect(h.state.screen == .audit)
        let audit = screenText(h)
        #expect(audit.contains("Audit log · 2 action(s)"))
        #expect(audit.contains("isolate") && audit.contains("refused") && audit.contains("oncall"))
        #expect(audit.contains(#"detail   [{"network":"trading""#), "the selected action's detail is shown in full")
        h.press(.down)
        #expect(screenText(h).contains("not confirmed: typed 'ai-trading-bto'"))
    }

    @Test("a container key asks the engine off the UI thread: 'resolving…' at once, the prompt when the worker answers")
    func resolvesOffTheUIThread() throws {
        let (h, engine, worker) = try make()
        defer { engine.server.stop() }
        let effects = h.press(.character("F"))
        #expect(effects == [.incident(.resolve(ActionRequest(kind: .forensics, target: "4f2a9c1b7e3d", via: "console"), claimedName: "ai-trading-bot"))])
        #expect(engine.server.requests.isEmpty, "the key itself never calls the engine")
        #expect(screenText(h).contains("resolving ai-trading-bot (id 4f2a9c1b7e3d) on the engine…"))
        drive(h, worker, effects)
        guard case .confirmIncident(let prompt) = h.state.mode else { Issue.record("no prompt: \(h.state.mode)"); return }
        #expect(prompt.request.target == FakeEngine.fullID && prompt.expected == "ai-trading-bot" && prompt.claimedName == nil)
        let text = screenText(h)
        #expect(text.contains(FakeEngine.fullID) && text.contains("bot:1") && !text.contains("WARNING"))
        #expect(text.contains("FORENSICS — type ai-trading-bot to confirm (Esc cancels)"))
    }

    @Test("an answer that arrives while another prompt is open does not turn typing into a confirmation")
    func answerDuringAnotherPrompt() throws {
        let (h, engine, worker) = try make()
        defer { engine.server.stop() }
        let effects = h.press(.character("I"))
        h.press(.character("/"))
        h.type("ai-trading-bot")
        drive(h, worker, effects)
        guard case .filter = h.state.mode else { Issue.record("the filter prompt was replaced: \(h.state.mode)"); return }
        #expect(h.state.message?.contains("a prompt was open when the engine answered; nothing done") == true)
        #expect(h.state.incident?.running == false)
        h.press(.enter)
        #expect(engine.disconnects == 0)
    }

    @Test("console --dry-run: no prompt, and a name the engine does not know for that id is said loudly with the result")
    func dryRunWarns() throws {
        let h = try Harness()
        let engine = try FakeEngine(directory: h.directory)
        defer { engine.server.stop() }
        var config = ActionsConfig()
        config.docker.socket = engine.socket
        let worker = IncidentWorker(runner: ActionRunner(config: config, store: h.store, who: AuditIdentity(user: "oncall")))
        h.state.incident = IncidentState(stopTradingName: "alpha", dryRun: true)
        try h.insert([Harness.alert("Miner started", .critical, container: "cryptominer", id: "4f2a9c1b7e3d")])
        h.load()
        drive(h, worker, h.press(.character("I")))
        #expect(h.state.mode == .normal)
        let message = h.state.message ?? ""
        #expect(message.hasPrefix("WARNING: the alert names 'cryptominer', but the engine says id 4f2a9c1b7e3d is 'ai-trading-bot' — isolate ai-trading-bot: dry-run"), "\(message)")
        #expect(h.state.messageIsError)
        #expect(engine.disconnects == 0)
        #expect(try h.store.auditEntries().map(\.result) == [.dryRun])
    }

    @Test("Esc cancels the prompt; stop-trading asks for the bot's configured name")
    func escCancels() throws {
        let (h, engine, worker) = try make()
        defer { engine.server.stop() }
        drive(h, worker, h.press(.character("X")))
        guard case .confirmIncident(let prompt) = h.state.mode else { Issue.record("no prompt"); return }
        #expect(prompt.expected == "alpha" && prompt.request.kind == .stopTrading)
        h.type("alp")
        drive(h, worker, h.press(.escape))
        #expect(h.state.mode == .normal)
        #expect(try h.store.auditEntries().isEmpty)
        #expect(screenText(h).contains("cancelled"))
    }

    @Test("--read-only: incident keys are refused and hidden from help")
    func readOnly() throws {
        let (h, engine, worker) = try make(readOnly: true)
        defer { engine.server.stop() }
        h.press(.character("c"))
        let effects = h.press(.character("I"))
        #expect(effects.isEmpty && h.state.mode == .normal)
        #expect(screenText(h).contains("read-only: incident actions are off"))
        _ = worker   // no effects: nothing reaches the worker or the engine
        h.press(.character("?"))
        let help = screenText(h)
        #expect(help.contains("acknowledge") && !help.contains("isolate the selected container"))
    }

    @Test("without a container selected, isolate says what to do instead of guessing")
    func needsAContainer() throws {
        let h = try Harness()
        h.state.incident = IncidentState(stopTradingName: "alpha")
        try h.insert([Harness.alert("Host shell", .critical, container: "host", id: "host")])
        h.load()
        let effects = h.press(.character("I"))
        #expect(effects.isEmpty && h.state.mode == .normal)
        #expect(h.state.message?.contains("select a container first") == true)
    }

    @Test("a broken actions config leaves the console usable; the keys say what is wrong")
    func configError() throws {
        let h = try Harness()
        h.state.incident = IncidentState(stopTradingName: "", configError: "config.yaml:4: unknown key 'sokcet' in actions.docker")
        h.load()
        let effects = h.press(.character("X"))
        #expect(effects.isEmpty && h.state.mode == .normal)
        #expect(h.state.message?.contains("config.yaml:4: unknown key 'sokcet'") == true)
    }
}
