import Actions
import AlertStore
import TradsecCore

/// One incident: the facts, the responses proposed or taken (a waiting proposal is
/// selectable, `Y` approves it), the processes, files, connections and users its alerts
/// name, and its timeline (each alert with its attack stage; Enter opens one). Wide
/// terminals put what the alerts name in a second column.
enum IncidentDetailScreen {
    static func draw(_ state: ConsoleState, id: Int64, now: Timestamp, in rect: Rect, grid: inout ScreenGrid) -> Int {
        guard let d = state.incidentDetail, d.record.id == id else {
            let text = state.incidentMissing == id ? "incident #\(id) is not in the history (any more)" : "loading incident #\(id)…"
            grid.put(text, x: rect.x + 1, y: rect.y + 1, role: .dim, maxWidth: rect.width - 1)
            return 1
        }
        let twoColumns = rect.width >= 150
        let (leftRect, rightRect) = twoColumns ? rect.splitLeft(rect.width * 3 / 5) : (rect, Rect(x: 0, y: 0, width: 0, height: 0))
        let textWidth = leftRect.width - 2
        let pending = d.pendingProposals
        var selectedLine = 0

        var lines = facts(d, pending: pending.count, now: now, width: textWidth)
        lines += responses(d, pending: pending, selection: state.top.selection, now: now, width: textWidth, selectedLine: &selectedLine, offset: lines.count)
        let involved = involvedLines(d, width: twoColumns ? rightRect.width - 2 : textWidth)
        if !twoColumns { lines += involved }
        lines.append(StyledLine(""))
        let shown = d.timeline.count < d.record.alertCount ? " · the newest \(d.timeline.count)" : ""
        lines.append(StyledLine("Timeline (\(d.record.alertCount) alerts\(shown))", .title))
        if d.timeline.isEmpty { lines.append(StyledLine("  none left in the history", .dim)) }
        for (i, entry) in d.timeline.enumerated() {
            let selected = state.top.selection == pending.count + i
            if selected { selectedLine = lines.count }
            lines.append(timelineLine(entry, selected: selected, width: textWidth))
        }

        let textRect = Rect(x: leftRect.x + 1, y: leftRect.y, width: leftRect.width - (twoColumns ? 2 : 1), height: leftRect.height)
        // The cursor's line stays in view: the facts show until the cursor goes past the screen.
        let rows = lines.count > textRect.height ? max(1, textRect.height - 1) : textRect.height
        let scroll = selectedLine < rows - 1 ? 0 : selectedLine - rows + 2
        _ = ScrollText.draw(lines, scroll: scroll, in: textRect, grid: &grid)
        if twoColumns {
            for y in rightRect.y..<rightRect.maxY { grid.put("│", x: rightRect.x, y: y, role: .border) }
            _ = ScrollText.draw(involved, scroll: 0, in: Rect(x: rightRect.x + 2, y: rightRect.y, width: rightRect.width - 2, height: rightRect.height), grid: &grid)
        }
        return max(1, rows - 2)
    }

    static func facts(_ d: IncidentDetailData, pending: Int, now: Timestamp, width: Int) -> [StyledLine] {
        let r = d.record
        var head: [(String, StyleRole)] = [("#\(r.id) ", .dim), (r.severity.name.uppercased() + " ", r.severity.role)]
        if r.escalated { head.append(("▲ ESCALATED ", .critical)) }
        head.append((r.title, .title))
        var lines = [StyledLine(segments: head), StyledLine("")]
        lines += StyledLine.field("Escalated", r.escalated ? r.reason ?? "yes" : "no", width: width, role: r.escalated ? .critical : .dim)
        lines += StyledLine.field("Stages", r.stages.isEmpty ? "none seen" : r.stages.joined(separator: " → "), width: width, role: .warning)
        let container = r.containerID == ContainerRef.hostID ? "host" : "\(r.containerName ?? "?") (\(r.containerID))"
        lines += StyledLine.field("Container", container, width: width, role: .label)
        lines += StyledLine.field("Host", r.hostname, width: width)
        lines += StyledLine.field("Role", r.role, width: width)
        lines += StyledLine.field("Opened", Formatting.dateTime(r.opened) + "  (\(Formatting.age(r.opened, now: now)) ago)", width: width)
        lines += StyledLine.field("Updated", Formatting.dateTime(r.updated) + "  (\(Formatting.age(r.updated, now: now)) ago)", width: width)
        lines += StyledLine.field("Alerts", String(r.alertCount), width: width)
        lines += StyledLine.field("Rules", r.rules.joined(separator: ", "), width: width)
        if let processor = d.processor {
            let reach = processor.isOnThisHost ? "on this host: the action keys act on its container here"
                : "another host: act there"
            lines += StyledLine.field("From", "processor \(processor.host), its incident #\(processor.remoteID) "
                                      + "(its correlation and responses; \(reach))", width: width, role: .label)
        }
        if pending > 0 {
            let how = d.processor == nil ? "Y approves the selected one" : "approve them in a console on the processor's history"
            lines += StyledLine.field("Proposals", "\(pending) waiting for approval (\(how))", width: width, role: .warning)
        }
        return lines
    }

