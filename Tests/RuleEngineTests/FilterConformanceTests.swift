import Foundation
import Testing
@testable import RuleEngine

/// filters/cases.jsonl: every case compiled, evaluated on its capture and compared with the
/// evt.num set real libsinsp selected.
@Suite struct FilterConformanceTests {
    struct Case {
        var id: String, filterID: String, filter: String, capture: String
        var valid: Bool, matches: [UInt64], legacyOnly: Bool, error: String
    }

    static func loadCases() throws -> [Case]? {
        guard let url = Corpus.require("filters/cases.jsonl") else { return nil }
        return try Corpus.readLines(url).map { line in
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return Case(id: o["id"] as! String, filterID: o["filter_id"] as! String, filter: o["filter"] as! String,
                        capture: o["capture"] as! String, valid: o["valid"] as! Bool,
                        matches: (o["matches"] as? [NSNumber] ?? []).map { $0.uint64Value },
                        legacyOnly: o["legacy_only"] as? Bool ?? false, error: o["error"] as? String ?? "")
        }
    }

    @Test func everyFilterCaseMatchesLibsinsp() throws {
        guard let cases = try Self.loadCases() else { return }
        #expect(cases.count == 2991)
        let slots = FieldSlotTable()
        var compiled: [String: Result<FilterExpression, CompileError>] = [:]
        for c in cases where compiled[c.filterID] == nil {
            do throws(CompileError) { compiled[c.filterID] = .success(try FilterExpression.compile(c.filter, slots: slots)) }
            catch { compiled[c.filterID] = .failure(error) }
        }
        // Reference filters of the legacy expectations read fields too: compile them before decoding.
        for case .sameAsFilter(let text) in FilterCaseJudge.legacyExpectations.values { _ = try? FilterExpression.compile(text, slots: slots) }
        let decoder = EventDecoder(slots: slots)
        var eventsByCapture: [String: [Event]] = [:]
        var failures: [String: (filter: String, reason: String, ids: [String])] = [:]
        var divergences: [String: Int] = [:]
        var passed = 0
        for c in cases {
            if eventsByCapture[c.capture] == nil {
                guard let url = Corpus.require("events/\(c.capture).jsonl") else { return }
                eventsByCapture[c.capture] = try Corpus.readLines(url).map { line in
                    let e = Event(slotCount: slots.count)
                    try decoder.decode(line: line, into: e)
                    return e
                }
            }
            let events = eventsByCapture[c.capture]!
            let outcome: String?
            if let divergence = FilterCaseJudge.knownDivergences[c.filterID] {
                // Current Falco grammar (parser-cases.json, spec 2.2) decides; listed in docs/maintainers/falco-compat.md.
                let accepted = (try? compiled[c.filterID]!.get()) != nil
                outcome = accepted == divergence.currentFalcoAccepts ? nil
                    : "current-Falco behaviour changed: accepted=\(accepted) (\(divergence.reason))"
                if outcome == nil { divergences[c.filterID, default: 0] += 1 }
            } else if c.legacyOnly {
                outcome = FilterCaseJudge.judgeLegacy(c, compiled[c.filterID]!, events: events, cases: cases, slots: slots)
            } else {
                outcome = FilterCaseJudge.judge(c, compiled[c.filterID]!, events: events)
            }
            if let reason = outcome {
                failures[c.filterID, default: (c.filter, reason, [])].ids.append(c.capture)
            } else if divergences[c.filterID] == nil { passed += 1 }
        }
        let report = failures.keys.sorted().map { id in
            let f = failures[id]!
            return "\(id) \(f.filter.debugDescription) [\(f.ids.count) captures: \(f.ids.joined(separator: ", "))]: \(f.reason)"
        }
        let failedRows = failures.values.reduce(0) { $0 + $1.ids.count }
        #expect(failures.isEmpty, Comment(rawValue: "\(failedRows) of \(cases.count) filter cases failed (\(passed) passed):\n" + report.joined(separator: "\n")))
        // Rows where the oracle (sysdig 0.29) and current Falco's grammar disagree; see docs/maintainers/falco-compat.md.
        let divergentRows = divergences.values.reduce(0, +)
        #expect(passed + divergentRows + failedRows == cases.count)
        print("filter conformance: \(passed) passed, \(divergentRows) rows of \(divergences.count) filters follow current Falco instead of the oracle, \(failedRows) failed")
    }
}

