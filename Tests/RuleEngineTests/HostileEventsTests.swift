import Foundation
import Testing
import TradsecCore
@testable import RuleEngine

/// Events whose numbers do not fit the field: defined results (docs/falco-compat.md, "Numbers
/// in events"), the same from the byte scanner and the strict parser, and never a trap.
@Suite struct HostileEventsTests {
    static let fields: [(name: String, type: FieldType)] = [
        ("proc.pid", .int64), ("evt.cpu", .int16), ("evt.buflen", .uint64), ("proc.tty", .uint32),
        ("thread.cpu", .double), ("fd.cport", .port), ("proc.duration", .reltime), ("proc.exe_ino.ctime", .abstime),
    ]

    /// (JSON number, expected value per field kind: signed, unsigned, double).
    static let numbers: [(text: String, signed: FieldValue?, unsigned: FieldValue?, double: FieldValue?)] = [
        ("1e300", nil, nil, .double(1e300)),
        ("1e999", nil, nil, nil),
        ("-1e300", nil, nil, .double(-1e300)),
        ("-1e999", nil, nil, nil),
        ("99999999999999999999", nil, nil, .double(1e20)),
        ("-99999999999999999999", nil, nil, .double(-1e20)),
        ("18446744073709551616", nil, nil, .double(0x1p64)),
        ("3.9", .int(3), .uint(3), .double(3.9)),
        ("-2.5", .int(-2), nil, .double(-2.5)),
        ("-0.5", .int(0), .uint(0), .double(-0.5)),
        ("1e18", .int(1_000_000_000_000_000_000), .uint(1_000_000_000_000_000_000), .double(1e18)),
        ("9223372036854775807", .int(.max), .uint(UInt64(Int64.max)), .double(0x1p63)),
        ("-9223372036854775808", .int(.min), .uint(1 << 63), .double(-0x1p63)),
        // Below Int64.min: read as a double (-2^63 once rounded), which fits.
        ("-9223372036854775809", .int(.min), nil, .double(-0x1p63)),
        // Integers that fit 64 bits keep their bit pattern, as libsinsp stores them.
        ("18446744073709551615", .int(-1), .uint(.max), .double(0x1p64)),
        ("-1", .int(-1), .uint(.max), .double(-1)),
    ]

    static func expected(_ type: FieldType, _ n: (text: String, signed: FieldValue?, unsigned: FieldValue?, double: FieldValue?)) -> FieldValue? {
        type == .double ? n.double : (type.isSigned ? n.signed : n.unsigned)
    }

    @Test func hugeNumbersInNumericFieldsHaveDefinedValues() throws {
        let slots = FieldSlotTable()
        let slotOf = Dictionary(uniqueKeysWithValues: Self.fields.map { ($0.name, slots.slot(for: $0.name, type: $0.type)) })
        let decoder = EventDecoder(slots: slots)
        let fast = Event(slotCount: slots.count), strict = Event(slotCount: slots.count)
        var problems: [String] = []
        for n in Self.numbers {
            let body = Self.fields.map { "\"\($0.name)\":\(n.text)" }.joined(separator: ",")
            let line = #"{"source":"syscall","fields":{"evt.num":1,"evt.rawtime":\#(n.text),\#(body)}}"#
            try Array(line.utf8).withUnsafeBytes { buffer in
                try decoder.decode(line: buffer, into: fast)
                try decoder.decodeStrict(buffer, into: strict)
            }
            for field in Self.fields {
                let slot = slotOf[field.name]!
                let want = Self.expected(field.type, n)
                if fast.value(at: slot) != want { problems.append("scanner \(field.name)=\(n.text): \(String(describing: fast.value(at: slot))), expected \(String(describing: want))") }
                if strict.value(at: slot) != want { problems.append("strict \(field.name)=\(n.text): \(String(describing: strict.value(at: slot))), expected \(String(describing: want))") }
            }
        }
        #expect(problems.isEmpty, Comment(rawValue: problems.joined(separator: "\n")))
    }

