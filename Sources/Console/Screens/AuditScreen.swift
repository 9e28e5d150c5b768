import Actions
import AlertStore
import TradsecCore

/// The audit log: every incident action, newest first (the same rows as `tradsec audit`).
enum AuditScreen {
    static func draw(_ state: ConsoleState, now: Timestamp, in rect: Rect, grid: inout ScreenGrid) -> Int {
        guard let entries = state.incident?.auditEntries else {
            grid.put(state.incident == nil ? "read-only: incident actions are off" : "loading the audit log…",
                     x: rect.x + 1, y: rect.y + 1, role: .dim)
            return 1
        }
        // Tall terminals show the selected action in full below the list: the message is cut in
        // a row, and the detail (networks disconnected, archive digest) is what one looks for.
        var listRect = rect
        if rect.height >= 20, let selected = entries[safe: state.top.selection] {
            let (top, bottom) = rect.splitBottom(8)
            listRect = top
            drawDetail(selected, in: bottom, grid: &grid)
        }
        grid.box(listRect, role: .focusedBorder, title: "Audit log · \(entries.count) action(s)")
        let inner = listRect.inset(1)
        guard inner.height > 1 else { return 1 }
        // Narrow terminals keep what was done and how it ended: the result before the target,
        // whose name is cut with "…" rather than pushing the result off the screen.
        let narrow = inner.width < 60
        let columns: [(String, Int)] = narrow
            ? [("WHEN", 6), ("ACTION", 12), ("RESULT", 7), ("TARGET", max(8, inner.width - 28))]
            : [("WHEN", 9), ("ACTION", 13), ("TARGET", 18), ("RESULT", 8), ("MS", 7), ("WHO", 24), ("VIA", 8)]
        var x = inner.x
        for (title, w) in columns where x < inner.maxX {
            grid.putPadded(title, x: x, y: inner.y, width: min(w, inner.maxX - x), role: .title)
            x += w + 1
        }
        if x < inner.maxX { grid.put("MESSAGE", x: x, y: inner.y, role: .title) }
        let body = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        if entries.isEmpty {
            grid.put("no incident actions recorded", x: body.x + 1, y: body.y, role: .dim)
            return body.height
        }
        let selected = state.top.selection
        let first = selected < body.height ? 0 : selected - body.height + 1
        for (offset, e) in entries.dropFirst(first).prefix(body.height).enumerated() {
            let y = body.y + offset
            let resultRole: StyleRole = switch e.result {
            case .ok, .done: .good
            case .failed, .refused: .bad
            case .dryRun, .started, .proposed: .warning
            }
            let cells: [String: (String, StyleRole)] = [
                "WHEN": (Formatting.age(e.started, now: now), .dim), "ACTION": (e.action, .label),
                "TARGET": (narrow ? CellWidth.truncate(TerminalSafe.escape(e.target ?? ""), to: columns[3].1) : e.target ?? "", .normal),
                "RESULT": (e.result.rawValue, resultRole), "MS": (e.latencyMilliseconds.map { "\(Int($0.rounded()))" } ?? "", .dim),
                "WHO": (e.who.summary, .normal), "VIA": (e.via, .dim),
            ]
            var x = body.x
            for (title, w) in columns where x < body.maxX {
                let (text, role) = cells[title] ?? ("", .normal)
                grid.putPadded(text, x: x, y: y, width: min(w, body.maxX - x), role: role)
                x += w + 1
            }
            if x < body.maxX { grid.put(e.message ?? "", x: x, y: y, role: .normal, maxWidth: body.maxX - x) }
            if first + offset == selected { grid.restyle(Rect(x: body.x, y: y, width: body.width, height: 1), role: .selection) }
        }
        return body.height
    }
}

extension AuditScreen {
    static func drawDetail(_ e: AuditEntry, in rect: Rect, grid: inout ScreenGrid) {
        grid.box(rect, role: .border, title: "#\(e.id) \(e.action) \(e.target ?? "")")
        let inner = rect.inset(1).shifted(dx: 1)
        let width = inner.width
        var lines: [StyledLine] = []
        let times = e.started.rfc3339(fractionDigits: 3) + (e.finished.map { " → " + $0.rfc3339(fractionDigits: 3) } ?? " (not finished)")
        lines += StyledLine.field("when", times, width: width, labelWidth: 8)
        lines += StyledLine.field("who", "\(e.who.summary) via \(e.via)", width: width, labelWidth: 8)
        lines += StyledLine.field("result", e.result.rawValue + " · " + (e.message ?? ""), width: width, labelWidth: 8)
        lines += StyledLine.field("detail", e.detail, width: width, labelWidth: 8, role: .dim)
        _ = ScrollText.draw(lines, scroll: 0, in: inner, grid: &grid)
    }
}
