/// Every key, from the live key map (so rebinding in the config shows here), and the commands.
public enum HelpScreen {
    static func lines(_ keyMap: KeyMap, incidentActions: Bool = true) -> [StyledLine] {
        var lines: [StyledLine] = [StyledLine("Keys", .title)]
        for action in Action.allCases where incidentActions || !action.isIncident {
            let keys = keyMap.keys(for: action).map(\.label).joined(separator: " ")
            lines.append(StyledLine(segments: [(pad(keys.isEmpty ? "(unbound)" : keys, 22), .key), ("  " + action.summary, .normal)]))
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
            (":theme NAME", "switch theme (default, high-contrast, solarized-dark, monochrome)"),
            (":pause / :resume", "stop / restart the live flow"),
            (":q", "quit"),
        ] {
            lines.append(StyledLine(segments: [(pad(command, 22), .key), ("  " + text, .normal)]))
        }
        lines.append(StyledLine(""))
        lines.append(StyledLine("Prompts: Enter confirms, Esc cancels, Backspace deletes, Ctrl-U clears.", .dim))
        lines.append(StyledLine("Silence (s): r = the alert's rule, c = its container, then a duration (30m, 1h, 1d).", .dim))
        lines.append(StyledLine("Overview rows: ×N = N repeats of the same rule in the same container; ● = new critical, ✓ = acknowledged.", .dim))
        lines.append(StyledLine("Alert text is shown with control characters escaped (\\x1b, \\u{202e}).", .dim))
        return lines
    }

    static func lineCount(_ keyMap: KeyMap, incidentActions: Bool = true) -> Int { lines(keyMap, incidentActions: incidentActions).count }

    static func draw(_ state: ConsoleState, in rect: Rect, grid: inout ScreenGrid) -> Int {
        grid.box(rect, role: .focusedBorder, title: "Help")
        return ScrollText.draw(lines(state.keyMap, incidentActions: !state.readOnly), scroll: state.top.selection, in: rect.inset(1).shifted(dx: 1), grid: &grid)
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
}

extension Rect {
    func shifted(dx: Int) -> Rect { Rect(x: x + dx, y: y, width: width - dx, height: height) }
}
