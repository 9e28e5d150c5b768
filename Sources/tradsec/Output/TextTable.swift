import TradsecCore

/// A plain text table with aligned columns; one flexible column is cut (with `…`) so rows
/// fit `maxWidth`. Width is measured in terminal cells, so wide characters align.
struct TextTable {
    var header: [String]
    var rows: [[String]]
    var maxWidth: Int?
    var flexibleColumn: Int

    /// Every cell is escaped (``TerminalSafe``): tables are for people, and their cells often
    /// hold alert text. Escaping text already escaped changes nothing.
    func render() -> String {
        let header = header.map(TerminalSafe.escape)
        let rows = rows.map { $0.map(TerminalSafe.escape) }
        var widths = header.map { CellWidth.of($0) }
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], CellWidth.of(cell)) } }
        if let maxWidth {
            let fixed = widths.enumerated().filter { $0.offset != flexibleColumn }.map(\.element).reduce(0, +)
            let gaps = 2 * (widths.count - 1)
            widths[flexibleColumn] = max(10, min(widths[flexibleColumn], maxWidth - fixed - gaps))
        }
        var out = ""
        for row in [header] + rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                let isLast = i == row.count - 1
                let fitted = CellWidth.truncate(cell, to: widths[i])
                line += fitted
                if !isLast { line += String(repeating: " ", count: widths[i] - CellWidth.of(fitted) + 2) }
            }
            out += line + "\n"
        }
        return out
    }
}
