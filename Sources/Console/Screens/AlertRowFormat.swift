import AlertStore
import TradsecCore

/// The columns of an alert row, chosen for the width available: narrow terminals keep
/// time, priority and rule; wide ones add container, process, user and first-seen.
struct AlertColumns {
    var container = 0
    var rule = 0
    var process = 0
    var user = 0
    var firstSeen = false
    var count = 5
    var labelHosts = false

    init(width: Int, labelHosts: Bool = false) {
        self.labelHosts = labelHosts
        if width >= 60 { container = width >= 110 ? 20 : 14 }
        rule = width >= 240 ? 46 : width >= 140 ? 34 : width >= 90 ? 26 : width >= 60 ? 20 : max(8, width - 16)
        if width >= 170 { process = 14 }
        if width >= 200 { user = 10 }
        firstSeen = width >= 240
    }

    /// Draws one row; the message takes whatever width is left.
    func draw(time: Timestamp, priority: Priority, count: Int, firstSeen first: Timestamp?, alert: Alert,
              marker: (String, StyleRole), x: Int, y: Int, width: Int, role: StyleRole?, grid: inout ScreenGrid) {
        let maxX = x + width
        var col = x
        func cell(_ text: String, _ w: Int, _ r: StyleRole) {
            guard col < maxX, w > 0 else { return }
            grid.putPadded(text, x: col, y: y, width: min(w, maxX - col), role: role ?? r)
            col += w + 1
            if col <= maxX { grid.put(" ", x: col - 1, y: y, role: role ?? .normal) }
        }
        cell(marker.0, 1, marker.1)
        cell(Formatting.clock(time), 8, .dim)
        cell(priority.shortName, 4, priority.role)
        cell(count > 1 ? "×" + Formatting.compact(count) : "", self.count - 1, .warning)
        if firstSeen { cell(first.map { "since " + Formatting.clock($0) } ?? "", 14, .dim) }
        if container > 0 {
            // With several hosts feeding one console, "host/container" says where it happened.
            let name = labelHosts ? "\(alert.hostname ?? "?")/\(alert.container.isHost ? "host" : alert.container.name)" : alert.container.name
            cell(name, labelHosts ? container + 8 : container, .label)
        }
        cell(alert.rule, rule, priority.role)
        if process > 0 { cell(alert.processName ?? "", process, .normal) }
        if user > 0 { cell(alert.userName ?? "", user, .dim) }
        if col < maxX { grid.putPadded(alert.message, x: col, y: y, width: maxX - col, role: role ?? .normal) }
    }
}
