import TradsecCore

/// The top line: where we are and whether data flows. Segments are dropped from the least
/// important when the terminal is narrow; the clock stays at the right.
enum Header {
    static func draw(_ state: ConsoleState, sources: [SourceStatus], now: Timestamp, in rect: Rect, grid: inout ScreenGrid) {
        grid.fill(rect, role: .header)
        let clock = Formatting.clock(now) + "Z"
        var segments: [(String, StyleRole)] = [(" tradsec ", .header), (state.hostname, .header)]
        let unseen = state.unseenCriticalCount
        if unseen > 0 { segments.append(("\(unseen) new critical", .unseen)) }
        // Records the sensor lost are syscalls no rule saw: a blind spot, in the alarm colour,
        // early so a narrow terminal keeps it (its short form drops the word "sensor").
        var shortForms: [Int: String] = [:]
        for s in sources where s.counters.dropped > 0 {
            let count = Formatting.grouped(s.counters.dropped)
            shortForms[segments.count] = "\(count) dropped"
            segments.append(("\(s.name == "host" ? "sensor" : s.name) \(count) dropped", .bad))
        }
        if state.paused {
            let waiting = max(0, state.latestID - state.pausedAtID)
            segments.append(("PAUSED" + (waiting > 0 ? " +\(waiting)" : ""), .unseen))
        }
        if let incidents = state.incidentSummary {
            // Off is what the on-call engineer must not miss: nothing will act or propose.
            if !incidents.responseOn { segments.append(("response OFF", .bad)) }
            if incidents.open > 0 {
                // Short, so it stays on an 80-column header: "3 incidents, 1 ▲" (▲ = escalated).
                let escalated = incidents.escalated > 0 ? ", \(incidents.escalated) ▲" : ""
                segments.append(("\(incidents.open) incident\(incidents.open == 1 ? "" : "s")\(escalated)",
                                 incidents.escalated > 0 ? .unseen : .header))
            }
        }
        if let o = state.overview {
            if let t = o.newestTime { segments.append(("last event \(Formatting.age(t, now: now)) ago", .header)) }
            segments.append(("\(o.alertsLastMinute)/min", .header))
        } else {
            segments.append(("loading…", .header))
        }
        for s in sources {
            let role: StyleRole
            switch s.state {
            case .failed: role = .bad
            default: role = .header
            }
            // Drops have their own segment above.
            var shown = s
            shown.counters.dropped = 0
            segments.append(("\(s.name) \(shown.label)", role))
        }
        if sources.isEmpty { segments.append(("history only", .header)) }
        if !state.filter.isEmpty { segments.append(("filter: \(state.filter.summary)", .header)) }
        if let silences = state.overview?.silences, !silences.isEmpty {
            segments.append(("\(silences.count) silence\(silences.count == 1 ? "" : "s")", .header))
        }
        if state.readOnly { segments.append(("read-only", .header)) }

        let limit = rect.width - CellWidth.of(clock) - 1
        var x = rect.x
        for (i, (text, role)) in segments.enumerated() {
            let sep = i == 0 ? "" : " │ "
            let w = CellWidth.of(TerminalSafe.escape(text)) + CellWidth.of(sep)
            if x + w > limit {
                // Room for a cut version of an important segment only (the first ones, a failed
                // source), marked as cut, and only when enough of it shows to be read ("2 new…",
                // never a bare "2"); the gauges screen has a failed sensor's reason in full. A count of
                // drops is never cut (a cut number reads as a smaller one): its short form or nothing.
                let room = limit - x - CellWidth.of(sep)
                if let short = shortForms[i] {
                    if CellWidth.of(short) <= room {
                        if !sep.isEmpty { x += grid.put(sep, x: x, y: rect.y, role: .header) }
                        grid.put(short, x: x, y: rect.y, role: role)
                    }
                } else if i < 3 || role == .bad, room >= 6 {
                    if !sep.isEmpty { x += grid.put(sep, x: x, y: rect.y, role: .header) }
                    grid.put(CellWidth.truncate(TerminalSafe.escape(text), to: room), x: x, y: rect.y, role: role)
                }
                break
            }
            if !sep.isEmpty { x += grid.put(sep, x: x, y: rect.y, role: .header) }
            x += grid.put(text, x: x, y: rect.y, role: role)
        }
        if rect.width > CellWidth.of(clock) + 12 { grid.putRight(clock, right: rect.maxX, y: rect.y, role: .header) }
    }
}

