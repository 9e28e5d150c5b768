import Config
@testable import Console
import TestSupport
import Testing

@Suite struct ScreenGridTests {
    @Test func wideCharactersTakeTwoCellsAndColumnsStillAlign() {
        var grid = ScreenGrid(width: 12, height: 2)
        grid.put("日本|", x: 0, y: 0)
        grid.put("abcd|", x: 0, y: 1)
        #expect(grid.row(0) == "日本|       ")
        #expect(grid[4, 0].text == "|")
        #expect(grid[4, 1].text == "|")
        #expect(grid[1, 0].isContinuation)
    }

    @Test func aWideCharacterThatDoesNotFitBecomesASpace() {
        var grid = ScreenGrid(width: 5, height: 1)
        let used = grid.put("abcd日", x: 0, y: 0, maxWidth: 5)
        #expect(used == 5)
        #expect(grid.row(0) == "abcd ")
    }

    @Test func overwritingHalfAWideCharacterLeavesNoHalfCharacter() {
        var grid = ScreenGrid(width: 4, height: 1)
        grid.put("日本", x: 0, y: 0)
        grid.put("x", x: 1, y: 0)
        #expect(grid.row(0) == " x本")
    }

    @Test func controlCharactersAndEscapeSequencesAreShownEscaped() {
        var grid = ScreenGrid(width: 60, height: 1)
        grid.put("a\u{1B}[2Jb\u{1B}]0;owned\u{07}c\u{202E}d\n", x: 0, y: 0)
        let row = grid.row(0)
        #expect(row.hasPrefix("a\\x1b[2Jb\\x1b]0;owned\\x07c\\u{202e}d\\n"))
        #expect(!grid.cells.contains { $0.text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0.value == 0x202E } })
    }

    @Test func boxDrawsUnicodeBordersWithATitle() {
        var grid = ScreenGrid(width: 10, height: 3)
        grid.box(grid.bounds, title: "Hi")
        #expect(grid.row(0) == "┌ Hi ────┐")
        #expect(grid.row(1) == "│        │")
        #expect(grid.row(2) == "└────────┘")
    }

    @Test func sparklineScalesToThePeakAndLeavesQuietMinutesBlank() {
        #expect(Sparkline.render([0, 1, 4, 8], width: 4) == " ▁▄█")
        #expect(Sparkline.render([5], width: 3) == "  █")
        #expect(Sparkline.resampled([1, 0, 0, 0, 0, 2], width: 3) == [1, 0, 2])
        #expect(Sparkline.resampled([1, 2], width: 5) == [1, 2])
    }

    @Test func colorsComeDownToWhatTheTerminalHas() {
        #expect(Color("#ff0000")!.number(for: .indexed256) == 196)
        #expect(Color("#ff0000")!.number(for: .ansi16) == 9)
        #expect(Color("#ff0000")!.number(for: .ansi8) == 1)
        #expect(Color("208")!.number(for: .ansi8) != 208)
        #expect(Color("bright-red")!.number(for: .ansi8) == 1)
        #expect(Color("red")!.number(for: .none) == -1)
        #expect(ColorDepth.detect(colors: 256, environment: ["NO_COLOR": "1"]) == .none)
        #expect(ColorDepth.detect(colors: 256, environment: ["TERM": "dumb"]) == .none)
        #expect(ColorDepth.detect(colors: 256, environment: ["COLORTERM": "truecolor"]) == .truecolor)
        #expect(ColorDepth.detect(colors: 8, environment: [:]) == .ansi8)
    }

    @Test func bundledThemesLoadAndCoverEveryRole() throws {
        let dir = #filePath.components(separatedBy: "/Tests/")[0] + "/themes"
        for name in ["default", "high-contrast", "solarized-dark", "monochrome"] {
            let theme = try ThemeLoader.load(name, searchPath: [dir])
            #expect(theme.name == name)
            for role in StyleRole.allCases { #expect(theme.styles[role] != nil, "\(name) lacks \(role)") }
        }
        #expect(try ThemeLoader.load("monochrome", searchPath: [dir]).attributesOnly)
        #expect { try ThemeLoader.parse("roles:\n  nope: {}\n", file: "bad.yaml", fallbackName: "bad") } throws: { error in
            "\(error)".hasPrefix("bad.yaml:2: unknown key 'nope'")
        }
        #expect(throws: ConfigError.self) { try ThemeLoader.load("../etc/passwd", searchPath: [dir]) }
    }
}
