import Foundation
import Testing
@testable import TradsecCore

/// `AlertDecoder.decodeRecord(line:)` must give exactly `try decode(line:).record`, or the
/// same rejection, for every line. These tests compare both paths on real, generated,
/// hand-made and mutated lines, and check that the scanner (not only its fallback) answers.
@Suite struct AlertRecordTests {
    enum Outcome: Equatable {
        case record(AlertRecord)
        case rejected(AlertRejection)
    }

    static func viaDecode(_ bytes: [UInt8]) -> Outcome {
        bytes.withUnsafeBytes { raw in
            do throws(AlertRejection) { return .record(try AlertDecoder.decode(line: raw).record) } catch { return .rejected(error) }
        }
    }

    static func viaRecord(_ bytes: [UInt8]) -> Outcome {
        bytes.withUnsafeBytes { raw in
            do throws(AlertRejection) { return .record(try AlertDecoder.decodeRecord(line: raw)) } catch { return .rejected(error) }
        }
    }

    /// The scanner alone: nil when it hands the line to the full decoder.
    static func viaScanner(_ bytes: [UInt8]) -> AlertRecord? {
        bytes.withUnsafeBytes { raw in AlertDecoder.scanRecord(line: raw) }
    }

    /// Compares both paths (and the scanner alone, when it answers); returns whether the scanner answered.
    @discardableResult
    static func expectSame(_ bytes: [UInt8], _ label: @autoclosure () -> String = "",
                           sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let expected = viaDecode(bytes)
        let got = viaRecord(bytes)
        #expect(got == expected, "\(label()) line: \(String(decoding: bytes.prefix(300), as: UTF8.self))",
                sourceLocation: sourceLocation)
        guard let scanned = viaScanner(bytes) else { return false }
        // The scanner answered: decode must accept the line and agree on every field.
        #expect(.record(scanned) == expected, "scanner answered wrongly: \(label()) line: \(String(decoding: bytes.prefix(300), as: UTF8.self))",
                sourceLocation: sourceLocation)
        return true
    }

    static func expectSame(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        expectSame(Array(line.utf8), sourceLocation: sourceLocation)
    }

    // MARK: - Conformance corpus

    static let corpus: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/conformance")

    static func corpusLines(sourceLocation: SourceLocation = #_sourceLocation) throws -> [(String, [UInt8])] {
        let events = corpus.appendingPathComponent("events")
        guard FileManager.default.fileExists(atPath: events.path) else {
            Issue.record("Conformance corpus missing: \(events.path) (expected ../shared/conformance beside the repository root)",
                         sourceLocation: sourceLocation)
            return []
        }
        var files = try FileManager.default.contentsOfDirectory(atPath: events.path).filter { $0.hasSuffix(".jsonl") }.sorted()
            .map { events.appendingPathComponent($0) }
        files.append(corpus.appendingPathComponent("filters/cases.jsonl"))
        var lines: [(String, [UInt8])] = []
        for file in files {
            let data = try Data(contentsOf: file)
            for line in data.split(separator: 0x0A) { lines.append((file.lastPathComponent, Array(line))) }
        }
        #expect(lines.count > 15_000, "expected the corpus' 15,209 events and the filter cases")
        return lines
    }

    /// The corpus holds no Falco alerts, but real syscall events: every line as it is (all
    /// rejected, missing `rule`), and every event's fields made the `output_fields` of an
    /// alert, byte for byte (escapes, non-ASCII text, `<NA>`, arrays, booleans, containers).
    @Test func agreesOnEveryConformanceCorpusLineAndAlertsBuiltFromThem() throws {
        let lines = try Self.corpusLines()
        let prefix = Array(#"{"source":"syscall","fields":"#.utf8)
        let priorities = ["Warning", "critical", "INFO", "Emergency", "debug", "Notice", "Alert", "error", "Informational"]
        var built = 0, scanned = 0, containers = 0
        for (index, (file, line)) in lines.enumerated() {
            Self.expectSame(line, file)
            guard line.starts(with: prefix), line.last == UInt8(ascii: "}") else { continue }
            let fieldsText = line[prefix.count..<(line.count - 1)]
            guard let fields = try? JSONParser.parse(Array(fieldsText)).objectValue else { continue }
            // Falco's own time spelling (+0000) where the event has one, else the canonical form.
            let time = fields["evt.time.iso8601"]?.stringValue ?? "2024-01-01T00:00:00.\(index)Z"
            let output = "\(time): \(priorities[index % priorities.count]) event \(fields["evt.type"]?.displayText ?? "?") (proc=\(fields["proc.name"]?.displayText ?? "?"))"
            var alert: [UInt8] = Array(#"{"hostname":"#.utf8)
            JSONWriter.writeString(index % 5 == 0 ? "<NA>" : "host-\(index % 3)", into: &alert)
            alert += Array(#","output":"#.utf8)
            JSONWriter.writeString(output, into: &alert)
            alert += Array(#","output_fields":"#.utf8) + fieldsText
            alert += Array(#","priority":"\#(priorities[index % priorities.count])","rule":"Event \#(index % 17)","source":"syscall","tags":["corpus","\#(file)"],"time":"\#(time)"}"#.utf8)
            built += 1
            if Self.expectSame(alert, file) { scanned += 1 }
            if case .record(let r) = Self.viaDecode(alert), !r.container.isHost { containers += 1 }
        }
        #expect(built > 15_000)
        #expect(containers > 100, "the corpus' container events came through")
        // Most lines are ASCII without odd values: the scanner must answer for them itself.
        #expect(scanned > built * 9 / 10, "scanner answered \(scanned) of \(built)")
    }

    // MARK: - Realistic alerts

    @Test func scannerAnswersForEveryGeneratedAlert() {
        var generator = AlertGenerator(seed: 11)
        var hosts = 0
        for index in 0..<5_000 {
            let line = Array(generator.next(index: index).utf8)
            #expect(Self.expectSame(line), "generated alert went to the fallback")
            if case .record(let r) = Self.viaRecord(line), r.container.isHost { hosts += 1 }
        }
        #expect(hosts > 0 && hosts < 5_000)
    }

    @Test func readsTheDocumentedExamples() throws {
        let a = try AlertDecoder.decodeRecord(line: AlertDecoderTests.falcoSample)
        #expect(a.rule == "open_from_cat" && a.priority == .warning && a.hostname == "test-falco-hostname")
        #expect(a.time.nanoseconds == 1_470_327_477_881_781_397)
        #expect(a.container == ContainerRef(id: "host", name: "test-falco-hostname", image: nil))
        #expect(a.raw == AlertDecoderTests.falcoSample)
        let c = try AlertDecoder.decodeRecord(line: #"{"rule":"r","priority":"critical","time":"2024-01-01T00:00:00Z","output":"o","output_fields":{"container.id":"3ad7b26ded6d","container.name":"ai-trading-bot","container.image.repository":"ghcr.io/acme/bot","container.image.tag":"1.2","proc.name":"curl","user.loginname":"root"}}"#)
        #expect(c.container == ContainerRef(id: "3ad7b26ded6d", name: "ai-trading-bot", image: "ghcr.io/acme/bot:1.2"))
        #expect(c.processName == "curl" && c.userName == "root")
    }

    // MARK: - Bad and unusual input

    static let good = #"{"hostname":"h1","output":"12:00: Warning x","output_fields":{"container.id":"abc","container.name":"bot","container.image":"img:1","proc.name":"cat","user.name":"root"},"priority":"Warning","rule":"r","source":"syscall","tags":["a","b"],"time":"2024-01-01T00:00:00.5Z"}"#

    static var unusualLines: [(String, [UInt8])] {
        let base = #"{"rule":"r","priority":"Warning","time":"2024-01-01T00:00:00Z""#
        func l(_ s: String) -> [UInt8] { Array(s.utf8) }
        var cases: [(String, [UInt8])] = [
            ("good", l(good)),
            ("empty", []),
            ("spaces", l("   ")),
            ("lone CR", [0x0D]),
            ("truncated", l(String(good.prefix(120)))),
            ("truncated in escape", l(base + #","output":"a\u00"#)),
            ("truncated after key", l(base + #","output""#)),
            ("not JSON", l("Warning: an open was seen")),
            ("number", l("42")),
            ("string", l(#""rule""#)),
            ("null", l("null")),
            ("array", l(#"["not","an","object"]"#)),
            ("empty object", l("{}")),
            ("empty object spaced", l(" {\t} ")),
            ("trailing comma", l(base + ",}")),
            ("trailing garbage", l(base + "}x")),
            ("two objects", l(base + "}{}")),
            ("missing rule", l(#"{"priority":"Warning","time":"2024-01-01T00:00:00Z"}"#)),
            ("missing priority", l(#"{"rule":"r","time":"2024-01-01T00:00:00Z"}"#)),
            ("missing time", l(#"{"rule":"r","priority":"Warning"}"#)),
            ("unknown priority", l(#"{"rule":"r","priority":"Severe","time":"2024-01-01T00:00:00Z"}"#)),
            ("priority case", l(#"{"rule":"r","priority":"wArNiNg","time":"2024-01-01T00:00:00Z"}"#)),
            ("priority info", l(#"{"rule":"r","priority":"info","time":"2024-01-01T00:00:00Z"}"#)),
            ("priority escaped", l(#"{"rule":"r","priority":"W\u0061rning","time":"2024-01-01T00:00:00Z"}"#)),
            ("priority non-ASCII", l(#"{"rule":"r","priority":"Wärning","time":"2024-01-01T00:00:00Z"}"#)),
            ("priority with symbol", l(#"{"rule":"r","priority":"W@rning","time":"2024-01-01T00:00:00Z"}"#)),
            ("bad time", l(#"{"rule":"r","priority":"Warning","time":"yesterday"}"#)),
            ("bad date", l(#"{"rule":"r","priority":"Warning","time":"2023-02-29T00:00:00Z"}"#)),
            ("leap day", l(#"{"rule":"r","priority":"Warning","time":"2024-02-29T23:59:60.999999999999Z"}"#)),
            ("hour 24", l(#"{"rule":"r","priority":"Warning","time":"2024-01-01T24:00:00Z"}"#)),
            ("time offset", l(#"{"rule":"r","priority":"Warning","time":"2024-01-01T10:00:00.123+02:00"}"#)),
            ("time lower z", l(#"{"rule":"r","priority":"Warning","time":"2024-01-01t10:00:00z"}"#)),
            ("time no seconds", l(#"{"rule":"r","priority":"Warning","time":"2024-01-01T10:00Z"}"#)),
            ("time date only", l(#"{"rule":"r","priority":"Warning","time":"2024-01-01"}"#)),
            ("time empty fraction", l(#"{"rule":"r","priority":"Warning","time":"2024-01-01T10:00:00.Z"}"#)),
            ("time comma fraction", l(#"{"rule":"r","priority":"Warning","time":"2024-01-01T10:00:00,5Z"}"#)),
            ("time trailing", l(#"{"rule":"r","priority":"Warning","time":"2024-01-01T10:00:00ZZ"}"#)),
            ("time escaped", l(#"{"rule":"r","priority":"Warning","time":"2024-01-01T10:00:00\u005a"}"#)),
            ("rule number", l(#"{"rule":5,"priority":"Warning","time":"2024-01-01T00:00:00Z"}"#)),
            ("rule null", l(#"{"rule":null,"priority":"Warning","time":"2024-01-01T00:00:00Z"}"#)),
            ("priority array", l(#"{"rule":"r","priority":["Warning"],"time":"2024-01-01T00:00:00Z"}"#)),
            ("time number", l(#"{"rule":"r","priority":"Warning","time":1704067200}"#)),
            ("tags string", l(base + #","tags":"a"}"#)),
            ("tags with number", l(base + #","tags":["a",1]}"#)),
            ("tags with null", l(base + #","tags":["a",null]}"#)),
            ("tags nested", l(base + #","tags":[["a"]]}"#)),
            ("tags null", l(base + #","tags":null}"#)),
            ("tags empty", l(base + #","tags":[ ]}"#)),
            ("tags trailing comma", l(base + #","tags":["a",]}"#)),
            ("output_fields array", l(base + #","output_fields":[]}"#)),
            ("output_fields string", l(base + #","output_fields":"x"}"#)),
            ("output_fields null", l(base + #","output_fields":null}"#)),
            ("output_fields empty", l(base + #","output_fields":{}}"#)),
            ("hostname bool", l(base + #","hostname":true}"#)),
            ("hostname null", l(base + #","hostname":null}"#)),
            ("hostname empty", l(base + #","hostname":""}"#)),
            ("source number", l(base + #","source":1}"#)),
            ("source null", l(base + #","source":null}"#)),
            ("output number", l(base + #","output":1.5}"#)),
            ("output null", l(base + #","output":null}"#)),
            ("output object", l(base + #","output":{}}"#)),
            ("CRLF", l(good + "\r")),
            ("CR CR", l(good + "\r\r")),
            ("LF at end", l(good + "\n")),
            ("embedded newline", l(#"{"rule":"r",\#n"priority":"Warning","time":"2024-01-01T00:00:00Z"}"#)),
            ("embedded CR", l(#"{"rule":"r",\#r"priority":"Warning","time":"2024-01-01T00:00:00Z"}"#)),
            ("pretty", l("{\n  \"rule\": \"r\",\r\n  \"priority\": \"Error\",\n  \"time\": \"2024-01-01T00:00:00Z\"\n}")),
            ("tabs and spaces", l("\t{ \"rule\" :\t\"r\" , \"priority\":\"Error\" ,\"time\" : \"2024-01-01T00:00:00Z\"\t}  ")),
            ("raw newline in string", l(base + ",\"output\":\"a\nb\"}")),
            ("raw tab in string", l(base + ",\"output\":\"a\tb\"}")),
            ("raw control in string", l(base + ",\"output\":\"a\u{1B}[31mb\"}")),
            ("DEL in string", l(base + ",\"output\":\"a\u{7F}b\"}")),
            ("NUL in string", [UInt8](l(base + ",\"output\":\"a")) + [0] + l("b\"}")),
            ("escaped key rule", l(#"{"\u0072ule":"r","priority":"Warning","time":"2024-01-01T00:00:00Z"}"#)),
            ("escaped key other", l(base + #","x\"y":1}"#)),
            ("escaped field key", l(base + #","output_fields":{"container\u002eid":"c1"}}"#)),
            ("escapes in values", l(base + #","output":"a\u0041\n\"\\\/\b\f\r\t","hostname":"h\u00e9\ud83d\ude00","output_fields":{"proc.name":"c\"at","container.id":"\u0063"}}"#)),
            ("escaped NA", l(base + #","output_fields":{"container.id":"\u003cNA>","container.name":"ho\u0073t","proc.name":"\u003cNA\u003e"}}"#)),
            ("escaped empty", l(base + #","output_fields":{"user.name":"","user.loginname":"\u0072oot"}}"#)),
            ("escaped NUL", l(base + #","output":"\u0000"}"#)),
            ("lone high surrogate", l(base + #","output":"\ud83d"}"#)),
            ("lone high surrogate then text", l(base + #","output":"\ud83dabcdef"}"#)),
            ("high then bad low", l(base + #","output":"\ud83d\u0041"}"#)),
            ("lone low surrogate", l(base + #","output":"\ude00"}"#)),
            ("bad hex", l(base + #","output":"\u00g0"}"#)),
            ("bad escape", l(base + #","output":"\x41"}"#)),
            ("uppercase hex", l(base + #","output":"\u00C9\uD83D\uDE00"}"#)),
            ("duplicate rule", l(#"{"rule":"a","rule":"b","priority":"Warning","time":"2024-01-01T00:00:00Z"}"#)),
            ("duplicate rule wrong type", l(#"{"rule":"a","rule":5,"priority":"Warning","time":"2024-01-01T00:00:00Z"}"#)),
            ("duplicate output_fields", l(base + #","output_fields":{"proc.name":"a"},"output_fields":{"proc.name":"b"}}"#)),
            ("duplicate tags", l(base + #","tags":["a"],"tags":5}"#)),
            ("duplicate field", l(base + #","output_fields":{"proc.name":"a","proc.name":"b"}}"#)),
            ("duplicate container id", l(base + #","output_fields":{"container.id":"a","container.id":"b"}}"#)),
            ("duplicate other key", l(base + #","x":1,"x":2}"#)),
            ("container id number", l(base + #","output_fields":{"container.id":12345,"container.name":"n"}}"#)),
            ("container id negative zero", l(base + #","output_fields":{"container.id":-0}}"#)),
            ("container id double", l(base + #","output_fields":{"container.id":1.50}}"#)),
            ("container id big", l(base + #","output_fields":{"container.id":123456789012345678901234567890}}"#)),
            ("container id bool", l(base + #","output_fields":{"container.id":true}}"#)),
            ("container id array", l(base + #","output_fields":{"container.id":["a","b"]}}"#)),
            ("container id object", l(base + #","output_fields":{"container.id":{"a":1}}}"#)),
            ("proc.name number", l(base + #","output_fields":{"proc.name":7}}"#)),
            ("user.name null", l(base + #","output_fields":{"user.name":null,"user.loginname":"bob"}}"#)),
            ("user.name NA", l(base + #","output_fields":{"user.name":"<NA>","user.loginname":"<NA>"}}"#)),
            ("container NA", l(base + #","hostname":"h","output_fields":{"container.id":"<NA>","container.name":"<NA>"}}"#)),
            ("container id host", l(base + #","hostname":"h","output_fields":{"container.id":"host","container.name":"x"}}"#)),
            ("container name host", l(base + #","output_fields":{"container.name":"host"}}"#)),
            ("container name only", l(base + #","output_fields":{"container.name":"bot","container.image":"i"}}"#)),
            ("container null id", l(base + #","output_fields":{"container.id":null,"container.name":"bot"}}"#)),
            ("image repo no tag", l(base + #","output_fields":{"container.id":"c","container.image":"i:1","container.image.repository":"r"}}"#)),
            ("image repo NA tag", l(base + #","output_fields":{"container.id":"c","container.image.repository":"r","container.image.tag":"<NA>"}}"#)),
            ("image tag no repo", l(base + #","output_fields":{"container.id":"c","container.image":"i:1","container.image.tag":"2"}}"#)),
            ("image repo empty", l(base + #","output_fields":{"container.id":"c","container.image":"i","container.image.repository":""}}"#)),
            ("null values", l(#"{"rule":"r","priority":"Warning","time":"2024-01-01T00:00:00Z","output":null,"source":null,"hostname":null,"tags":null,"output_fields":{"container.id":null,"container.name":null,"container.image":null,"container.image.repository":null,"container.image.tag":null,"proc.name":null,"user.name":null,"user.loginname":null}}"#)),
            ("numbers", l(base + #","n":[0,-0,1,-1,0.5,-0.5e10,1E+2,1e-2,9223372036854775807,9223372036854775808,18446744073709551615,18446744073709551616,-9223372036854775808,-9223372036854775809,1e400,-1e400,1e-400,123456789012345678901234567890.5]}"#)),
            ("bad numbers", l(base + #","n":01}"#)),
            ("minus alone", l(base + #","n":-}"#)),
            ("dot no digits", l(base + #","n":1.}"#)),
            ("exponent no digits", l(base + #","n":1e+}"#)),
            ("plus sign", l(base + #","n":+1}"#)),
            ("hex number", l(base + #","n":0x10}"#)),
            ("literals", l(base + #","a":true,"b":false,"c":null,"d":[true,false,null]}"#)),
            ("bad literal", l(base + #","a":tru}"#)),
            ("bad literal long", l(base + #","a":nul1}"#)),
            ("literal truncated", l(base + #","a":fals"#)),
            ("missing colon", l(#"{"rule" "r","priority":"Warning","time":"2024-01-01T00:00:00Z"}"#)),
            ("missing comma", l(#"{"rule":"r" "priority":"Warning","time":"2024-01-01T00:00:00Z"}"#)),
            ("unquoted key", l(#"{rule:"r","priority":"Warning","time":"2024-01-01T00:00:00Z"}"#)),
            ("single quotes", l(#"{'rule':'r','priority':'Warning','time':'2024-01-01T00:00:00Z'}"#)),
            ("unicode in output", l(base + #","output":"héllo — 世界 😀","hostname":"hôte"}"#)),
            ("unicode in field", l(base + #","output_fields":{"proc.name":"café"}}"#)),
            ("unicode in unknown key", l(base + #","ключ":"значение"}"#)),
            ("invalid UTF-8", l(base + #","output":""#) + [0xFF, 0xFE] + l(#""}"#)),
            ("invalid UTF-8 outside strings", l(base) + [0xC3] + l("}")),
            ("overlong UTF-8", l(base + #","output":""#) + [0xC0, 0xAF] + l(#""}"#)),
            ("surrogate in UTF-8", l(base + #","output":""#) + [0xED, 0xA0, 0x80] + l(#""}"#)),
            ("BOM", [0xEF, 0xBB, 0xBF] + l(good)),
        ]
        // Deep nesting, in output_fields and at top level, below and above the parser's limit.
        for depth in [1, 2, 30, 62, 63, 64, 65, 100, 510, 511, 512, 600] {
            let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
            cases.append(("nested arrays \(depth)", l(base + #","output_fields":{"x":\#(arrays),"proc.name":"p"}}"#)))
            cases.append(("nested objects \(depth)", l(base + #","deep":\#(objects)}"#)))
            cases.append(("unclosed nesting \(depth)", l(base + #","deep":\#(String(repeating: "[", count: depth))}"#)))
        }
        // Very long lines.
        let long = String(repeating: "x", count: 100_000)
        cases.append(("long output", l(base + #","output":"\#(long)","output_fields":{"proc.name":"p"}}"#)))
        cases.append(("long field", l(base + #","output_fields":{"proc.cmdline":"\#(long)","container.id":"\#(long)"}}"#)))
        cases.append(("long escapes", l(base + #","output":"\#(String(repeating: #"\u00e9\n"#, count: 20_000))"}"#)))
        cases.append(("many fields", l(base + #","output_fields":{\#((0..<5_000).map { #""f\#($0)":\#($0)"# }.joined(separator: ",")),"proc.name":"p"}}"#)))
        cases.append(("long unterminated", l(base + #","output":"\#(long)"#)))
        // Every prefix of a good line (truncation at each byte).
        let g = l(good)
        for k in 0..<g.count { cases.append(("prefix \(k)", Array(g[..<k]))) }
        return cases
    }

    @Test func agreesOnBadAndUnusualLines() {
        var scanned = 0
        for (label, line) in Self.unusualLines where Self.expectSame(line, label) { scanned += 1 }
        #expect(scanned > 40, "the scanner answered for \(scanned) of the unusual lines")
    }

    /// Cases where the decision is easy to get wrong: check the scanner answers them itself.
    @Test func scannerItselfHandlesEscapesNullsAndHostFallbacks() {
        let answered = Dictionary(Self.unusualLines.map { ($0.0, Self.viaScanner($0.1) != nil) }, uniquingKeysWith: { a, _ in a })
        for label in ["good", "CRLF", "tabs and spaces", "escapes in values", "escaped NA", "escaped empty", "null values",
                      "priority case", "priority escaped", "time offset", "time escaped", "container NA", "container name host",
                      "numbers", "literals", "uppercase hex", "nested arrays 30", "long output", "many fields", "DEL in string"] {
            #expect(answered[label] == true, "scanner fell back on \(label)")
        }
        for label in ["duplicate rule", "duplicate field", "escaped key rule", "unicode in output", "embedded newline",
                      "container id number", "nested arrays 100", "invalid UTF-8", "lone high surrogate", "CR CR"] {
            #expect(answered[label] == false, "scanner should leave \(label) to the full decoder")
        }
    }

    // MARK: - Mutation fuzzing

    @Test func agreesOnMutatedAlerts() {
        var rng = SplitMix64(seed: 0x5EED_2024)
        var generator = AlertGenerator(seed: 99)
        var originals = (0..<64).map { Array(generator.next(index: $0).utf8) }
        originals.append(Array(Self.good.utf8))
        originals.append(Array(AlertDecoderTests.falcoSample.utf8))
        originals.append(Array(#"{"rule":"r","priority":"Error","time":"2024-01-01T00:00:00Z","output":"a\"b\u00e9","output_fields":{"container.id":"\u0063","container.name":null,"x":[1,{"y":2.5e3}],"proc.name":"<NA>","user.loginname":"u"},"tags":[]}"#.utf8))
        let interesting: [UInt8] = Array(#"{}[]:,"\ 0123456789-+.eEtfnulr<>NAZTx/"#.utf8) + [0x00, 0x09, 0x0A, 0x0D, 0x1B, 0x7F, 0xC3, 0xA9, 0xFF, 0xE2, 0x80]
        var accepted = 0, scanned = 0
        let mutants = 20_000
        for _ in 0..<mutants {
            var bytes = originals[Int(rng.next() % UInt64(originals.count))]
            for _ in 0..<Int(rng.next() % 3 + 1) {
                if bytes.isEmpty { bytes = [0x7B] }
                let position = Int(rng.next() % UInt64(bytes.count))
                let pick = interesting[Int(rng.next() % UInt64(interesting.count))]
                switch rng.next() % 8 {
                case 0: bytes[position] = pick
                case 1: bytes.remove(at: position)
                case 2: bytes.insert(pick, at: position)
                case 3: bytes.removeSubrange(position...)                       // truncate
                case 4:                                                          // swap a quote for something else or back
                    if let q = bytes[position...].firstIndex(of: 0x22) { bytes[q] = [0x27, 0x5C, 0x20, 0x7D][Int(rng.next() % 4)] }
                case 5:                                                          // duplicate a chunk (keys, values)
                    let end = min(bytes.count, position + Int(rng.next() % 40))
                    bytes.insert(contentsOf: bytes[position..<end], at: end)
                case 6:                                                          // insert an escape
                    let escapes = [#"\n"#, #"\""#, #"\\"#, #"\u0041"#, #"\ud83d\ude00"#, #"\ud800"#, #"\u00e9"#, "<NA>", "null", "\\"]
                    bytes.insert(contentsOf: Array(escapes[Int(rng.next() % UInt64(escapes.count))].utf8), at: position)
                default: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
                }
            }
            if Self.expectSame(bytes, "mutant") { scanned += 1 }
            if case .record = Self.viaDecode(bytes) { accepted += 1 }
        }
        #expect(accepted > mutants / 20 && accepted < mutants, "\(accepted) mutants accepted")
        #expect(scanned > mutants / 20, "the scanner answered \(scanned) mutants itself")
    }
}