    /// Every audit row naming the incident; the pending proposals first in the cursor's order.
    static func responses(_ d: IncidentDetailData, pending: [AuditEntry], selection: Int, now: Timestamp, width: Int,
                          selectedLine: inout Int, offset: Int) -> [StyledLine] {
        var lines = [StyledLine(""), StyledLine("Responses (\(d.responses.count + d.actionsHere.count))", .title)]
        if d.responses.isEmpty && d.actionsHere.isEmpty { lines.append(StyledLine("  none proposed or taken", .dim)) }
        // A processor's incident: its responses, then what was done about it from this console.
        for e in d.responses + d.actionsHere {
            // Only the processor's rows can be pending (ids of the two logs are not comparable).
            let index = pending.firstIndex { $0 == e }
            let selected = index != nil && index == selection
            if selected { selectedLine = offset + lines.count }
            let role: StyleRole = switch e.result {
            case .ok, .done: .good
            case .failed, .refused: .bad
            case .dryRun, .started, .proposed: .warning
            }
            let state = index != nil ? "PROPOSED" : e.result.rawValue
            let here = d.processor != nil && d.actionsHere.contains(e) ? " (this console)" : ""
            let text = "\(selected ? "▸" : index != nil ? "◆" : " ") \(Formatting.clock(e.started)) \(e.action) \(e.target ?? "") · \(state) · \(e.who.summary) via \(e.via)\(here)"
            lines.append(StyledLine(segments: [(CellWidth.truncate(TerminalSafe.escape(text), to: width), role)], highlight: selected ? .selection : nil))
            if let message = e.message, !message.isEmpty {
                lines += Formatting.wrap(message, width: max(8, width - 4)).prefix(2).map { StyledLine("    " + $0, .dim) }
            }
        }
        return lines
    }

    static func involvedLines(_ d: IncidentDetailData, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        for (name, items) in [("Processes", d.processes), ("Files", d.files), ("Connections", d.connections), ("Users", d.users)] {
            lines.append(StyledLine(""))
            lines.append(StyledLine("\(name) (\(items.count))", .title))
            if items.isEmpty { lines.append(StyledLine("  none", .dim)) }
            for item in items {
                let count = ContainerDetailScreen.format5(item.count)
                lines.append(StyledLine(segments: [(count + " ", .dim), (CellWidth.truncate(TerminalSafe.escape(item.value), to: max(1, width - 6)), .normal)]))
            }
        }
        return lines
    }

    /// `▸ 11:52:17 CRIT cred  Rule: message`, cut to the width.
    static func timelineLine(_ entry: TimelineEntry, selected: Bool, width: Int) -> StyledLine {
        let a = entry.stored.alert
        let stage = StageFormat.short(entry.stages)
        var segments: [(String, StyleRole)] = [
            ((selected ? "▸ " : "  ") + Formatting.clock(a.time) + " ", .dim), (a.priority.shortName + " ", a.priority.role),
            (HelpScreen.pad(stage.isEmpty ? "·" : stage, 8) + " ", stage.isEmpty ? .dim : .warning), (a.rule, a.priority.role),
        ]
        for (text, role) in EnrichmentFormat.compact(entry.enrichment) { segments.append((" " + text, role)) }
        segments.append((": " + a.message, .normal))
        // Cut as a whole so a long rule or message never wraps into the next alert's line.
        var used = 0
        var cut: [(String, StyleRole)] = []
        for (text, role) in segments {
            let safe = TerminalSafe.escape(text)
            let room = width - used
            guard room > 0 else { break }
            let part = CellWidth.of(safe) > room ? CellWidth.truncate(safe, to: room) : safe
            cut.append((part, role))
            used += CellWidth.of(part)
        }
        return StyledLine(segments: cut, highlight: selected ? .selection : nil)
    }
}
