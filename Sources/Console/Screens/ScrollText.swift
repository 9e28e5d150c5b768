import TradsecCore

/// A list of styled lines drawn from a scroll offset: the detail and help screens.
struct StyledLine {
    var segments: [(String, StyleRole)]
    /// Restyles the whole line (the selected related alert).
    var highlight: StyleRole?

    init(_ text: String, _ role: StyleRole = .normal, highlight: StyleRole? = nil) {
        segments = [(text, role)]
        self.highlight = highlight
    }

    init(segments: [(String, StyleRole)], highlight: StyleRole? = nil) {
        self.segments = segments
        self.highlight = highlight
    }

    /// `label: value`, the value wrapped under itself. A label wider than its column (a long
    /// Falco field name) gets a line of its own, so every value still starts in the same column.
    static func field(_ label: String, _ value: String?, width: Int, labelWidth: Int = 14, role: StyleRole = .normal) -> [StyledLine] {
        guard let value, !value.isEmpty else { return [] }
        let wrapped = Formatting.wrap(value, width: max(8, width - labelWidth - 1))
        let labelCells = CellWidth.of(TerminalSafe.escape(label))
        let ownLine = labelCells > labelWidth
        let head = ownLine ? [StyledLine(label, .label)] : []
        return head + wrapped.enumerated().map { i, part in
            let first = i == 0 && !ownLine
            return StyledLine(segments: [(first ? label : "", .label),
                                         (String(repeating: " ", count: max(0, labelWidth - (first ? labelCells : 0))) + " ", .normal), (part, role)])
        }
    }
}

enum ScrollText {
    /// Draws `lines` from `scroll` (clamped); returns the rows shown.
    static func draw(_ lines: [StyledLine], scroll: Int, in rect: Rect, grid: inout ScreenGrid) -> Int {
        guard rect.height > 0 else { return 1 }
        // When the lines do not fit, the position ("1-9/47") gets the last row to itself: drawn
        // over a line it would hide the end of it and read as part of its value.
        let overflows = lines.count > rect.height
        let rows = overflows && rect.height > 1 ? rect.height - 1 : rect.height
        let first = max(0, min(scroll, lines.count - rows))
        for (offset, line) in lines.dropFirst(first).prefix(rows).enumerated() {
            let y = rect.y + offset
            var x = rect.x
            for (text, role) in line.segments where x < rect.maxX {
                x += grid.put(text, x: x, y: y, role: line.highlight ?? role, maxWidth: rect.maxX - x)
            }
            if let h = line.highlight { grid.restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1), role: h) }
        }
        if overflows {
            let label = " \(first + 1)-\(min(lines.count, first + rows))/\(lines.count) "
            grid.putRight(label, right: rect.maxX, y: rect.maxY - 1, role: .dim)
        }
        return rows
    }
}
