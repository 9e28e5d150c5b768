import Foundation
import TradsecCore

/// GET /health: whether the processor can do its job, and the facts an on-call engineer
/// checks first (last alert age, history, writer queue, outbox).
struct HealthReport {
    var json: JSONValue
    var healthy: Bool

    /// The intake's limits in use: open connections and streams, bodies held and being
    /// decoded, and the connections the processor closed (timeouts, making room).
    static func connections(_ app: ProcessorApp) -> JSONValue {
        var o = JSONObject()
        o.append("open", .int(Int64(app.connections.openConnections)))
        o.append("max", .int(Int64(app.settings.maxConnections)))
        o.append("streams", .int(Int64(app.connections.openStreams)))
        o.append("max_streams", .int(Int64(app.settings.maxStreams)))
        o.append("body_bytes", .int(Int64(app.bodies.reservedBytes)))
        o.append("decoding", .int(Int64(app.bodies.runningDecodes)))
        let closed = app.connections.closedByReason
        o.append("closed", .object(JSONObject(ConnectionRegistry.CloseReason.allCases.map { ($0.rawValue, .int(Int64(closed[$0] ?? 0))) })))
        return .object(o)
    }

    static func make(_ app: ProcessorApp) -> HealthReport {
        let status = app.pipeline.status
        var healthy = status.lastCommitError == nil
        var o = JSONObject()
        o.append("version", .string(app.version))
        o.append("uptime_seconds", .double((Date().timeIntervalSince(app.started) * 10).rounded() / 10))
        if let last = status.lastAcceptedWallTime {
            o.append("last_alert_age_seconds", .double(Double(Timestamp.now().nanoseconds - last) / 1e9))
        } else {
            o.append("last_alert_age_seconds", .null)
        }
        var store = JSONObject()
        store.append("path", .string(app.store.path))
        if let total = try? app.store.totalCount() {
            store.append("alerts", .int(Int64(total)))
        } else {
            healthy = false
            store.append("error", .string("cannot read the history"))
        }
        if let error = status.lastCommitError { store.append("last_commit_error", .string(error)) }
        o.append("store", .object(store))
        var ingest = JSONObject()
        ingest.append("queued_alerts", .int(Int64(status.queuedAlerts)))
        ingest.append("committed_alerts", .int(Int64(status.committedAlerts)))
        // Acknowledged, in the intake log, not yet in the history (a restart moves these first).
        ingest.append("journaled_alerts", .int(Int64(status.journaled)))
        ingest.append("full_text_backlog", .int(Int64(status.fullTextBacklog)))
        o.append("ingest", .object(ingest))
        if let processor = app.pipeline.processor {
            let p = processor.status
            var processing = JSONObject()
            processing.append("cursor", .int(p.cursor))
            processing.append("here", .bool(p.holdsLease))
            processing.append("processed_alerts", .int(Int64(p.processed)))
            processing.append("queued_alerts", .int(Int64(p.queued)))
            processing.append("open_incidents", .int(Int64(p.openIncidents)))
            if let error = p.lastError { processing.append("last_error", .string(error)) }
            o.append("processing", .object(processing))
            let problems = processor.enricher.problems
            if !problems.isEmpty { o.append("enrichment_problems", .array(problems.map { .string($0) })) }
        }
        o.append("stream_clients", .int(Int64(app.hub.count)))
        o.append("connections", connections(app))
        for (name, value, ok) in app.healthSections() {
            o.append(name, value)
            if !ok { healthy = false }
        }
        var top = JSONObject()
        top.append("status", .string(healthy ? "ok" : "degraded"))
        for (k, v) in o.pairs { top.append(k, v) }
        return HealthReport(json: .object(top), healthy: healthy)
    }
}
