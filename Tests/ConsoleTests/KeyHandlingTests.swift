import AlertStore
import Assembly
import Config
@testable import Console
import TestSupport
import Testing
import TradsecCore

/// Keys on the state machine, without a terminal.
@Suite struct KeyHandlingTests {
    @Test func navigationMovesWithinAndBetweenPanes() throws {
        let h = try Harness()
        try h.insert((0..<30).map { Harness.alert("rule \($0)", .notice, secondsAgo: 1000 - $0) })
        h.load()
        h.press(.tab, .tab)
        #expect(h.state.focusedPane == 2)
        h.press(.character("j"), .down)
        #expect(h.state.paneSelection[2] == 2)
        h.press(.character("G"))
        #expect(h.state.paneSelection[2] == 29)
        h.press(.character("g"))
        #expect(h.state.paneSelection[2] == 0)
        _ = h.render(width: 120, height: 40)
        h.press(.pageDown)
        #expect(h.state.paneSelection[2] == h.state.pageSize)
        h.press(.backTab)
        #expect(h.state.focusedPane == 1)
        h.press(.character("k"))
        #expect(h.state.paneSelection[1] == 0, "stays within bounds")
    }

    @Test func enterOpensTheAlertAndEscGoesBack() throws {
        let h = try Harness()
        try h.insert([Harness.alert("Crypto wallet file accessed", .critical)])
        h.load()
        h.press(.enter)
        guard case .alert(let stored) = h.state.screen else { Issue.record("not on the detail"); return }
        #expect(stored.alert.rule == "Crypto wallet file accessed")
        #expect(h.state.alertDetail?.stored.id == stored.id)
        h.press(.escape)
        #expect(h.state.screen == .overview)
        #expect(h.state.alertDetail == nil)
    }

    @Test func liveFilterNarrowsAsYouTypeAndEscRestores() throws {
        let h = try Harness()
        try h.insert([Harness.alert("Read sensitive", .warning, output: "opened /etc/shadow"),
                      Harness.alert("Outbound", .warning, secondsAgo: 30, output: "connect 1.2.3.4")])
        h.load()
        h.press(.character("/"))
        h.type("shad")
        #expect(h.state.filter.search == "shad")
        let rows = h.state.overview?.panes[1].rows.map(\.newest.alert.rule)
        #expect(rows == ["Read sensitive"])
        #expect(h.render().text.contains("/shad"))
        h.press(.escape)
        #expect(h.state.filter.search == nil)
        #expect(h.state.overview?.panes[1].rows.count == 2)
    }

    @Test func commandsSetFiltersAndReportMistakes() throws {
        let h = try Harness()
        try h.insert([Harness.alert("A", .critical), Harness.alert("B", .warning),
                      Harness.alert("Old", .error, secondsAgo: 7200)])
        h.load()
        h.press(.character(":"))
        h.type("priority >=error")
        h.press(.enter)
        #expect(h.state.filter.priorities == PriorityFilter(">=error"))
        #expect(h.state.overview?.panes[1].rows.map(\.newest.alert.rule) == ["Old"])
        h.press(.character(":")); h.type("priority nonsense"); h.press(.enter)
        #expect(h.state.messageIsError)
        #expect(h.state.filter.priorities == PriorityFilter(">=error"), "a bad command changes nothing")
        h.press(.character(":")); h.type("rule O*"); h.press(.enter)
        #expect(h.state.filter.ruleGlob == "O*")
        h.press(.character(":")); h.type("container ai-trading-bot"); h.press(.enter)
        #expect(h.state.filter.container == "ai-trading-bot")
        h.press(.character(":")); h.type("since 1h"); h.press(.enter)
        #expect(h.state.filter.since == "1h")
        h.press(.character(":")); h.type("clear"); h.press(.enter)
        #expect(h.state.filter.isEmpty)
        h.press(.character(":")); h.type("theme solarized-dark")
        #expect(h.press(.enter) == [.setTheme("solarized-dark")])
        h.press(.character(":")); h.type("q")
        #expect(h.press(.enter) == [.quit])
        #expect(h.state.quitRequested)
    }

