import Foundation
import Testing
@testable import RuleEngine

/// The official rules files load and compile with zero errors (given the field catalogs).
@Suite struct OfficialRulesTests {
    static let files = ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml", "k8s_audit_rules.yaml"]

    @Test func officialRulesLoadWithoutErrors() throws {
        guard let dir = Corpus.require("falco-rules") else { return }
        let engine = RulesEngine()
        let results = engine.load(paths: Self.files.map { dir.appendingPathComponent($0).path })
        #expect(results.count == Self.files.count)
        let errors = results.flatMap(\.errors)
        #expect(errors.isEmpty, Comment(rawValue: errors.map { "\($0.file):\($0.line):\($0.column) \($0.code) [\($0.item)] \($0.message)" }.joined(separator: "\n")))
        #expect(engine.rules.count > 100)
        #expect(engine.rules.contains { $0.source == "k8s_audit" })
        #expect(engine.enabledRules.count > 20)
    }

    /// Each official file also loads on its own where it does not depend on another.
    @Test func falcoRulesAloneHaveNoErrorsAndKnownWarningsOnly() throws {
        guard let dir = Corpus.require("falco-rules") else { return }
        let engine = RulesEngine()
        let result = engine.load(paths: [dir.appendingPathComponent("falco_rules.yaml").path])[0]
        #expect(result.errors.isEmpty)
        #expect(engine.requiredEngineVersion.map { RulesEngine.engineVersion.isCompatible(with: $0) } == true)
    }
}
