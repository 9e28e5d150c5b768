#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
@testable import Console
import Foundation
import Testing
import TestSupport
import TradsecCore

/// The incident keys on a processor's incident (one a `processor=URL` source mirrored), through
/// the screen grid. A processor on this host (loopback): each key acts on the incident's
/// container as the engine resolves its id, with the typed confirmation, audited in this
/// console's history under the incident; `Y` cannot approve the processor's proposal (serve
/// has no way to) and says where to. A processor on another host: no key acts, each says why.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ProcessorIncidentKeysTests {
    let keys = IncidentKeysTests()

    func screenText(_ h: Harness) -> String {
        let grid = h.render(width: 160, height: 50)
        return (0..<grid.height).map { grid.row($0) }.joined(separator: "\n")
    }


    /// Incident actions through a real worker and runner: the engine `engine`, the bot's
    /// emergency endpoint `bot`, backups of one file.
    func actions(_ h: Harness, engine: FakeEngine, bot: RecordingHTTPServer) -> IncidentWorker {
        var config = ActionsConfig()
        config.docker.socket = engine.socket
        config.stopTrading.url = "http://127.0.0.1:\(bot.port)/api/emergency/stop"
        config.stopTrading.name = "alpha"
        writeFile(h.directory + "/bot-state.json", "{}\n")
        config.backup.paths = [h.directory + "/bot-state.json"]
        config.backup.directory = h.directory + "/backups"
        config.forensics.directory = h.directory + "/forensics"
        config.forensics.falcoLog = h.directory + "/no-falco-log.json"
        h.state.incident = IncidentState(stopTradingName: "alpha")
        return IncidentWorker(runner: ActionRunner(config: config, store: h.store, who: AuditIdentity(user: "oncall")))
    }

    /// The incidents screen, then the first incident's.
    func openIncident(_ h: Harness) {
        h.load()
        h.press(.character("i"))
        h.press(.enter)
    }

    @Test func onAProcessorOfThisHostEachKeyActsOnTheIncidentsContainerWithConfirmationAndAudit() throws {
        let h = try Harness()
        let engine = try FakeEngine(directory: h.directory)
        defer { engine.server.stop() }
        let bot = try RecordingHTTPServer { _ in .init(body: #"{"status":"stopped"}"#) }
        defer { bot.stop() }
        let worker = actions(h, engine: engine, bot: bot)
        // The real serve correlates an intrusion on the container the engine has (its short id).
        let serve = try ProcessorIncidentsTests.Serve(directory: h.directory)
        defer { serve.stop() }
        for line in ProcessorIncidentsTests.intrusion(container: (String(FakeEngine.fullID.prefix(12)), "ai-trading-bot")) { try serve.post(line) }
        let source = ProcessorSource(url: serve.base, token: nil)
        source.start(store: h.store)
        defer { source.stop() }
        #expect(try waitFor { try h.store.incidents().first.map { try h.store.incidentAlerts(id: $0.id).count == 3 } == true })
        let incident = try #require(try h.store.incidents().first)
        #expect(try waitFor { try h.store.mirroredResponses(incident: incident.id).contains { $0.result == .proposed } })
        let remoteID = try #require(try h.store.mirroredIncident(id: incident.id)?.remoteID)
        let label = "incident #\(remoteID) of processor \(serve.base.dropFirst("http://".count))"

        openIncident(h)
        #expect(h.state.screen == .incident(incident.id))
        var text = screenText(h)
        #expect(text.contains("From           processor \(serve.base.dropFirst("http://".count)), its incident #\(remoteID)"), "\(text)")
        #expect(text.contains("this host: the action keys act on its container here"))

        // Y: the proposal is the processor's to approve; nothing runs, nothing is audited here.
        var effects = h.press(.character("Y"))
        #expect(!effects.contains { if case .incident = $0 { return true } else { return false } })
        #expect(h.state.message?.contains("incident #\(incident.id) is \(label): approve its proposals in a console on serve's history") == true,
                "\(h.state.message ?? "")")
        #expect(h.state.message?.contains("I/R/F/X/B act on it from here") == true)

        // I: the engine resolves the incident's container id; the wrong name does nothing.
        effects = h.press(.character("I"))
        let expected = ActionRequest(kind: .isolate, target: String(FakeEngine.fullID.prefix(12)), reason: "on \(label)",
                                     incident: String(incident.id), via: "console")
        #expect(effects == [.incident(.resolve(expected, claimedName: "ai-trading-bot"))])
        keys.drive(h, worker, effects)
        guard case .confirmIncident(let prompt) = h.state.mode else { Issue.record("no prompt: \(h.state.mode)"); return }
        #expect(prompt.request.target == FakeEngine.fullID && prompt.expected == "ai-trading-bot")
        #expect(screenText(h).contains("ISOLATE — type ai-trading-bot to confirm (Esc cancels)"))
        h.type("ai-trading")
        keys.drive(h, worker, h.press(.enter))
        #expect(engine.disconnects == 0)
        #expect(try h.store.auditEntries().map(\.result) == [.refused])
        keys.drive(h, worker, h.press(.character("I")))
        h.type("ai-trading-bot")
        keys.drive(h, worker, h.press(.enter))
        #expect(engine.disconnects == 1)
        let isolated = try #require(try h.store.auditEntries().first)
        #expect(isolated.action == "isolate" && isolated.result == .ok && isolated.incident == incident.id && isolated.via == "console"
                && isolated.target == "ai-trading-bot" && isolated.who.user == "oncall")

        // R and F: the same container, by id, behind the same prompt (Esc: nothing done).
        for (key, kind, title) in [("R", ActionKind.restore, "RESTORE"), ("F", .forensics, "FORENSICS")] {
            effects = h.press(.character(Character(key)))
            #expect(effects == [.incident(.resolve(ActionRequest(kind: kind, target: String(FakeEngine.fullID.prefix(12)), reason: "on \(label)",
                                                                 incident: String(incident.id), via: "console"), claimedName: "ai-trading-bot"))])
            keys.drive(h, worker, effects)
            guard case .confirmIncident(let p) = h.state.mode else { Issue.record("\(key): no prompt: \(h.state.mode)"); return }
            #expect(p.request.target == FakeEngine.fullID && p.request.incident == String(incident.id))
            #expect(screenText(h).contains("\(title) — type ai-trading-bot to confirm (Esc cancels)"))
            h.press(.escape)
            #expect(h.state.message == "cancelled: nothing done")
        }

        // X: this host's bot, confirmed by its name; the call says why.
        keys.drive(h, worker, h.press(.character("X")))
        guard case .confirmIncident(let stop) = h.state.mode else { Issue.record("no stop-trading prompt: \(h.state.mode)"); return }
        #expect(stop.expected == "alpha" && stop.request.incident == String(incident.id))
        h.type("alpha")
        keys.drive(h, worker, h.press(.enter))
        #expect(bot.requests.count == 1 && bot.requests.first?.bodyText.contains(label) == true, "\(bot.requests.map(\.bodyText))")

        // B: a backup runs at once (it changes nothing), audited under the incident.
        keys.drive(h, worker, h.press(.character("B")))
        let rows = try h.store.auditEntries(incident: incident.id)
        #expect(rows.map(\.action) == ["isolate", "isolate", "stop-trading", "backup"], "\(rows.map { ($0.action, $0.result) })")
        #expect(rows.map(\.result) == [.refused, .ok, .ok, .ok], "\(rows.map { ($0.action, $0.message ?? "") })")

        // The incident's screen lists what this console did beside the processor's proposal.
        h.load()
        text = screenText(h)
        #expect(text.contains("Responses (5)"), "\(text)")
        #expect(text.contains("isolate ai-trading-bot · ok · oncall") && text.contains("(this console)"))
        #expect(text.contains("isolate") && text.contains("PROPOSED"), "the processor's proposal stays its own to approve")
    }

    /// What a `processor=URL` source commits for a processor on another host: three alerts
    /// under their ids there, then its escalated incident #7 with a proposal.
    func mirrorFromAnotherHost(_ h: Harness, url: String) throws -> Int64 {
        let origin = MirroredProcessing.origin(url: url)
        let alerts = [Harness.alert("Terminal shell in container", .notice, secondsAgo: 50),
                      Harness.alert("Read trading API key", .warning, secondsAgo: 40),
                      Harness.alert("Outbound connection to unknown host", .notice, secondsAgo: 30)]
        var stored = CommitPlan(alerts: alerts, origin: origin, checkpoint: FollowCheckpoint(path: origin, device: 0, inode: 0, offset: 3, lineNumber: 3))
        stored.remoteIDs = [1, 2, 3]
        try h.store.commit(stored)
        let record = IncidentRecord(id: 7, containerID: "4f2a9c1b7e3d", containerName: "ai-trading-bot", hostname: "trade-b", role: "ai-trading-bot",
                                    opened: alerts[0].time, updated: alerts[2].time, severity: .alert, escalated: true,
                                    stages: ["execution", "credential-access", "exfiltration"],
                                    rules: alerts.map(\.rule), alertCount: 3, title: "ai-trading-bot: Terminal shell in container (+2 more rules)",
                                    reason: "key theft: execution → credential-access → exfiltration")
        let proposal = AuditEntry(id: 11, started: alerts[2].time, finished: alerts[2].time, action: "isolate", target: "ai-trading-bot",
                                  result: .proposed, message: "proposed by response rule", latencyMilliseconds: nil,
                                  who: AuditIdentity(user: "response rules"), via: ActionRequest.responseVia, detail: nil, incident: 7)
        var plan = CommitPlan(checkpoint: FollowCheckpoint(path: MirroredProcessing.checkpointKey(origin: origin), device: 0, inode: 0, offset: 3, lineNumber: 3))
        plan.mirrored = MirroredProcessing(origin: origin, through: 3,
                                           alerts: (1...3).map { MirroredAlert(remoteID: $0, role: "ai-trading-bot", tags: [], remoteIncident: 7) },
                                           incidents: [MirroredIncident(record: record, responses: [proposal])])
        try h.store.commit(plan)
        return try #require(try h.store.incidents().first?.id)
    }

    @Test func onAProcessorOfAnotherHostNoKeyActsAndEachSaysWhy() throws {
        let h = try Harness()
        let engine = try FakeEngine(directory: h.directory)
        defer { engine.server.stop() }
        let bot = try RecordingHTTPServer { _ in .init(body: "{}") }
        defer { bot.stop() }
        let worker = actions(h, engine: engine, bot: bot)
        let id = try mirrorFromAnotherHost(h, url: "http://10.0.0.5:8080")
        openIncident(h)
        #expect(h.state.screen == .incident(id))
        let text = screenText(h)
        #expect(text.contains("processor 10.0.0.5:8080, its incident #7") && text.contains("another host: act there"), "\(text)")
        #expect(text.contains("1 waiting for approval (approve them in a console on the processor's history)"))

        for key in ["I", "R", "F", "X", "B"] {
            let effects = h.press(.character(Character(key)))
            #expect(effects.isEmpty && h.state.mode == .normal, "\(key): \(effects)")
            #expect(h.state.message == "incident #\(id) is incident #7 of processor 10.0.0.5:8080, on another host: its container and bot are there; "
                    + "act in a console on that host", "\(key): \(h.state.message ?? "")")
            keys.drive(h, worker, effects)
        }
        h.press(.character("Y"))
        #expect(h.state.message?.contains("approve its proposals in a console on serve's history on that host") == true, "\(h.state.message ?? "")")
        #expect(engine.server.requests.isEmpty && bot.requests.isEmpty)
        #expect(try h.store.auditEntries().isEmpty)
        // A processor named by something other than a literal loopback address is another host too.
        #expect(!ProcessorSource.isOnThisHost("http://trade-b.internal:8080") && ProcessorSource.isOnThisHost("http://[::1]:8080")
                && ProcessorSource.isOnThisHost("http://localhost:8080") && ProcessorSource.isOnThisHost("http://127.0.0.2:8080"))
    }
}
