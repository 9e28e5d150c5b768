import CurlClient
import TradsecCore

/// PagerDuty Events API v2 `enqueue`: `routing_key`, `event_action: trigger`, a `dedup_key`
/// (at most 255 characters), and a payload with `summary` (at most 1024), `source`, `severity`
/// (critical, error, warning or info), `timestamp`, `component`, `group`, `class` and
/// `custom_details`. The dedup key is the group's (rule and container, or the incident): a
/// resent message, and later alerts of the same group, add to the open PagerDuty alert instead
/// of paging again.
enum PagerDutyFormat {
    static let summaryLimit = 1024
    static let dedupLimit = 255

    static func request(_ m: MessageContext) throws -> HTTPRequest {
        let url = try m.secret(m.channel.url, "url")
        let key = try m.secret(m.channel.routingKey, "routing_key")
        let first = m.first
        var details: [(String, JSONValue)] = [("rule", .string(first.rule)), ("container", .string(first.container)),
                                              ("count", .int(Int64(m.items.count)))]
        for f in first.fields { details.append((f.name, .string(f.value))) }
        details.append(("alerts", .array(m.notifications.prefix(20).map { n in
            .obj([("time", .string(n.time.rfc3339())), ("priority", .string(n.priority.name)), ("text", .string(TextBudget.fit(n.text, limit: 2000)))])
        })))
        let payload: [(String, JSONValue)] = [
            ("summary", .string(TextBudget.fit(TextBudget.printable(m.headline + ": " + first.text, keepNewlines: false), limit: summaryLimit))),
            ("source", .string(TextBudget.fit(TextBudget.printable(first.host.isEmpty ? "tradsec" : first.host, keepNewlines: false), limit: 255))),
            ("severity", .string(severity(m.priority))),
            ("timestamp", .string(first.time.rfc3339(fractionDigits: 3))),
            ("component", .string(TextBudget.fit(TextBudget.printable(first.container, keepNewlines: false), limit: 255))),
            ("group", .string("tradsec")),
            ("class", .string(TextBudget.fit(TextBudget.printable(first.rule, keepNewlines: false), limit: 255))),
            ("custom_details", .obj(details)),
        ]
        var body: [(String, JSONValue)] = [
            ("routing_key", .string(key)),
            ("event_action", .string("trigger")),
            ("dedup_key", .string(dedupKey(first))),
            ("payload", .obj(payload)),
            ("client", .string("tradsec")),
        ]
        if let link = TextBudget.safeLink(first.link) {
            body.append(("links", .array([.obj([("href", .string(link)), ("text", .string("tradsec"))])])))
        }
        return m.httpRequest(url: url, json: .obj(body))
    }

    /// "tradsec:<host>:<group key>", cut to 255 characters (a long one keeps a hash of the rest).
    static func dedupKey(_ n: Notification) -> String {
        let key = "tradsec:\(n.host):\(n.groupKey)"
        guard key.utf16.count > dedupLimit else { return key }
        var hash: UInt64 = 0xcbf29ce484222325   // FNV-1a: stable across runs, unlike Hasher
        for b in key.utf8 { hash = (hash ^ UInt64(b)) &* 0x100000001b3 }
        let suffix = ":" + String(hash, radix: 16)
        // The cut's ellipsis is dropped again: the hash says that something was cut.
        let cut = TextBudget.fit(key, limit: dedupLimit - suffix.utf16.count + 1).unicodeScalars.dropLast()
        return String(String.UnicodeScalarView(cut)) + suffix
    }

    /// Falco's eight priorities onto PagerDuty's four severities.
    static func severity(_ p: Priority) -> String {
        switch p {
        case .emergency, .alert, .critical: "critical"
        case .error: "error"
        case .warning: "warning"
        case .notice, .informational, .debug: "info"
        }
    }
}