    @Test func acknowledgeAndSilenceAreStoredInTheHistory() throws {
        let h = try Harness()
        try h.insert([Harness.alert("Noisy rule", .warning), Harness.alert("Noisy rule", .warning, secondsAgo: 90),
                      Harness.alert("Other", .warning, container: "dashboard", id: "1234567890ab", secondsAgo: 120)])
        h.load()
        h.press(.tab)
        h.press(.character("a"))
        let ids = h.state.overview!.panes[1].rows[0].ids
        #expect(try h.store.acknowledged(among: ids) == Set(ids))
        #expect(h.state.overview!.panes[1].rows[0].acknowledged)
        #expect(h.render().text.contains("✓"))
        h.press(.character("s"))
        #expect(h.render().text.contains("silence [r]ule"))
        h.press(.character("r"), .backspace, .backspace)
        h.type("30m")
        h.press(.enter)
        let silences = try h.store.activeSilences()
        #expect(silences.count == 1 && silences[0].kind == .rule && silences[0].value == "Noisy rule")
        #expect(h.state.overview!.panes[1].rows.map(\.newest.alert.rule) == ["Other"], "silenced rule hidden")
        h.press(.character(":")); h.type("silences"); h.press(.enter)
        #expect(h.state.message?.contains("1: rule 'Noisy rule' until") == true)
        h.press(.character(":")); h.type("unsilence 1"); h.press(.enter)
        #expect(try h.store.activeSilences().isEmpty)
        #expect(h.state.overview!.panes[1].rows.count == 2, "the rule shows again")
    }

    @Test func readOnlyNeverWrites() throws {
        let h = try Harness(readOnly: true)
        try h.insert([Harness.alert("Rule", .critical)])
        h.load()
        #expect(h.press(.character("a")).isEmpty)
        #expect(h.state.message?.contains("read-only") == true)
        h.press(.character("s"))
        #expect(h.state.mode == .normal)
        #expect(try h.store.acknowledged(among: [1]).isEmpty)
        #expect(try h.store.activeSilences().isEmpty)
    }

    @Test func pauseFreezesTheViewAndCountsWhatWaits() throws {
        let h = try Harness()
        try h.insert([Harness.alert("First", .critical)])
        h.load()
        #expect(h.press(.character("p")).contains(.setPaused(true)))
        try h.insert([Harness.alert("Second", .critical, secondsAgo: 10)])
        h.state.apply(.newestID(2))
        let text = h.render().text
        #expect(text.contains("PAUSED +1"))
        #expect(!text.contains("Second"))
        h.press(.character("p"))
        #expect(h.render().text.contains("Second"))
    }

    @Test func newCriticalAlertsStayHighlightedUntilTheCursorReachesThem() throws {
        let h = try Harness()
        try h.insert([Harness.alert("Old", .critical, secondsAgo: 500)])
        h.load()
        try h.insert([Harness.alert("Fresh", .critical, secondsAgo: 5)])
        h.state.apply(.newestID(2))
        h.run([.load(.overview(h.state.filter))])
        #expect(h.state.unseenCriticalCount == 1)
        #expect(h.render().role(of: "Fresh") == .selection || h.render().text.contains("1 new critical"))
        h.press(.down, .up)
        #expect(h.state.unseenCriticalCount == 0)
    }

    @Test func configRebindsKeysAndRejectsUnknownActions() throws {
        let config = TradsecConfig.decode(yaml: "theme: monochrome\nsources: [falco-file=/var/log/falco.json]\nkeys:\n  quit: [x, ctrl-q]\n", file: "/etc/tradsec/test.yaml")
        #expect(try config.section(ThemeSetting.self).name == "monochrome")
        #expect(try config.section(SourceList.self).specs == [.falcoFile("/var/log/falco.json")])
        let keyMap = try config.section(KeyMap.self)
        #expect(keyMap.action(for: .character("x")) == .quit)
        #expect(keyMap.action(for: .control("q")) == .quit)
        #expect(keyMap.action(for: .character("q")) == nil)
        #expect(throws: ConfigError.self) { try TradsecConfig.section(KeyMap.self, yaml: "keys:\n  explode: x\n", file: "t") }
        #expect(throws: (any Error).self) { try SourceSpec.parse(flag: "carrier-pigeon=1") }
    }
}
