import AlertStore
import TradsecCore

/// `GET /incidents/feed`: what processing added to the alerts after a cursor (each alert's
/// role, tags and incident, by the processor's alert ids), the incidents those alerts touched
/// and the responses recorded for them. A console following this processor (`processor=URL`)
/// takes its incidents from here instead of computing them, and resumes from `through`.
///
/// Parameters: `after` (the processor alert id covered so far, required), `until` (go no
/// further than this id: the console asks only for alerts it has stored), `limit` (alerts per
/// page, ≤ 1000), `refresh` (up to ``maxRefresh`` incident ids, comma-separated, to send again
/// whole: their responses change after their alerts, when an automatic action ends or an
/// operator approves a proposal on the processor's host).
///
/// Reply: `{"through":N,"alerts":[{"id","incident_id","role","tags"}],"incidents":[incident
/// as GET /incidents gives it, plus "responses":[{"id","started","finished","action","target",
/// "result","message","user","via","detail"}]]}`. `through` never passes the processor's
/// processing cursor: an alert is in a page only once processing is done with it.
public enum IncidentsFeed {
    public static let path = "/incidents/feed"
    public static let maxLimit = 1000
    public static let maxRefresh = 100
    /// Responses sent per incident (the oldest: proposals come first).
    public static let responsesPerIncident = 100
    /// Ids are the history's, handed out one by one from 1: a larger one is garbage.
    public static let maxID: Int64 = 1 << 53

    /// The parameters, validated as /events validates its own.
    public struct Request: Sendable, Equatable {
        public var after: Int64
        public var until: Int64?
        public var limit: Int
        public var refresh: [Int64]

        public init(after: Int64, until: Int64? = nil, limit: Int = IncidentsFeed.maxLimit, refresh: [Int64] = []) {
            self.after = after
            self.until = until
            self.limit = limit
            self.refresh = refresh
        }

        init(_ parameters: [String: String]) throws {
            var after: Int64?
            self.limit = IncidentsFeed.maxLimit
            self.refresh = []
            for (key, value) in parameters {
                switch key {
                case "after": after = try Self.id(value, "after", allowZero: true)
                case "until": until = try Self.id(value, "until", allowZero: true)
                case "limit": limit = try EventsRequest.limit(value)
                case "refresh":
                    let parts = value.split(separator: ",", omittingEmptySubsequences: true)
                    guard parts.count <= IncidentsFeed.maxRefresh else {
                        throw EventsRequest.Invalid(description: "refresh: at most \(IncidentsFeed.maxRefresh) incident ids")
                    }
                    refresh = try parts.map { try Self.id(String($0), "refresh", allowZero: false) }
                default:
                    throw EventsRequest.Invalid(description: "unknown parameter '\(TerminalSafe.escape(key))' (after, until, limit, refresh)")
                }
            }
            guard let after else { throw EventsRequest.Invalid(description: "after: give the alert id the feed continues after (0 at first)") }
            self.after = after
        }

        private static func id(_ text: String, _ name: String, allowZero: Bool) throws -> Int64 {
            guard text.utf8.count <= 16, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let id = Int64(text),
                  id <= IncidentsFeed.maxID, allowZero || id > 0 else {
                throw EventsRequest.Invalid(description: "\(name): '\(TerminalSafe.escape(String(text.prefix(40))))' is not an id")
            }
            return id
        }
    }

    /// The reply to `request` from `store`.
    public static func reply(_ request: Request, store: AlertStore) throws -> [UInt8] {
        let cursor = try store.processingState().cursor
        let cap = min(cursor, request.until ?? cursor)
        let alerts = try store.enrichment(after: request.after, through: cap, limit: request.limit)
        let through = alerts.count >= request.limit ? alerts.last!.id : max(cap, request.after)
        var incidentIDs: [Int64] = []
        var seen = Set<Int64>()
        for id in alerts.compactMap(\.enrichment.incidentID) + request.refresh where seen.insert(id).inserted { incidentIDs.append(id) }
        var o = JSONObject()
        o.append("through", .int(through))
        o.append("alerts", .array(alerts.map { a in
            var e = JSONObject()
            e.append("id", .int(a.id))
            if let incident = a.enrichment.incidentID { e.append("incident_id", .int(incident)) }
            if let role = a.enrichment.role { e.append("role", .string(role)) }
            e.append("tags", .array(a.enrichment.tags.map { .string($0) }))
            return .object(e)
        }))
        var incidents: [JSONValue] = []
        for id in incidentIDs {
            guard let record = try store.incident(id: id), case .object(var i) = EventJSON.incident(record) else { continue }
            i.append("responses", .array(try store.auditEntries(incident: id, limit: responsesPerIncident).map(response)))
            incidents.append(.object(i))
        }
        o.append("incidents", .array(incidents))
        return Array(JSONWriter.string(.object(o)).utf8)
    }

    static func response(_ r: AuditEntry) -> JSONValue {
        var o = JSONObject()
        o.append("id", .int(r.id))
        o.append("started", .string(r.started.rfc3339()))
        if let finished = r.finished { o.append("finished", .string(finished.rfc3339())) }
        o.append("action", .string(r.action))
        if let target = r.target { o.append("target", .string(target)) }
        o.append("result", .string(r.result.rawValue))
        if let message = r.message { o.append("message", .string(message)) }
        o.append("user", .string(r.who.summary))
        o.append("via", .string(r.via))
        if let detail = r.detail { o.append("detail", .string(detail)) }
        return .object(o)
    }

    // MARK: - The console's side: decoding a reply (untrusted bytes)

    /// A decoded page: what was usable, and how many items were not.
    public struct Page: Sendable, Equatable {
        public var through: Int64
        public var alerts: [MirroredAlert]
        public var incidents: [MirroredIncident]
        /// Items refused (bad ids, missing or oversized fields, past the page's bounds).
        public var dropped: Int
    }

