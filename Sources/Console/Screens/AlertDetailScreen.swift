import AlertStore
import TradsecCore

/// Every field of one alert, its output, tags, the raw JSON, and related alerts (same rule,
/// same container, same process). Wide terminals put the related alerts and raw JSON in a
/// second column.
enum AlertDetailScreen {
    static func draw(_ state: ConsoleState, stored: StoredAlert, now: Timestamp, in rect: Rect, grid: inout ScreenGrid) -> Int {
        let alert = stored.alert
        let detail = state.alertDetail.flatMap { $0.stored.id == stored.id ? $0 : nil }
        let twoColumns = rect.width >= 150
        let (leftRect, rightRect) = twoColumns ? rect.splitLeft(rect.width / 2) : (rect, Rect(x: 0, y: 0, width: 0, height: 0))
        let textWidth = leftRect.width - 2

        var lines: [StyledLine] = [
            StyledLine(segments: [(alert.priority.name.uppercased() + " ", alert.priority.role), (alert.rule, .title)]),
            StyledLine(""),
        ]
        lines += StyledLine.field("Time", Formatting.dateTime(alert.time) + "  (\(Formatting.age(alert.time, now: now)) ago)", width: textWidth)
        lines += StyledLine.field("Priority", alert.priority.name, width: textWidth, role: alert.priority.role)
        lines += StyledLine.field("Rule", alert.rule, width: textWidth)
        lines += StyledLine.field("Source", alert.source, width: textWidth)
        lines += StyledLine.field("Host", alert.hostname, width: textWidth)
        let c = alert.container
        lines += StyledLine.field("Container", c.isHost ? "host" : "\(c.name) (\(c.id))", width: textWidth, role: .label)
        lines += StyledLine.field("Image", c.image, width: textWidth)
        if let k = alert.kubernetes { lines += StyledLine.field("Kubernetes", "\(k.namespace)/\(k.pod)", width: textWidth) }
        lines += StyledLine.field("Process", alert.processName.map { p in alert.processID.map { "\(p) (pid \($0))" } ?? p }, width: textWidth)
        lines += StyledLine.field("Command", alert.commandLine, width: textWidth)
        lines += StyledLine.field("User", alert.userName, width: textWidth)
        lines += StyledLine.field("File", alert.fileName, width: textWidth)
        lines += StyledLine.field("Connection", alert.connection, width: textWidth)
        lines += StyledLine.field("Tags", alert.tags.joined(separator: ", "), width: textWidth)
        lines += StyledLine.field("Status", detail.map { $0.acknowledged ? "acknowledged" : "not acknowledged" } ?? "…", width: textWidth,
                                  role: detail?.acknowledged == true ? .acknowledged : .dim)
        lines += StyledLine.field("Alert id", String(stored.id), width: textWidth, role: .dim)
        lines += EnrichmentFormat.fields(detail?.enrichment, width: textWidth)
        lines.append(StyledLine(""))
        lines.append(StyledLine("Output", .title))
        lines += Formatting.wrap(alert.message, width: textWidth).map { StyledLine($0) }
        if !alert.outputFields.isEmpty {
            lines.append(StyledLine(""))
            lines.append(StyledLine("Output fields", .title))
            let keyWidth = min(24, alert.outputFields.keys.map(\.count).max() ?? 0)
            for (k, v) in alert.outputFields.pairs {
                lines += StyledLine.field(k, v.displayText, width: textWidth, labelWidth: keyWidth)
            }
        }
        var right: [StyledLine] = []
        right.append(StyledLine(""))
        right += relatedLines(state, detail: detail, width: twoColumns ? rightRect.width - 2 : textWidth)
        right.append(StyledLine(""))
        right.append(StyledLine("Raw JSON", .title))
        right += PrettyJSON.lines(alert.raw).flatMap { Formatting.wrap($0, width: twoColumns ? rightRect.width - 2 : textWidth) }.map { StyledLine($0, .dim) }

        if twoColumns {
            _ = ScrollText.draw(lines, scroll: state.top.scroll, in: Rect(x: leftRect.x + 1, y: leftRect.y, width: leftRect.width - 2, height: leftRect.height), grid: &grid)
            for y in rightRect.y..<rightRect.maxY { grid.put("│", x: rightRect.x, y: y, role: .border) }
            let relatedRect = Rect(x: rightRect.x + 2, y: rightRect.y, width: rightRect.width - 2, height: rightRect.height)
            _ = ScrollText.draw(right, scroll: state.top.scroll, in: relatedRect, grid: &grid)
        } else {
            _ = ScrollText.draw(lines + right, scroll: state.top.scroll, in: Rect(x: rect.x + 1, y: rect.y, width: rect.width - 1, height: rect.height), grid: &grid)
        }
        return max(1, rect.height - 2)
    }

    static func relatedLines(_ state: ConsoleState, detail: AlertDetailData?, width: Int) -> [StyledLine] {
        guard let detail else { return [StyledLine("Related alerts: loading…", .dim)] }
        var lines: [StyledLine] = []
        var index = 0
        for (title, list) in [("Same rule", detail.sameRule), ("Same container", detail.sameContainer), ("Same process", detail.sameProcess)] {
            lines.append(StyledLine("\(title) (\(list.count))", .title))
            if list.isEmpty { lines.append(StyledLine("  none", .dim)) }
            for related in list {
                let a = related.alert
                let selected = index == state.top.selection
                let text = "\(selected ? "▸" : " ") \(Formatting.clock(a.time)) \(a.priority.shortName) \(a.container.name)  \(a.rule): \(a.message)"
                lines.append(StyledLine(segments: [(CellWidth.truncate(TerminalSafe.escape(text), to: width), a.priority.role)],
                                        highlight: selected ? .selection : nil))
                index += 1
            }
        }
        return lines
    }
}
