import AlertStore
import TradsecCore

/// Every container (and the host) with alert counts per priority band, last alert and image.
enum ContainersScreen {
    static func draw(_ state: ConsoleState, now: Timestamp, in rect: Rect, grid: inout ScreenGrid) -> Int {
        guard let list = state.containers else {
            grid.put("loading containers…", x: rect.x + 1, y: rect.y + 1, role: .dim)
            return 1
        }
        let rows = state.sortedContainers
        grid.box(rect, role: .focusedBorder, title: "Containers \(list.count) · sorted by \(state.containerSort.rawValue)")
        let inner = rect.inset(1)
        guard inner.height > 1 else { return 1 }
        let wide = inner.width >= 100
        let narrow = inner.width < 60
        let nameWidth = wide ? 24 : narrow ? max(8, inner.width - 24) : max(10, inner.width - 43)
        var columns: [(String, Int)] = narrow
            ? [("CONTAINER", nameWidth), ("CRIT", 5), ("E/W", 5), ("NOTE", 5), ("ALL", 5)]
            : [("CONTAINER", nameWidth), ("CRIT+", 6), ("ERR/WRN", 7), ("NOTICE-", 7), ("TOTAL", 7), ("LAST", 8)]
        if wide { columns.append(("IMAGE", max(10, inner.width - columns.map { $0.1 + 1 }.reduce(0, +)))) }
        var x = inner.x
        for (title, w) in columns {
            grid.putPadded(title, x: x, y: inner.y, width: min(w, max(0, inner.maxX - x)), role: .title)
            x += w + 1
        }
        let body = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        if rows.isEmpty {
            grid.put(state.filter.isEmpty ? "no alerts in the history" : "no containers match \(state.filter.summary)",
                     x: body.x + 1, y: body.y, role: .dim)
            return body.height
        }
        let selected = state.top.selection
        let first = selected < body.height ? 0 : selected - body.height + 1
        for (offset, activity) in rows.dropFirst(first).prefix(body.height).enumerated() {
            let y = body.y + offset
            let ref = activity.container.ref
            let crit = activity.count(PaneKind.critical.priorities)
            let cells: [(String, StyleRole)] = [
                (ref.isHost ? "host (\(activity.container.hostname ?? ref.name))" : ref.name, .label),
                (crit > 0 ? Formatting.compact(crit) : "·", crit > 0 ? .critical : .dim),
                (Formatting.compact(activity.count(PaneKind.errorWarning.priorities)), .error),
                (Formatting.compact(activity.count(PaneKind.noticeBelow.priorities)), .notice),
                (Formatting.compact(activity.total), .normal),
                (Formatting.age(activity.lastAlert, now: now), .dim),
                (ref.image ?? "", .dim),
            ]
            var x = body.x
            for (i, (title, w)) in columns.enumerated() where x < body.maxX {
                _ = title
                grid.putPadded(cells[i].0, x: x, y: y, width: min(w, body.maxX - x), role: cells[i].1)
                x += w + 1
            }
            if first + offset == selected { grid.restyle(Rect(x: body.x, y: y, width: body.width, height: 1), role: .selection) }
        }
        return body.height
    }
}
