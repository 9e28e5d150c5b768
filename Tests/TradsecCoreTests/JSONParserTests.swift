import Testing
@testable import TradsecCore

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let v = try JSONParser.parse(#"{"s":"a\"b\\c\n\u00e9\ud83d\ude00","i":-42,"u":18446744073709551615,"d":1.5e3,"t":true,"f":false,"n":null,"a":[1,"x",[]],"o":{}}"#)
        #expect(v["s"] == .string("a\"b\\c\né😀"))
        #expect(v["i"] == .int(-42))
        #expect(v["u"] == .uint(UInt64.max))
        #expect(v["d"] == .double(1500))
        #expect(v["t"] == .bool(true))
        #expect(v["f"] == .bool(false))
        #expect(v["n"] == .null)
        #expect(v["a"] == .array([.int(1), .string("x"), .array([])]))
        #expect(v["o"] == .object(JSONObject()))
    }

    @Test func keepsKeyOrderAndRoundTrips() throws {
        let text = #"{"z":1,"a":{"y":[true,null],"b":"\u001b[31m"},"m":-9223372036854775808}"#
        let v = try JSONParser.parse(text)
        #expect(v.objectValue?.keys == ["z", "a", "m"])
        #expect(JSONWriter.string(v) == text)
        #expect(JSONWriter.string(v, sortedKeys: true) == #"{"a":{"b":"\u001b[31m","y":[true,null]},"m":-9223372036854775808,"z":1}"#)
    }

    @Test(arguments: [
        ("", "empty input"),
        (#"{"a":"#, "truncated"),
        (#"{"a":1"#, "truncated"),
        (#"{"a":"unterminated"#, "unterminated string"),
        (#"{"a":1} x"#, "unexpected text after"),
        (#"{'a':1}"#, "expected a string key"),
        (#"[01]"#, "leading zero"),
        (#"[1.]"#, "invalid number"),
        (#"["\ud800"]"#, "lone surrogate"),
        (#"["\x"]"#, "invalid escape"),
        ("[\"tab\there\"]", "control character"),
        ("nul", "truncated"),
        ("[tru]", "invalid literal"),
    ])
    func rejectsMalformedInputWithAReason(input: String, reason: String) {
        #expect {
            _ = try JSONParser.parse(input)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test func rejectsInvalidUTF8InsideStrings() {
        let bytes: [UInt8] = Array(#"{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect {
            _ = try JSONParser.parse(deep)
        } throws: { error in
            "\(error)".contains("nesting deeper")
        }
        let ok = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
    }

    @Test func randomBytesNeverCrashTheParser() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[]",:0123456789-+.eEtrufalsn\u"#.utf8) + [0x00, 0xFF, 0x0A]
        for _ in 0..<20_000 {
            let n = Int.random(in: 0..<40, using: &rng)
            let bytes = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
            _ = try? JSONParser.parse(bytes)
        }
    }

    @Test func writerEscapesEveryControlCharacter() {
        let all = String(decoding: (0..<0x20).map { UInt8($0) } + [0x7F], as: UTF8.self)
        let text = JSONWriter.string(.string(all))
        #expect(!text.utf8.contains { $0 < 0x20 || $0 == 0x7F })
        #expect((try? JSONParser.parse(text)) == .string(all))
    }

    /// Found by fuzzing (Fuzz/regressions/json/infinity-becomes-null): a number beyond a
    /// double's range parses as an infinity, which was written back as null.
    @Test func numbersBeyondADoubleWriteBackAsTheSameInfinity() throws {
        let value = try JSONParser.parse(#"{"a":1e999,"b":[-1e400]}"#)
        #expect(value["a"] == .double(.infinity))
        let written = JSONWriter.string(value)
        #expect(written == #"{"a":1e999,"b":[-1e999]}"#)
        #expect(try JSONParser.parse(written) == value)
        #expect(JSONWriter.string(.double(.nan)) == "null")
    }
}
