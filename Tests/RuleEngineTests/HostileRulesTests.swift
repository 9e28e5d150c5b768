import Foundation
import Testing
import TradsecCore
@testable import RuleEngine

/// Rules files written to exhaust the engine: each blow-up is either linear by construction
/// (shared macros) or stopped by a limit with a clear error, never a hang or a crash.
@Suite struct HostileRulesTests {
    /// `m0`, then `m1: (m0 or m0)`... `mN`: each macro names the previous one twice, so the
    /// expanded condition of `mN` has 2^N copies of `m0`.
    static func doublingMacros(_ count: Int, joiner: String = "or", base: String = "evt.type = open and proc.name = cat") -> String {
        var text = "- macro: m0\n  condition: \(base)\n"
        for i in 1...count { text += "- macro: m\(i)\n  condition: (m\(i - 1) \(joiner) m\(i - 1))\n" }
        text += "- rule: doubled\n  desc: d\n  condition: m\(count)\n  output: \"%proc.name\"\n  priority: INFO\n"
        return text
    }

    static func event(_ fields: String) -> String { #"{"source":"syscall","fields":{"evt.num":1,"evt.dir":"<",\#(fields)}}"# }

    @Test(arguments: [40, 60])
    func doublingMacrosLoadCompileAndEvaluateOnce(count: Int) throws {
        let engine = RulesEngine()
        let result = engine.load(content: Self.doublingMacros(count), name: "doubling.yaml")
        #expect(result.successful, "\(result.errors)")
        // One closure per node written, not per node of the expansion (2^count).
        #expect(engine.compiledConditionNodes <= 4 * count + 10, "compiled \(engine.compiledConditionNodes) nodes")
        let rule = try #require(engine.rules.first)
        guard case .macro(let top) = rule.condition else { Issue.record("rule condition is not the shared macro"); return }
        #expect(top.treeSize >= 1 << 40 || top.treeSize == .max)
        // Event-type analysis on the shared form: the rule stays indexed under `open` only.
        #expect(rule.eventCodes.map { $0.count < 10 } == true)

        let matcher = engine.makeMatcher()
        let decoder = engine.makeDecoder(for: matcher)
        let event = Event(slotCount: engine.slots.count)
        // No match: `or` cannot stop early, so every macro is evaluated, each once.
        try decoder.decode(line: Self.event(#""evt.type":"open","proc.name":"dog""#), into: event)
        #expect(matcher.firstMatch(event) == nil)
        #expect(event.memoEvaluations <= count + 1)
        try decoder.decode(line: Self.event(#""evt.type":"open","proc.name":"cat""#), into: event)
        #expect(matcher.firstMatch(event) == 0)
        try decoder.decode(line: Self.event(#""evt.type":"read","proc.name":"cat""#), into: event)
        #expect(matcher.firstMatch(event) == nil)

        // The canonical text would be 2^count copies long: it is cut and says so.
        let printed = rule.compiledCondition
        #expect(printed.hasSuffix(CanonicalPrinter.truncationMarker))
        #expect(printed.utf8.count < CanonicalPrinter.maxLength + 1024)
        #expect(engine.compiledMacro("m\(count)")?.hasSuffix(CanonicalPrinter.truncationMarker) == true)
        #expect(engine.compiledMacro("m2") == "(((evt.type = open and proc.name = cat) or (evt.type = open and proc.name = cat)) or ((evt.type = open and proc.name = cat) or (evt.type = open and proc.name = cat)))")
    }

    @Test func doublingMacrosKeepPerRuleWarnings() throws {
        // A shared macro's warnings are raised for each rule naming it, once per rule.
        var text = Self.doublingMacros(50, joiner: "and", base: "proc.name = proc.exe and evt.dir = <")
        text += "- rule: second\n  desc: d\n  condition: m7 and evt.type = open\n  output: o\n  priority: INFO\n"
        let engine = RulesEngine()
        let result = engine.load(content: text, name: "warnings.yaml")
        #expect(result.successful, "\(result.errors)")
        for rule in ["doubled", "second"] {
            let own = result.warnings.filter { $0.item == rule }
            #expect(own.filter { $0.code == "LOAD_DEPRECATED_ITEM" }.count == 1, "\(rule): \(own.map(\.message))")
            #expect(own.filter { $0.message.contains("'proc.exe' may be a valid field") }.count == 1, "\(rule): \(own.map(\.message))")
        }
        // `doubled` has no event-type restriction; the analysis still ran on the shared form.
        #expect(result.warnings.contains { $0.code == "LOAD_NO_EVTTYPE" && $0.item == "doubled" })
        #expect(!result.warnings.contains { $0.code == "LOAD_NO_EVTTYPE" && $0.item == "second" })
    }

    @Test func macroChainsDeeperThanTheLimitAreRefused() {
        // Redefinitions let each macro name the next one: expansion recursion is bounded too.
        var text = ""
        for i in 0..<5_000 { text += "- macro: m\(i)\n  condition: evt.type = open\n" }
        for i in (0..<4_999).reversed() { text += "- macro: m\(i)\n  condition: not m\(i + 1)\n" }
        text += "- rule: r\n  desc: d\n  condition: m0\n  output: o\n  priority: INFO\n"
        let result = RulesEngine().load(content: text, name: "chain.yaml")
        #expect(result.errors.first?.message == "exceeded max depth limit of 1000")
    }
}

/// Bombs other than macros: each stopped by its limit with a clear error at file:line:column.
@Suite struct RulesFileBombTests {
    static func rule(_ condition: String, name: String = "r", output: String = "o") -> String {
        "- rule: \(name)\n  desc: d\n  condition: \(condition)\n  output: \(output)\n  priority: INFO\n"
    }

    static func load(_ text: String) -> LoadResult { RulesEngine().load(content: text, name: "bomb.yaml") }

    @Test func deepNestingInConditionsIsADepthError() {
        let parens = String(repeating: "(", count: 20_000) + "evt.type = open" + String(repeating: ")", count: 20_000)
        let transformers = String(repeating: "tolower(", count: 5_000) + "proc.name" + String(repeating: ")", count: 5_000) + " = x"
        for condition in [parens, transformers] {
            let result = Self.load(Self.rule(condition))
            #expect(result.errors.first?.code == "LOAD_ERR_COMPILE_CONDITION")
            #expect(result.errors.first?.message == "exceeded max depth limit of 1000")
            #expect(result.errors.first?.line == 3)
        }
        // `not not not ...` is read in a loop, not by recursion: any number is fine.
        let nots = Self.load(Self.rule(String(repeating: "not ", count: 100_000) + "not evt.type = open"))
        #expect(nots.successful, "\(nots.errors)")
    }

    @Test func deepYAMLIsAParseError() {
        let nested = "- rule: r\n  tags: " + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000) + "\n"
        let result = Self.load(nested)
        #expect(result.errors.first?.code == "LOAD_ERR_YAML_PARSE")
        #expect(result.errors.first?.message.contains("Maximum nesting level") == true)
    }

    @Test(arguments: ["items", "exception", "key"])
    func yamlAliasBombsAreRefused(shape: String) {
        // 2^40 nodes named by 41 anchors.
        var text = "- list: l0\n  items: &a0 [x, x]\n"
        for i in 1...40 { text += "- list: l\(i)\n  items: &a\(i) [*a\(i - 1), *a\(i - 1)]\n" }
        switch shape {
        case "items": text += "- list: big\n  items: *a40\n"
        case "exception": text += Self.rule("evt.type = open") + "  exceptions:\n    - name: e\n      fields: [proc.name]\n      values: [*a40]\n"
        default: text += "- {? *a40 : x}\n"   // Yams hashes a complex key in full
        }
        let result = Self.load(text)
        #expect(result.errors.first?.code == "LOAD_ERR_YAML_PARSE")
        #expect(result.errors.first?.message == "YAML aliases stand for more than 1000000 nodes")
        // The alias that crossed the limit (the budget is reached within the anchors' chain).
        #expect((result.errors.first?.line ?? 0) > 1)
        // Anchors used with measure load as before.
        let modest = Self.load("- list: a\n  items: &common [cat, dog]\n- list: b\n  items: *common\n" + Self.rule("proc.name in (a, b) and evt.type = open"))
        #expect(modest.successful, "\(modest.errors)")
    }

    @Test func hugeConditionsParseInLinearTime() {
        // 30,000 checks in one 600 KB condition: positions are counted on, not from the start.
        let checks = (0..<30_000).map { "proc.name = n\($0)" }.joined(separator: " or ")
        let result = Self.load(Self.rule("evt.type = open and (\(checks))"))
        #expect(result.successful, "\(result.errors)")
        let error = Self.load(Self.rule("evt.type = open and (\(checks) or )"))
        #expect(error.errors.first?.message == "expected a '(' token, a field check, or an identifier")
    }

    @Test func listBlowUpsAreRefused() {
        // Lists naming lists: n names of an n-item list.
        let items = (0..<1_100).map { "i\($0)" }.joined(separator: ", ")
        let names = Array(repeating: "base", count: 1_000).joined(separator: ", ")
        var result = Self.load("- list: base\n  items: [\(items)]\n- list: square\n  items: [\(names)]\n")
        #expect(result.errors.first?.message == "Lists expand to more than 1048576 items (lists naming lists)")
        #expect(result.errors.first?.item == "square")

        // Items naming later lists double the condition at each substitution.
        var doubling = ""
        for i in 0..<30 { doubling += "- list: l\(i)\n  items: [l\(i + 1), l\(i + 1)]\n" }
        doubling += "- list: l30\n  items: [x]\n" + Self.rule("evt.type = open and proc.name in (l0)")
        result = Self.load(doubling)
        #expect(result.errors.first?.message == "Condition is longer than 1048576 bytes once lists are substituted")
        #expect(result.errors.first?.line == 65)

        // Thousands of lists in one long condition: each is one pass over the condition.
        var many = ""
        for i in 0..<5_000 { many += "- list: l\(i)\n  items: [x\(i)]\n" }
        let padding = (0..<20_000).map { "v\($0)" }.joined(separator: ", ")
        many += Self.rule("evt.type = open and proc.name in (\((0..<5_000).map { "l\($0)" }.joined(separator: ", ")), \(padding))")
        result = Self.load(many)
        #expect(result.errors.first?.message.hasPrefix("List substitution needs more than 67108864 bytes of work") == true)
    }

    @Test func outputBombsAreRefused() {
        let cases: [(String, String)] = [
            ("\"%99999999999999999999proc.name\"", "invalid formatting width: more than 256"),
            ("\"%257proc.name\"", "invalid formatting width: more than 256"),
            ("\"" + String(repeating: "x", count: 70_000) + "\"", "output is 70000 bytes long, more than the 65536 allowed"),
            ("\"%" + String(repeating: "a.", count: 5_000) + "\"", "unknown filter: field reference longer than 256 bytes"),
            ("\"%proc.name" + String(repeating: "a", count: 5_000) + "\"", "unknown filter: field reference longer than 256 bytes"),
            ("\"" + String(repeating: "%tolower(", count: 5_000) + "\"", "unknown filter: field reference longer than 256 bytes"),
        ]
        for (output, message) in cases {
            let result = Self.load(Self.rule("evt.type = open", output: output))
            #expect(result.errors.first?.code == "LOAD_ERR_COMPILE_OUTPUT", "\(output.prefix(40))")
            #expect(result.errors.first?.message.hasPrefix(message) == true, "\(result.errors.first?.message.prefix(120) ?? "")")
        }
        // Within the limits: a 256-wide column and 200 references of one long field.
        let engine = RulesEngine()
        let wide = engine.load(content: Self.rule("evt.type = open", output: "\"%256proc.name" + String(repeating: " %proc.cmdline", count: 200) + "\""), name: "o.yaml")
        #expect(wide.successful, "\(wide.errors)")
        let event = Event(slotCount: engine.slots.count)
        let decoder = engine.makeDecoder(for: engine.makeMatcher())
        try? decoder.decode(line: #"{"source":"syscall","fields":{"evt.type":"open","proc.name":"cat","proc.cmdline":""# + String(repeating: "c", count: 10_000) + #""}}"#, into: event)
        let rendered = engine.rules[0].output.render(event)
        // 200 copies of a 10 KB value would be 2 MB: the message stops at 1 MiB and says so.
        #expect(rendered.utf8.count <= OutputFormat.maxRenderedLength + 64)
        #expect(rendered.hasSuffix(CanonicalPrinter.truncationMarker))
    }

    @Test func oversizedFilesAreNotRead() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let line = "# " + String(repeating: "x", count: 1021) + "\n"
        let text = String(repeating: line, count: RulesEngine.maxFileSize / 1024 + 1)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let result = RulesEngine().load(paths: [path])
        #expect(result.first?.errors.first?.code == "LOAD_ERR_FILE_READ")
        #expect(result.first?.errors.first?.message == "File \(path) is larger than 33554432 bytes")
    }

    @Test func sharedMacroWarningsAreCapped() {
        // 1,100 rules each naming a macro with 10 warnings: 11,000 warnings, 10,000 reported.
        let checks = ["proc.pid", "proc.ppid", "proc.exe", "proc.cmdline", "proc.cwd", "fd.name", "fd.num", "user.name", "user.uid", "proc.tty"]
        var text = "- macro: w\n  condition: (" + checks.map { "proc.name = \($0)" }.joined(separator: " or ") + ")\n"
        for i in 0..<1_100 { text += Self.rule("evt.type = open and w", name: "r\(i)") }
        let result = Self.load(text)
        #expect(result.successful)
        let conditionWarnings = result.warnings.filter { $0.code == "LOAD_COMPILE_CONDITION" }
        #expect(conditionWarnings.count == 10_000)
        #expect(result.warnings.last?.code == "LOAD_TOO_MANY_WARNINGS")
        #expect(result.warnings.last?.message == "1000 more condition warnings not reported (the first 10000 are)")
    }

    @Test func overlongEventLinesAreAnError() throws {
        let engine = RulesEngine()
        #expect(engine.load(content: Self.rule("evt.type = open"), name: "r.yaml").successful)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("long-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let good = #"{"source":"syscall","fields":{"evt.num":1,"evt.type":"open","evt.dir":"<"}}"#
        let long = #"{"source":"syscall","fields":{"proc.name":""# + String(repeating: "a", count: JSONLinesReader.maxLineLength)
        try (good + "\n" + long).write(toFile: path, atomically: false, encoding: .utf8)
        var alerts = 0
        #expect(throws: JSONLinesReader.LineTooLong.self) {
            try EventMatching.matchAlerts(engine: engine, eventsPath: path, threads: 1) { _ in alerts += 1 }
        }
        #expect(alerts == 1)
        #expect(throws: JSONLinesReader.LineTooLong.self) { try EventMatching.filter(expression: "evt.type = open", eventsPath: path) { _ in } }
    }
}
