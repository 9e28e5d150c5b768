import AlertStore
import TradsecCore

/// Turns a POST body into alerts: Falco's `http_output` (one JSON alert per request),
/// falcosidekick-style forwarding (the same object), JSON Lines (many alerts, one per line)
/// or a JSON array of alerts. Bad lines are refused with a reason; good ones are kept.
public enum PayloadDecoder {
    public struct Decoded: Sendable {
        public var alerts: [Alert] = []
        public var rejects: [(line: Int, rejection: AlertRejection)] = []
        /// When nothing in the body could be an alert, why (the request gets a 400).
        public var fatal: String?
    }

    public static func decode(_ body: UnsafeRawBufferPointer) -> Decoded {
        var out = Decoded()
        var start = 0
        while start < body.count, isSpace(body[start]) { start += 1 }
        guard start < body.count else {
            out.fatal = "empty body: expected a Falco JSON alert, JSON Lines or a JSON array of alerts"
            return out
        }
        switch body[start] {
        case UInt8(ascii: "["):
            decodeArray(body, into: &out)
        case UInt8(ascii: "{"):
            // The common case, Falco's http_output: the whole body is one alert.
            do throws(AlertRejection) {
                out.alerts.append(try AlertDecoder.decode(line: trimmed(body)))
            } catch let whole {
                if whole.code == .notJSON, hasLineBreakBetweenValues(body) {
                    decodeLines(body, into: &out)
                } else {
                    out.rejects.append((1, whole))
                }
            }
        default:
            out.fatal = "not JSON: tradsec expects Falco's JSON alerts (set json_output: true in falco.yaml)"
        }
        return out
    }

    private static func decodeArray(_ body: UnsafeRawBufferPointer, into out: inout Decoded) {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes: body) } catch {
            out.fatal = "not JSON: \(error)"
            return
        }
        guard let items = value.arrayValue else { out.fatal = "not JSON"; return }
        for (i, item) in items.enumerated() {
            do throws(AlertRejection) {
                out.alerts.append(try AlertDecoder.decode(value: item, raw: JSONWriter.string(item)))
            } catch {
                out.rejects.append((i + 1, error))
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
            do throws(AlertRejection) {
                out.alerts.append(try AlertDecoder.decode(line: line))
            } catch {
                out.rejects.append((number, error))
            }
        }
    }

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
