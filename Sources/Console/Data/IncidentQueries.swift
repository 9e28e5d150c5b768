#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Processor
import TradsecCore

/// The incidents screen's query: the most recently updated incidents (bounded), narrowed by
/// the view filter and put in the screen's order here, off the UI thread.
public enum IncidentListQuery {
    public static let limit = 10_000

    public static func load(_ store: AlertStore, filter: ViewFilter, now: Timestamp = .now(), limit: Int = limit) throws -> IncidentListData {
        let since = filter.since.flatMap { TimeSpec.parse($0, now: now) }
        let fetched = try store.incidents(since: since, limit: limit + 1)
        let kept = fetched.prefix(limit).filter { matches($0, filter) }
        return IncidentListData(filter: filter, incidents: sorted(kept), truncated: fetched.count > limit)
    }

    /// Most severe first, then most recently updated.
    static func sorted(_ incidents: [IncidentRecord]) -> [IncidentRecord] {
        incidents.sorted { a, b in
            if a.severity != b.severity { return a.severity > b.severity }
            if a.updated != b.updated { return a.updated > b.updated }
            return a.id > b.id
        }
    }

    /// The filter as the alert screens apply it, read for incidents: priorities on the
    /// severity, the container by name, id or id prefix, the rule glob on any of its rules,
    /// the search words anywhere in its title, container, rules or stages.
    static func matches(_ incident: IncidentRecord, _ filter: ViewFilter) -> Bool {
        if let allowed = filter.priorities?.allowed, !allowed.contains(incident.severity) { return false }
        if let container = filter.container {
            let isHost = incident.containerID == ContainerRef.hostID
            let byName = incident.containerName == container || (container == "host" && isHost)
            let byID = incident.containerID == container || (container.count >= 4 && incident.containerID.hasPrefix(container))
            if !byName && !byID { return false }
        }
        // Case-insensitive, as the alert screens match rules.
        if let glob = filter.ruleGlob?.lowercased(), !incident.rules.contains(where: { fnmatch(glob, $0.lowercased(), 0) == 0 }) { return false }
        if let search = filter.search {
            let words = search.lowercased().split(separator: " ")
            if !words.isEmpty {
                let text = ([incident.title, incident.containerName ?? "", incident.containerID] + incident.rules + incident.stages)
                    .joined(separator: "\n").lowercased()
                if !words.allSatisfy({ text.contains($0) }) { return false }
            }
        }
        return true
    }
}

/// The header's incident counts and the response switch.
enum IncidentSummaryQuery {
    static func load(_ store: AlertStore, window: Int64, now: Timestamp = .now()) throws -> IncidentSummary {
        let open = try store.incidents(since: now.adding(nanoseconds: -max(0, window)), limit: IncidentListQuery.limit)
        let response = try store.responseSwitch()
        return IncidentSummary(open: open.count, escalated: open.filter(\.escalated).count, responseOn: response.on,
                               responseSwitchedBy: response.who)
    }
}

/// One incident: its timeline with each alert's stage, what its alerts name, its responses.
enum IncidentDetailQuery {
    static let timelineLimit = 500
    static let responsesLimit = 200
    /// Distinct values per section (processes, files, connections, users).
    static let seenLimit = 12

    static func load(_ store: AlertStore, id: Int64) throws -> IncidentDetailData? {
        guard let record = try store.incident(id: id) else { return nil }
        // A processor's incident: its responses are the processor's audit rows; this
        // console's own actions on it are in its audit log.
        let mirror = try store.mirroredIncident(id: id)
        let alerts = try store.incidentAlerts(id: id, limit: timelineLimit)
        let enrichment = try store.enrichment(for: alerts.map(\.id))
        let timeline = alerts.map { stored in
            let e = enrichment[stored.id]
            return TimelineEntry(stored: stored, stages: AttackStage.of(tags: stored.alert.tags, enrichmentTags: e?.tags ?? []),
                                 enrichment: e)
        }
        return IncidentDetailData(
            record: record, timeline: timeline,
            processes: ContainerDetailData.tally(alerts, limit: seenLimit, ContainerDetailData.processLabel),
            files: ContainerDetailData.tally(alerts, limit: seenLimit) { $0.fileName },
            connections: ContainerDetailData.tally(alerts, limit: seenLimit) { $0.connection },
            users: ContainerDetailData.tally(alerts, limit: seenLimit) { $0.userName },
            responses: mirror == nil ? try store.auditEntries(incident: id, limit: responsesLimit)
                : try store.mirroredResponses(incident: id, limit: responsesLimit),
            processor: mirror.map { MirroredIncidentSource(origin: $0.origin, remoteID: $0.remoteID) },
            actionsHere: mirror == nil ? [] : try store.auditEntries(incident: id, limit: responsesLimit))
    }
}
