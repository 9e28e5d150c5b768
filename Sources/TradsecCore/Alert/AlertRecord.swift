import CByteScan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the history stores for one alert line: the indexed fields and the raw JSON.
///
/// ``AlertDecoder/decodeRecord(line:)`` reads it straight from the line's bytes, without
/// building a whole ``Alert``; for every line it gives exactly
/// `try AlertDecoder.decode(line:).record` (or the same ``AlertRejection``).
public struct AlertRecord: Sendable, Equatable {
    public var time: Timestamp
    public var rule: String
    public var priority: Priority
    public var output: String
    public var source: String?
    public var hostname: String?
    /// Exactly ``Alert/container``.
    public var container: ContainerRef
    /// Exactly ``Alert/processName``.
    public var processName: String?
    /// Exactly ``Alert/userName``.
    public var userName: String?
    /// Exactly ``Alert/raw``.
    public var raw: String

    public init(time: Timestamp, rule: String, priority: Priority, output: String, source: String?, hostname: String?,
                container: ContainerRef, processName: String?, userName: String?, raw: String) {
        self.time = time
        self.rule = rule
        self.priority = priority
        self.output = output
        self.source = source
        self.hostname = hostname
        self.container = container
        self.processName = processName
        self.userName = userName
        self.raw = raw
    }
}

extension Alert {
    /// The part of this alert the history stores.
    public var record: AlertRecord {
        AlertRecord(time: time, rule: rule, priority: priority, output: output, source: source, hostname: hostname,
                    container: container, processName: processName, userName: userName, raw: raw)
    }
}

extension AlertDecoder {
    /// Decodes only what the history stores, into `batch` (see ``AlertBatch``). The batch
    /// gains exactly `try decode(line: line).record` (or nothing, and the same rejection),
    /// at a fraction of its cost on ordinary Falco lines: one pass over the bytes validates
    /// the JSON and picks out the needed values, without building a tree or a `String`.
    /// Anything out of the ordinary (non-ASCII bytes, line breaks, escaped keys, duplicate
    /// keys, deep nesting, a value of an unexpected type, any JSON error) goes to
    /// ``decode(line:)`` itself, which then also gives the exact rejection.
    public static func decodeRecord(line: UnsafeRawBufferPointer, into batch: inout AlertBatch) throws(AlertRejection) {
        if scanRecord(line: line, into: &batch) { return }
        batch.append(try decode(line: line).record)
    }

    /// The same as one ``AlertRecord``.
    public static func decodeRecord(line: UnsafeRawBufferPointer) throws(AlertRejection) -> AlertRecord {
        var batch = AlertBatch()
        try decodeRecord(line: line, into: &batch)
        return batch.record(at: 0)
    }

    /// The fast path alone: false (and the batch untouched) when the line needs the full decoder.
    static func scanRecord(line: UnsafeRawBufferPointer, into batch: inout AlertBatch) -> Bool {
        var count = line.count
        if count > 0, line[count - 1] == 0x0D { count -= 1 }   // as decode(line:) does
        guard count > 0, let base = line.baseAddress else { return false }
        var scanner = RecordScanner(base: base, count: count)
        return scanner.scan(into: &batch)
    }

    /// The fast path's record, or nil when the line needs the full decoder.
    static func scanRecord(line: UnsafeRawBufferPointer) -> AlertRecord? {
        var batch = AlertBatch()
        return scanRecord(line: line, into: &batch) ? batch.record(at: 0) : nil
    }