/// The bottom line: the prompt when one is open, else a message, else the keys that matter here.
enum Footer {
    static func draw(_ state: ConsoleState, in rect: Rect, grid: inout ScreenGrid) -> (x: Int, y: Int)? {
        grid.fill(rect, role: .footer)
        let y = rect.y
        switch state.mode {
        case .filter(let text, _):
            let used = grid.put("/" + text, x: rect.x, y: y, role: .prompt, maxWidth: rect.width - 1)
            grid.putRight("Enter keep · Esc cancel", right: rect.maxX, y: y, role: .footer)
            return (min(rect.maxX - 1, rect.x + used), y)
        case .command(let text):
            let used = grid.put(":" + text, x: rect.x, y: y, role: .prompt, maxWidth: rect.width - 1)
            return (min(rect.maxX - 1, rect.x + used), y)
        case .silenceChoice(let rule, let container):
            grid.put("silence [r]ule '\(rule)' or [c]ontainer \(container.name)?  Esc cancels", x: rect.x, y: y, role: .prompt)
            return nil
        case .silenceDuration(let kind, _, let label, let text):
            let used = grid.put("silence \(kind.rawValue) \(label) for: " + text, x: rect.x, y: y, role: .prompt, maxWidth: rect.width - 1)
            return (min(rect.maxX - 1, rect.x + used), y)
        case .confirmIncident(let confirmation):
            return IncidentPrompt.drawFooter(confirmation, in: rect, grid: &grid)
        case .normal:
            break
        }
        if let line = state.incident?.progress {
            grid.put(line, x: rect.x, y: y, role: .prompt, maxWidth: rect.width)
            return nil
        }
        if let message = state.message {
            grid.put(message, x: rect.x, y: y, role: state.messageIsError ? .bad : .footer, maxWidth: rect.width)
            return nil
        }
        var x = rect.x
        for (action, label) in hints(for: state.screen) {
            guard let key = state.keyMap.keys(for: action).first else { continue }
            let k = " " + key.label + " "
            let w = CellWidth.of(k) + CellWidth.of(label) + 1
            if x + w > rect.maxX { break }
            x += grid.put(k, x: x, y: y, role: .key)
            x += grid.put(label + " ", x: x, y: y, role: .footer)
        }
        return nil
    }

    static func hints(for screen: ScreenKind) -> [(Action, String)] {
        switch screen {
        case .overview:
            return [(.help, "help"), (.open, "detail"), (.nextPane, "pane"), (.filter, "filter"), (.command, "cmd"),
                    (.acknowledge, "ack"), (.silence, "silence"), (.pause, "pause"), (.containers, "containers"), (.quit, "quit")]
        case .containers:
            return [(.help, "help"), (.open, "drill in"), (.sort, "sort"), (.silence, "silence"), (.filter, "filter"),
                    (.back, "back"), (.quit, "quit")]
        case .container:
            return [(.help, "help"), (.open, "alert"), (.acknowledge, "ack"), (.silence, "silence"), (.back, "back"), (.quit, "quit")]
        case .alert:
            return [(.help, "help"), (.down, "scroll"), (.nextPane, "related"), (.open, "open related"), (.acknowledge, "ack"),
                    (.silence, "silence"), (.back, "back"), (.quit, "quit")]
        case .help:
            return [(.down, "scroll"), (.back, "back"), (.quit, "quit")]
        case .audit:
            return [(.down, "scroll"), (.back, "back"), (.quit, "quit")]
        case .gauges:
            return [(.help, "help"), (.down, "scroll"), (.back, "back"), (.quit, "quit")]
        case .incidents:
            return [(.help, "help"), (.open, "open"), (.filter, "filter"), (.command, "cmd"), (.back, "back"), (.quit, "quit")]
        case .incident:
            return [(.help, "help"), (.open, "alert"), (.approve, "approve"), (.isolate, "isolate"), (.forensics, "forensics"),
                    (.back, "back"), (.quit, "quit")]
        }
    }
}
