import Actions
import AlertStore
@testable import Console
import Processor
import Testing
import TestSupport
import TradsecCore

/// Puts alerts in the history and processes them as the processing step commits them: the
/// real correlator groups them into incidents, each alert gets its enrichment row, and the
/// response rules' proposals are written with the incident's id.
enum IncidentHistory {
    struct Proposal {
        var action: String
        var rule: String
        var container: (id: String, name: String)
    }

    /// Stores and processes `alerts` (enrichment per alert by index); returns the incidents.
    @discardableResult
    static func process(_ store: AlertStore, _ alerts: [Alert], enrichment: (Int, Alert) -> AlertEnrichment = { _, _ in AlertEnrichment(role: nil, tags: [], incidentID: nil) },
                        proposals: (IncidentRecord) -> [Proposal] = { _ in [] }, at time: Timestamp = Harness.now) throws -> [IncidentRecord] {
        let added = try store.insert(alerts).added
        let from = try #require(try store.claimProcessing(owner: "test", lease: 600_000_000_000))
        // Continues the incidents still open at `time`, as the step does after a restart.
        var correlator = try Correlator.resume(store: store, config: CorrelationConfig(), now: time)
        var incidents: [Int64: IncidentRecord] = [:]
        var enriched: [EnrichedAlert] = []
        for inserted in added {
            let alert = alerts[inserted.index]
            var e = enrichment(inserted.index, alert)
            let observed = correlator.observe(alert, enrichment: e)
            incidents[observed.incident.id] = observed.incident
            e.incidentID = observed.incident.id
            enriched.append(EnrichedAlert(id: inserted.id, enrichment: e))
        }
        let records = incidents.values.sorted { $0.id < $1.id }
        let audit = records.flatMap { incident in
            proposals(incident).map { p in
                AuditRecord(started: time, finished: time, action: p.action, target: "\(p.container.name) (\(p.container.id))",
                            result: .proposed, message: "proposed by response rule '\(p.rule)': escalated intrusion",
                            who: AuditIdentity(user: "response rules"), via: ActionRequest.responseVia,
                            detail: JSONWriter.string(.object(JSONObject([("rule", .string(p.rule)), ("mode", .string("propose")),
                                                                          ("container_id", .string(p.container.id)),
                                                                          ("container_name", .string(p.container.name))]))),
                            incident: incident.id)
            }
        }
        try store.commit(CommitPlan(processed: ProcessedRecords(owner: "test", from: from, through: added.last?.id ?? from,
                                                                enrichment: enriched, incidents: records, audit: audit)))
        try store.releaseProcessing(owner: "test")
        return records
    }

    /// An intrusion in the bot (a shell, a key read, an outbound connection to a listed host:
    /// escalated to Alert), a lone warning in another container, and a critical on the host.
    static func intrusion(endingSecondsAgo end: Int = 60) -> [Alert] {
        func tagged(_ a: Alert, _ tags: [String], _ fields: [(String, JSONValue)] = []) -> Alert {
            var fieldsObject = a.outputFields
            for (k, v) in fields { fieldsObject.append(k, v) }
            return Alert(time: a.time, rule: a.rule, priority: a.priority, output: a.output, outputFields: fieldsObject, tags: tags,
                         hostname: a.hostname)
        }
        return [
            tagged(Harness.alert("Terminal shell in container", .notice, secondsAgo: end + 40, process: "bash"), ["mitre_execution"]),
            tagged(Harness.alert("Read trading API key", .warning, secondsAgo: end + 20, process: "cat", file: "/app/.env"), ["mitre_credential_access"]),
            tagged(Harness.alert("Outbound connection to unknown host", .notice, secondsAgo: end, process: "curl"), ["mitre_exfiltration"],
                   [("fd.name", .string("172.17.0.2:40522->203.0.113.77:443"))]),
            tagged(Harness.alert("Package manager run", .warning, container: "bluefin-service", id: "91c0fe22ab10", secondsAgo: end + 300,
                                 process: "apt-get"), ["mitre_persistence"]),
            tagged(Harness.alert("Falco stopped", .critical, container: "host", id: "host", secondsAgo: end + 100, process: "systemctl"),
                   ["mitre_defense_evasion"]),
        ]
    }

    static func botEnrichment(_ index: Int, _ alert: Alert) -> AlertEnrichment {
        guard alert.container.id == "4f2a9c1b7e3d" else { return AlertEnrichment(role: nil, tags: [], incidentID: nil) }
        return AlertEnrichment(role: "ai-trading-bot", tags: index == 2 ? ["threat-intel:feodo", "exchange:binance"] : [], incidentID: nil)
    }

