import CurlClient
import TradsecCore

/// A generic JSON webhook: tradsec's own format, documented in docs/notifications.md. The
/// `Idempotency-Key` header and field are the same on every attempt of a message.
enum WebhookFormat {
    static func request(_ m: MessageContext) throws -> HTTPRequest {
        let url = try m.secret(m.channel.url, "url")
        var headers: [(name: String, value: String)] = [("Idempotency-Key", m.idempotencyKey)]
        for (name, value) in m.channel.headers.sorted(by: { $0.key < $1.key }) {
            headers.append((name, try value.resolve(m.environment)))
        }
        let items: [JSONValue] = m.items.map { item in
            let n = item.notification
            var o: [(String, JSONValue)] = [
                ("outbox_id", .int(item.rowID)),
                ("kind", .string(n.kind.rawValue)),
                ("priority", .string(n.priority.name)),
                ("rule", .string(n.rule)),
                ("container", .string(n.container)),
                ("container_id", .string(n.containerID)),
                ("host", .string(n.host)),
                ("title", .string(n.title)),
                ("text", .string(n.text)),
                ("fields", .object(JSONObject(n.fields.map { ($0.name, .string($0.value)) }))),
                ("time", .string(n.time.rfc3339())),
            ]
            if let link = n.link { o.append(("link", .string(link))) }
            if let id = n.alertID { o.append(("alert_id", .int(id))) }
            if let id = n.incidentID { o.append(("incident_id", .string(id))) }
            return .obj(o)
        }
        return m.httpRequest(url: url, json: .obj([
            ("source", .string("tradsec")),
            ("version", .int(1)),
            ("channel", .string(m.channel.name)),
            ("idempotency_key", .string(m.idempotencyKey)),
            ("group_key", .string(m.first.groupKey)),
            ("notifications", .array(items)),
        ]), headers: headers)
    }
}
