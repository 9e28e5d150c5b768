import AlertStore
import Notify
import Processor
import TradsecCore

/// Joins the processing step to the notification outbox: each processed batch's alerts and
/// incident changes become outbox rows committed with the processing (so a notification exists
/// exactly when its processing does), and the dispatcher delivers them from there.
struct OutboxPlanner: NotificationPlanner {
    let outbox: NotificationOutbox

    func outbox(for alerts: [ProcessedAlert], incidents: [IncidentEvent], responses: [ResponseDecision], now: Timestamp) -> [OutboxEntry] {
        guard !outbox.config.channels.isEmpty else { return [] }
        var notifications: [Notify.Notification] = []
        notifications.reserveCapacity(alerts.count + incidents.count)
        for processed in alerts {
            var n = Notify.Notification(alert: processed.alert, id: processed.id)
            if let role = processed.enrichment.role { n.fields.append(.init("role", role)) }
            if !processed.enrichment.tags.isEmpty { n.fields.append(.init("tags", processed.enrichment.tags.joined(separator: ", "))) }
            if let incident = processed.enrichment.incidentID {
                n.fields.append(.init("incident", "#\(incident)"))
                n.incidentID = String(incident)
            }
            notifications.append(n)
        }
        // An incident's opening is told by its first alert; each step up in severity is told
        // on its own, as it happened.
        for event in incidents {
            let incident = event.incident
            var fields: [Notify.Notification.Field] = [
                .init("container", incident.containerName ?? incident.containerID),
                .init("alerts", String(incident.alertCount)),
                .init("rules", incident.rules.joined(separator: ", ")),
            ]
            if let role = incident.role { fields.append(.init("role", role)) }
            for step in event.escalations {
                notifications.append(Notify.Notification(
                    kind: .incident, priority: step.to, rule: incident.rules.first ?? "incident",
                    container: incident.containerName ?? incident.containerID, containerID: incident.containerID,
                    host: incident.hostname ?? "unknown-host",
                    title: "Incident #\(incident.id) escalated \(step.from.name) → \(step.to.name)",
                    text: incident.reason ?? incident.title, fields: fields, time: incident.updated,
                    incidentID: String(incident.id)))
            }
        }
        // What the response rules proposed, did (the result follows when the action ends) or
        // would do; a `notify` action is a notification of its own.
        for decision in responses {
            notifications.append(Self.notification(decision, incident: incidents.first { $0.incident.id == decision.incidentID }?.incident, now: now))
        }
        return outbox.entries(for: notifications, now: now)
    }

    static func notification(_ d: ResponseDecision, incident: IncidentRecord?, now: Timestamp) -> Notify.Notification {
        let target = d.container.map { " \($0.name)" } ?? ""
        let title: String
        switch (d.action, d.mode) {
        case (.notify, _): title = "Response rule '\(d.rule)' matched incident #\(d.incidentID)"
        case (_, .propose): title = "Proposed: \(d.action.rawValue)\(target) (incident #\(d.incidentID)) — approve in the console"
        case (_, .auto): title = "Acting: \(d.action.rawValue)\(target) (incident #\(d.incidentID))"
        case (_, .dryRun): title = "Would \(d.action.rawValue)\(target) (incident #\(d.incidentID), dry-run)"
        }
        var fields: [Notify.Notification.Field] = [.init("rule", d.rule)]
        if let note = d.note { fields.append(.init("held back", note)) }
        return Notify.Notification(
            kind: .incident, priority: incident?.severity ?? .critical, rule: d.rule,
            container: d.container?.name ?? incident?.containerName ?? "host", containerID: d.container?.id ?? incident?.containerID ?? "host",
            host: incident?.hostname ?? "unknown-host", title: title, text: d.reason, fields: fields, time: now,
            incidentID: String(d.incidentID))
    }
}
