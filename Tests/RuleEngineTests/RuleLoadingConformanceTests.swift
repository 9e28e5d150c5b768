import Foundation
import Testing
import TradsecCore
@testable import RuleEngine

/// rule-loading/NNN-*/: every case loaded into a fresh engine and compared with expect.json
/// (see the corpus README for the format).
@Suite struct RuleLoadingConformanceTests {
    @Test func everyRuleLoadingCase() throws {
        guard let root = Corpus.require("rule-loading") else { return }
        let dirs = try FileManager.default.contentsOfDirectory(atPath: root.path)
            .filter { $0.first?.isNumber == true }.sorted()
        #expect(dirs.count == 143)
        var failures: [String] = []
        for dir in dirs {
            let folder = root.appendingPathComponent(dir)
            let problems = try RuleLoadingCase.run(folder)
            if !problems.isEmpty { failures.append("\(dir): " + problems.joined(separator: "; ")) }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) of \(dirs.count) rule-loading cases failed:\n" + failures.joined(separator: "\n")))
    }
}

enum RuleLoadingCase {
    /// Problems found for one case (empty: it passes).
    static func run(_ folder: URL) throws -> [String] {
        let expect = try Corpus.readJSON(folder.appendingPathComponent("expect.json")) as! [String: Any]
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("rules") && $0.hasSuffix(".yaml") }
            .sorted { fileOrder($0) < fileOrder($1) }
        let sources = Set(expect["sources"] as? [String] ?? ["syscall"])
        let minimum = (expect["min_priority"] as? String).flatMap { Priority(name: $0) } ?? .debug
        let engine = RulesEngine(sources: sources, minimumPriority: minimum)
        var results: [LoadResult] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let r = engine.load(content: text, name: file)
            results.append(r)
            if !r.successful { break }
        }
        let errors = results.flatMap(\.errors)
        let warnings = results.flatMap(\.warnings)
        var problems: [String] = []
        func describe(_ ms: [LoadMessage]) -> String { "[" + ms.map { "\($0.code): \($0.message)" }.joined(separator: " | ") + "]" }
        func matches(_ expected: String, _ m: LoadMessage) -> Bool {
            expected.range(of: "^LOAD_[A-Z_]+$", options: .regularExpression) != nil ? m.code == expected : m.message.contains(expected)
        }

        let valid = expect["valid"] as! Bool
        if valid != errors.isEmpty { problems.append("valid=\(errors.isEmpty), expected \(valid); errors \(describe(errors))") }
        for e in expect["errors"] as? [String] ?? [] where !errors.contains(where: { matches(e, $0) }) {
            problems.append("missing error '\(e)' in \(describe(errors))")
        }
        let expectedWarnings = expect["warnings"] as? [String] ?? []
        for w in expectedWarnings where !warnings.contains(where: { matches(w, $0) }) {
            problems.append("missing warning '\(w)' in \(describe(warnings))")
        }
        if expect["warnings_exhaustive"] as? Bool == true {
            for w in warnings where !expectedWarnings.contains(where: { matches($0, w) }) {
                problems.append("unexpected warning \(w.code): \(w.message)")
            }
        }
        for w in expect["absent_warnings"] as? [String] ?? [] where warnings.contains(where: { matches(w, $0) }) {
            problems.append("warning '\(w)' must be absent")
        }
        if let free = expect["warning_free_rules"] as? [String] {
            let codes = Set(expectedWarnings)
            for w in warnings where codes.contains(w.code) && free.contains(w.item) {
                problems.append("rule '\(w.item)' must have no \(w.code) warning")
            }
        }
        for (key, pool) in [("error_details", errors), ("warning_details", warnings)] {
            for d in expect[key] as? [[String: Any]] ?? [] {
                let code = d["code"] as! String
                let type = d["item_type"] as? String
                let name = d["item_name"] as? String
                let text = d["message_contains"] as? String
                let ok = pool.contains { (m: LoadMessage) -> Bool in
                    guard m.code == code else { return false }
                    if let text, !m.message.contains(text) { return false }
                    guard let type else { return true }
                    return m.locations.contains { (l: LoadLocation) -> Bool in
                        l.itemType == type && (name == nil || l.itemName == name!)
                    }
                }
                if !ok { problems.append("\(key): no \(code) at \(type ?? "?") '\(name ?? "")' containing '\(text ?? "")' in \(describe(pool))") }
            }
        }
        if let schemaValid = expect["schema_valid"] as? Bool {
            let got = results.allSatisfy { $0.schemaValid == true }
            if got != schemaValid { problems.append("schema_valid=\(got), expected \(schemaValid)") }
        }
        if !valid { return problems }

        for op in expect["selection"] as? [[String: [String: String]]] ?? [] {
            for (verb, target) in op {
                let selector: RulesEngine.Selector = target["rule"].map { .rule($0) } ?? .tag(target["tag"] ?? "")
                engine.setEnabled(verb == "enable", selector)
            }
        }
        if let expected = expect["enabled_rules"] as? [String] {
            let got = engine.enabledRules.map(\.name)
            if Set(got) != Set(expected) { problems.append("enabled rules \(got.sorted()), expected \(expected.sorted())") }
        }
        if let satisfied = expect["plugin_requirements_satisfied"] as? Bool {
            let plugins = (expect["loaded_plugins"] as? [[String: String]] ?? []).compactMap { p in
                SemanticVersion(p["version"] ?? "").map { RulesEngine.Plugin(name: p["name"] ?? "", version: $0) }
            }
            if engine.pluginRequirementsSatisfied(by: plugins) != satisfied {
                problems.append("plugin requirements satisfied=\(!satisfied), expected \(satisfied)")
            }
        }
        let summaries = Dictionary(engine.ruleSummaries.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (rule, text) in expect["compiled_conditions"] as? [String: String] ?? [:] {
            let got = summaries[rule]?.compiledCondition
            if got != text { problems.append("compiled condition of '\(rule)': \(got ?? "nil"), expected \(text)") }
        }
        for (macro, text) in expect["compiled_macros"] as? [String: String] ?? [:] {
            let got = engine.compiledMacro(macro)
            if got != text { problems.append("compiled macro '\(macro)': \(got ?? "nil"), expected \(text)") }
        }
        for (list, items) in expect["compiled_lists"] as? [String: [String]] ?? [:] {
            let got = engine.compiledList(list)
            if got != items { problems.append("compiled list '\(list)': \(got ?? []), expected \(items)") }
        }
        for (rule, text) in expect["compiled_outputs"] as? [String: String] ?? [:] {
            let got = engine.compiledOutput(rule)
            if got != text { problems.append("compiled output '\(rule)': \(got ?? "nil"), expected \(text)") }
        }
        for (rule, info) in expect["rule_info"] as? [String: [String: Any]] ?? [:] {
            guard let s = summaries[rule] else { problems.append("rule_info: no rule '\(rule)'"); continue }
            for (key, value) in info {
                let got: Any
                switch key {
                case "condition": got = s.condition
                case "output": got = s.output
                case "desc": got = s.description
                case "priority": got = s.priority.name
                case "tags": got = s.tags
                case "source": got = s.source
                case "capture": got = s.capture
                case "capture_duration": got = Int(s.captureDuration)
                case "enabled": got = s.enabled
                default: continue
                }
                let same: Bool
                if let b = got as? Bool, let n = value as? NSNumber { same = b == n.boolValue } else { same = "\(got)" == "\(value)" }
                if !same { problems.append("rule_info \(rule).\(key) = \(got), expected \(value)") }
            }
        }
        if let events = expect["events"] as? [[String: Any]] {
            let matcher = engine.makeMatcher()
            let decoder = engine.makeDecoder(for: matcher)
            for (n, e) in events.enumerated() {
                let fields = e["fields"] as! [String: Any]
                let json = try JSONSerialization.data(withJSONObject: ["source": "syscall", "fields": fields])
                let event = Event(slotCount: engine.slots.count)
                try decoder.decode(line: String(decoding: json, as: UTF8.self), into: event)
                var hits: [Int] = []
                matcher.match(event, matching: .all, into: &hits)
                let got = hits.map { matcher.rule(at: $0).name }
                let want = e["matches"] as? [String] ?? []
                if got != want { problems.append("event \(n) matched \(got), expected \(want)") }
                for (rule, text) in e["outputs"] as? [String: String] ?? [:] {
                    guard let r = engine.rules.first(where: { $0.name == rule }) else { continue }
                    let rendered = r.output.render(event)
                    if rendered != text { problems.append("event \(n) output of '\(rule)': \(rendered.debugDescription), expected \(text.debugDescription)") }
                }
            }
        }
        return problems
    }

    static func fileOrder(_ name: String) -> Int {
        let digits = name.dropFirst("rules".count).prefix { $0.isNumber }
        return Int(digits) ?? 1
    }
}
