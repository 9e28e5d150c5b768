#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an alert line was refused. `code` is stable (used for counting and in JSON reports);
/// `message` tells the user what was wrong with this particular line.
public struct AlertRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case invalidUTF8 = "invalid_utf8"
        case notJSON = "not_json"
        case notObject = "not_object"
        case missingKey = "missing_key"
        case wrongType = "wrong_type"
        case unknownPriority = "unknown_priority"
        case badTime = "bad_time"
        case tooLong = "too_long"
    }
    public var code: Code
    public var message: String
    public var description: String { message }

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// Turns one line of Falco JSON output into an ``Alert``.
public enum AlertDecoder {
    /// Decodes a line given as UTF-8 bytes (without its line terminator; a trailing CR is dropped).
    public static func decode(line: UnsafeRawBufferPointer) throws(AlertRejection) -> Alert {
        var count = line.count
        if count > 0, line[count - 1] == 0x0D { count -= 1 }
        let bytes = UnsafeRawBufferPointer(rebasing: line[0..<count])
        let typed = bytes.bindMemory(to: UInt8.self)
        let raw: String
        if isASCII(bytes) {
            raw = String(decoding: typed, as: UTF8.self)
        } else if let valid = String(validating: typed, as: UTF8.self) {
            raw = valid
        } else {
            throw AlertRejection(.invalidUTF8, "invalid UTF-8 at byte \(firstInvalidUTF8(bytes))")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes: bytes)
        } catch {
            throw AlertRejection(.notJSON, "not JSON: \(error)")
        }
        // A raw line break can only be whitespace between tokens (JSON strings cannot hold
        // one). Kept verbatim it would split the alert over several lines of a JSON Lines
        // export, so such an alert is kept in its compact form instead.
        if let base = bytes.baseAddress, memchr(base, 0x0A, bytes.count) != nil || memchr(base, 0x0D, bytes.count) != nil {
            return try decode(value: value, raw: JSONWriter.string(value))
        }
        return try decode(value: value, raw: raw)
    }

    public static func decode(line: String) throws(AlertRejection) -> Alert {
        var line = line
        let result: Result<Alert, AlertRejection> = line.withUTF8 { buffer in
            do throws(AlertRejection) { return .success(try decode(line: UnsafeRawBufferPointer(buffer))) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Decodes an already parsed alert object; `raw` is the JSON text to keep for it.
    public static func decode(value: JSONValue, raw: String) throws(AlertRejection) -> Alert {
        guard case .object(let object) = value else {
            throw AlertRejection(.notObject, "not a JSON object (Falco writes one object per line)")
        }
        let rule = try requiredString(object, "rule")
        let priorityText = try requiredString(object, "priority")
        guard let priority = Priority(name: priorityText) else {
            throw AlertRejection(.unknownPriority,
                                 "unknown priority \"\(TerminalSafe.escape(priorityText))\" (expected \(Priority.acceptedSpellings))")
        }
        let time = try alertTime(try requiredString(object, "time"))
        let output = try optionalString(object, "output") ?? ""
        var fields = JSONObject()
        switch object["output_fields"] {
        case nil, .null?: break
        case .object(let o)?: fields = o
        case let other?: throw wrongType("output_fields", "an object", other)
        }
        var tags: [String] = []
        switch object["tags"] {
        case nil, .null?: break
        case .array(let items)?:
            for item in items {
                guard case .string(let t) = item else { throw wrongType("tags", "an array of strings", .array(items)) }
                tags.append(t)
            }
        case let other?: throw wrongType("tags", "an array of strings", other)
        }
        return Alert(time: time, rule: rule, priority: priority, output: output, outputFields: fields,
                     source: try optionalString(object, "source"), tags: tags,
                     hostname: try optionalString(object, "hostname"), raw: raw)
    }

    /// An alert's `time`: RFC 3339, within ``Timestamp/alertRange``.
    static func alertTime(_ text: String) throws(AlertRejection) -> Timestamp {
        let shown = TerminalSafe.escape(String(text.prefix(64)))
        switch Timestamp.parse(rfc3339: text) {
        case .success(let time) where Timestamp.alertRange.contains(time):
            return time
        case .success, .failure(.outOfRange):
            throw AlertRejection(.badTime, "key \"time\" is out of range: \"\(shown)\" (alerts are kept from \(Timestamp.alertRange.lowerBound.rfc3339(fractionDigits: 0)) to \(Timestamp.alertRange.upperBound.rfc3339(fractionDigits: 0)))")
        case .failure(.syntax):
            throw AlertRejection(.badTime, "key \"time\" is not an RFC 3339 time: \"\(shown)\"")
        }
    }

    private static func requiredString(_ o: JSONObject, _ key: String) throws(AlertRejection) -> String {
        guard let v = o[key] else { throw AlertRejection(.missingKey, "missing key \"\(key)\"") }
        guard case .string(let s) = v else { throw wrongType(key, "a string", v) }
        return s
    }

    private static func optionalString(_ o: JSONObject, _ key: String) throws(AlertRejection) -> String? {
        switch o[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw wrongType(key, "a string", other)
        }
    }

    private static func wrongType(_ key: String, _ expected: String, _ got: JSONValue) -> AlertRejection {
        let kind: String
        switch got {
        case .null: kind = "null"
        case .bool: kind = "a boolean"
        case .int, .uint, .double: kind = "a number"
        case .string: kind = "a string"
        case .array: kind = "an array"
        case .object: kind = "an object"
        }
        return AlertRejection(.wrongType, "key \"\(key)\" should be \(expected), found \(kind)")
    }

    /// Eight bytes at a time: most alert lines are pure ASCII.
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            if bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < n {
            if bytes[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    static func firstInvalidUTF8(_ bytes: UnsafeRawBufferPointer) -> Int {
        // Binary search is overkill: lines are short and this runs only on rejects.
        var lo = 0
        var valid = 0
        let typed = bytes.bindMemory(to: UInt8.self)
        var it = typed.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): lo += UTF8.width(s); valid = lo
            case .emptyInput: return valid
            case .error: return valid
            }
        }
    }
}

extension AlertBatch {
    /// The whole alert of entry `index`, decoded again from its raw line (what the processing
    /// step needs beyond the stored record: tags, output fields); nil if it no longer decodes.
    public func alert(at index: Int) -> Alert? {
        withBytes { bytes in
            guard let raw = entries[index].raw.bytes(in: bytes) else { return nil }
            return try? AlertDecoder.decode(line: raw)
        }
    }
}
