import Testing
@testable import TradsecCore

@Suite struct TextTests {
    @Test(arguments: [
        ("plain text /etc/shadow", "plain text /etc/shadow"),
        ("\u{1b}[31mred\u{1b}[0m", "\\x1b[31mred\\x1b[0m"),
        ("\u{1b}]0;pwned\u{07}", "\\x1b]0;pwned\\x07"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\u{9b}2J", "\\x9b2J"),
        ("del\u{7f}", "del\\x7f"),
        ("safe\u{202e}txt.exe", "safe\\u{202e}txt.exe"),
        ("zero\u{200b}width", "zero\\u{200b}width"),
        ("日本語 🔥 é", "日本語 🔥 é"),
    ])
    func escapesWhatWouldControlTheTerminal(input: String, shown: String) {
        #expect(TerminalSafe.escape(input) == shown)
        #expect(!TerminalSafe.escape(input).unicodeScalars.contains { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) })
    }

    @Test func measuresCellsForWideAndCombiningCharacters() {
        #expect(CellWidth.of("abc") == 3)
        #expect(CellWidth.of("日本") == 4)
        #expect(CellWidth.of("🔥") == 2)
        #expect(CellWidth.of("e\u{301}") == 1)
        #expect(CellWidth.truncate("日本語テキスト", to: 7) == "日本語…")
        #expect(CellWidth.of(CellWidth.fit("日本語テキスト", to: 8)) == 8)
        #expect(CellWidth.fit("ab", to: 4) == "ab  ")
    }

    @Test func parsesPriorityFilters() {
        #expect(PriorityFilter("critical")?.allowed == [.critical])
        #expect(PriorityFilter(">=warning")?.allowed == [.emergency, .alert, .critical, .error, .warning])
        #expect(PriorityFilter("<notice")?.allowed == [.informational, .debug])
        #expect(PriorityFilter("error, CRITICAL")?.allowed == [.error, .critical])
        #expect(PriorityFilter(">=info")?.allowed.count == 7)
        #expect(PriorityFilter(">=severe") == nil)
        #expect(PriorityFilter("") == nil)
        #expect(PriorityFilter(">=warning")?.description == ">=warning")
    }

    @Test func ordersPrioritiesBySeverity() {
        #expect(Priority.critical > Priority.warning)
        #expect(Priority.critical.isAtLeast(.error))
        #expect(!Priority.notice.isAtLeast(.warning))
        #expect(Priority(name: "Info") == .informational)
        #expect(Priority.informational.name == "Informational")
    }
}

@Suite struct ByteSizeTests {
    @Test func unitsAreBinaryAndABareNumberIsTheCallers() {
        #expect(ByteSize.parse("400MB", bare: 1) == 400 << 20)
        #expect(ByteSize.parse("400 mib", bare: 1) == 400 << 20)
        #expect(ByteSize.parse("1.5GiB", bare: 1) == 3 << 29)
        #expect(ByteSize.parse("2g", bare: 1) == 2 << 30)
        #expect(ByteSize.parse("512KiB", bare: 1) == 512 << 10)
        #expect(ByteSize.parse("12b", bare: 1) == 12)
        #expect(ByteSize.parse("300", bare: ByteSize.mebibyte) == 300 << 20)
        #expect(ByteSize.parse("300", bare: 1) == 300)
        #expect(ByteSize.parse("9007199254740993", bare: 1) == 9_007_199_254_740_993, "whole numbers exactly, past 2^53")
    }

    @Test func whatIsNotASizeIsNil() {
        for text in ["", "MB", "lots", "-1MB", "0", "0.1b", "inf", "nan", "1e3", "0x10", "1.2.3MB", "99999999999999999999GiB", "18446744073709551616", "17179869184GiB", "4\u{212A}B"] {
            #expect(ByteSize.parse(text, bare: 1) == nil, "\(text)")
        }
    }
}
