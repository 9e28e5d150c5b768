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
