import CurlClient
import TradsecCore

/// Alertmanager API v2 `POST /api/v2/alerts`: a JSON array of postable alerts, each with
/// `labels` (identity: alertname, severity, container, host...), `annotations` (summary,
/// description, the alert's fields), `startsAt` and, when known, `generatorURL`. Posting the
/// same labels again updates the same alert, so a resend is harmless (naturally idempotent).
enum AlertmanagerFormat {
    static func request(_ m: MessageContext) throws -> HTTPRequest {
        var base = try m.secret(m.channel.url, "url")
        while base.hasSuffix("/") { base.removeLast() }
        return m.httpRequest(url: base + "/api/v2/alerts", json: .array(m.notifications.map(alert)))
    }

    static func alert(_ n: Notification) -> JSONValue {
        // Alertmanager's own templates and amtool show these as they are (amtool on a
        // terminal): no control or invisible characters. Markup is the receiving template's
        // to escape (docs/notifications.md).
        func text(_ s: String) -> JSONValue { .string(TextBudget.printable(s)) }
        var labels: [(String, JSONValue)] = [
            ("alertname", .string(TextBudget.printable(n.rule, keepNewlines: false))),
            ("severity", .string(PagerDutyFormat.severity(n.priority))),
            ("priority", .string(n.priority.name)),
            ("container", .string(TextBudget.printable(n.container, keepNewlines: false))),
            ("host", .string(TextBudget.printable(n.host, keepNewlines: false))),
            ("source", .string("tradsec")),
            ("kind", .string(n.kind.rawValue)),
        ]
        if let incident = n.incidentID { labels.append(("incident", .string(TextBudget.printable(incident, keepNewlines: false)))) }
        labels = labels.filter { $0.1.stringValue?.isEmpty == false }   // empty label values are refused
        var annotations: [(String, JSONValue)] = [("summary", text(n.title)), ("description", text(n.text))]
        var used = Set(annotations.map(\.0))
        for f in n.fields {
            let name = labelName(f.name)
            if used.insert(name).inserted { annotations.append((name, text(f.value))) }
        }
        var alert: [(String, JSONValue)] = [
            ("labels", .obj(labels)),
            ("annotations", .obj(annotations)),
            ("startsAt", .string(n.time.rfc3339(fractionDigits: 3))),
        ]
        if let link = TextBudget.safeLink(n.link) { alert.append(("generatorURL", .string(link))) }
        return .obj(alert)
    }

    /// Label and annotation names must match [a-zA-Z_][a-zA-Z0-9_]*.
    static func labelName(_ s: String) -> String {
        var out = String(s.unicodeScalars.map { c -> Character in
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_") ? Character(c) : "_"
        })
        if out.isEmpty || out.first!.isNumber { out = "_" + out }
        return out
    }
}
