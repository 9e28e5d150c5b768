import Foundation
import TradsecCore

/// Builds Falco's JSON alert (spec 3.3) for a rule that matched an event:
/// `{"hostname","output","output_fields","priority","rule","source","tags","time"}`, keys sorted.
public struct AlertFormatter: Sendable {
    public let hostname: String

    public init(hostname: String? = nil) {
        self.hostname = hostname ?? Self.defaultHostname()
    }

    /// `FALCO_HOSTNAME` if set, else the machine's host name (as Falco does).
    public static func defaultHostname() -> String {
        if let env = ProcessInfo.processInfo.environment["FALCO_HOSTNAME"], !env.isEmpty { return env }
        return ProcessInfo.processInfo.hostName
    }

    /// The alert as a JSON object with sorted keys.
    public func alert(for rule: CompiledRule, event: Event) -> JSONValue {
        // An event time the history would refuse (before the epoch) gives the alert the
        // time it was raised, as an event without a time does; output_fields keep the value.
        let nanos = event.rawTime.flatMap { Timestamp.alertRange.contains(Timestamp(nanoseconds: $0)) ? $0 : nil }
            ?? Timestamp.now().nanoseconds
        let message = rule.output.render(event)
        // Falco's default text prefix: `%evt.time` (time of day with nanoseconds), then the priority.
        let output = Self.timeOfDay(nanos) + ": " + rule.priority.name + " " + message
        var fields = JSONObject()
        fields.append("evt.time", .int(nanos))
        for (key, value) in rule.output.outputFields(event) where key != "evt.time" {
            fields.append(key, value)
        }
        return .object(JSONObject([
            ("hostname", .string(hostname)),
            ("output", .string(output)),
            ("output_fields", .object(fields)),
            ("priority", .string(rule.priority.name)),
            ("rule", .string(rule.name)),
            ("source", .string(event.source)),
            ("tags", .array(rule.tags.map(JSONValue.string))),
            ("time", .string(Timestamp(nanoseconds: nanos).rfc3339(fractionDigits: 9))),
        ]))
    }

    /// One JSON line (no trailing newline).
    public func line(for rule: CompiledRule, event: Event) -> String {
        JSONWriter.string(alert(for: rule, event: event), sortedKeys: true)
    }

    /// `HH:MM:SS.nnnnnnnnn` in UTC (libsinsp `ts_to_string`).
    static func timeOfDay(_ nanos: Int64) -> String {
        let (secs, frac) = nanos.flooredDivision(1_000_000_000)
        let secOfDay = ((secs % 86_400) + 86_400) % 86_400
        func pad(_ v: Int64, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return pad(secOfDay / 3600, 2) + ":" + pad(secOfDay / 60 % 60, 2) + ":" + pad(secOfDay % 60, 2) + "." + pad(frac, 9)
    }
}

extension Int64 {
    func flooredDivision(_ d: Int64) -> (Int64, Int64) {
        var (q, r) = quotientAndRemainder(dividingBy: d)
        if r < 0 { q -= 1; r += d }
        return (q, r)
    }
}
