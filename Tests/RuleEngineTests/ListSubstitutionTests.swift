import Testing
@testable import RuleEngine

/// The one-pass list substitution gives exactly what Falco's `resolve_list` gives (its
/// whole-string rebuild per occurrence, kept here as the reference), quirks included.
@Suite struct ListSubstitutionTests {
    /// Falco's `resolve_list`, as the engine had it: rebuild the text per occurrence.
    static func reference(list name: [UInt8], items: [String], in text: inout [UInt8]) -> Bool {
        func find(_ from: Int) -> Int? {
            guard name.count <= text.count, from <= text.count - name.count else { return nil }
            var i = max(from, 0)
            while i <= text.count - name.count {
                if Array(text[i..<i + name.count]) == name { return i }
                i += 1
            }
            return nil
        }
        var used = false
        var start = find(0)
        while let s0 = start {
            var s = s0
            var end = s + name.count
            let beforeOK = s == 0 || ConditionText.isDelimiter(text[s - 1])
            let afterOK = end >= text.count || ConditionText.isDelimiter(text[end])
            var next = s + 1
            if beforeOK && afterOK {
                while s > 0 && ConditionText.isBlank(text[s - 1]) { s -= 1 }
                while end < text.count && ConditionText.isBlank(text[end]) { end += 1 }
                let sub = Array(items.map(ConditionText.quote).joined(separator: ", ").utf8)
                if sub.isEmpty {
                    if s > 0 && text[s - 1] == UInt8(ascii: ",") { s -= 1 } else if end < text.count && text[end] == UInt8(ascii: ",") { end += 1 }
                }
                var replaced: [UInt8] = []
                if s > 0 { replaced += text[0..<s]; replaced.append(0x20) }
                replaced += sub; replaced.append(0x20)
                if end <= text.count { replaced += text[end...] }
                text = replaced
                next = s + sub.count + 2
                used = true
            }
            start = find(next)
        }
        return used
    }

    @Test func onePassSubstitutionMatchesFalcosRebuild() {
        var rng = RobustnessTests.Random(state: 2024)
        let pieces = ["L", "L", "LL", "xL", "Lx", " ", "  ", "\t", "\n", "(", ")", ",", "=", "a", "in", "\"", "L L", ", ,"]
        let itemSets: [[String]] = [[], ["x"], ["a b", "c"], ["L"], ["'q r'", "s"]]
        var differences: [String] = []
        for _ in 0..<20_000 {
            var text: [UInt8] = []
            for _ in 0..<rng.below(14) { text += Array(rng.pick(pieces).utf8) }
            let name = Array(rng.pick(["L", "LL", "L L", "a"]).utf8)
            let items = rng.pick(itemSets)
            var expected = text, got = text
            let usedExpected = Self.reference(list: name, items: items, in: &expected)
            let usedGot = ConditionText.substitute(list: name, items: items, in: &got)
            if expected != got || usedExpected != usedGot {
                differences.append("\(String(decoding: text, as: UTF8.self).debugDescription) [\(String(decoding: name, as: UTF8.self))] -> \(String(decoding: got, as: UTF8.self).debugDescription), Falco: \(String(decoding: expected, as: UTF8.self).debugDescription)")
            }
        }
        #expect(differences.isEmpty, Comment(rawValue: differences.prefix(10).joined(separator: "\n")))
    }

    @Test func searchIsLinearOnRepetitiveNames() {
        // A naive search costs length(name) per byte here: 10^4 x 10^6.
        let name = Array(repeating: UInt8(ascii: "a"), count: 10_000) + [UInt8(ascii: "b")]
        let text = Array(repeating: UInt8(ascii: "a"), count: 1_000_000) + [UInt8(ascii: "b")]
        #expect(ConditionText.BytePattern(name).find(in: text, from: 0) == 1_000_000 - 10_000)
        #expect(ConditionText.BytePattern(name).find(in: text, from: 990_001) == nil)
    }
}
