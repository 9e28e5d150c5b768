import AlertStore
import TradsecCore

/// Turns a POST body into alerts: Falco's `http_output` (one JSON alert per request),
/// falcosidekick-style forwarding (the same object), JSON Lines (many alerts, one per line)
/// or a JSON array of alerts. Bad lines are refused with a reason; good ones are kept.
///
/// Memory stays a small multiple of the body: array items are found by structure and
/// decoded one at a time (never one tree for the whole body); the alerts kept may take at
/// most ``memoryFactor`` times the body, judged from each one's shape before it is parsed
/// (a JSON value costs tens of bytes in memory, and `[1,1,1,…]` spends two bytes on each);
/// every refused line is counted but only the first few are kept with their reason.
public enum PayloadDecoder {
    /// The alerts kept from one body may take this many times its size (estimated).
    public static let memoryFactor = 5
    /// Below this, a body's alerts are never refused for their memory: small requests are
    /// not where memory can be amplified.
    public static let memoryFloor = 64 << 10

    /// One refused line (or array item), with a short escaped excerpt for `tradsec rejects`.
    public struct Reject: Sendable {
        public var line: Int
        public var rejection: AlertRejection
        public var excerpt: String
    }

    public struct Decoded: Sendable {
        public var alerts: [Alert] = []
        /// The first refused lines, up to the limit given to ``decode(_:keepingRejects:)``.
        public var rejects: [Reject] = []
        /// Every refused line, kept or not.
        public var rejectCount = 0
        public var rejectsByCode: [AlertRejection.Code: Int] = [:]
        /// When nothing in the body could be an alert, why (the request gets a 400).
        public var fatal: String?
        /// How many refused lines to keep with their reason.
        var keep = 0
        /// What the kept alerts may take in memory (estimated), and what they take so far.
        var budget = Int.max
        var cost = 0

        public init() {}

        /// Decodes one alert from `item` unless its estimated memory passes the budget.
        mutating func take(_ item: UnsafeRawBufferPointer, line: Int) {
            let (itemCost, values) = PayloadDecoder.estimatedCost(item)
            guard itemCost <= budget - cost else {
                reject(AlertRejection(.tooLong, "alert of \(item.count) bytes holds \(values) JSON values: decoded it would pass the memory allowed for one request (\(PayloadDecoder.memoryFactor)× its size); send fewer values per alert, or fewer alerts per request"),
                       line: line, text: item)
                return
            }
            do throws(AlertRejection) {
                alerts.append(try AlertDecoder.decode(line: item))
                cost += itemCost
            } catch {
                reject(error, line: line, text: item)
            }
        }

        mutating func reject(_ rejection: AlertRejection, line: Int, text: UnsafeRawBufferPointer) {
            rejectCount += 1
            rejectsByCode[rejection.code, default: 0] += 1
            guard rejects.count < keep else { return }
            let excerpt = TerminalSafe.escape(String(decoding: text.prefix(Self.excerptBytes), as: UTF8.self))
            rejects.append(Reject(line: line, rejection: rejection, excerpt: excerpt))
        }

        static let excerptBytes = 256
    }

    /// What the alerts kept from `body` may take in memory (estimated).
    static func budget(for body: UnsafeRawBufferPointer) -> Int {
        max(body.count.multipliedReportingOverflow(by: memoryFactor).partialValue, memoryFloor)
    }

