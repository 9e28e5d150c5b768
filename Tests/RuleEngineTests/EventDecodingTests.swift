import Foundation
import Testing
import TradsecCore
@testable import RuleEngine

@Suite struct EventDecodingTests {
    /// The byte scanner and the strict JSON parser decode every captured event identically.
    @Test func scannerAgreesWithStrictParserOnEveryCapture() throws {
        guard let dir = Corpus.require("events") else { return }
        let fieldsDoc = try #require(try Corpus.readJSON(dir.appendingPathComponent("fields.json")) as? [String: Any])
        let names = try #require(fieldsDoc["fields"] as? [String: String]).keys.sorted()
        let slots = FieldSlotTable()
        let catalog = FieldCatalogs.syscall
        for name in names {
            var type = FieldType.charbuf
            if case .success(let r) = catalog.resolve(name: name, bracketArgument: nil) { type = r.info.type }
            _ = slots.slot(for: name, type: type)
        }
        for extra in ["proc.aname", "proc.aname[2]", "proc.apid[1]", "evt.buffer"] { _ = slots.slot(for: extra, type: extra == "evt.buffer" ? .bytebuf : (extra.hasPrefix("proc.apid") ? .int64 : .charbuf)) }
        let decoder = EventDecoder(slots: slots)
        let fast = Event(slotCount: slots.count), strict = Event(slotCount: slots.count)
        var mismatches: [String] = []
        var checked = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".jsonl") {
            for (n, line) in try Corpus.readLines(dir.appendingPathComponent(file)).enumerated() {
                let bytes = Array(line.utf8)
                try bytes.withUnsafeBytes { buffer in
                    try decoder.decode(line: buffer, into: fast)
                    try decoder.decodeStrict(buffer, into: strict)
                }
                for s in 0..<slots.count where fast.value(at: s) != strict.value(at: s) {
                    mismatches.append("\(file):\(n + 1) \(slots.keys[s]): \(String(describing: fast.value(at: s))) vs \(String(describing: strict.value(at: s)))")
                }
                if fast.number != strict.number || fast.eventTypeID != strict.eventTypeID || fast.isEnter != strict.isEnter { mismatches.append("\(file):\(n + 1) header") }
                checked += 1
            }
        }
        #expect(checked == 15_209)
        #expect(mismatches.isEmpty, Comment(rawValue: mismatches.prefix(20).joined(separator: "\n")))
    }

    @Test func escapesAndLatin1BuffersDecode() throws {
        let slots = FieldSlotTable()
        let name = slots.slot(for: "proc.name", type: .charbuf)
        let buffer = slots.slot(for: "evt.buffer", type: .bytebuf)
        let decoder = EventDecoder(slots: slots)
        let event = Event(slotCount: slots.count)
        try decoder.decode(line: #"{"source":"syscall","fields":{"evt.num":7,"proc.name":"a\"b\u00e9\n","evt.buffer":"\u007fELF\u00ff\u0000"}}"#, into: event)
        #expect(event.value(at: name) == .bytes(Array("a\"bé\n".utf8)))
        #expect(event.value(at: buffer) == .bytes([0x7F, 0x45, 0x4C, 0x46, 0xFF, 0x00]))
        #expect(event.number == 7)
        #expect(throws: EventDecoder.DecodeError.self) { try decoder.decode(line: #"{"source":"syscall","fields":{"evt.num":1,}"#, into: event) }
        #expect(throws: EventDecoder.DecodeError.self) { try decoder.decode(line: "[1,2]", into: event) }
    }

    /// Found by fuzzing (Fuzz/regressions/event/duplicate-fields-key): with `fields` (or
    /// `source`) twice, the scanner merged both objects while the strict parser reads the
    /// first, so the same line decoded to different events depending on the path.
    @Test func aRepeatedFieldsOrSourceKeyDecodesAsTheStrictParserReadsIt() throws {
        let slots = FieldSlotTable()
        let name = slots.slot(for: "proc.name", type: .charbuf)
        let decoder = EventDecoder(slots: slots)
        for line in [#"{"source":"syscall","fields":{"proc.name":"first"},"fields":{"proc.name":"second","evt.num":2}}"#,
                     #"{"fields":{"proc.name":"first"},"source":"syscall","source":"k8s_audit"}"#] {
            let fast = Event(slotCount: slots.count), strict = Event(slotCount: slots.count)
            try decoder.decode(line: line, into: fast)
            try Array(line.utf8).withUnsafeBytes { try decoder.decodeStrict($0, into: strict) }
            #expect(fast.value(at: name) == .bytes(Array("first".utf8)))
            #expect(fast.value(at: name) == strict.value(at: name) && fast.number == strict.number && fast.source == strict.source)
            #expect(fast.source == "syscall")
        }
    }

    /// Found by fuzzing (Fuzz/regressions/event/fractional-rawtime): `evt.rawtime` written
    /// `1795338000050000000.0` has a time on the strict path and had none on the scanner's;
    /// likewise a negative `evt.num`, an escaped `evt.type`, a header field given twice.
    @Test func headerFieldsReadTheSameOnBothPaths() throws {
        let slots = FieldSlotTable()
        _ = slots.slot(for: "proc.name", type: .charbuf)
        let decoder = EventDecoder(slots: slots, eventTypeIDs: ["execve": 3])
        for fields in [#""evt.rawtime":1795338000050000000.0,"evt.num":2e1"#, #""evt.num":-3,"evt.rawtime":-5"#,
                       #""evt.type":"execve","evt.dir":">""#, #""evt.dir":">","evt.dir":1,"evt.num":1,"evt.num":"x""#,
                       #""evt.rawtime":18446744073709551615,"evt.type":"execve""#] {
            let line = #"{"source":"syscall","fields":{"proc.name":"gcc","#.appending(fields).appending("}}")
            let fast = Event(slotCount: slots.count), strict = Event(slotCount: slots.count)
            try decoder.decode(line: line, into: fast)
            try Array(line.utf8).withUnsafeBytes { try decoder.decodeStrict($0, into: strict) }
            #expect(fast.rawTime == strict.rawTime && fast.number == strict.number, "\(fields)")
            #expect(fast.eventTypeID == strict.eventTypeID && fast.isEnter == strict.isEnter, "\(fields)")
        }
    }
}
