#if canImport(Glibc)
import Glibc
#endif
import CNcurses
@testable import Console
import Testing
import TestSupport

/// The ncurses layer copies the grid faithfully: text, wide characters, colour pairs and
/// attributes, read back from ncurses' own idea of the screen (output to /dev/null).
/// ncurses has one screen per process: these tests run one at a time.
@Suite(.serialized) struct CursesTerminalTests {
    func withTerminal(_ environment: [String: String], theme: Theme = .builtIn, _ body: (CursesTerminal) throws -> Void) throws {
        setenv("LINES", "10", 1)
        setenv("COLUMNS", "40", 1)
        let out = try #require(fopen("/dev/null", "w"))
        let inp = try #require(fopen("/dev/null", "r"))
        let terminal = try CursesTerminal(terminalType: "xterm-256color", output: out, input: inp, theme: theme, environment: environment)
        defer { terminal.shutdown() }
        try body(terminal)
    }

    func cell(_ x: Int, _ y: Int) -> (text: String, attributes: attr_t, pair: Int16) {
        var text = [wchar_t](repeating: 0, count: 8)
        var attributes: attr_t = 0
        var pair: Int16 = 0
        _ = cn_get_cell(cn_curscr(), Int32(y), Int32(x), &text, &attributes, &pair)
        let scalars = text.prefix { $0 != 0 }.compactMap { UnicodeScalar(UInt32(bitPattern: $0)) }
        return (String(String.UnicodeScalarView(scalars)), attributes, pair)
    }

    @Test func copiesTextWideCharactersAndColourPairs() throws {
        try withTerminal(["TERM": "xterm-256color"]) { terminal in
            #expect(terminal.size.width == 40 && terminal.size.height == 10)
            #expect(terminal.depth == .indexed256)
            var grid = ScreenGrid(width: 40, height: 10)
            grid.put("CRIT 日本 x", x: 0, y: 2, role: .critical)
            terminal.draw(grid)
            #expect(cell(0, 2).text == "C")
            #expect(cell(5, 2).text == "日")
            #expect(cell(7, 2).text == "本")
            #expect(cell(10, 2).text == "x", "the wide characters took two columns each")
            #expect(cell(0, 2).pair == Int16(StyleRole.critical.rawValue) + 1)
            #expect(cell(0, 2).attributes & cn_a_bold() != 0)
            // A later frame changes only what differs.
            grid.put("ERR ", x: 0, y: 2, role: .error)
            terminal.draw(grid)
            #expect(cell(0, 2).text == "E")
            #expect(cell(0, 2).pair == Int16(StyleRole.error.rawValue) + 1)
            #expect(cell(5, 2).text == "日")
        }
    }

    @Test func noColorUsesAttributesOnly() throws {
        try withTerminal(["TERM": "xterm-256color", "NO_COLOR": "1"]) { terminal in
            #expect(terminal.depth == .none)
            var grid = ScreenGrid(width: 40, height: 10)
            grid.put("CRIT", x: 0, y: 0, role: .critical)
            grid.put("sel", x: 0, y: 1, role: .selection)
            terminal.draw(grid)
            #expect(cell(0, 0).pair == 0)
            #expect(cell(0, 0).attributes & cn_a_reverse() != 0)
            #expect(cell(0, 0).attributes & cn_a_bold() != 0)
            #expect(cell(0, 1).attributes & cn_a_reverse() != 0)
        }
    }

    @Test func mapsKeysFromNcursesCodes() {
        #expect(CursesTerminal.key(code: KEY_UP) == .up)
        #expect(CursesTerminal.key(code: KEY_NPAGE) == .pageDown)
        #expect(CursesTerminal.key(code: KEY_BTAB) == .backTab)
        #expect(CursesTerminal.key(code: KEY_RESIZE) == .resize)
        #expect(CursesTerminal.key(character: 9) == .tab)
        #expect(CursesTerminal.key(character: 13) == .enter)
        #expect(CursesTerminal.key(character: 27) == .escape)
        #expect(CursesTerminal.key(character: 127) == .backspace)
        #expect(CursesTerminal.key(character: 12) == .control("l"))
        #expect(CursesTerminal.key(character: 0x65E5) == .character("日"))
    }
}
