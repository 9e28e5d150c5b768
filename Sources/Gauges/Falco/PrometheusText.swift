/// The Prometheus text exposition format (version 0.0.4), parsed properly: HELP and TYPE
/// lines, label sets with escaped values, special float values, optional timestamps.
/// Falco repeats HELP/TYPE before every sample of a family; that is accepted.
///
/// A line that does not parse is skipped and listed in ``problems``; the rest is kept. One odd
/// line from a plugin must not hide Falco's drop counters, which are the gauge that matters.
public struct PrometheusText: Sendable {
    public struct Sample: Equatable, Sendable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
        public var timestamp: Int64?
    }

    public var samples: [Sample] = []
    /// Metric family name → counter, gauge, histogram, summary, untyped.
    public var types: [String: String] = [:]
    public var help: [String: String] = [:]
    /// The lines that were skipped, and why: the first ``maxProblemsKept`` of them.
    public var problems: [ParseError] = []
    /// How many lines were skipped in all.
    public var problemCount = 0

    /// The endpoint is not trusted: a page of millions of tiny or broken lines must not cost
    /// memory in proportion (each sample or problem costs far more than its line). Falco's
    /// page has a few hundred samples.
    public static let maxSamples = 50_000
    public static let maxProblemsKept = 100

    /// A line that was skipped, and why.
    public struct ParseError: Error, CustomStringConvertible, Equatable, Sendable {
        public var line: Int
        public var kind: Kind
        public var reason: String { kind.description }
        public var description: String { "metrics line \(line): \(reason)" }
    }

    /// What was wrong with a line. Text from the page is carried as ``quoted(_:)`` made it:
    /// quoted and cut short.
    public enum Kind: Equatable, Sendable, CustomStringConvertible {
        /// The page has more than `maxSamples` samples; this line and the rest are not read.
        case tooManySamples
        case invalidMetricName(String)
        case unknownMetricType(String)
        /// A second `# TYPE` for a name with another type (name, first type, second type).
        case conflictingType(String, first: String, then: String)
        case missingMetricName
        case unterminatedLabelSet
        case missingLabelName
        case missingEquals(label: String)
        case unquotedLabelValue(label: String)
        case unterminatedLabelValue
        case duplicateLabel(String)
        case missingLabelSeparator
        case missingValue(metric: String)
        case textAfterValue
        case notANumber(String)
        case notATimestamp(String)

        public var description: String {
            switch self {
            case .tooManySamples: "more than \(PrometheusText.maxSamples) samples: the rest of the page is not read"
            case .invalidMetricName(let name): "invalid metric name \(name)"
            case .unknownMetricType(let type): "unknown metric type \(type)"
            case .conflictingType(let name, let first, let then): "\(name) declared \(first) and then \(then)"
            case .missingMetricName: "expected a metric name"
            case .unterminatedLabelSet: "unterminated label set"
            case .missingLabelName: "expected a label name"
            case .missingEquals(let label): "expected '=' after label \(label)"
            case .unquotedLabelValue(let label): "label value of \(label) must be quoted"
            case .unterminatedLabelValue: "unexpected end of label value"
            case .duplicateLabel(let label): "label \(label) given twice"
            case .missingLabelSeparator: "expected ',' or '}' in label set"
            case .missingValue(let metric): "sample \(metric) has no value"
            case .textAfterValue: "unexpected text after the sample's value"
            case .notANumber(let text): "\(text) is not a number"
            case .notATimestamp(let text): "\(text) is not a timestamp (milliseconds)"
            }
        }
    }

    public init() {}

    /// Everything that parses; see ``problems`` for what did not.
    public static func parse(_ text: String) -> PrometheusText {
        var out = PrometheusText()
        var lineNumber = 0
        // "\r\n" is one Character in Swift: both kinds of line end must split.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.last == "\r" { line = line.dropLast() }
            let content = line.drop { $0 == " " || $0 == "\t" }
            if content.isEmpty { continue }
            if out.samples.count == maxSamples {
                out.skip(ParseError(line: lineNumber, kind: .tooManySamples))
                break
            }
            do throws(ParseError) {
                if content.first == "#" {
                    try out.parseComment(content, line: lineNumber)
                } else {
                    out.samples.append(try parseSample(Array(content.utf8), line: lineNumber))
                }
            } catch {
                out.skip(error)
            }
        }
        return out
    }

    private mutating func skip(_ problem: ParseError) {
        problemCount += 1
        if problems.count < Self.maxProblemsKept { problems.append(problem) }
    }

    /// Text from the page quoted in a problem, cut short: one long line must not become a long message.
    static func quoted<S: StringProtocol>(_ s: S) -> String {
        let cut = s.unicodeScalars.prefix(64)
        return "'" + String(String.UnicodeScalarView(cut)) + (cut.count < s.unicodeScalars.count ? "…'" : "'")
    }

    private mutating func parseComment(_ content: Substring, line: Int) throws(ParseError) {
        let words = content.dropFirst().split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard words.count >= 2, words[0] == "HELP" || words[0] == "TYPE" else { return }   // a plain comment
        let name = String(words[1])
        guard Self.isMetricName(name) else { throw ParseError(line: line, kind: .invalidMetricName(Self.quoted(name))) }
        let rest = words.count > 2 ? String(words[2]) : ""
        if words[0] == "TYPE" {
            guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(rest) else {
                throw ParseError(line: line, kind: .unknownMetricType(Self.quoted(rest)))
            }
            if let earlier = types[name], earlier != rest {
                throw ParseError(line: line, kind: .conflictingType(Self.quoted(name), first: earlier, then: rest))
            }
            types[name] = rest
        } else {
            help[name] = Self.unescape(rest)
        }
    }

    private static func parseSample(_ b: [UInt8], line: Int) throws(ParseError) -> Sample {
        var i = 0
        func fail(_ kind: Kind) -> ParseError { ParseError(line: line, kind: kind) }
        while i < b.count, isNameByte(b[i], first: i == 0) { i += 1 }
        let name = String(decoding: b[0..<i], as: UTF8.self)
        guard !name.isEmpty else { throw fail(.missingMetricName) }
        var labels: [String: String] = [:]
        if i < b.count, b[i] == UInt8(ascii: "{") {
            i += 1
            while true {
                while i < b.count, b[i] == UInt8(ascii: " ") { i += 1 }
                guard i < b.count else { throw fail(.unterminatedLabelSet) }
                if b[i] == UInt8(ascii: "}") { i += 1; break }
                let start = i
                while i < b.count, isLabelByte(b[i], first: i == start) { i += 1 }
                let label = String(decoding: b[start..<i], as: UTF8.self)
                guard !label.isEmpty else { throw fail(.missingLabelName) }
                while i < b.count, b[i] == UInt8(ascii: " ") { i += 1 }
                guard i < b.count, b[i] == UInt8(ascii: "=") else { throw fail(.missingEquals(label: quoted(label))) }
                i += 1
                while i < b.count, b[i] == UInt8(ascii: " ") { i += 1 }
                guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail(.unquotedLabelValue(label: quoted(label))) }
                i += 1
                var value: [UInt8] = []
                var closed = false
                while i < b.count {
                    let c = b[i]
                    if c == UInt8(ascii: "\\") {
                        guard i + 1 < b.count else { break }
                        switch b[i + 1] {
                        case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                        case UInt8(ascii: "\\"): value.append(UInt8(ascii: "\\"))
                        case UInt8(ascii: "\""): value.append(UInt8(ascii: "\""))
                        default: value.append(c); value.append(b[i + 1])   // kept as written
                        }
                        i += 2
                        continue
                    }
                    if c == UInt8(ascii: "\"") { closed = true; i += 1; break }
                    value.append(c)
                    i += 1
                }
                guard closed else { throw fail(.unterminatedLabelValue) }
                guard labels[label] == nil else { throw fail(.duplicateLabel(quoted(label))) }
                labels[label] = String(decoding: value, as: UTF8.self)
                while i < b.count, b[i] == UInt8(ascii: " ") { i += 1 }
                if i < b.count, b[i] == UInt8(ascii: ",") { i += 1; continue }
                guard i < b.count, b[i] == UInt8(ascii: "}") else { throw fail(.missingLabelSeparator) }
                i += 1
                break
            }
        }
        let rest = String(decoding: b[i...], as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard !rest.isEmpty else { throw fail(.missingValue(metric: quoted(name))) }
        guard rest.count <= 2 else { throw fail(.textAfterValue) }
        guard let value = parseValue(rest[0]) else { throw fail(.notANumber(quoted(rest[0]))) }
        var timestamp: Int64?
        if rest.count == 2 {
            guard let t = Int64(rest[1]) else { throw fail(.notATimestamp(quoted(rest[1]))) }
            timestamp = t
        }
        return Sample(name: name, labels: labels, value: value, timestamp: timestamp)
    }

    static func parseValue(_ s: Substring) -> Double? {
        switch s {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return Double(s)
        }
    }

    static func isNameByte(_ c: UInt8, first: Bool) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 || c == 58 || (!first && c >= 48 && c <= 57)
    }

    static func isLabelByte(_ c: UInt8, first: Bool) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 || (!first && c >= 48 && c <= 57)
    }

    static func isMetricName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.enumerated().allSatisfy { isNameByte($0.element, first: $0.offset == 0) }
    }

    /// HELP text escapes: `\\` and `\n`, read left to right (so `\\n` is a backslash and an n).
    static func unescape(_ s: String) -> String {
        var out = ""
        var escaped = false
        for c in s {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "\\": out.append("\\")
                default: out.append("\\"); out.append(c)   // unknown escape: kept as written
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        if escaped { out.append("\\") }
        return out
    }

    // MARK: - Reading values

    /// The sum of every sample named `name` (all label sets), or nil when there is none.
    public func sum(_ name: String) -> Double? {
        let values = samples.filter { $0.name == name }.map(\.value)
        return values.isEmpty ? nil : values.reduce(0, +)
    }
}