    @Test func rawTimeOutOfRangeIsNoTime() throws {
        let decoder = EventDecoder(slots: FieldSlotTable())
        let event = Event(slotCount: 0)
        for (text, want) in [("1e300", nil), ("-1e999", nil), ("18446744073709551615", nil), ("99999999999999999999", nil),
                             ("-9223372036854775808", Int64.min), ("9223372036854775807", Int64.max)] as [(String, Int64?)] {
            try decoder.decode(line: #"{"source":"syscall","fields":{"evt.num":1,"evt.rawtime":\#(text)}}"#, into: event)
            #expect(event.rawTime == want, "evt.rawtime \(text)")
        }
    }

    /// Through the whole pipeline (rules that read and print every kind of number, the
    /// alert formatter), as `tradsec rules match` runs it.
    @Test func rulesMatchOverHostileNumbersNeverTraps() throws {
        let names = Self.fields.map(\.name) + ["evt.rawtime", "proc.vpid"]
        let rules = """
            - rule: numbers
              desc: every numeric kind, compared and printed
              condition: evt.type = open and (proc.pid > 0 or evt.cpu < 0 or evt.buflen >= 1 or proc.tty != 2 or thread.cpu > 1 or fd.cport in (80, 443) or fd.port = 99999999999999999999 or proc.duration > 99999999999999999999 or proc.vpid < -99999999999999999999 or not proc.exe_ino.ctime exists)
              output: "\(names.map { "%" + $0 }.joined(separator: " ")) %evt.time %evt.datetime"
              priority: WARNING
            """
        let engine = RulesEngine()
        let load = engine.load(content: rules, name: "numbers.yaml")
        #expect(load.successful, "\(load.errors)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-events-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var lines: [String] = []
        for (k, n) in Self.numbers.enumerated() {
            let body = names.map { "\"\($0)\":\(n.text)" }.joined(separator: ",")
            lines.append(#"{"source":"syscall","fields":{"evt.num":\#(k + 1),"evt.type":"open","evt.dir":"<","fd.cip":"10.0.0.1",\#(body)}}"#)
        }
        let path = directory.appendingPathComponent("events.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        var alerts: [String] = []
        let result = try EventMatching.matchAlerts(engine: engine, eventsPath: path, formatter: AlertFormatter(hostname: "h"), threads: 2) { alerts.append($0) }
        #expect(result.events == Self.numbers.count)
        // `not proc.exe_ino.ctime exists` holds exactly where the number did not fit.
        #expect(alerts.count == Self.numbers.count)
        for alert in alerts { #expect((try? JSONParser.parse(alert)) != nil, "not JSON: \(alert)") }
        // 1e300 in an int64 field prints as no value.
        let first = try JSONParser.parse(alerts[0])
        #expect(first["output_fields"]?["proc.pid"] == .null)
        #expect(first["output_fields"]?["thread.cpu"] == .double(1e300))
    }

    @Test func hugeNumbersInConditionsAreDefined() throws {
        // Decimal constants saturate like libsinsp's sscanf, then take the field's width.
        let cases: [(String, String, Bool)] = [
            ("proc.pid = 99999999999999999999", #""proc.pid":9223372036854775807"#, true),
            ("proc.pid = -99999999999999999999", #""proc.pid":-9223372036854775808"#, true),
            ("evt.num = 18446744073709551616", #""evt.num":1"#, false),
            ("fd.cport = 99999999999999999999", #""fd.cport":65535,"fd.cip":"10.0.0.1""#, true),
            ("evt.arg.res > 1e+999", #""evt.arg.res":"2""#, true),
        ]
        for (condition, fields, matches) in cases {
            let filter = try FilterExpression.compile(condition)
            let event = Event(slotCount: filter.slots.count)
            try EventDecoder(slots: filter.slots).decode(line: #"{"source":"syscall","fields":{\#(fields)}}"#, into: event)
            #expect(filter.predicate(event) == matches, "\(condition) on \(fields)")
        }
        // Exponents are not integers: a clear error, not a trap.
        #expect(throws: CompileError.self) { try FilterExpression.compile("proc.pid > 1e+300") }
        #expect(throws: CompileError.self) { try FilterExpression.compile("thread.cpu > 1e999") }
    }
}
