#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scanner gives up: the line goes to the full decoder.
struct RecordScanFallback: Error {}

/// One pass over an alert line for ``AlertDecoder/decodeRecord(line:)``: picks the values of
/// the history's indexed fields out of the line, on ``JSONByteScanner``.
///
/// Accepts only lines that ``JSONParser`` accepts and that decode to an alert; gives up
/// (``RecordScanFallback``) whenever it is not sure, never guesses.
struct RecordScanner {
    typealias Extent = JSONByteScanner.StringExtent

    private var json: JSONByteScanner
    private var p: UnsafePointer<UInt8> { json.base }
    private var n: Int { json.end }

    /// Top-level keys already seen (bit per key), so a duplicate goes to the full decoder.
    private var seenTop: UInt32 = 0
    private var seenField: UInt32 = 0

    /// A string value's extent in the line; nil: none (the key is absent or null).
    private var rule: Extent?, priority: Extent?, time: Extent?, output: Extent?
    private var source: Extent?, hostname: Extent?
    private var containerID: Extent?, containerName: Extent?, containerImage: Extent?
    private var imageRepository: Extent?, imageTag: Extent?
    private var procName: Extent?, userName: Extent?, userLoginName: Extent?

    /// Deeper than this goes to the full decoder (which allows ``JSONParser/maxDepth``).
    private static let maxDepth = 64

