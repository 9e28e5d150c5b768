import AlertStore
import TradsecCore

/// The JSON the processor gives out for alerts and incidents. An event carries the alert
/// exactly as Falco sent it (`alert`), plus what the processor added.
public enum EventJSON {
    static func event(_ stored: StoredAlert, _ enrichment: AlertEnrichment?, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":"#.utf8)
        out.append(contentsOf: String(stored.id).utf8)
        out.append(contentsOf: #","alert":"#.utf8)
        out.append(contentsOf: stored.alert.raw.utf8)   // verbatim, already one line of JSON
        if let enrichment {
            if let role = enrichment.role {
                out.append(contentsOf: #","role":"#.utf8)
                JSONWriter.writeString(role, into: &out)
            }
            out.append(contentsOf: #","tags":"#.utf8)
            JSONWriter.write(.array(enrichment.tags.map { .string($0) }), into: &out)
            if let incident = enrichment.incidentID {
                out.append(contentsOf: #","incident_id":"#.utf8)
                out.append(contentsOf: String(incident).utf8)
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    public static func incident(_ record: IncidentRecord) -> JSONValue {
        var o = JSONObject()
        o.append("id", .int(Int64(record.id)))
        o.append("title", .string(record.title))
        o.append("severity", .string(record.severity.name))
        o.append("escalated", .bool(record.escalated))
        if let reason = record.reason { o.append("reason", .string(reason)) }
        o.append("container_id", .string(record.containerID))
        if let name = record.containerName { o.append("container_name", .string(name)) }
        if let host = record.hostname { o.append("hostname", .string(host)) }
        if let role = record.role { o.append("role", .string(role)) }
        o.append("opened", .string(record.opened.rfc3339()))
        o.append("updated", .string(record.updated.rfc3339()))
        o.append("alert_count", .int(Int64(record.alertCount)))
        o.append("rules", .array(record.rules.map { .string($0) }))
        o.append("stages", .array(record.stages.map { .string($0) }))
        return .object(o)
    }

    /// One timeline entry: time, priority, rule and message of an alert of the incident.
    public static func timelineEntry(_ stored: StoredAlert) -> JSONValue {
        var o = JSONObject()
        o.append("id", .int(Int64(stored.id)))
        o.append("time", .string(stored.alert.time.rfc3339()))
        o.append("priority", .string(stored.alert.priority.name))
        o.append("rule", .string(stored.alert.rule))
        o.append("message", .string(stored.alert.message))
        return .object(o)
    }
}