    public static func decode(_ body: UnsafeRawBufferPointer, keepingRejects keep: Int = 100) -> Decoded {
        var out = Decoded()
        out.keep = keep
        out.budget = budget(for: body)
        var start = 0
        while start < body.count, isSpace(body[start]) { start += 1 }
        guard start < body.count else {
            out.fatal = "empty body: expected a Falco JSON alert, JSON Lines or a JSON array of alerts"
            return out
        }
        switch body[start] {
        case UInt8(ascii: "["):
            decodeArray(body, openingAt: start, into: &out)
        case UInt8(ascii: "{"):
            // The common case, Falco's http_output: the whole body is one alert.
            let whole = trimmed(body)
            if estimatedCost(whole).bytes > out.budget {
                // Too much for one alert: JSON Lines, or refused as too large.
                if hasLineBreakBetweenValues(body) { decodeLines(body, into: &out) } else { out.take(whole, line: 1) }
                break
            }
            do throws(AlertRejection) {
                out.alerts.append(try AlertDecoder.decode(line: whole))
            } catch let rejection {
                if rejection.code == .notJSON, hasLineBreakBetweenValues(body) {
                    decodeLines(body, into: &out)
                } else {
                    out.reject(rejection, line: 1, text: whole)
                }
            }
        default:
            out.fatal = "not JSON: tradsec expects Falco's JSON alerts (set json_output: true in falco.yaml)"
        }
        return out
    }

    /// Falco's `http_output` body, decoded only for the history: true when `body` is one alert
    /// that ``decode(_:keepingRejects:)`` would give alone, with nothing refused; it is then
    /// added to `batch`, exactly as its record. Anything else gives false and leaves the batch
    /// as it was, and the caller decodes the body with ``decode(_:keepingRejects:)``: JSON
    /// Lines, an array, a refusal, a cost past the budget, and also an alert the one-pass scan
    /// leaves to the whole decoder (non-ASCII text, escapes, line breaks), so that it is not
    /// decoded whole twice.
    public static func oneAlert(_ body: UnsafeRawBufferPointer, into batch: inout AlertBatch) -> Bool {
        var start = 0
        while start < body.count, isSpace(body[start]) { start += 1 }
        guard start < body.count, body[start] == UInt8(ascii: "{") else { return false }
        let whole = trimmed(body)
        guard estimatedCost(whole).bytes <= budget(for: body) else { return false }
        return AlertDecoder.scanRecord(line: whole, into: &batch)
    }

    /// Each item on its own: a broken array (truncated, say) keeps the alerts and rejects
    /// before the break, and the break is reported as the next item's rejection; with no item
    /// before it, the body is refused as not JSON.
    private static func decodeArray(_ body: UnsafeRawBufferPointer, openingAt start: Int, into out: inout Decoded) {
        var items = JSONArrayItems(body, openingAt: start)
        var number = 0
        while true {
            switch items.next() {
            case .item(let range):
                number += 1
                out.take(UnsafeRawBufferPointer(rebasing: body[range]), line: number)
            case .end:
                return
            case .broken(let reason, let offset):
                let message = "not JSON: \(reason) at byte \(offset)"
                if out.alerts.isEmpty && out.rejectCount == 0 {
                    // Nothing before the break: the body as a whole is not JSON.
                    out.fatal = message
                } else {
                    let rest = UnsafeRawBufferPointer(rebasing: body[min(offset, body.count)...])
                    out.reject(AlertRejection(.notJSON, message), line: number + 1, text: rest)
                }
                return
            }
        }
    }

    private static func decodeLines(_ body: UnsafeRawBufferPointer, into out: inout Decoded) {
        var lineStart = 0
        var number = 0
        for i in 0...body.count where i == body.count || body[i] == 0x0A {
            number += 1
            let line = UnsafeRawBufferPointer(rebasing: body[lineStart..<i])
            lineStart = i + 1
            if line.allSatisfy(isSpace) { continue }
            out.take(line, line: number)
        }
    }

