import AlertStore
@testable import Console
import Testing
import TestSupport
import TradsecCore

/// What a person sees on each screen, read back from the grid.
@Suite struct ScreenTests {
    static func incident() -> [Alert] {
        [
            Harness.alert("Read sensitive file untrusted", .warning, secondsAgo: 300, file: "/etc/shadow"),
            Harness.alert("Outbound connection", .error, secondsAgo: 200),
            Harness.alert("Outbound connection", .error, secondsAgo: 150),
            Harness.alert("Outbound connection", .error, secondsAgo: 100),
            Harness.alert("Crypto wallet file accessed", .critical, secondsAgo: 90, file: "/home/bot/.ethereum/keystore"),
            Harness.alert("Container escape attempt", .emergency, container: "bluefin-service", id: "9a8b7c6d5e4f", secondsAgo: 30),
            Harness.alert("Terminal shell in container", .notice, container: "dashboard", id: "1234567890ab", secondsAgo: 20),
        ]
    }

    @Test func overviewShowsThreePanesWithCountsNewestFirstAndFoldsRepeats() throws {
        let h = try Harness()
        try h.insert(Self.incident())
        h.load()
        let text = h.render().text
        #expect(text.contains("Critical+ 2"))
        #expect(text.contains("Error/Warning 4"))
        #expect(text.contains("Notice/Info 1"))
        let lines = text.split(separator: "\n").map(String.init)
        let escape = try #require(lines.firstIndex { $0.contains("Container escape attempt") })
        let wallet = try #require(lines.firstIndex { $0.contains("Crypto wallet file accessed") })
        #expect(escape < wallet, "newest first")
        let folded = try #require(lines.first { $0.contains("Outbound connection") })
        #expect(folded.contains("×3"))
        #expect(lines.filter { $0.contains("Outbound connection") }.count == 1)
        #expect(text.contains("trade-host-01"))
        #expect(lines.last!.contains("help") && lines.last!.contains("quit"), "footer shows the keys")
    }

    @Test func alertFieldsCarryingEscapeSequencesAreShownEscapedOnEveryScreen() throws {
        let h = try Harness()
        let evil = Harness.alert("Evil \u{1B}]0;pwned\u{07} rule", .critical, container: "bad\u{1B}[31mbox", id: "abcdefabcdef",
                                 output: "cat \u{1B}[2J\u{1B}[H /etc/\u{202E}wodahs", process: "sh\u{0D}")
        try h.insert([evil])
        h.load()
        for grid in [h.render()] + detailAndContainers(h) {
            #expect(!grid.cells.contains { $0.text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x202A...0x202E).contains($0.value) } })
        }
        h.press(.character("o"))
        let text = h.render(width: 250, height: 40).text
        #expect(text.contains("Evil \\x1b]0;pwned\\x07 rule"))
        #expect(text.contains("bad\\x1b[31mbox"))
        #expect(text.contains("\\x1b[2J\\x1b[H /etc/\\u{202e}wodahs"))
    }

    func detailAndContainers(_ h: Harness) -> [ScreenGrid] {
        h.press(.enter)
        let detail = h.render(width: 200, height: 60)
        h.press(.escape, .character("c"))
        let containers = h.render()
        h.press(.enter)
        let container = h.render(width: 160, height: 50)
        return [detail, containers, container]
    }

