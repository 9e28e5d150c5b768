import Actions
import TradsecCore

/// The confirmation of an incident action: the typed name on the bottom line and, for a
/// container action, a box over the screen with what the engine has under the id the
/// alert gave, so the operator confirms the container that will be acted on, not the
/// alert's word for it.
enum IncidentPrompt {
    static func drawFooter(_ c: IncidentConfirmation, in rect: Rect, grid: inout ScreenGrid) -> (x: Int, y: Int)? {
        // What is typed must stay in view: narrower terminals get a shorter label (the box above
        // names the action too).
        let kind = c.request.kind.rawValue.uppercased()
        let labels = ["\(kind) — type \(c.expected) to confirm (Esc cancels): ", "\(kind) — type \(c.expected): ", "type \(c.expected): "]
        let typing = CellWidth.of(TerminalSafe.escape(c.expected)) + 1
        let label = labels.first { CellWidth.of(TerminalSafe.escape($0)) + typing <= rect.width } ?? labels[labels.count - 1]
        let used = grid.put(label, x: rect.x, y: rect.y, role: .bad, maxWidth: rect.width - 1)
        let typed = grid.put(c.typed, x: rect.x + used, y: rect.y, role: .prompt, maxWidth: max(0, rect.width - used - 1))
        return (min(rect.maxX - 1, rect.x + used + typed), rect.y)
    }

    static func lines(_ c: IncidentConfirmation, container: EngineContainer, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        if let claimed = c.claimedName {
            let warning = "WARNING: the alert names this container '\(claimed)', but the engine says id \(container.shortID) is '\(container.name)'. The alert may be forged: \(c.request.kind.rawValue) acts on the container below, whatever the alert says."
            lines += Formatting.wrap(warning, width: max(8, width)).map { StyledLine($0, .bad) }
            lines.append(StyledLine(""))
        }
        lines += StyledLine.field("engine id", container.id, width: width, labelWidth: 10)
        lines += StyledLine.field("name", container.names.joined(separator: ", "), width: width, labelWidth: 10)
        lines += StyledLine.field("image", container.image.isEmpty ? "(none)" : container.image, width: width, labelWidth: 10)
        lines += StyledLine.field("state", container.state.isEmpty ? "(unknown)" : container.state, width: width, labelWidth: 10)
        lines.append(StyledLine(""))
        lines.append(StyledLine("Type \(container.name) below to \(c.request.kind.rawValue) this container; Esc cancels.", .prompt))
        return lines
    }

    /// The box over `body` (nothing for stop-trading, which names no container).
    static func drawTarget(_ c: IncidentConfirmation, in body: Rect, grid: inout ScreenGrid) {
        guard let container = c.container, body.width >= 20, body.height >= 5 else { return }
        let width = min(body.width, 90)
        let content = lines(c, container: container, width: width - 4)
        let height = min(body.height, content.count + 2)
        let box = Rect(x: body.x + (body.width - width) / 2, y: body.y + max(0, (body.height - height) / 2), width: width, height: height)
        grid.fill(box)
        grid.box(box, role: c.claimedName == nil ? .focusedBorder : .bad,
                 title: "\(c.request.kind.rawValue.uppercased()) — the engine's container")
        _ = ScrollText.draw(content, scroll: 0, in: box.inset(1).shifted(dx: 1), grid: &grid)
    }
}
