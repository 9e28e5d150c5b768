import AlertStore
import TradsecCore

/// Every incident, most severe first then most recently updated (the loader's order): its
/// severity, escalation, the attack stages it reached, title, container, alert count, ages.
/// Only the visible rows are drawn, so the cost does not grow with the list.
enum IncidentsScreen {
    struct Column {
        var title: String
        var width: Int
    }

    /// The columns for an inner width: narrow terminals keep severity, escalation, title,
    /// alerts and last update; wider ones add stages, container and the opening time.
    static func columns(width: Int) -> [Column] {
        let stages = width >= 150 ? 40 : width >= 76 ? 18 : 0
        let container = width >= 150 ? 20 : width >= 76 ? 14 : 0
        let opened = width >= 110 ? 7 : 0
        let alerts = width >= 60 ? 6 : 5
        let updated = width >= 60 ? 7 : 5
        var fixed: [Column] = [Column(title: "SEV", width: 4), Column(title: "▲", width: 1)]
        if stages > 0 { fixed.append(Column(title: "STAGES", width: stages)) }
        let tail: [Column] = [Column(title: "CONTAINER", width: container), Column(title: "ALERTS", width: alerts),
                              Column(title: "OPENED", width: opened), Column(title: "UPDATED", width: updated)].filter { $0.width > 0 }
        let used = (fixed + tail).map { $0.width + 1 }.reduce(0, +)
        return fixed + [Column(title: "TITLE", width: max(8, width - used))] + tail
    }

    static func draw(_ state: ConsoleState, now: Timestamp, in rect: Rect, grid: inout ScreenGrid) -> Int {
        guard let data = state.incidentList else {
            grid.put("loading incidents…", x: rect.x + 1, y: rect.y + 1, role: .dim)
            return 1
        }
        let list = data.incidents
        var title = "Incidents \(list.count) · \(data.escalatedCount) escalated · most severe first"
        if data.truncated { title += " · the \(IncidentListQuery.limit) most recent" }
        grid.box(rect, role: .focusedBorder, title: title)
        let inner = rect.inset(1)
        guard inner.height > 1 else { return 1 }
        let columns = columns(width: inner.width)
        var x = inner.x
        for c in columns where x < inner.maxX {
            grid.putPadded(c.title == "▲" ? "" : c.title, x: x, y: inner.y, width: min(c.width, inner.maxX - x), role: .title)
            x += c.width + 1
        }
        let body = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        if list.isEmpty {
            grid.put(state.filter.isEmpty ? "no incidents: alerts become incidents when they are processed" : "no incidents match \(state.filter.summary)",
                     x: body.x + 1, y: body.y, role: .dim, maxWidth: body.width - 1)
            return body.height
        }
        let selected = state.top.selection
        let first = selected < body.height ? 0 : selected - body.height + 1
        for (offset, incident) in list.dropFirst(first).prefix(body.height).enumerated() {
            let y = body.y + offset
            var x = body.x
            for c in columns where x < body.maxX {
                let (text, role) = cell(c.title, incident, now: now)
                grid.putPadded(text, x: x, y: y, width: min(c.width, body.maxX - x), role: role)
                x += c.width + 1
            }
            if first + offset == selected { grid.restyle(Rect(x: body.x, y: y, width: body.width, height: 1), role: .selection) }
        }
        return body.height
    }

    static func cell(_ column: String, _ i: IncidentRecord, now: Timestamp) -> (String, StyleRole) {
        switch column {
        case "SEV": return (i.severity.shortName, i.severity.role)
        case "▲": return i.escalated ? ("▲", .critical) : ("", .normal)
        case "STAGES": return (StageFormat.short(i.stages), .warning)
        case "TITLE": return (i.title, .normal)
        case "CONTAINER": return (i.containerID == ContainerRef.hostID ? "host" : i.containerName ?? String(i.containerID.prefix(12)), .label)
        case "ALERTS": return (Formatting.compact(i.alertCount), .normal)
        case "OPENED": return (Formatting.age(i.opened, now: now), .dim)
        case "UPDATED": return (Formatting.age(i.updated, now: now), .dim)
        default: return ("", .normal)
        }
    }
}

/// Attack stages, spelled short for table cells.
enum StageFormat {
    static let abbreviations: [String: String] = [
        "initial-access": "access", "execution": "exec", "persistence": "persist", "privilege-escalation": "privesc",
        "defense-evasion": "evasion", "credential-access": "cred", "discovery": "discovery", "lateral-movement": "lateral",
        "collection": "collect", "command-and-control": "c2", "exfiltration": "exfil", "impact": "impact",
    ]

    /// `exec→cred→exfil`, in the order the incident reached them.
    static func short(_ stages: [String]) -> String {
        stages.map { abbreviations[$0] ?? $0 }.joined(separator: "→")
    }
}