enum FilterCaseJudge {
    /// Non-`legacy_only` cases where sysdig 0.29 accepts what current Falco's parser rejects
    /// (or the reverse), proven by condition-syntax/parser-cases.json or the spec.
    struct Divergence { var currentFalcoAccepts: Bool; var reason: String }
    static let knownDivergences: [String: Divergence] = [
        "f0074": .init(currentFalcoAccepts: false, reason: "`<`/`>` take a number or a transformer (parser case `test.num <= a` is rejected)"),
        "f0075": .init(currentFalcoAccepts: false, reason: "`<`/`>` take a number or a transformer"),
        "f0076": .init(currentFalcoAccepts: false, reason: "`<`/`>` take a number or a transformer"),
        "f0077": .init(currentFalcoAccepts: false, reason: "`<`/`>` take a number or a transformer (a quoted string is not a number)"),
        "f0145": .init(currentFalcoAccepts: false, reason: "an empty list item is rejected (parser case `test.list in (value,)`)"),
        "f0366": .init(currentFalcoAccepts: true, reason: "an identifier after `in` is a one-value list (spec 2.5)"),
        "f0380": .init(currentFalcoAccepts: false, reason: "a bare value cannot contain `=` (parser case `test.str = a=`)"),
        "f0383": .init(currentFalcoAccepts: false, reason: "a word operator needs a value after a blank (parser cases `test.op in`, `test.op >`)"),
    ]

    /// What current Falco does with the `legacy_only` cases (README of the corpus, spec 2.2/2.4):
    /// the same selection as another corpus filter, as an equivalent filter, or a rejection.
    enum CurrentBehaviour { case sameAsCase(String), sameAsFilter(String), rejected }
    static let legacyExpectations: [String: CurrentBehaviour] = [
        "f0170": .sameAsCase("f0172"),   // `and` binds tighter than `or`
        "f0173": .sameAsCase("f0172"),   // (brk and <) or execve == execve or (brk and <)
        "f0176": .sameAsCase("f0177"),   // `not not X` is X
        "f0180": .sameAsCase("f0181"),
        "f0202": .rejected,              // a check cannot follow a check without and/or
        "f0273": .sameAsCase("f0006"),   // `==` is `=`
        "f0274": .rejected,              // a value is required after `==`
        "f0373": .rejected,              // bstartswith is for byte buffers, fd.name is a string
        "f0374": .sameAsFilter("fd.name in (/etc/hosts)"),          // intersects on a scalar is `in`
        "f0375": .sameAsFilter("proc.aname=bash or proc.aname=sshd"),
        "f0379": .sameAsCase("f0002"),   // evt.type==open is evt.type = open
    ]

    static func judgeLegacy(_ c: FilterConformanceTests.Case, _ compiled: Result<FilterExpression, CompileError>,
                            events: [Event], cases: [FilterConformanceTests.Case], slots: FieldSlotTable) -> String? {
        guard let expectation = legacyExpectations[c.filterID] else { return "legacy_only case without a current-Falco expectation" }
        switch (expectation, compiled) {
        case (.rejected, .failure): return nil
        case (.rejected, .success): return "accepted; current Falco rejects it"
        case (_, .failure(let e)): return "rejected (\(e.message)); current Falco accepts it"
        case (.sameAsCase(let other), .success(let filter)):
            guard let reference = cases.first(where: { $0.filterID == other && $0.capture == c.capture }) else {
                return "reference case \(other) missing"
            }
            let got = events.filter(filter.predicate).compactMap(\.number)
            return got == reference.matches ? nil : "selects \(got.count) events, \(other) selects \(reference.matches.count)"
        case (.sameAsFilter(let text), .success(let filter)):
            guard let reference = try? FilterExpression.compile(text, slots: slots) else { return "reference filter invalid" }
            let got = events.filter(filter.predicate).compactMap(\.number)
            let want = events.filter(reference.predicate).compactMap(\.number)
            return got == want ? nil : "selects \(got.count) events, \(text) selects \(want.count)"
        }
    }

    /// nil when the case passes, else why it does not.
    static func judge(_ c: FilterConformanceTests.Case, _ compiled: Result<FilterExpression, CompileError>, events: [Event]) -> String? {
        switch compiled {
        case .failure(let error):
            return c.valid ? "rejected: \(error.message)" : nil
        case .success(let filter):
            guard c.valid else { return "accepted, expected rejection (\(c.error))" }
            let got = events.filter(filter.predicate).compactMap(\.number)
            if got == c.matches { return nil }
            let missing = Set(c.matches).subtracting(got).sorted().prefix(8)
            let extra = Set(got).subtracting(c.matches).sorted().prefix(8)
            return "matched \(got.count), expected \(c.matches.count); missing \(Array(missing)) extra \(Array(extra))"
        }
    }
}
