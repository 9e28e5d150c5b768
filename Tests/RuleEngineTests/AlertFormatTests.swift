import Foundation
import Testing
import TradsecCore
@testable import RuleEngine

@Suite struct AlertFormatTests {
    static let rules = """
        - rule: open_from_cat
          desc: cat opens a file
          condition: evt.type=open and proc.name=cat
          output: "An open was seen (command=%proc.cmdline cport=%fd.cport anc=%proc.aname[2] up=%toupper(proc.name) %5proc.name|)"
          priority: WARNING
          tags: [process, filesystem, process]
        """

    @Test func alertHasFalcoJSONShape() throws {
        let engine = RulesEngine()
        #expect(engine.load(content: Self.rules, name: "r.yaml").successful)
        let matcher = engine.makeMatcher()
        let decoder = engine.makeDecoder(for: matcher)
        let event = Event(slotCount: engine.slots.count)
        let line = #"{"source":"syscall","fields":{"evt.num":141,"evt.type":"open","evt.rawtime":1470327477881781397,"proc.name":"cat","proc.cmdline":"cat /dev/null","proc.aname":["bash","emacs"]}}"#
        try decoder.decode(line: line, into: event)
        let r = try #require(matcher.firstMatch(event))
        let text = AlertFormatter(hostname: "test-host").line(for: matcher.rule(at: r), event: event)
        #expect(text == #"{"hostname":"test-host","output":"16:17:57.881781397: Warning An open was seen (command=cat /dev/null cport=<NA> anc=emacs up=CAT cat  |)","output_fields":{"evt.time":1470327477881781397,"fd.cport":null,"proc.aname[2]":"emacs","proc.cmdline":"cat /dev/null","proc.name":"cat"},"priority":"Warning","rule":"open_from_cat","source":"syscall","tags":["filesystem","process"],"time":"2016-08-04T16:17:57.881781397Z"}"#)
        // Keys sorted, valid JSON.
        let parsed = try JSONParser.parse(text)
        #expect(parsed["output_fields"]?["proc.cmdline"]?.stringValue == "cat /dev/null")
    }

    @Test func ruleMatchingFirstAndAll() throws {
        let engine = RulesEngine()
        #expect(engine.load(content: """
            - rule: a
              desc: d
              condition: evt.type=open
              output: a
              priority: INFO
            - rule: b
              desc: d
              condition: proc.name=cat and evt.type in (open, close)
              output: b
              priority: INFO
            - rule: c
              desc: d
              condition: evt.type=close
              output: c
              priority: INFO
            """, name: "r.yaml").successful)
        let matcher = engine.makeMatcher()
        let decoder = engine.makeDecoder(for: matcher)
        let event = Event(slotCount: engine.slots.count)
        try decoder.decode(line: #"{"source":"syscall","fields":{"evt.type":"open","proc.name":"cat"}}"#, into: event)
        var hits: [Int] = []
        matcher.match(event, matching: .all, into: &hits)
        #expect(hits.map { matcher.rule(at: $0).name } == ["a", "b"])
        matcher.match(event, matching: .first, into: &hits)
        #expect(hits.map { matcher.rule(at: $0).name } == ["a"])
        try decoder.decode(line: #"{"source":"syscall","fields":{"evt.type":"close","proc.name":"cat"}}"#, into: event)
        matcher.match(event, matching: .all, into: &hits)
        #expect(hits.map { matcher.rule(at: $0).name } == ["b", "c"])
    }

    @Test func validationJSONShape() throws {
        let engine = RulesEngine()
        _ = engine.load(content: "- rule: x\n  desc: d\n  condition: evt.type=open and proc.nobody=1\n  output: o\n  priority: INFO\n", name: "bad.yaml")
        let json = try JSONParser.parse(RulesReport.validationJSON(engine: engine, results: engine.results))
        #expect(json["valid"] == .bool(false))
        let error = try #require(json["errors"]?.arrayValue?.first)
        #expect(error["code"]?.stringValue == "LOAD_ERR_COMPILE_CONDITION")
        #expect(error["file"]?.stringValue == "bad.yaml")
        #expect(error["item"]?.stringValue == "x")
        #expect(error["line"]?.int64Value == 3)
        #expect(error["message"]?.stringValue?.contains("proc.nobody") == true)
    }
}