    static func isolateProposal(_ incident: IncidentRecord) -> [Proposal] {
        incident.escalated ? [Proposal(action: "isolate", rule: "isolate the bot", container: (incident.containerID, incident.containerName ?? ""))] : []
    }
}

@Suite("Console incidents: list order and columns, detail sections, approval, response switch, header")
struct IncidentScreenTests {
    /// As the session loop does: incident work to the worker, loads to the loader, and what
    /// the worker's answers ask for next.
    func drive(_ h: Harness, _ worker: IncidentWorker, _ effects: [Effect]) {
        var effects = effects
        while !effects.isEmpty {
            h.run(effects)
            for case .incident(let work) in effects { worker.submit(work) }
            worker.waitUntilIdle()
            effects = worker.takeResults().flatMap { h.state.applyIncident($0) }
        }
    }

    func screenText(_ h: Harness, width: Int = 120, height: Int = 40) -> String {
        let grid = h.render(width: width, height: height)
        return (0..<grid.height).map { grid.row($0) }.joined(separator: "\n")
    }

    @Test("i opens the incidents, most severe first: severity, escalation, stages, title, container, alerts, ages")
    func listOrderAndColumns() throws {
        let h = try Harness()
        try IncidentHistory.process(h.store, IncidentHistory.intrusion())
        h.load()
        h.press(.character("i"))
        #expect(h.state.screen == .incidents)
        let text = screenText(h, width: 160)
        let rows = text.split(separator: "\n").map(String.init)
        #expect(text.contains("Incidents 3 · 1 escalated · most severe first"), "\(text)")
        let header = try #require(rows.first { $0.contains("SEV") })
        for column in ["STAGES", "TITLE", "CONTAINER", "ALERTS", "OPENED", "UPDATED"] { #expect(header.contains(column), "\(column)") }
        // Alert (escalated intrusion) before Critical (host) before Warning (connector).
        let bot = try #require(rows.firstIndex { $0.contains("ALRT") })
        let host = try #require(rows.firstIndex { $0.contains("CRIT") })
        let connector = try #require(rows.firstIndex { $0.contains("WARN") })
        #expect(bot < host && host < connector)
        #expect(rows[bot].contains("▲") && rows[bot].contains("exec→cred→exfil") && rows[bot].contains("ai-trading-bot: Terminal shell in container (+2 more rules)"))
        #expect(rows[bot].contains("3 ") && rows[bot].contains("1m"))   // three alerts, updated a minute before "now"
        #expect(!rows[host].contains("▲") && rows[host].contains("host"))
        #expect(h.state.incidentList?.incidents.map(\.severity) == [.alert, .critical, .warning])
        #expect(h.render(width: 160).role(of: "ALRT") == .selection, "the first row is selected")

        // The filter narrows it as on other screens; Down moves the cursor.
        h.press(.character("j"))
        #expect(h.render(width: 160).role(of: "CRIT") == .selection)
        h.press(.character(":"))
        h.type("container bluefin-service")
        h.press(.enter)
        let filtered = screenText(h)
        #expect(filtered.contains("Incidents 1") && filtered.contains("bluefin-service") && !filtered.contains("ALRT"))
        // Narrow terminals keep severity, title, alerts and the age.
        h.press(.character(":"))
        h.type("clear")
        h.press(.enter)
        // A rule glob, case-insensitive, matches any of an incident's rules.
        h.press(.character(":"))
        h.type("rule read TRADING*")
        h.press(.enter)
        #expect(h.state.incidentList?.incidents.map(\.containerName) == ["ai-trading-bot"])
        let narrow = screenText(h, width: 40, height: 12)
        #expect(narrow.contains("ALRT ▲ ai-trading-bot"), "\(narrow)")
    }

    @Test("Enter opens an incident: facts, responses, what its alerts name, its timeline with each alert's stage")
    func detailSections() throws {
        let h = try Harness()
        h.state.incident = IncidentState(stopTradingName: "alpha")
        try IncidentHistory.process(h.store, IncidentHistory.intrusion(), enrichment: IncidentHistory.botEnrichment,
                                    proposals: IncidentHistory.isolateProposal)
        h.load()
        h.press(.character("i"), .enter)
        guard case .incident(let id) = h.state.screen else { Issue.record("not on an incident: \(h.state.screen)"); return }
        let text = screenText(h, width: 120, height: 60)
        #expect(text.contains("#\(id) ALERT ▲ ESCALATED ai-trading-bot: Terminal shell in container (+2 more rules)"), "\(text)")
        // The threat-intel hit adds command-and-control to the exfiltration the tags name.
        #expect(text.contains("Stages         execution → credential-access → command-and-control → exfiltration"))
        #expect(text.contains("Container      ai-trading-bot (4f2a9c1b7e3d)"))
        #expect(text.contains("Proposals      1 waiting for approval"))
        #expect(text.contains("Responses (1)") && text.contains("isolate ai-trading-bot (4f2a9c1b7e3d) · PROPOSED · response rules via response"))
        for section in ["Processes (3)", "Files (1)", "Connections (1)", "Users (1)", "Timeline (3 alerts)"] {
            #expect(text.contains(section), "\(section)")
        }
        #expect(text.contains("/app/.env") && text.contains("172.17.0.2:40522->203.0.113.77:443"))
        let timeline = text.split(separator: "\n").filter { $0.contains("CRIT ") || $0.contains("WARN ") || $0.contains("NOTE ") }
        #expect(timeline.count == 3)
        #expect(timeline.first?.contains("exec") == true && timeline.first?.contains("Terminal shell in container") == true)
        #expect(timeline.last?.contains("c2→exfil") == true && timeline.last?.contains("TI:feodo ex:binance [ai-trading-bot]") == true)
        // The cursor starts on the proposal; Down goes to the first alert, which Enter opens.
        #expect(h.render(width: 120, height: 60).role(of: "◆") == nil && h.state.selectedProposal != nil)
        h.press(.down, .enter)
        guard case .alert(let stored) = h.state.screen else { Issue.record("no alert opened: \(h.state.screen)"); return }
        #expect(stored.alert.rule == "Terminal shell in container")
        h.press(.escape)
        #expect(h.state.screen == .incident(id))
        #expect(h.state.incidentDetail?.record.id == id, "coming back reloads the incident")
    }

    @Test("enrichment shows compact in overview rows and as a section of the alert detail")
    func enrichmentInRowsAndDetail() throws {
        let h = try Harness()
        try IncidentHistory.process(h.store, IncidentHistory.intrusion(), enrichment: IncidentHistory.botEnrichment)
        h.load()
        let overview = screenText(h, width: 160)
        let row = try #require(overview.split(separator: "\n").first { $0.contains("Outbound connection to unknown host") })
        #expect(row.contains("TI:feodo ex:binance [ai-trading-bot]"), "\(row)")
        #expect(h.render(width: 160).role(of: "TI:feodo") == .critical)
        // Open that row: the detail has its enrichment section.
        while h.state.selectedRow?.newest.alert.rule != "Outbound connection to unknown host" {
            let before = (h.state.focusedPane, h.state.paneSelection)
            h.press(.down)
            if before == (h.state.focusedPane, h.state.paneSelection) { h.press(.tab) }
        }
        h.press(.enter)
        let detail = screenText(h, width: 120, height: 60)
        #expect(detail.contains("Enrichment"))
        #expect(detail.contains("Role           ai-trading-bot"))
        #expect(detail.contains("Threat intel   feodo"))
        #expect(detail.contains("Exchange       binance"))
        #expect(detail.contains("Incident       #"))
    }

    @Test("Y approves the proposal: the engine resolves the incident's container, the name is typed, the action runs, audited via response with the incident id")
    func approvingAProposalRunsTheAction() throws {
        let h = try Harness()
        let engine = try FakeEngine(directory: h.directory)
        defer { engine.server.stop() }
        var config = ActionsConfig()
        config.docker.socket = engine.socket
        let worker = IncidentWorker(runner: ActionRunner(config: config, store: h.store, who: AuditIdentity(user: "oncall")))
        h.state.incident = IncidentState(stopTradingName: "alpha")
        let incidents = try IncidentHistory.process(h.store, IncidentHistory.intrusion(), proposals: IncidentHistory.isolateProposal)
        let bot = try #require(incidents.first { $0.escalated })
        h.load()
        h.press(.character("i"), .enter)
        #expect(h.state.screen == .incident(bot.id))
        let effects = h.press(.character("Y"))
        #expect(effects.contains(.incident(.resolve(ActionRequest(kind: .isolate, target: "4f2a9c1b7e3d", reason: "approves proposal #1 of response rule 'isolate the bot'",
                                                                  incident: String(bot.id), via: "response"), claimedName: "ai-trading-bot"))))
        drive(h, worker, effects)
        guard case .confirmIncident(let prompt) = h.state.mode else { Issue.record("no confirmation: \(h.state.mode)"); return }
        #expect(prompt.expected == "ai-trading-bot" && prompt.request.target == FakeEngine.fullID)
        #expect(engine.disconnects == 0, "nothing happens before the name is typed")
        h.type("ai-trading-bot")
        drive(h, worker, h.press(.enter))
        #expect(engine.disconnects == 1)
        let rows = try h.store.auditEntries(incident: bot.id)
        #expect(rows.map(\.result) == [.proposed, .done])
        #expect(rows.last?.via == "response" && rows.last?.who.user == "oncall" && rows.last?.target == "ai-trading-bot")
        // The incident reloaded: the proposal is no longer waiting, the action shows as done.
        #expect(h.state.incidentDetail?.pendingProposals.isEmpty == true)
        let text = screenText(h, width: 120, height: 60)
        #expect(text.contains("· done · oncall via response") && !text.contains("Proposals      1 waiting"))
        // Nothing left to approve.
        h.press(.character("Y"))
        #expect(h.state.message == "incident #\(bot.id) has no proposal waiting")
    }

    @Test("a wrong name refuses the approval (audited) and the proposal stays waiting")
    func aWrongNameLeavesTheProposalWaiting() throws {
        let h = try Harness()
        let engine = try FakeEngine(directory: h.directory)
        defer { engine.server.stop() }
        var config = ActionsConfig()
        config.docker.socket = engine.socket
        let worker = IncidentWorker(runner: ActionRunner(config: config, store: h.store, who: AuditIdentity(user: "oncall")))
        h.state.incident = IncidentState(stopTradingName: "alpha")
        let bot = try #require(try IncidentHistory.process(h.store, IncidentHistory.intrusion(), proposals: IncidentHistory.isolateProposal).first { $0.escalated })
        h.load()
        h.press(.character("i"), .enter)
        drive(h, worker, h.press(.character("Y")))
        h.type("ai-trading")
        drive(h, worker, h.press(.enter))
        #expect(engine.disconnects == 0)
        #expect(try h.store.auditEntries(incident: bot.id).map(\.result) == [.proposed, .refused])
        #expect(h.state.incidentDetail?.pendingProposals.count == 1)
    }

    @Test(":response off writes the switch (audited) and the header says so; :response on turns it back")
    func responseSwitch() throws {
        let h = try Harness()
        h.load()
        h.run([.load(.incidentSummary)])
        #expect(!screenText(h).contains("response OFF"))
        h.press(.character(":"))
        h.type("response off")
        h.press(.enter)
        #expect(try h.store.responseSwitch().on == false)
        let row = try #require(try h.store.auditEntries().first)
        #expect(row.action == "response-off" && row.via == "console" && row.result == .ok)
        #expect(screenText(h).split(separator: "\n").first?.contains("response OFF") == true)
        h.press(.character(":"))
        h.type("response on")
        h.press(.enter)
        #expect(try h.store.responseSwitch().on == true)
        #expect(!screenText(h).contains("response OFF"))
        h.press(.character(":"))
        h.type("response maybe")
        h.press(.enter)
        #expect(h.state.messageIsError && h.state.message?.contains("not on or off") == true)

        let readOnly = try Harness(readOnly: true)
        readOnly.press(.character(":"))
        readOnly.type("response off")
        readOnly.press(.enter)
        #expect(try readOnly.store.responseSwitch().on == true)
        #expect(readOnly.state.message == "read-only: the response switch is not changed")
    }

    @Test("the header counts open incidents (within the correlation window) and the escalated ones")
    func headerCounts() throws {
        let h = try Harness()
        // Incidents timed now (the header counts against the wall clock), and one long closed.
        var alerts = IncidentHistory.intrusion().map { a -> Alert in
            var a = a
            a.time = Timestamp.now().adding(nanoseconds: a.time.nanoseconds - Harness.now.nanoseconds)
            return a
        }
        var old = Harness.alert("Old rule", .error, container: "dashboard", id: "5be1a9d04c77", secondsAgo: 0)
        old.time = Timestamp.now().adding(nanoseconds: -3_600_000_000_000)
        alerts.insert(old, at: 0)
        try IncidentHistory.process(h.store, alerts)
        h.load()
        h.run([.load(.incidentSummary)])
        #expect(h.state.incidentSummary == IncidentSummary(open: 3, escalated: 1, responseOn: true))
        let top = try #require(screenText(h, width: 160).split(separator: "\n").first)
        #expect(top.contains("3 incidents, 1 ▲"), "\(top)")
        #expect(h.render(width: 160).role(of: "3 incidents") == .unseen)
    }
}