    public static func decodeRecord(line: String) throws(AlertRejection) -> AlertRecord {
        var line = line
        let result: Result<AlertRecord, AlertRejection> = line.withUTF8 { buffer in
            do throws(AlertRejection) { return .success(try decodeRecord(line: UnsafeRawBufferPointer(buffer))) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// The scanner gives up: the line goes to the full decoder.
struct RecordScanFallback: Error {}

/// A string value's content bytes `start..<end` (between the quotes); `start < 0`: none
/// (the key is absent or null).
struct ByteSpan {
    var start: Int = -1
    var end: Int = -1
    var escaped = false
    var isPresent: Bool { start >= 0 }
}

/// One pass over an alert line for ``AlertDecoder/decodeRecord(line:)``.
///
/// Accepts only lines that ``JSONParser`` accepts and that decode to an alert; gives up
/// (``RecordScanFallback``) whenever it is not sure, never guesses.
struct RecordScanner {
    private let p: UnsafePointer<UInt8>
    private let n: Int
    private var i = 0

    /// Top-level keys already seen (bit per key), so a duplicate goes to the full decoder.
    private var seenTop: UInt32 = 0
    private var seenField: UInt32 = 0

    private var rule = ByteSpan(), priority = ByteSpan(), time = ByteSpan(), output = ByteSpan()
    private var source = ByteSpan(), hostname = ByteSpan()
    private var containerID = ByteSpan(), containerName = ByteSpan(), containerImage = ByteSpan()
    private var imageRepository = ByteSpan(), imageTag = ByteSpan()
    private var procName = ByteSpan(), userName = ByteSpan(), userLoginName = ByteSpan()

    /// Deeper than this goes to the full decoder (which allows ``JSONParser/maxDepth``).
    private static let maxDepth = 64

    init(base: UnsafeRawPointer, count: Int) {
        // Lines are byte buffers; reading them as UInt8 is always valid.
        p = base.assumingMemoryBound(to: UInt8.self)
        n = count
    }

    /// Scans the line and appends its entry to `batch`; false (the batch untouched) when
    /// the line must go to the full decoder.
    mutating func scan(into batch: inout AlertBatch) -> Bool {
        do throws(RecordScanFallback) {
            try scanTop()
            try build(into: &batch)
            return true
        } catch {
            return false
        }
    }

    // MARK: - Structure

    @inline(__always) private func byte(_ k: Int) -> UInt8 { p[k] }

    @inline(__always) private mutating func skipSpace() {
        // Only space and tab: a raw CR or LF changes `raw` (decode keeps such lines compact).
        while i < n, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
    }

    @inline(__always) private mutating func expect(_ c: UInt8) throws(RecordScanFallback) {
        guard i < n, p[i] == c else { throw RecordScanFallback() }
        i += 1
    }

    private mutating func scanTop() throws(RecordScanFallback) {
        skipSpace()
        try expect(UInt8(ascii: "{"))
        skipSpace()
        guard i < n else { throw RecordScanFallback() }
        if p[i] != UInt8(ascii: "}") {
            while true {
                skipSpace()
                let key = try keySpan()
                skipSpace()
                try expect(UInt8(ascii: ":"))
                skipSpace()
                guard i < n else { throw RecordScanFallback() }
                try topValue(keyStart: key.start, keyLength: key.end - key.start)
                if try moreElements(closing: UInt8(ascii: "}")) { continue }
                break
            }
        } else {
            i += 1
        }
        skipSpace()
        guard i == n else { throw RecordScanFallback() }
    }

    /// An object key; escaped keys (which could spell a key we look for) go to the full decoder.
    @inline(__always) private mutating func keySpan() throws(RecordScanFallback) -> ByteSpan {
        guard i < n, p[i] == UInt8(ascii: "\"") else { throw RecordScanFallback() }
        let s = try string()
        if s.escaped { throw RecordScanFallback() }
        return s
    }

    @inline(__always) private func key(_ start: Int, _ length: Int, is literal: StaticString) -> Bool {
        length == literal.utf8CodeUnitCount && memcmp(p + start, literal.utf8Start, length) == 0
    }

    @inline(__always) private mutating func markTop(_ bit: UInt32) throws(RecordScanFallback) {
        if seenTop & bit != 0 { throw RecordScanFallback() }
        seenTop |= bit
    }

    private mutating func topValue(keyStart s: Int, keyLength l: Int) throws(RecordScanFallback) {
        switch l {
        case 4:
            if key(s, l, is: "rule") { try markTop(1); rule = try requiredString(); return }
            if key(s, l, is: "time") { try markTop(2); time = try requiredString(); return }
            if key(s, l, is: "tags") { try markTop(4); try tags(); return }
        case 6:
            if key(s, l, is: "output") { try markTop(8); output = try optionalString(); return }
            if key(s, l, is: "source") { try markTop(16); source = try optionalString(); return }
        case 8:
            if key(s, l, is: "priority") { try markTop(32); priority = try requiredString(); return }
            if key(s, l, is: "hostname") { try markTop(64); hostname = try optionalString(); return }
        case 13:
            if key(s, l, is: "output_fields") {
                try markTop(128)
                if p[i] == UInt8(ascii: "n") { try literal("null"); return }
                guard p[i] == UInt8(ascii: "{") else { throw RecordScanFallback() }
                try outputFields()
                return
            }
        default: break
        }
        try skipValue(depth: 1)
    }

    private mutating func requiredString() throws(RecordScanFallback) -> ByteSpan {
        guard p[i] == UInt8(ascii: "\"") else { throw RecordScanFallback() }
        return try string()
    }

    /// A string, or null (an absent span).
    private mutating func optionalString() throws(RecordScanFallback) -> ByteSpan {
        if p[i] == UInt8(ascii: "\"") { return try string() }
        if p[i] == UInt8(ascii: "n") { try literal("null"); return ByteSpan() }
        throw RecordScanFallback()
    }

    /// `tags`: null or an array of strings (decode refuses anything else).
    private mutating func tags() throws(RecordScanFallback) {
        if p[i] == UInt8(ascii: "n") { try literal("null"); return }
        try expect(UInt8(ascii: "["))
        skipSpace()
        guard i < n else { throw RecordScanFallback() }
        if p[i] == UInt8(ascii: "]") { i += 1; return }
        while true {
            skipSpace()
            guard i < n, p[i] == UInt8(ascii: "\"") else { throw RecordScanFallback() }
            _ = try string()
            if try moreElements(closing: UInt8(ascii: "]")) { continue }
            return
        }
    }

    @inline(__always) private mutating func markField(_ bit: UInt32) throws(RecordScanFallback) {
        if seenField & bit != 0 { throw RecordScanFallback() }
        seenField |= bit
    }

    /// `output_fields`: picks out the fields behind container, process and user.
    private mutating func outputFields() throws(RecordScanFallback) {
        i += 1
        skipSpace()
        guard i < n else { throw RecordScanFallback() }
        if p[i] == UInt8(ascii: "}") { i += 1; return }
        while true {
            skipSpace()
            let k = try keySpan()
            skipSpace()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            guard i < n else { throw RecordScanFallback() }
            // A switch on the key's length, not a table of key paths: the table was measurably
            // slower (`tradsec bench ingest`, parse (record)).
            let s = k.start, l = k.end - k.start
            switch l {
            case 9:
                if key(s, l, is: "proc.name") { try markField(1); procName = try optionalString() }
                else if key(s, l, is: "user.name") { try markField(2); userName = try optionalString() }
                else { try skipValue(depth: 2) }
            case 12:
                if key(s, l, is: "container.id") { try markField(4); containerID = try optionalString() }
                else { try skipValue(depth: 2) }
            case 14:
                if key(s, l, is: "container.name") { try markField(8); containerName = try optionalString() }
                else if key(s, l, is: "user.loginname") { try markField(16); userLoginName = try optionalString() }
                else { try skipValue(depth: 2) }
            case 15:
                if key(s, l, is: "container.image") { try markField(32); containerImage = try optionalString() }
                else { try skipValue(depth: 2) }
            case 19:
                if key(s, l, is: "container.image.tag") { try markField(64); imageTag = try optionalString() }
                else { try skipValue(depth: 2) }
            case 26:
                if key(s, l, is: "container.image.repository") { try markField(128); imageRepository = try optionalString() }
                else { try skipValue(depth: 2) }
            default:
                try skipValue(depth: 2)
            }
            if try moreElements(closing: UInt8(ascii: "}")) { continue }
            return
        }
    }

    // MARK: - Values (validated, skipped)

    private mutating func skipValue(depth: Int) throws(RecordScanFallback) {
        switch p[i] {
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "{"): try skipObject(depth: depth + 1)
        case UInt8(ascii: "["): try skipArray(depth: depth + 1)
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw RecordScanFallback()
        }
    }

    private mutating func skipObject(depth: Int) throws(RecordScanFallback) {
        if depth > RecordScanner.maxDepth { throw RecordScanFallback() }
        i += 1
        skipSpace()
        guard i < n else { throw RecordScanFallback() }
        if p[i] == UInt8(ascii: "}") { i += 1; return }
        while true {
            skipSpace()
            guard i < n, p[i] == UInt8(ascii: "\"") else { throw RecordScanFallback() }
            _ = try string()   // nested keys are not looked at, escaped or not
            skipSpace()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            guard i < n else { throw RecordScanFallback() }
            try skipValue(depth: depth)
            if try moreElements(closing: UInt8(ascii: "}")) { continue }
            return
        }
    }

    private mutating func skipArray(depth: Int) throws(RecordScanFallback) {
        if depth > RecordScanner.maxDepth { throw RecordScanFallback() }
        i += 1
        skipSpace()
        guard i < n else { throw RecordScanFallback() }
        if p[i] == UInt8(ascii: "]") { i += 1; return }
        while true {
            skipSpace()
            guard i < n else { throw RecordScanFallback() }
            try skipValue(depth: depth)
            if try moreElements(closing: UInt8(ascii: "]")) { continue }
            return
        }
    }

    /// After an object member or array element: true at a comma (another follows), false at
    /// the closing bracket; anything else goes to the full decoder.
    @inline(__always) private mutating func moreElements(closing: UInt8) throws(RecordScanFallback) -> Bool {
        skipSpace()
        guard i < n else { throw RecordScanFallback() }
        let c = p[i]
        i += 1
        if c == UInt8(ascii: ",") { return true }
        if c == closing { return false }
        throw RecordScanFallback()
    }

    @inline(__always) private mutating func literal(_ word: StaticString) throws(RecordScanFallback) {
        let l = word.utf8CodeUnitCount
        guard n - i >= l, memcmp(p + i, word.utf8Start, l) == 0 else { throw RecordScanFallback() }
        i += l
    }

    /// RFC 8259 number grammar. Integers that fit 64 bits are what the parser keeps exactly;
    /// anything else it hands to `Double(_:)`, so that is asked here too (rare in alerts).
    private mutating func number() throws(RecordScanFallback) {
        let start = i
        if p[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n, p[i] >= 0x30, p[i] <= 0x39 else { throw RecordScanFallback() }
        let digitsStart = i
        if p[i] == 0x30 {
            i += 1
            if i < n, p[i] >= 0x30, p[i] <= 0x39 { throw RecordScanFallback() }
        } else {
            while i < n, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
        }
        var isInteger = true
        if i < n, p[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard i < n, p[i] >= 0x30, p[i] <= 0x39 else { throw RecordScanFallback() }
            while i < n, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
        }
        if i < n, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
            isInteger = false
            i += 1
            if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            guard i < n, p[i] >= 0x30, p[i] <= 0x39 else { throw RecordScanFallback() }
            while i < n, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
        }
        // Up to 20 digits the parser keeps an integer, or reads it as a finite double.
        if isInteger && i - digitsStart <= 20 { return }
        let text = String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
        if Double(text) == nil { throw RecordScanFallback() }
    }

    // MARK: - Strings

    /// A string at `p[i] == '"'`: validated (escapes, control characters), ASCII only.
    @inline(__always) private mutating func string() throws(RecordScanFallback) -> ByteSpan {
        i += 1
        let start = i
        var escaped = false
        while true {
            // To the first quote, backslash, control or non-ASCII byte, 16 bytes a step (C: SSE2).
            i = tradsec_first_special(p, i, n)
            guard i < n else { throw RecordScanFallback() }
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return ByteSpan(start: start, end: i - 1, escaped: escaped)
            }
            // Otherwise a backslash, or a control or non-ASCII byte: those go to the full decoder.
            guard c == UInt8(ascii: "\\") else { throw RecordScanFallback() }
            escaped = true
            try escape()
        }
    }

    /// Validates one escape at `p[i] == '\\'` as the parser does (paired surrogates only).
    private mutating func escape() throws(RecordScanFallback) {
        guard i + 1 < n else { throw RecordScanFallback() }
        switch p[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            i += 2
        case UInt8(ascii: "u"):
            let v = try hex4(at: i + 2)
            i += 6
            if v >= 0xD800 && v < 0xDC00 {
                guard i + 1 < n, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else { throw RecordScanFallback() }
                let low = try hex4(at: i + 2)
                guard low >= 0xDC00 && low < 0xE000 else { throw RecordScanFallback() }
                i += 6
            } else if v >= 0xDC00 && v < 0xE000 {
                throw RecordScanFallback()
            }
        default:
            throw RecordScanFallback()
        }
    }

    @inline(__always) private func hex4(at k: Int) throws(RecordScanFallback) -> UInt32 {
        guard n - k >= 4 else { throw RecordScanFallback() }
        var v: UInt32 = 0
        for j in k..<(k + 4) {
            guard let d = RecordScanner.hexValue(p[j]) else { throw RecordScanFallback() }
            v = v << 4 | d
        }
        return v
    }

    @inline(__always) static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - 48)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - 87)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - 55)
        default: return nil
        }
    }

    /// Writes a span's bytes to `out`, escapes decoded (the scanner has validated them);
    /// returns how many. Decoding never lengthens: "\n" is 2 bytes for 1, "\uXXXX" 6 for at
    /// most 3, a pair 12 for 4; so `out` needs room for the span's length.
    private func decoded(_ s: ByteSpan, to out: UnsafeMutablePointer<UInt8>) -> Int {
        if !s.escaped {
            out.initialize(from: p + s.start, count: s.end - s.start)
            return s.end - s.start
        }
        var o = 0
        var k = s.start
        while k < s.end {
            let c = p[k]
            if c != UInt8(ascii: "\\") { out[o] = c; o += 1; k += 1; continue }
            let e = p[k + 1]
            k += 2
            switch e {
            case UInt8(ascii: "b"): out[o] = 0x08
            case UInt8(ascii: "f"): out[o] = 0x0C
            case UInt8(ascii: "n"): out[o] = 0x0A
            case UInt8(ascii: "r"): out[o] = 0x0D
            case UInt8(ascii: "t"): out[o] = 0x09
            case UInt8(ascii: "u"):
                var v = hex(k)
                k += 4
                if v >= 0xD800 && v < 0xDC00 {
                    v = 0x10000 + ((v - 0xD800) << 10) + (hex(k + 2) - 0xDC00)
                    k += 6
                }
                for b in UTF8.encode(Unicode.Scalar(v)!)! { out[o] = b; o += 1 }
                continue
            default: out[o] = e   // " \ /
            }
            o += 1
        }
        return o
    }

    /// The string a span holds, escapes decoded.
    private func text(of s: ByteSpan) -> String {
        String(unsafeUninitializedCapacity: max(s.end - s.start, 1)) { decoded(s, to: $0.baseAddress!) }
    }

    private func hex(_ k: Int) -> UInt32 {
        var v: UInt32 = 0
        for j in k..<(k + 4) { v = v << 4 | RecordScanner.hexValue(p[j])! }
        return v
    }

    // MARK: - Entry

    private func build(into batch: inout AlertBatch) throws(RecordScanFallback) {
        guard rule.isPresent, priority.isPresent, time.isPresent else { throw RecordScanFallback() }
        guard let priority = parsePriority(priority) else { throw RecordScanFallback() }
        guard let time = parseTime(time) else { throw RecordScanFallback() }

        // Nothing can fail from here: the batch only grows.
        let base = batch.appendBytes(p, count: n)
        /// A string value where it is in the line, or decoded after it when it has escapes.
        func text(_ s: ByteSpan) -> AlertBatch.Span {
            guard s.isPresent else { return .none }
            if !s.escaped { return AlertBatch.Span(start: base + s.start, count: s.end - s.start) }
            return batch.appendBytes(capacity: s.end - s.start) { decoded(s, to: $0) }
        }
        func displayText(_ s: ByteSpan) -> AlertBatch.Span {
            let span = text(s)
            // `Alert.text(_:)`: absent, null, "" and "<NA>" are no value.
            return span.count <= 0 || batch.span(span, is: "<NA>") ? .none : span
        }
        let hostname = text(self.hostname)

        // Alert.container, field for field.
        let name = displayText(containerName)
        var id = displayText(containerID)
        if !id.isPresent, name.isPresent, !batch.span(name, is: "host") { id = name }
        let container: (id: AlertBatch.Span, name: AlertBatch.Span, image: AlertBatch.Span)
        if id.isPresent, !batch.span(id, is: "host") {
            var image: AlertBatch.Span
            let repository = displayText(imageRepository)
            if repository.isPresent {
                image = repository
                if displayText(imageTag).isPresent {
                    // `repository + ":" + tag`, decoded again in one piece.
                    let (r, t) = (imageRepository, imageTag)
                    image = batch.appendBytes(capacity: (r.end - r.start) + 1 + (t.end - t.start)) { out in
                        let written = decoded(r, to: out)
                        out[written] = UInt8(ascii: ":")
                        return written + 1 + decoded(t, to: out + written + 1)
                    }
                }
            } else {
                image = displayText(containerImage)
            }
            container = (id, name.isPresent ? name : id, image)
        } else {
            container = (AlertBatch.hostText, hostname.isPresent ? hostname : AlertBatch.hostText, .none)
        }
        let output = self.output.isPresent ? text(self.output) : AlertBatch.Span(start: base, count: 0)
        var user = displayText(userName)
        if !user.isPresent { user = displayText(userLoginName) }
        batch.append(AlertBatch.Entry(time: time, priority: priority, raw: AlertBatch.Span(start: base, count: n), rule: text(rule),
                                      output: output, source: text(source), hostname: hostname, containerID: container.id,
                                      containerName: container.name, containerImage: container.image,
                                      processName: displayText(procName), userName: user))
    }

    /// `Priority(name:)` without building the string: ASCII letters compared case-insensitively.
    private func parsePriority(_ s: ByteSpan) -> Priority? {
        if s.escaped { return Priority(name: text(of: s)) }
        let l = s.end - s.start
        @inline(__always) func equals(_ name: StaticString) -> Bool {
            guard l == name.utf8CodeUnitCount else { return false }
            let w = name.utf8Start
            for k in 0..<l where p[s.start + k] | 0x20 != w[k] { return false }   // names are all letters
            return true
        }
        switch l {
        case 4: return equals("info") ? .informational : nil
        case 5: return equals("alert") ? .alert : equals("error") ? .error : equals("debug") ? .debug : nil
        case 6: return equals("notice") ? .notice : nil
        case 7: return equals("warning") ? .warning : nil
        case 8: return equals("critical") ? .critical : nil
        case 9: return equals("emergency") ? .emergency : nil
        case 13: return equals("informational") ? .informational : nil
        default: return nil
        }
    }

    /// `Timestamp(rfc3339:)`; Falco's own form (`2024-05-01T10:00:00.123456789Z`) is read
    /// in place, any other spelling is handed to it.
    /// Nil (the full decoder then gives the rejection) when it is not a time or outside
    /// ``Timestamp/alertRange``.
    private func parseTime(_ s: ByteSpan) -> Timestamp? {
        let time = !s.escaped ? canonicalTime(s.start, s.end) ?? Timestamp(rfc3339: text(of: s)) : Timestamp(rfc3339: text(of: s))
        guard let time, Timestamp.alertRange.contains(time) else { return nil }
        return time
    }

    private func canonicalTime(_ start: Int, _ end: Int) -> Timestamp? {
        // YYYY-MM-DDTHH:MM:SS then optional .fraction, then Z
        guard end - start >= 20 else { return nil }
        var k = start
        func digits(_ count: Int) -> Int64? {
            var v: Int64 = 0
            for j in k..<(k + count) {
                let c = p[j]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int64(c - 0x30)
            }
            k += count
            return v
        }
        func at(_ c: UInt8) -> Bool {
            guard p[k] == c else { return false }
            k += 1
            return true
        }
        guard let y = digits(4), at(0x2D), let mo = digits(2), at(0x2D), let d = digits(2), at(UInt8(ascii: "T")),
              let h = digits(2), at(0x3A), let mi = digits(2), at(0x3A), let ss = digits(2) else { return nil }
        guard (1...12).contains(mo), d >= 1, d <= Timestamp.daysIn(month: mo, year: y), h < 24, mi < 60, ss <= 60 else {
            return nil
        }
        var nanos: Int64 = 0
        if p[k] == UInt8(ascii: ".") {
            k += 1
            var count = 0
            while k < end, p[k] >= 0x30, p[k] <= 0x39 {
                if count < 9 { nanos = nanos * 10 + Int64(p[k] - 0x30) }
                count += 1
                k += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 9) { nanos *= 10 }
        }
        guard k == end - 1, p[k] == UInt8(ascii: "Z") else { return nil }
        return Timestamp(days: Timestamp.days(fromCivil: y, mo, d), secondOfDay: h * 3600 + mi * 60 + ss, nanoseconds: nanos)
    }
}