    @Test func smallTerminalCollapsesPanesToTabs() throws {
        let h = try Harness()
        try h.insert(Self.incident())
        h.load()
        let grid = h.render(width: 40, height: 12)
        let text = grid.text
        #expect(grid.width == 40 && grid.height == 12)
        #expect(text.contains("CRIT 2") && text.contains("ERR/WARN 4"))
        #expect(text.contains("Container escape"))
        #expect(!text.contains("┌"), "no pane borders at 40x12")
        h.press(.tab)
        #expect(h.render(width: 40, height: 12).text.contains("Outbound"))
        for y in 0..<grid.height { #expect(CellWidthOf(grid.row(y)) == 40) }
    }

    @Test func largeTerminalUsesTheSpace() throws {
        let h = try Harness()
        try h.insert(Self.incident())
        h.load()
        let grid = h.render(width: 300, height: 100)
        let text = grid.text
        #expect(text.contains("python3"), "process column")
        #expect(text.contains("root"), "user column")
        #expect(text.contains("since "), "first-seen column for folded rows")
        let paneTops = (0..<grid.height).filter { grid.row($0).hasPrefix("┌") }
        #expect(paneTops.count == 3)
        #expect(paneTops.last! > 50, "panes spread over the height")
    }

    @Test func wideCharactersInAlertsKeepColumnsAligned() throws {
        let h = try Harness()
        try h.insert([Harness.alert("日本語のルール", .critical, container: "取引ボット", id: "aaaaaaaaaaaa", output: "ファイル 🔥 opened"),
                      Harness.alert("plain rule", .critical, secondsAgo: 120)])
        h.load()
        let grid = h.render(width: 120, height: 40)
        let lines = (0..<grid.height).map { grid.row($0) }
        let wide = try #require(lines.first { $0.contains("日本語のルール") })
        let plain = try #require(lines.first { $0.contains("plain rule") })
        func column(of needle: String, in line: String) -> Int { CellWidthOf(String(line[..<line.firstRange(of: needle)!.lowerBound])) }
        #expect(column(of: "日本語のルール", in: wide) == column(of: "plain rule", in: plain))
        #expect(CellWidthOf(wide) == 120)
        #expect(wide.contains("🔥"))
    }

    @Test func alertDetailShowsEveryFieldTheRawJSONAndRelatedAlerts() throws {
        let h = try Harness()
        try h.insert(Self.incident())
        h.load()
        h.press(.tab)                       // Error/Warning pane
        h.press(.enter)
        let text = h.render(width: 200, height: 60).text
        #expect(text.contains("Outbound connection"))
        #expect(text.contains("Container") && text.contains("ai-trading-bot (4f2a9c1b7e3d)"))
        #expect(text.contains("ghcr.io/acme/ai-trading-bot:1.0"))
        #expect(text.contains("Process") && text.contains("python3"))
        #expect(text.contains("Raw JSON"))
        #expect(text.contains("\"rule\": \"Outbound connection\""))
        #expect(text.contains("Same rule (2)"))
        #expect(text.contains("Same container ("))
        #expect(text.contains("Same process ("))
    }

    @Test func containersScreenCountsPerPriorityAndDrillsIn() throws {
        let h = try Harness()
        try h.insert(Self.incident())
        h.load()
        h.press(.character("c"))
        let text = h.render().text
        let bot = try #require(text.split(separator: "\n").first { $0.contains("ai-trading-bot") })
        #expect(bot.split(separator: " ").contains("5"), "total for the bot")
        h.press(.character("S"), .character("S"))     // sort by total
        #expect(h.render().text.contains("sorted by total"))
        let first = try #require(h.state.sortedContainers.first)
        #expect(first.container.ref.name == "ai-trading-bot")
        h.press(.character("g"), .enter)
        let drill = h.render(width: 160, height: 50).text
        #expect(drill.contains("timeline"))
        #expect(drill.contains("Top rules"))
        #expect(drill.contains("/etc/shadow"), "files seen")
        #expect(drill.contains("Users") && drill.contains("root"))
        #expect(drill.contains("Recent alerts 5"))
    }

    @Test func everyScreenDrawsAtAnySizeWithoutOverflowing() throws {
        let h = try Harness()
        try h.insert(Self.incident() + [Harness.alert("日本語 🔥 \u{1B}[2J", .critical, container: "取引", id: "bbbbbbbbbbbb")])
        h.load()
        let visits: [[Key]] = [[], [.enter], [.character("c")], [.character("c"), .enter], [.character("?")], [.character("/")]]
        for keys in visits {
            h.press(.character("o"))
            if case .filter = h.state.mode { h.press(.escape) }
            for k in keys { h.press(k) }
            for width in stride(from: 1, through: 320, by: 23) {
                for height in [1, 2, 3, 5, 8, 12, 17, 24, 40, 100] {
                    let grid = h.render(width: width, height: height)
                    #expect(grid.width == width && grid.height == height)
                    for y in 0..<height where CellWidthOf(grid.row(y)) != width {
                        Issue.record("row \(y) of \(width)x\(height) after \(keys) is \(CellWidthOf(grid.row(y))) cells wide")
                    }
                }
            }
        }
    }

    @Test func helpListsEveryAction() throws {
        let h = try Harness()
        h.load()
        h.press(.character("?"))
        let text = h.render(width: 120, height: 60).text
        for action in Action.allCases { #expect(text.contains(action.summary), "\(action)") }
        #expect(text.contains(":priority >=error"))
    }
}

func CellWidthOf(_ s: String) -> Int { CellWidth.of(s) }
