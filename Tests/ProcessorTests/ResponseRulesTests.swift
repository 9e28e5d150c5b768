import AlertStore
import Assembly
import Config
import Foundation
@testable import Processor
import TestSupport
import Testing
import TradsecCore

/// The response rules' decisions and guards, on the rules themselves (no engine).
@Suite struct ResponseRulesTests {
    static let now = Timestamp(nanoseconds: 1_800_000_000_000_000_000)

    func config(_ yaml: String) throws -> ResponseConfig {
        // The section's text under `response:` (one line down) in a whole config file.
        let indented = yaml.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
        return try TradsecConfig.section(ResponseConfig.self, yaml: "response:\n" + indented, file: "test.yaml")
    }

    func alert(_ rule: String = "Shell", container: String = "ai-trading-bot", id: String = "3ad7b26ded6d", age: Int64 = 1) throws -> Alert {
        try AlertDecoder.decode(line: falcoAlert(rule: rule, time: Self.now.adding(nanoseconds: -age * 1_000_000_000).rfc3339(),
                                                 container: container, containerID: id))
    }

    func incident(escalated: Bool = true, stages: [String] = ["execution", "credential-access"]) -> IncidentRecord {
        IncidentRecord(id: 7, containerID: "3ad7b26ded6d", containerName: "ai-trading-bot", hostname: "h", role: nil, opened: Self.now,
                       updated: Self.now, severity: .critical, escalated: escalated, stages: stages, rules: ["Shell"], alertCount: 3,
                       title: "t", reason: nil)
    }

    func decide(_ rules: inout ResponseRules, _ a: Alert, incident: IncidentRecord? = nil, on: Bool = true, at: Timestamp = now) -> [ResponseDecision] {
        rules.decide(alertID: 1, alert: a, container: a.container, enrichment: AlertEnrichment(role: nil, tags: [], incidentID: 7),
                     incident: incident ?? self.incident(), switchedOn: on, now: at)
    }

    static let auto = """
        max_auto_actions_per_hour: 2
        never: [postgres*]
        rules:
          - name: isolate escalated
            match: {containers: [ai-trading-bot, "postgres*"], escalated: true}
            actions: [isolate]
            mode: auto
            cooldown: 10m
        """

    @Test func matchesOnEveryFieldGiven() throws {
        var rules = ResponseRules(config: try config("""
            rules:
              - name: r
                match: {containers: [ai-*], rules: ["Sh*"], priority: ">=notice", hosts: [trading-*], stages: [credential-access], escalated: true}
                actions: [isolate, notify]
            """))
        let d = decide(&rules, try alert())
        #expect(d.map(\.action) == [.isolate, .notify])
        #expect(d.allSatisfy { $0.mode == .propose && $0.container?.id == "3ad7b26ded6d" && $0.incidentID == 7 })
        var other = ResponseRules(config: rules.config)
        #expect(decide(&other, try alert(), incident: incident(escalated: false)).isEmpty)
        #expect(decide(&other, try alert(), incident: incident(stages: ["execution"])).isEmpty)
        #expect(decide(&other, try alert("Other rule")).isEmpty)
        #expect(decide(&other, try alert(container: "dashboard", id: "aaaaaaaaaaaa")).isEmpty)
    }

    @Test func cooldownPerRuleAndContainer() throws {
        var rules = ResponseRules(config: try config(Self.auto))
        #expect(decide(&rules, try alert()).count == 1)
        #expect(decide(&rules, try alert(), at: Self.now.adding(nanoseconds: 60_000_000_000)).isEmpty, "inside the cooldown")
        #expect(decide(&rules, try alert(), at: Self.now.adding(nanoseconds: 601_000_000_000)).count == 1, "after it")
    }

    @Test func theHourlyCapTurnsAutomaticActionsIntoProposals() throws {
        var rules = ResponseRules(config: try config(Self.auto.replacingOccurrences(of: "cooldown: 10m", with: "cooldown: 1s")))
        var modes: [ResponseConfig.Mode] = []
        for k in 0..<4 { modes += decide(&rules, try alert(), at: Self.now.adding(nanoseconds: Int64(k) * 2_000_000_000)).map(\.mode) }
        #expect(modes == [.auto, .auto, .propose, .propose])
        let capped = decide(&rules, try alert(), at: Self.now.adding(nanoseconds: 10_000_000_000))
        #expect(capped.first?.note?.contains("cap of 2") == true)
        // An hour later the cap has room again.
        #expect(decide(&rules, try alert(age: -3699), at: Self.now.adding(nanoseconds: 3_700_000_000_000)).first?.mode == .auto)
    }

    @Test func neverListedContainersAreOnlyProposed() throws {
        var rules = ResponseRules(config: try config(Self.auto))
        let d = decide(&rules, try alert(container: "postgres-main", id: "bbbbbbbbbbbb"))
        #expect(d.first?.mode == .propose)
        #expect(d.first?.note?.contains("never acted on automatically") == true)
    }

    @Test func theKillSwitchStopsEverything() throws {
        var rules = ResponseRules(config: try config(Self.auto))
        #expect(decide(&rules, try alert(), on: false).isEmpty, "switched off in the console")
        var disabled = ResponseRules(config: try config("enabled: false\n" + Self.auto))
        #expect(decide(&disabled, try alert()).isEmpty, "off in the config")
    }

    @Test func stopTradingAndOldAlertsAreHeldBack() throws {
        var rules = ResponseRules(config: try config("""
            rules:
              - name: stop
                match: {escalated: true}
                actions: [stop-trading]
                mode: auto
            """))
        let stop = decide(&rules, try alert())
        #expect(stop.first?.mode == .propose && stop.first?.note?.contains("allow_auto_stop_trading") == true)
        var allowed = ResponseRules(config: try config("allow_auto_stop_trading: true\n" + Self.auto))
        let old = decide(&allowed, try alert(age: 3600))
        #expect(old.first?.mode == .propose && old.first?.note?.contains("old") == true)
    }

    @Test func aHostAlertIsNeverIsolated() throws {
        var rules = ResponseRules(config: try config("rules:\n  - {name: r, actions: [isolate, notify]}\n"))
        let d = decide(&rules, try alert(container: "host", id: "host"))
        #expect(d.map(\.action) == [.notify])
    }

    @Test func configErrorsNameTheLine() throws {
        #expect(throws: ConfigError.self) { try config("rules:\n  - {name: r, actions: [explode]}\n") }
        #expect(throws: ConfigError.self) { try config("rules:\n  - {name: r, actions: [isolate], mode: yolo}\n") }
        #expect(throws: ConfigError.self) { try config("rules:\n  - {name: r, actions: [isolate], match: {stage: [lunch]}}\n") }
        do {
            _ = try config("maximum_auto: 3\n")
            Issue.record("an unknown key was accepted")
        } catch {
            #expect("\(error)".contains("test.yaml:2") && "\(error)".contains("maximum_auto"))
        }
    }
}
