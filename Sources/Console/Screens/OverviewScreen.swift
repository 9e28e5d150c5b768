import TradsecCore

/// Three live panes by priority. Tall terminals stack them with borders; short ones
/// collapse to the focused pane under a one-line tab bar.
enum OverviewScreen {
    static let minimumStackedHeight = 15

    static func draw(_ state: ConsoleState, now: Timestamp, in full: Rect, grid: inout ScreenGrid) -> Int {
        var rect = full
        // The gauge strip takes the first row while the panes keep a usable height.
        if let gauges = state.gauges, full.height >= 8 {
            let (strip, rest) = full.splitTop(1)
            GaugeStrip.draw(gauges, in: strip, grid: &grid)
            rect = rest
        }
        guard let overview = state.overview else {
            grid.put("loading the history…", x: rect.x + 1, y: rect.y + 1, role: .dim)
            return 1
        }
        if rect.height >= minimumStackedHeight && rect.width >= 50 {
            let rects = layout(overview, in: rect)
            var page = 1
            for (i, pane) in overview.panes.enumerated() {
                let inner = drawPane(state, pane: pane, index: i, in: rects[i], bordered: true, now: now, grid: &grid)
                if i == state.focusedPane { page = inner }
            }
            return page
        }
        // Collapsed: tabs with counts, then the focused pane borderless.
        let (tabs, body) = rect.splitTop(1)
        var x = tabs.x
        for (i, pane) in overview.panes.enumerated() {
            let label = " \(pane.kind.shortTitle) \(pane.total.map(Formatting.compact) ?? "…") "
            let role: StyleRole = i == state.focusedPane ? .selection : pane.kind.role
            x += grid.put(label, x: x, y: tabs.y, role: role, maxWidth: max(0, tabs.maxX - x))
            if x < tabs.maxX { x += grid.put(" ", x: x, y: tabs.y) }
        }
        return drawPane(state, pane: overview.panes[state.focusedPane], index: state.focusedPane, in: body,
                        bordered: false, now: now, grid: &grid)
    }

    /// Pane heights: a pane with little to show gives its spare rows to the others.
    static func layout(_ overview: OverviewData, in rect: Rect) -> [Rect] {
        let minHeight = 5
        var heights = Array(repeating: rect.height / 3, count: 3)
        heights[0] += rect.height - heights.reduce(0, +)
        // Shrink panes whose rows fit in less, then hand the spare rows to the others equally.
        var spare = 0
        for i in 0..<3 {
            let wanted = max(minHeight, overview.panes[i].rows.count + 2)
            if wanted < heights[i] {
                spare += heights[i] - wanted
                heights[i] = wanted
            }
        }
        let growable = (0..<3).filter { overview.panes[$0].rows.count + 2 > heights[$0] }
        if !growable.isEmpty {
            for (n, i) in growable.enumerated() { heights[i] += spare / growable.count + (n < spare % growable.count ? 1 : 0) }
        } else {
            for i in 0..<3 { heights[i] += spare / 3 + (i < spare % 3 ? 1 : 0) }
        }
        var y = rect.y
        return heights.map { h in defer { y += h }; return Rect(x: rect.x, y: y, width: rect.width, height: h) }
    }

    /// Draws a pane; returns its visible row count.
    static func drawPane(_ state: ConsoleState, pane: PaneData, index: Int, in rect: Rect, bordered: Bool,
                         now: Timestamp, grid: inout ScreenGrid) -> Int {
        let focused = index == state.focusedPane
        var inner = rect
        if bordered {
            let count = pane.total.map { Formatting.compact($0) } ?? "…"
            let title = "\(pane.kind.title) \(count)"
            grid.box(rect, role: focused ? .focusedBorder : .border, title: title, titleRole: pane.kind.role)
            // Rate sparkline and per-minute rate at the right of the top border.
            let perMinute = pane.rate.last ?? 0
            let label = " \(perMinute)/min "
            let sparkWidth = min(pane.rate.count, max(0, rect.width / 4))
            if sparkWidth >= 5, pane.rate.contains(where: { $0 > 0 }), rect.width > CellWidth.of(title) + sparkWidth + 16 {
                let right = rect.maxX - 2
                grid.putRight(label, right: right, y: rect.y, role: .dim)
                grid.putRight(Sparkline.render(pane.rate, width: sparkWidth), right: right - CellWidth.of(label), y: rect.y, role: .sparkline)
            }
            inner = rect.inset(1)
        }
        guard inner.height > 0, inner.width > 0 else { return 1 }
        if pane.rows.isEmpty {
            let text = state.filter.isEmpty ? "no alerts" : "no alerts match \(state.filter.summary)"
            grid.put(text, x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 1)
            return inner.height
        }
        let selected = state.paneSelection[index]
        let first = selected < inner.height ? 0 : selected - inner.height + 1
        let columns = AlertColumns(width: inner.width, labelHosts: state.labelHosts)
        for (offset, row) in pane.rows.dropFirst(first).prefix(inner.height).enumerated() {
            let y = inner.y + offset
            let isSelected = focused && first + offset == selected
            let unseen = state.isUnseen(row, in: pane.kind)
            let role: StyleRole? = isSelected ? .selection : unseen ? .unseen : row.acknowledged ? .acknowledged : nil
            let marker: (String, StyleRole) = row.acknowledged ? ("✓", .acknowledged) : unseen ? ("●", .unseen) : (" ", .normal)
            columns.draw(time: row.lastSeen, priority: row.newest.alert.priority, count: row.count,
                         firstSeen: row.count > 1 ? row.firstSeen : nil, alert: row.newest.alert,
                         enrichment: state.overview?.enrichment[row.newest.id], marker: marker,
                         x: inner.x, y: y, width: inner.width, role: role, grid: &grid)
        }
        return inner.height
    }
}
