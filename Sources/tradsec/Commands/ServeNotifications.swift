import AlertStore
import Notify
import Processor
import TradsecCore

/// Joins the processing step to the notification outbox: each processed batch's alerts and
/// incident changes become outbox rows committed with the processing (so a notification exists
/// exactly when its processing does), and the dispatcher delivers them from there.
struct OutboxPlanner: NotificationPlanner {
    let outbox: NotificationOutbox

    func outbox(for alerts: [ProcessedAlert], incidents: [IncidentEvent], now: Timestamp) -> [OutboxEntry] {
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
        return outbox.entries(for: notifications, now: now)
    }
}
