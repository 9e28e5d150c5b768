import Foundation
import Testing
import TradsecCore
@testable import RuleEngine

@Suite struct ParallelMatchingTests {
    static let rules = """
        - rule: file opened
          desc: any open
          condition: evt.type in (open, openat) and fd.name exists
          output: "%proc.name opened %fd.name (%evt.num)"
          priority: NOTICE
        - rule: network
          desc: connect or accept
          condition: evt.type in (connect, accept) or fd.l4proto = udp
          output: "%proc.name %fd.name"
          priority: INFO
        """

    /// The threaded batch matcher emits exactly the sequential alerts, in event order.
    @Test func threadedMatchingEqualsSequential() throws {
        guard let url = Corpus.require("events/libs_curl_google.jsonl") else { return }
        let engine = RulesEngine()
        #expect(engine.load(content: Self.rules, name: "r.yaml").successful)
        let formatter = AlertFormatter(hostname: "h")
        var one: [String] = [], two: [String] = []
        let a = try EventMatching.matchAlerts(engine: engine, eventsPath: url.path, formatter: formatter, threads: 1) { one.append($0) }
        let b = try EventMatching.matchAlerts(engine: engine, eventsPath: url.path, formatter: formatter, threads: 2) { two.append($0) }
        #expect(one.count > 20)
        #expect(one == two)
        #expect(a.counts == b.counts)
        #expect(a.events == 1221)
    }

    @Test func badLineIsReportedWithItsLineNumber() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).jsonl").path
        let good = #"{"source":"syscall","fields":{"evt.num":1,"evt.type":"open","fd.name":"/etc/passwd","proc.name":"cat"}}"#
        try (good + "\n\n" + good + "\n{\"fields\": [\n" + good + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let engine = RulesEngine()
        #expect(engine.load(content: Self.rules, name: "r.yaml").successful)
        var alerts = 0
        do {
            try EventMatching.matchAlerts(engine: engine, eventsPath: path) { _ in alerts += 1 }
            Issue.record("a malformed line must fail")
        } catch let error as EventMatching.InputError {
            #expect(error.description.hasPrefix(path + ":4:"))
        }
        #expect(alerts == 2)
    }

    /// Syscall enter events are dropped before the rules (current Falco); enter-only events are not.
    @Test func enterEventsOfSyscallsAreDropped() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("enter-\(UUID().uuidString).jsonl").path
        try """
            {"source":"syscall","fields":{"evt.num":1,"evt.type":"open","evt.dir":">","proc.name":"cat"}}
            {"source":"syscall","fields":{"evt.num":2,"evt.type":"open","evt.dir":"<","proc.name":"cat"}}
            {"source":"syscall","fields":{"evt.num":3,"evt.type":"container","evt.dir":">","proc.name":"cat"}}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let engine = RulesEngine()
        #expect(engine.load(content: """
            - rule: any cat
              desc: d
              condition: evt.type in (open, container) and proc.name = cat
              output: "%evt.num"
              priority: INFO
            """, name: "r.yaml").successful)
        var messages: [String] = []
        try EventMatching.matchAlerts(engine: engine, eventsPath: path, formatter: AlertFormatter(hostname: "h")) { line in
            messages.append((try? JSONParser.parse(line))?["output"]?.stringValue ?? "")
        }
        #expect(messages.map { $0.split(separator: " ").last.map(String.init) ?? "" } == ["2", "3"])
    }
}
