import TradsecCore

/// Every key, from the live key map (so rebinding in the config shows here), and the commands.
public enum HelpScreen {
    /// The lines at `width` cells: each text wrapped under itself beside its keys, so nothing
    /// is cut on a narrow terminal.
    static func lines(_ keyMap: KeyMap, incidentActions: Bool = true, width: Int) -> [StyledLine] {
        let keyWidth = width >= 60 ? 22 : 14
        func entry(_ keys: String, _ text: String) -> [StyledLine] {
            let indent = String(repeating: " ", count: keyWidth + 2)
            // Keys wider than their column get a line of their own, the text starting below.
            var out = CellWidth.of(keys) > keyWidth ? [StyledLine(keys, .key)] : []
            for part in Formatting.wrap(text, width: max(8, width - keyWidth - 2)) {
                out.append(StyledLine(segments: out.isEmpty ? [(pad(keys, keyWidth), .key), ("  " + part, .normal)] : [(indent + part, .normal)]))
            }
            return out
        }
        var lines: [StyledLine] = [StyledLine("Keys", .title)]
        for action in Action.allCases where incidentActions || !action.isIncident {
            let keys = keyMap.keys(for: action).map(\.label).joined(separator: " ")
            lines += entry(keys.isEmpty ? "(unbound)" : keys, action.summary)
        }
        lines.append(StyledLine(""))
        lines.append(StyledLine("Commands (:)", .title))
        for (command, text) in [
            (":priority >=error", "only these priorities (critical, >=warning, error,critical); ':priority' alone clears"),
            (":since 1h", "only alerts newer than this (30s, 15m, 2h, 7d, RFC 3339 time)"),
            (":container NAME", "one container (name, id or its first characters, or 'host')"),
            (":rule GLOB", "rules matching a glob ('Read sensitive*')"),
            (":search WORDS", "same as / (words that must occur in the alert text)"),
            (":clear", "remove every filter"),
            (":silences", "list the active silences, numbered"),
            (":unsilence [N]", "remove silence N, or all of them"),
            (":incidents", "the incidents screen: Enter opens one (timeline, what it touched, responses)"),
            (":response off|on", "the response rules' kill switch for every process on this history (audited)"),
            (":theme NAME", "switch theme (default, high-contrast, solarized-dark, monochrome)"),
            (":pause / :resume", "stop / restart the live flow"),
            (":q", "quit"),
        ] {
            lines += entry(command, text)
        }
        lines.append(StyledLine(""))
        for note in [
            "Prompts: Enter confirms, Esc cancels, Backspace deletes, Ctrl-U clears.",
            "Silence (s): r = the alert's rule, c = its container, then a duration (30m, 1h, 1d).",
            "Overview rows: ×N = N repeats of the same rule in the same container; ● = new critical, ✓ = acknowledged.",
            "Enrichment in rows: TI:list = a threat-intelligence hit, ex:name = a known exchange, !allowlist = a destination off the allowlist, [role] = the service role.",
            "Incidents: ▲ = escalated (its attack stages followed a known sequence); ◆ = a response proposal waiting for approval.",
            "Alert text is shown with control characters escaped (\\x1b, \\u{202e}).",
        ] {
            lines += Formatting.wrap(note, width: max(8, width)).map { StyledLine($0, .dim) }
        }
        return lines
    }

    /// Counted at the narrowest layout, the longest one (the cursor scrolls the help); ScrollText
    /// clamps the scroll when drawing wider.
    static func lineCount(_ keyMap: KeyMap, incidentActions: Bool = true) -> Int {
        lines(keyMap, incidentActions: incidentActions, width: 0).count
    }

    static func draw(_ state: ConsoleState, in rect: Rect, grid: inout ScreenGrid) -> Int {
        grid.box(rect, role: .focusedBorder, title: "Help")
        let inner = rect.inset(1).shifted(dx: 1)
        return ScrollText.draw(lines(state.keyMap, incidentActions: !state.readOnly, width: inner.width), scroll: state.top.selection,
                               in: inner, grid: &grid)
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
}

extension Rect {
    func shifted(dx: Int) -> Rect { Rect(x: x + dx, y: y, width: width - dx, height: height) }
}
