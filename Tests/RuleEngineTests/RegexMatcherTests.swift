import Testing
@testable import RuleEngine

/// `regex`: RE2's POSIX syntax, whole-value match, in linear time.
@Suite struct RegexMatcherTests {
    static func matches(_ pattern: String, _ text: String) throws -> Bool {
        try RegexMatcher(pattern: pattern).matchesWhole(Array(text.utf8))
    }

    @Test func posixSyntaxMatchesTheWholeValue() throws {
        let cases: [(String, String, Bool)] = [
            ("bash", "bash", true), ("bash", "bashx", false), ("bash", "xbash", false),
            ("ba.h", "bash", true), ("ba.h", "ba\nh", false), (".*sh", "/bin/bash", true),
            ("(ba|z)sh", "zsh", true), ("(ba|z)sh", "ksh", false), ("a|", "", true), ("()", "", true),
            ("[a-c]+[0-9]?", "abcabc7", true), ("[^/]+", "a/b", false), ("[]a]+", "]a]", true),
            ("[a-]+", "a-a", true), ("[[:digit:][:upper:]]{2,3}", "9Z", true), ("[[:digit:]]{2,3}", "1234", false),
            ("x{3}", "xxx", true), ("x{3}", "xx", false), ("x{2,}", "xxxxx", true), ("x{0,2}y", "y", true),
            ("a{,2}", "a{,2}", true), ("a{", "a{", true), ("\\.\\*\\[", ".*[", true), ("\\x41\\x{263a}", "A\u{263A}", true),
            ("^/etc/.*$", "/etc/shadow", true), ("a^b", "ab", false), ("a$\nb", "a\nb", true), ("a?b+c*", "bbb", true),
            ("é.", "éx", true), ("caf.", "café", true), ("(a*)*b", "aaab", true), ("(a|aa)*", "aaaa", true),
        ]
        for (pattern, text, want) in cases {
            #expect(try Self.matches(pattern, text) == want, "\(pattern) on \(text.debugDescription)")
        }
    }

    @Test func invalidOrPerlOnlyPatternsAreLoadErrors() {
        // RE2's POSIX mode has no Perl classes, assertions, back-references or (?...) groups.
        for pattern in ["(", "a)", "[a", "*a", "a**", "a{2}{3}", "\\d+", "\\w", "\\b", "\\1", "(?i)a", "(?:a)", "a{1001}",
                        "a{3,2}", "[z-a]", "[[:nope:]]", "\\", "((((((((((a{1000}){1000})))))))))"] {
            #expect(throws: CompileError.self, "\(pattern)") { try RegexMatcher(pattern: pattern) }
        }
        #expect(throws: CompileError.self) { try FilterExpression.compile(#"proc.name regex "\d+""#) }
    }

    @Test func eachSyntaxErrorSaysWhatIsWrongInRE2sWords() {
        let cases: [(String, RegexMatcher.SyntaxError, String)] = [
            ("(", .missingParen, "missing )"), ("a)", .unexpectedParen, "unexpected )"), ("[a", .missingBracket, "missing ]"),
            ("*a", .missingRepetitionArgument("*"), "missing argument to repetition operator: *"),
            ("(?i)a", .missingRepetitionArgument("?"), "missing argument to repetition operator: ?"),
            ("a**", .badRepetition("*"), "bad repetition operator: *"),
            ("a{3,2}", .badRepetition("{3,2}"), "bad repetition operator: {3,2}"),
            ("\\d", .badEscape("\\d"), "invalid escape sequence: \\d"), ("\\x{zz}", .badEscape("\\xzz"), "invalid escape sequence: \\xzz"),
            ("a\\", .trailingBackslash, "trailing \\"), ("[z-a]", .badCharacterRange(posixClass: nil), "invalid character class range"),
            ("[[:nope:]]", .badCharacterRange(posixClass: "nope"), "invalid character class range: [:nope:]"),
            ("((((((((((a{1000}){1000})))))))))", .patternTooLarge, "pattern too large - compile failed"),
            (String(repeating: "(", count: 300), .nestingTooDeep, "nesting too deep"),
        ]
        for (pattern, error, text) in cases {
            #expect(error.description == text)
            do {
                _ = try RegexMatcher(pattern: pattern)
                Issue.record("\(pattern) compiled")
            } catch {
                #expect(error.message == "invalid regex pattern: \(pattern) (\(text))", "\(pattern)")
            }
        }
    }

    @Test func backtrackingPatternsStayLinear() throws {
        // Each of these takes exponential time in a backtracking engine on this value.
        let value = Array(repeating: UInt8(ascii: "a"), count: 20_000) + [UInt8(ascii: "!")]
        for pattern in ["(a*)*b", "(a|a)*b", "(a|aa)+$", "(.*a){20}", "((a+)+)+b"] {
            #expect(try RegexMatcher(pattern: pattern).matchesWhole(value) == false, "\(pattern)")
        }
        // Through a compiled filter on an event field.
        let filter = try FilterExpression.compile(#"proc.name regex "(a*)*b""#)
        let event = Event(slotCount: filter.slots.count)
        try EventDecoder(slots: filter.slots).decode(line: #"{"source":"syscall","fields":{"proc.name":""# + String(repeating: "a", count: 20_000) + #""}}"#, into: event)
        #expect(filter.predicate(event) == false)
    }

    @Test func invalidUTF8IsMatchedByDotOnly() throws {
        let value: [UInt8] = [0x61, 0xFF, 0x62]
        #expect(try RegexMatcher(pattern: "a.b").matchesWhole(value))
        #expect(try RegexMatcher(pattern: "a[^x]b").matchesWhole(value))
        #expect(try !RegexMatcher(pattern: "a[[:print:]]b").matchesWhole(value))
    }
}