    /// An upper bound of what an alert decoded from `item` keeps in memory: its text twice
    /// (the raw line, and the strings parsed out of it), and a table slot (a value and its
    /// key) per JSON value, counted by the separators and brackets outside strings.
    static func estimatedCost(_ item: UnsafeRawBufferPointer) -> (bytes: Int, values: Int) {
        var values = 1
        var scanner = JSONByteScanner(item)
        while !scanner.isAtEnd {
            switch scanner.current {
            case UInt8(ascii: "\""):
                // Past the closing quote, or to the end of an unterminated string.
                try? scanner.skipStringStructure()
                continue
            case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "{"):
                values += 1
            default:
                break
            }
            scanner.position += 1
        }
        return (item.count &* 2 &+ values &* slotBytes, values)
    }

    /// A parsed value (24 bytes) and its key (16), as ``JSONObject`` stores them.
    static let slotBytes = 40

    /// JSON Lines rather than one pretty-printed object: a line break right after a closing brace.
    private static func hasLineBreakBetweenValues(_ body: UnsafeRawBufferPointer) -> Bool {
        var previous: UInt8 = 0
        for byte in body {
            if byte == 0x0A, previous == UInt8(ascii: "}") { return true }
            if !isSpace(byte) || byte == 0x0A { previous = byte == 0x0A ? previous : byte }
        }
        return false
    }

    private static func trimmed(_ body: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var end = body.count
        while end > 0, isSpace(body[end - 1]) { end -= 1 }
        var start = 0
        while start < end, isSpace(body[start]) { start += 1 }
        return UnsafeRawBufferPointer(rebasing: body[start..<end])
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
}

/// The items of a top-level JSON array, found by structure alone (``JSONByteScanner``'s
/// structure-only steps: brackets counted outside strings). Each item is then parsed strictly on
/// its own (``AlertDecoder``), so an item this scanner cuts wrongly can only be one that is not
/// valid JSON, and is refused as such.
struct JSONArrayItems {
    enum Step: Equatable {
        case item(Range<Int>)
        case end
        case broken(String, at: Int)
    }

    private var scanner: JSONByteScanner
    private var first = true
    private var done = false

    init(_ bytes: UnsafeRawBufferPointer, openingAt start: Int) {
        scanner = JSONByteScanner(bytes)
        scanner.position = start + 1
    }

    mutating func next() -> Step {
        guard !done else { return .end }
        scanner.skipWhitespace()
        guard !scanner.isAtEnd else { return stop("unterminated array (truncated JSON?)") }
        if first {
            first = false
            if scanner.take(UInt8(ascii: "]")) { return close() }
        } else if scanner.take(UInt8(ascii: "]")) {
            return close()
        } else if scanner.take(UInt8(ascii: ",")) {
            scanner.skipWhitespace()
            guard !scanner.isAtEnd else { return stop("unterminated array (truncated JSON?)") }
            if scanner.current == UInt8(ascii: "]") { return stop("trailing comma in array") }
        } else {
            return stop("expected ',' or ']' after an array item")
        }
        return item()
    }

    private mutating func item() -> Step {
        let start = scanner.position
        switch scanner.current {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            do throws(JSONParseError) {
                try scanner.skipContainerStructure()
            } catch {
                return stop(error.kind == .unterminatedString ? "unterminated string (truncated JSON?)"
                                                              : "unterminated array item (truncated JSON?)", at: start)
            }
        case UInt8(ascii: "\""):
            do throws(JSONParseError) {
                try scanner.skipStringStructure()
            } catch {
                return stop("unterminated string (truncated JSON?)", at: start)
            }
        case UInt8(ascii: ","):
            return stop("missing array item")
        default:
            // A number or a literal: up to the next separator (refused as an alert anyway).
            while !scanner.isAtEnd, scanner.current != UInt8(ascii: ","), scanner.current != UInt8(ascii: "]"),
                  !PayloadDecoder.isSpace(scanner.current) {
                scanner.position += 1
            }
        }
        return .item(start..<scanner.position)
    }

    private mutating func close() -> Step {
        scanner.skipWhitespace()
        return scanner.isAtEnd ? stop(nil) : stop("unexpected text after the array")
    }

    private mutating func stop(_ reason: String?, at offset: Int? = nil) -> Step {
        done = true
        guard let reason else { return .end }
        return .broken(reason, at: offset ?? scanner.position)
    }
}
