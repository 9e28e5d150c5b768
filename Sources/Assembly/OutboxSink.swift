import AlertStore
import GRDB
import Notify
import Processor
import TradsecCore

/// Joins the processor to the notification outbox: each committed batch's alerts and incident
/// changes become outbox rows in the same transaction (so a notification exists exactly when
/// its alert does), and the dispatcher delivers them from there.
final class OutboxSink: ProcessedSink, @unchecked Sendable {
    let outbox: NotificationOutbox

    init(outbox: NotificationOutbox) {
        self.outbox = outbox
    }

    func record(alerts: [ProcessedAlert], incidents: [IncidentEvent], db: Database) throws {
        guard !outbox.config.channels.isEmpty else { return }
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
        for event in incidents {
            let incident = event.incident
            let headline: String
            switch event.change {
            case .opened: continue   // its first alert is notified already
            case .grew: continue
            case .escalated(let from):
                headline = "Incident #\(incident.id) escalated \(from.name) → \(incident.severity.name)"
            }
            var fields: [Notify.Notification.Field] = [
                .init("container", incident.containerName ?? incident.containerID),
                .init("alerts", String(incident.alertCount)),
                .init("rules", incident.rules.joined(separator: ", ")),
            ]
            if let role = incident.role { fields.append(.init("role", role)) }
            notifications.append(Notify.Notification(
                kind: .incident, priority: incident.severity, rule: incident.rules.first ?? "incident",
                container: incident.containerName ?? incident.containerID, containerID: incident.containerID,
                host: incident.hostname ?? "unknown-host", title: headline, text: incident.reason ?? incident.title,
                fields: fields, time: incident.updated,
                incidentID: String(incident.id)))
        }
        let rows = outbox.entries(for: notifications)
        try AlertStore.enqueueNotifications(rows, db: db)
    }
}
