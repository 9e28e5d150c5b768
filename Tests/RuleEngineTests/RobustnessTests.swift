import Foundation
import Testing
@testable import RuleEngine

/// Hostile input never crashes the condition parser, the rules loader or the event decoder:
/// random bytes, deep nesting, huge literals, unbalanced parentheses (seeded, reproducible).
@Suite struct RobustnessTests {
    /// Deterministic generator (SplitMix64) so a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static let conditionPieces = ["(", ")", " and ", " or ", "not ", "proc.name", "fd.name", "evt.type", "=", "!=", "<", ">=",
                                  " in ", " pmatch ", " contains ", " startswith ", " exists", "\"", "'", "\\", ",", "[", "]",
                                  "tolower(", "val(", "join(", "oneof ", "cat", "/etc", "0x1", "-3", " ", "\n", "\u{0}", "é", "%"]

    @Test func randomConditionsNeverCrash() {
        var rng = Random(state: 0xC0FFEE)
        var accepted = 0
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<rng.below(24) { text += rng.pick(Self.conditionPieces) }
            if (try? ConditionParser.parse(text, maxDepth: ConditionParser.loaderMaxDepth)) != nil { accepted += 1 }
            _ = try? FilterExpression.compile(text)
        }
        #expect(accepted > 0)
    }

    @Test func randomBytesNeverCrashTheParser() {
        var rng = Random(state: 42)
        for _ in 0..<5_000 {
            let bytes = (0..<rng.below(200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? ConditionParser.parse(text)
            _ = try? FilterExpression.compile(text)
        }
    }

    @Test func deepNestingIsRejectedWithTheDepthLimit() {
        for depth in [99, 100, 1_000, 100_000] {
            let text = String(repeating: "(", count: depth) + "proc.name=cat" + String(repeating: ")", count: depth)
            do {
                _ = try ConditionParser.parse(text)
                #expect(depth < 20, "depth \(depth) should exceed the default limit")
            } catch {
                #expect(error.message == "exceeded max depth limit of 100")
            }
        }
        let nots = String(repeating: "not ", count: 200_000) + "a"
        #expect((try? ConditionParser.parse(nots)) != nil)
        let nested = String(repeating: "tolower(", count: 5_000) + "proc.name" + String(repeating: ")", count: 5_000) + " = x"
        #expect(throws: ConditionSyntaxError.self) { try ConditionParser.parse(nested, maxDepth: ConditionParser.loaderMaxDepth) }
        // Unbalanced in both directions.
        #expect(throws: ConditionSyntaxError.self) { try ConditionParser.parse(String(repeating: "(", count: 50_000)) }
        #expect(throws: ConditionSyntaxError.self) { try ConditionParser.parse("a" + String(repeating: ")", count: 50_000)) }
    }

    @Test func hugeLiteralsAreHandled() throws {
        let big = String(repeating: "x", count: 1 << 20)
        #expect(throws: CompileError.self) { try FilterExpression.compile("proc.name = " + big) }
        #expect(throws: CompileError.self) { try FilterExpression.compile("proc.name = \"" + big + "\"") }
        #expect(throws: CompileError.self) { try FilterExpression.compile("proc.name in (" + Array(repeating: big, count: 2).joined(separator: ",") + ")") }
        // Unterminated quote of a megabyte.
        #expect(throws: ConditionSyntaxError.self) { try ConditionParser.parse("proc.name = \"" + big) }
        // Many items are fine.
        let items = (0..<50_000).map { "item\($0)" }.joined(separator: ", ")
        _ = try FilterExpression.compile("proc.name in (\(items))")
    }

    @Test func loaderSurvivesHostileYAML() {
        var rng = Random(state: 7)
        let fragments = ["- rule: r\n", "  condition: ", "  output: o\n", "  desc: d\n", "  priority: INFO\n", "- macro: m\n",
                         "- list: l\n", "  items: [", "]\n", "{", "}", "\"", "'", "&a ", "*a\n", "!!binary ", "---\n",
                         "  override:\n    condition: append\n", "  exceptions:\n    - name: e\n      fields: [", "proc.name", "(", ")\n",
                         "\t", ":", "\u{0}", "%", "  append: true\n", "  enabled: maybe\n"]
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<rng.below(30) { text += rng.pick(fragments) }
            let engine = RulesEngine()
            _ = engine.load(content: text, name: "fuzz.yaml")
        }
        let deep = [String(repeating: "[", count: 100_000), String(repeating: "- ", count: 20_000) + "a",
                    "- rule: r\n  desc: d\n  output: o\n  priority: INFO\n  condition: " + String(repeating: "(", count: 5_000) + "evt.type=open" + String(repeating: ")", count: 5_000) + "\n"]
        // A chain of macros nests trees without nesting text: bounded too.
        var chain = "- macro: m0\n  condition: evt.type=open\n"
        for i in 1..<3_000 { chain += "- macro: m\(i)\n  condition: m\(i - 1) and not proc.name=x\(i)\n" }
        chain += "- rule: r\n  desc: d\n  output: o\n  priority: INFO\n  condition: m2999\n"
        let chained = RulesEngine().load(content: chain, name: "chain.yaml")
        #expect(chained.errors.first?.message == "exceeded max depth limit of 1000")
        for text in deep {
            let result = RulesEngine().load(content: text, name: "deep.yaml")
            #expect(!result.successful)
        }
        for _ in 0..<500 {
            let bytes = (0..<rng.below(400)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = RulesEngine().load(content: String(decoding: bytes, as: UTF8.self), name: "bytes.yaml")
        }
    }

    @Test func eventDecoderSurvivesMutatedLines() throws {
        guard let url = Corpus.require("events/falco_cat_write.jsonl") else { return }
        let lines = try Corpus.readLines(url).map { Array($0.utf8) }
        let engine = RulesEngine()
        _ = engine.load(content: "- rule: r\n  desc: d\n  output: \"%proc.name %fd.name %evt.buffer\"\n  priority: INFO\n  condition: evt.type in (open, read) and proc.aname[2] != x and evt.buffer contains ELF\n", name: "r.yaml")
        let matcher = engine.makeMatcher()
        let decoder = engine.makeDecoder(for: matcher)
        let event = Event(slotCount: engine.slots.count)
        var rng = Random(state: 99)
        for _ in 0..<20_000 {
            var line = rng.pick(lines)
            switch rng.below(4) {
            case 0: line = Array(line.prefix(rng.below(line.count + 1)))
            case 1: for _ in 0..<3 { line[rng.below(line.count)] = UInt8(truncatingIfNeeded: rng.next()) }
            case 2: line.insert(contentsOf: Array("[{\"\\u".utf8), at: rng.below(line.count))
            default: break
            }
            _ = try? line.withUnsafeBytes { buffer in try decoder.withEvent(line: buffer, event) { matcher.firstMatch($0) } }
        }
    }
}