    init(base: UnsafeRawPointer, count: Int) {
        // Lines are byte buffers; reading them as UInt8 is always valid. A raw CR or LF between
        // tokens would change `raw` (decode keeps such lines compact): not whitespace here.
        json = JSONByteScanner(base: base.assumingMemoryBound(to: UInt8.self), count: count, lineBreaksAreWhitespace: false)
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

    // One step of the byte scanner each; any JSON error sends the line to the full decoder.

    @inline(__always) private mutating func open(depth: Int) throws(RecordScanFallback) -> Bool {
        do { return try json.openContainer(depth: depth, maxDepth: Self.maxDepth) } catch { throw RecordScanFallback() }
    }

    @inline(__always) private mutating func more(closing: UInt8) throws(RecordScanFallback) -> Bool {
        do { return try json.nextElement(closing: closing) } catch { throw RecordScanFallback() }
    }

    @inline(__always) private mutating func string() throws(RecordScanFallback) -> Extent {
        do { return try json.scanString() } catch { throw RecordScanFallback() }
    }

    private mutating func null() throws(RecordScanFallback) {
        do { try json.expectLiteral("null") } catch { throw RecordScanFallback() }
    }

    private mutating func skipValue(depth: Int) throws(RecordScanFallback) {
        do { try json.skipValue(depth: depth, maxDepth: Self.maxDepth) } catch { throw RecordScanFallback() }
    }

    /// An object key and its colon; escaped keys (which could spell a key we look for) go to the full decoder.
    @inline(__always) private mutating func key() throws(RecordScanFallback) -> Extent {
        let key: Extent
        do { key = try json.memberKey() } catch { throw RecordScanFallback() }
        guard key.isVerbatimASCII else { throw RecordScanFallback() }
        return key
    }

    private mutating func scanTop() throws(RecordScanFallback) {
        json.skipWhitespace()
        guard json.current == UInt8(ascii: "{") else { throw RecordScanFallback() }
        if try open(depth: 1) {
            repeat {
                try topValue(key: try key())
            } while try more(closing: UInt8(ascii: "}"))
        }
        json.skipWhitespace()
        // Non-ASCII text anywhere (its UTF-8 unchecked here) goes to the full decoder.
        guard json.isAtEnd, !json.sawNonASCII else { throw RecordScanFallback() }
    }

    @inline(__always) private func key(_ k: Extent, is literal: StaticString) -> Bool {
        k.count == literal.utf8CodeUnitCount && memcmp(p + k.start, literal.utf8Start, k.count) == 0
    }

    @inline(__always) private mutating func markTop(_ bit: UInt32) throws(RecordScanFallback) {
        if seenTop & bit != 0 { throw RecordScanFallback() }
        seenTop |= bit
    }

    private mutating func topValue(key k: Extent) throws(RecordScanFallback) {
        switch k.count {
        case 4:
            if key(k, is: "rule") { try markTop(1); rule = try requiredString(); return }
            if key(k, is: "time") { try markTop(2); time = try requiredString(); return }
            if key(k, is: "tags") { try markTop(4); try tags(); return }
        case 6:
            if key(k, is: "output") { try markTop(8); output = try optionalString(); return }
            if key(k, is: "source") { try markTop(16); source = try optionalString(); return }
        case 8:
            if key(k, is: "priority") { try markTop(32); priority = try requiredString(); return }
            if key(k, is: "hostname") { try markTop(64); hostname = try optionalString(); return }
        case 13:
            if key(k, is: "output_fields") {
                try markTop(128)
                if json.current == UInt8(ascii: "n") { try null(); return }
                guard json.current == UInt8(ascii: "{") else { throw RecordScanFallback() }
                try outputFields()
                return
            }
        default: break
        }
        try skipValue(depth: 1)
    }

    private mutating func requiredString() throws(RecordScanFallback) -> Extent {
        guard json.current == UInt8(ascii: "\"") else { throw RecordScanFallback() }
        return try string()
    }

    /// A string, or null (nil).
    private mutating func optionalString() throws(RecordScanFallback) -> Extent? {
        if json.current == UInt8(ascii: "\"") { return try string() }
        if json.current == UInt8(ascii: "n") { try null(); return nil }
        throw RecordScanFallback()
    }

    /// `tags`: null or an array of strings (decode refuses anything else).
    private mutating func tags() throws(RecordScanFallback) {
        if json.current == UInt8(ascii: "n") { try null(); return }
        guard json.current == UInt8(ascii: "[") else { throw RecordScanFallback() }
        guard try open(depth: 2) else { return }
        repeat {
            _ = try requiredString()
        } while try more(closing: UInt8(ascii: "]"))
    }

    @inline(__always) private mutating func markField(_ bit: UInt32) throws(RecordScanFallback) {
        if seenField & bit != 0 { throw RecordScanFallback() }
        seenField |= bit
    }

    /// `output_fields`: picks out the fields behind container, process and user.
    private mutating func outputFields() throws(RecordScanFallback) {
        guard try open(depth: 2) else { return }
        repeat {
            let k = try key()
            // A switch on the key's length, not a table of key paths: the table was measurably
            // slower (`tradsec bench ingest`, parse (record)).
            switch k.count {
            case 9:
                if key(k, is: "proc.name") { try markField(1); procName = try optionalString() }
                else if key(k, is: "user.name") { try markField(2); userName = try optionalString() }
                else { try skipValue(depth: 2) }
            case 12:
                if key(k, is: "container.id") { try markField(4); containerID = try optionalString() }
                else { try skipValue(depth: 2) }
            case 14:
                if key(k, is: "container.name") { try markField(8); containerName = try optionalString() }
                else if key(k, is: "user.loginname") { try markField(16); userLoginName = try optionalString() }
                else { try skipValue(depth: 2) }
            case 15:
                if key(k, is: "container.image") { try markField(32); containerImage = try optionalString() }
                else { try skipValue(depth: 2) }
            case 19:
                if key(k, is: "container.image.tag") { try markField(64); imageTag = try optionalString() }
                else { try skipValue(depth: 2) }
            case 26:
                if key(k, is: "container.image.repository") { try markField(128); imageRepository = try optionalString() }
                else { try skipValue(depth: 2) }
            default:
                try skipValue(depth: 2)
            }
        } while try more(closing: UInt8(ascii: "}"))
    }

    /// The string an extent holds, escapes decoded (nil: not UTF-8, which the scan already refused).
    private func text(of e: Extent) -> String? {
        try? json.decodedString(e)
    }

    // MARK: - Entry

    private func build(into batch: inout AlertBatch) throws(RecordScanFallback) {
        guard let rule, let priority, let time else { throw RecordScanFallback() }
        guard let priority = parsePriority(priority) else { throw RecordScanFallback() }
        guard let time = parseTime(time) else { throw RecordScanFallback() }

        // Nothing can fail from here: the batch only grows.
        let base = batch.appendBytes(p, count: n)
        /// A string value where it is in the line, or decoded after it when it has escapes.
        func text(_ e: Extent?) -> AlertBatch.Span {
            guard let e else { return .none }
            if !e.hasEscapes { return AlertBatch.Span(start: base + e.start, count: e.count) }
            return batch.appendBytes(capacity: e.count) { json.decode(e, to: $0) }
        }
        func displayText(_ s: Extent?) -> AlertBatch.Span {
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
                if displayText(imageTag).isPresent, let r = imageRepository, let t = imageTag {
                    // `repository + ":" + tag`, decoded again in one piece.
                    image = batch.appendBytes(capacity: r.count + 1 + t.count) { out in
                        let written = json.decode(r, to: out)
                        out[written] = UInt8(ascii: ":")
                        return written + 1 + json.decode(t, to: out + written + 1)
                    }
                }
            } else {
                image = displayText(containerImage)
            }
            container = (id, name.isPresent ? name : id, image)
        } else {
            container = (AlertBatch.hostText, hostname.isPresent ? hostname : AlertBatch.hostText, .none)
        }
        let output = self.output != nil ? text(self.output) : AlertBatch.Span(start: base, count: 0)
        var user = displayText(userName)
        if !user.isPresent { user = displayText(userLoginName) }
        batch.append(AlertBatch.Entry(time: time, priority: priority, raw: AlertBatch.Span(start: base, count: n), rule: text(rule),
                                      output: output, source: text(source), hostname: hostname, containerID: container.id,
                                      containerName: container.name, containerImage: container.image,
                                      processName: displayText(procName), userName: user))
    }

    /// `Priority(name:)` without building the string: ASCII letters compared case-insensitively.
    private func parsePriority(_ s: Extent) -> Priority? {
        if s.hasEscapes { return text(of: s).flatMap { Priority(name: $0) } }
        let l = s.count
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
    private func parseTime(_ s: Extent) -> Timestamp? {
        let time = (s.hasEscapes ? nil : canonicalTime(s.start, s.end)) ?? text(of: s).flatMap { Timestamp(rfc3339: $0) }
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
