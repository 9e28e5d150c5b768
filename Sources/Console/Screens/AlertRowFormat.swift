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
              enrichment: AlertEnrichment? = nil, marker: (String, StyleRole), x: Int, y: Int, width: Int, role: StyleRole?,
              grid: inout ScreenGrid) {
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
        // What enrichment found goes before the message, while the message keeps some room.
        for (text, r) in EnrichmentFormat.compact(enrichment) {
            let w = CellWidth.of(TerminalSafe.escape(text))
            guard col + w + 1 <= maxX - 12 else { break }
            col += grid.put(text, x: col, y: y, role: role ?? r)
            col += grid.put(" ", x: col, y: y, role: role ?? .normal)
        }
        if col < maxX { grid.putPadded(alert.message, x: col, y: y, width: maxX - col, role: role ?? .normal) }
    }
}

/// What the processing step added to an alert, as rows and the detail show it: threat-intel
/// hits first (they matter most), then the exchange, other tags, and the service role.
enum EnrichmentFormat {
    static let threatIntelPrefix = "threat-intel:"
    static let exchangePrefix = "exchange:"

    /// Short labels for a row: `TI:feodo`, `ex:binance`, `!allowlist`, `[ai-trading-bot]`.
    static func compact(_ e: AlertEnrichment?) -> [(String, StyleRole)] {
        guard let e, !e.isEmpty else { return [] }
        var out: [(String, StyleRole)] = []
        for tag in e.tags where tag.hasPrefix(threatIntelPrefix) { out.append(("TI:" + tag.dropFirst(threatIntelPrefix.count), .critical)) }
        for tag in e.tags where tag.hasPrefix(exchangePrefix) { out.append(("ex:" + tag.dropFirst(exchangePrefix.count), .good)) }
        for tag in e.tags where !tag.hasPrefix(threatIntelPrefix) && !tag.hasPrefix(exchangePrefix) {
            out.append((tag == "destination:not-allowlisted" ? "!allowlist" : tag, .warning))
        }
        if let role = e.role { out.append(("[\(role)]", .dim)) }
        return out
    }

    /// The alert detail's section: one labelled line per kind.
    static func fields(_ e: AlertEnrichment?, width: Int) -> [StyledLine] {
        guard let e, !e.isEmpty else { return [] }
        let hits = e.tags.filter { $0.hasPrefix(threatIntelPrefix) }.map { String($0.dropFirst(threatIntelPrefix.count)) }
        let exchanges = e.tags.filter { $0.hasPrefix(exchangePrefix) }.map { String($0.dropFirst(exchangePrefix.count)) }
        let others = e.tags.filter { !$0.hasPrefix(threatIntelPrefix) && !$0.hasPrefix(exchangePrefix) }
        var lines: [StyledLine] = [StyledLine(""), StyledLine("Enrichment", .title)]
        lines += StyledLine.field("Role", e.role, width: width, role: .label)
        lines += StyledLine.field("Threat intel", hits.isEmpty ? nil : hits.joined(separator: ", "), width: width, role: .critical)
        lines += StyledLine.field("Exchange", exchanges.isEmpty ? nil : exchanges.joined(separator: ", "), width: width, role: .good)
        lines += StyledLine.field("Tags", others.isEmpty ? nil : others.joined(separator: ", "), width: width, role: .warning)
        lines += StyledLine.field("Incident", e.incidentID.map { "#\($0)" }, width: width)
        return lines
    }
}