    /// Bounds on what one page may hold; a reply is also limited in bytes by the client.
    public enum Bounds {
        public static let alerts = IncidentsFeed.maxLimit
        public static let incidents = IncidentsFeed.maxLimit + IncidentsFeed.maxRefresh
        public static let responses = IncidentsFeed.responsesPerIncident
        /// Strings a list may hold (rules, stages, tags), and bytes per text.
        public static let listItems = 256
        public static let shortText = 1024
        public static let longText = 16 << 10
    }

    public struct Invalid: Error, CustomStringConvertible, Sendable { public var description: String }

    /// Decodes a reply. A reply that is not a page throws; an item in it that is not what it
    /// must be is dropped and counted, the rest kept. `after`: the cursor asked from; a
    /// `through` behind it, or not an id, makes the page invalid (the cursor never moves back).
    public static func decode(_ bytes: [UInt8], after: Int64) throws -> Page {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch { throw Invalid(description: "not JSON: \(error)") }
        guard let through = value["through"]?.int64Value, through >= after, through <= IncidentsFeed.maxID else {
            throw Invalid(description: "not an incidents feed page (no plausible 'through')")
        }
        var page = Page(through: through, alerts: [], incidents: [], dropped: 0)
        for item in value["alerts"]?.arrayValue ?? [] {
            guard page.alerts.count < Bounds.alerts, let alert = mirroredAlert(item), alert.remoteID > after, alert.remoteID <= through else {
                page.dropped &+= 1
                continue
            }
            page.alerts.append(alert)
        }
        for item in value["incidents"]?.arrayValue ?? [] {
            guard page.incidents.count < Bounds.incidents, let incident = mirroredIncident(item, dropped: &page.dropped) else {
                page.dropped &+= 1
                continue
            }
            page.incidents.append(incident)
        }
        return page
    }

    static func id(_ value: JSONValue?) -> Int64? {
        guard let id = value?.int64Value, id >= 1, id <= IncidentsFeed.maxID else { return nil }
        return id
    }

    static func text(_ value: JSONValue?, max: Int = Bounds.shortText) -> String?? {
        guard let value, value != .null else { return .some(nil) }
        guard let s = value.stringValue, s.utf8.count <= max else { return nil }
        return .some(s)
    }

    static func list(_ value: JSONValue?) -> [String]? {
        guard let items = value?.arrayValue, items.count <= Bounds.listItems else { return nil }
        var out: [String] = []
        for item in items {
            guard let s = item.stringValue, s.utf8.count <= Bounds.shortText else { return nil }
            out.append(s)
        }
        return out
    }

    static func mirroredAlert(_ v: JSONValue) -> MirroredAlert? {
        guard let id = id(v["id"]), let tags = list(v["tags"] ?? .array([])), let role = text(v["role"]) else { return nil }
        var incident: Int64?
        if let given = v["incident_id"], given != .null {
            guard let valid = Self.id(given) else { return nil }
            incident = valid
        }
        return MirroredAlert(remoteID: id, role: role, tags: tags, remoteIncident: incident)
    }

    static func mirroredIncident(_ v: JSONValue, dropped: inout Int) -> MirroredIncident? {
        guard let id = id(v["id"]),
              let title = text(v["title"], max: Bounds.longText) ?? nil,
              let severityName = v["severity"]?.stringValue, let severity = Priority(name: severityName),
              case .bool(let escalated)? = v["escalated"],
              let containerID = text(v["container_id"]) ?? nil,
              let containerName = text(v["container_name"]), let hostname = text(v["hostname"]), let role = text(v["role"]),
              let reason = text(v["reason"], max: Bounds.longText),
              let openedText = v["opened"]?.stringValue, let opened = Timestamp(rfc3339: openedText),
              let updatedText = v["updated"]?.stringValue, let updated = Timestamp(rfc3339: updatedText),
              let count = v["alert_count"]?.int64Value, count >= 0, count <= IncidentsFeed.maxID,
              let rules = list(v["rules"]), let stages = list(v["stages"]) else { return nil }
        var responses: [AuditEntry] = []
        for item in v["responses"]?.arrayValue ?? [] {
            guard responses.count < Bounds.responses, let r = response(item) else {
                dropped &+= 1
                continue
            }
            responses.append(r)
        }
        let record = IncidentRecord(id: id, containerID: containerID, containerName: containerName, hostname: hostname, role: role,
                                    opened: opened, updated: updated, severity: severity, escalated: escalated, stages: stages,
                                    rules: rules, alertCount: Int(count), title: title, reason: reason)
        return MirroredIncident(record: record, responses: responses)
    }

    static func response(_ v: JSONValue) -> AuditEntry? {
        guard let id = id(v["id"]),
              let startedText = v["started"]?.stringValue, let started = Timestamp(rfc3339: startedText),
              let action = text(v["action"]) ?? nil, let target = text(v["target"]),
              let resultText = v["result"]?.stringValue, let result = AuditEntry.Result(rawValue: resultText),
              let message = text(v["message"], max: Bounds.longText), let user = text(v["user"]) ?? nil,
              let via = text(v["via"]) ?? nil, let detail = text(v["detail"], max: Bounds.longText) else { return nil }
        var finished: Timestamp?
        if let given = v["finished"], given != .null {
            guard let text = given.stringValue, let time = Timestamp(rfc3339: text) else { return nil }
            finished = time
        }
        return AuditEntry(id: id, started: started, finished: finished, action: action, target: target, result: result, message: message,
                          latencyMilliseconds: nil, who: AuditIdentity(user: user), via: via, detail: detail, incident: nil)
    }
}
