import AlertStore
import TradsecCore

/// One container: its alert timeline, recent alerts (selectable), top rules, and the
/// processes, files, connections and users its alerts name.
enum ContainerDetailScreen {
    static func draw(_ state: ConsoleState, id: String, now: Timestamp, in rect: Rect, grid: inout ScreenGrid) -> Int {
        guard let d = state.containerDetail, d.containerID == id else {
            grid.put("loading container \(id)…", x: rect.x + 1, y: rect.y + 1, role: .dim)
            return 1
        }
        let ref = d.activity?.container.ref ?? ContainerRef(id: id, name: id, image: nil)
        // Title line and timeline.
        var title = ref.isHost ? "host" : "\(ref.name) (\(String(ref.id.prefix(12))))"
        if let image = ref.image { title += " · \(image)" }
        if let a = d.activity { title += " · \(a.total) alerts, last \(Formatting.age(a.lastAlert, now: now)) ago" }
        grid.put(title, x: rect.x + 1, y: rect.y, role: .title, maxWidth: rect.width - 2)
        let spanLabel = " last \(Duration.describe(nanoseconds: d.bucketNanoseconds * Int64(d.timeline.count)))"
        let sparkWidth = max(0, min(d.timeline.count, rect.width - CellWidth.of(spanLabel) - 12))
        grid.put("timeline ", x: rect.x + 1, y: rect.y + 1, role: .label)
        grid.put(Sparkline.render(Sparkline.resampled(d.timeline, width: sparkWidth), width: sparkWidth), x: rect.x + 10, y: rect.y + 1, role: .sparkline)
        grid.put(spanLabel, x: rect.x + 10 + sparkWidth, y: rect.y + 1, role: .dim, maxWidth: max(0, rect.maxX - rect.x - 10 - sparkWidth))
        let body = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2)
        guard body.height >= 3 else { return 1 }

        // Side panel of what was seen, when there is room; else everything stacks below the alerts.
        let sideWidth = body.width >= 110 ? max(40, body.width / 3) : 0
        let (alertsRect, sideRect) = sideWidth > 0 ? body.splitLeft(body.width - sideWidth) : (body, Rect(x: 0, y: 0, width: 0, height: 0))
        let seenSections: [(String, [SeenCount])] = [("Top rules", d.topRules), ("Processes", d.processes), ("Files", d.files),
                                                      ("Connections", d.connections), ("Users", d.users)]
        var alertsBox = alertsRect
        var seenBox = sideRect
        if sideWidth == 0 {
            let seenHeight = body.height >= 24 ? body.height / 2 : 0
            (alertsBox, seenBox) = body.splitBottom(seenHeight)
        }
        grid.box(alertsBox, role: .focusedBorder, title: "Recent alerts \(d.recent.count)")
        let inner = alertsBox.inset(1)
        let selected = state.top.selection
        let first = selected < inner.height ? 0 : selected - inner.height + 1
        let columns = AlertColumns(width: inner.width, labelHosts: state.labelHosts)
        for (offset, stored) in d.recent.dropFirst(first).prefix(max(0, inner.height)).enumerated() {
            let isSelected = first + offset == selected
            columns.draw(time: stored.alert.time, priority: stored.alert.priority, count: 1, firstSeen: nil, alert: stored.alert,
                         enrichment: d.enrichment[stored.id], marker: (" ", .normal), x: inner.x, y: inner.y + offset, width: inner.width,
                         role: isSelected ? .selection : nil, grid: &grid)
        }
        if !seenBox.isEmpty, seenBox.height >= 3 {
            grid.box(seenBox, role: .border, title: "Seen in its alerts")
            var lines: [StyledLine] = []
            for (name, items) in seenSections {
                lines.append(StyledLine(name, .title))
                if items.isEmpty { lines.append(StyledLine("  none", .dim)) }
                for item in items {
                    lines.append(StyledLine(segments: [(String(format5(item.count)) + " ", .dim), (item.value, .normal)]))
                }
            }
            _ = ScrollText.draw(lines, scroll: 0, in: seenBox.inset(1), grid: &grid)
        }
        return max(1, inner.height)
    }

    static func format5(_ n: Int) -> String {
        let s = Formatting.compact(n)
        return String(repeating: " ", count: max(0, 5 - s.count)) + s
    }
}
