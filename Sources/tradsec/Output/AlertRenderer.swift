import AlertStore
import TradsecCore

/// Formats alerts for the command line: table, JSON Lines and CSV.
struct AlertRenderer {
    /// Escape control characters and escape sequences (output goes to a terminal).
    var escapeForTerminal: Bool
    /// Terminal width; table rows are cut to it when known.
    var width: Int?

    private func text(_ s: String) -> String { escapeForTerminal ? TerminalSafe.escape(s) : s }

    /// The alert exactly as it was ingested; on a terminal, with the characters JSON leaves
    /// raw (C1 controls, bidi overrides) escaped as `\uXXXX` (still the same JSON).
    func jsonLine(_ stored: StoredAlert) -> String {
        escapeForTerminal ? TerminalSafe.escapeJSON(stored.alert.raw) : stored.alert.raw
    }

    static let csvHeader = "id,time,priority,rule,source,hostname,container_id,container_name,container_image,proc_name,user_name,output"

    func csvRow(_ stored: StoredAlert) -> String {
        let a = stored.alert
        let c = a.container
        let fields: [String] = [String(stored.id), a.time.rfc3339(), a.priority.name, a.rule, a.source ?? "", a.hostname ?? "",
                                c.id, c.name, c.image ?? "", a.processName ?? "", a.userName ?? "", a.output]
        return fields.map { Self.csvField(text($0)) }.joined(separator: ",")
    }

    /// One RFC 4180 cell. A cell a spreadsheet would take for a formula (starting with `=`,
    /// `+`, `-`, `@`, a tab or a carriage return: OWASP's CSV injection list) gets a leading
    /// `'`, which spreadsheets show as text; alert text is attacker-controlled.
    static func csvField(_ s: String) -> String {
        var cell = s
        if let first = cell.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { cell = "'" + cell }
        guard cell.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        // By scalar: a quote followed by a combining mark is one Character, and must be doubled too.
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in cell.unicodeScalars {
            quoted.append(scalar)
            if scalar == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return String(quoted)
    }

    func table(_ alerts: [StoredAlert]) -> String {
        let header = ["TIME (UTC)", "PRIORITY", "RULE", "CONTAINER", "OUTPUT"]
        var rows: [[String]] = []
        for stored in alerts {
            let a = stored.alert
            let c = a.container
            // Tables are for people, even when piped to a pager or a file: always escaped.
            rows.append([AlertRenderer.shortTime(a.time), a.priority.name, TerminalSafe.escape(a.rule),
                         TerminalSafe.escape(c.isHost ? "host" : c.name), TerminalSafe.escape(a.message)])
        }
        return TextTable(header: header, rows: rows, maxWidth: width, flexibleColumn: 4).render()
    }

    /// Column widths of the followed table (`query --follow`): fixed, so rows printed minutes
    /// apart still line up; the message takes what the terminal has left.
    private static let fixedWidths = [23, 9, 40, 16]

    var fixedHeader: String { fixedLine(["TIME (UTC)", "PRIORITY", "RULE", "CONTAINER", "OUTPUT"]) }

    func fixedRow(_ a: Alert) -> String {
        fixedLine([AlertRenderer.shortTime(a.time), a.priority.name, TerminalSafe.escape(a.rule),
                          TerminalSafe.escape(a.container.isHost ? "host" : a.container.name), TerminalSafe.escape(a.message)])
    }

    private func fixedLine(_ cells: [String]) -> String {
        var line = ""
        for (i, width) in Self.fixedWidths.enumerated() { line += CellWidth.fit(cells[i], to: width) + "  " }
        let used = Self.fixedWidths.reduce(0, +) + 2 * Self.fixedWidths.count
        return line + (width.map { CellWidth.truncate(cells[4], to: max(10, $0 - used)) } ?? cells[4])
    }

    /// `2026-11-22 10:00:01.123`: millisecond precision reads well in a table.
    static func shortTime(_ t: Timestamp) -> String {
        let s = t.rfc3339(fractionDigits: 3)
        return String(s.dropLast()).replacingT()
    }
}

extension String {
    fileprivate func replacingT() -> String {
        guard let i = firstIndex(of: "T") else { return self }
        var s = self
        s.replaceSubrange(i...i, with: " ")
        return s
    }
}
