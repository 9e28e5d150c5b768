import Gauges
import TradsecCore

/// Falco, the trading bot and (when one runs in the console) the host sensor side by side in
/// numbers and sparklines, Falco's health and drop counters, the sensor's events and drops, and
/// how old each feed's newest alert is. Reads the latest snapshot only: the sampler thread
/// does the I/O.
enum GaugesScreen {
    static let sparkWidth = 30

    static func draw(_ state: ConsoleState, now: Timestamp, in rect: Rect, grid: inout ScreenGrid) -> Int {
        grid.box(rect, role: .focusedBorder, title: "Gauges")
        let inner = rect.inset(1).shifted(dx: 1)
        if let off = state.gaugesOff {
            return ScrollText.draw([StyledLine("gauges are off: " + off, .error)], scroll: 0, in: inner, grid: &grid)
        }
        return ScrollText.draw(lines(state.gauges, width: inner.width), scroll: state.top.selection, in: inner, grid: &grid)
    }

    /// Counted for the stacked layout (narrow terminals), the longest one; side by side has
    /// fewer lines, and ScrollText clamps the scroll when drawing.
    static func lineCount(_ snapshot: GaugeSnapshot?) -> Int { lines(snapshot, width: 80).count }

    static func lines(_ snapshot: GaugeSnapshot?, width: Int) -> [StyledLine] {
        guard let s = snapshot else { return [StyledLine("sampling… (the first reading takes one interval)", .dim)] }
        // Falco, the bot and a running sensor side by side in columns of 50 when they fit,
        // else in rows of two, else one above the other.
        var watched = [("Falco", s.falco), ("Trading bot", s.bot)]
        if let sensor = s.sensor, sensor.reading.failure == nil { watched.append(("Sensor (this process)", sensor.resource)) }
        let columns = width >= 50 * watched.count ? watched.count : width >= 100 ? 2 : 1
        let column = width / columns
        let spark = max(0, min(sparkWidth, column - 34))
        let blocks = watched.map { resource($0.0, $0.1, spark: spark) }
        var lines: [StyledLine] = []
        for rowStart in stride(from: 0, to: blocks.count, by: columns) {
            let row = Array(blocks[rowStart..<min(blocks.count, rowStart + columns)])
            for i in 0..<(row.map(\.count).max() ?? 0) {
                var segments: [(String, StyleRole)] = []
                for (j, block) in row.enumerated() {
                    let cells = block[safe: i]?.segments ?? []
                    if j == row.count - 1 {
                        segments += cells
                    } else {
                        segments += (cells.isEmpty ? [(String(repeating: " ", count: column - 1), .normal)] : fit(cells, to: column - 1))
                            + [(" ", .normal)]
                    }
                }
                lines.append(StyledLine(segments: segments))
            }
        }
        let h = s.falcoHealth
        lines.append(StyledLine("Falco health", .title))
        lines.append(StyledLine(segments: [(pad("  healthz", 10), .label), (h.healthText, healthRole(h.health))]))
        if let m = h.metrics {
            var text = "kernel \(m.kernelDrops.map(GaugeFormat.count) ?? "–") · output queue \(m.outputQueueDrops.map(GaugeFormat.count) ?? "–")"
            for (name, v) in m.otherDrops.sorted(by: { $0.key < $1.key }) { text += " · \(name) \(GaugeFormat.count(v))" }
            let newRole: StyleRole = (h.newDrops ?? 0) > 0 ? .critical : .normal
            lines.append(StyledLine(segments: [(pad("  drops", 10), .label), (text, m.totalDrops > 0 ? .warning : .normal),
                                               (h.newDrops.map { "  +\(GaugeFormat.count($0)) since the last sample" } ?? "", newRole)]))
            if spark > 0 {
                lines.append(StyledLine(segments: [(pad("  dropping", 10), .label),
                                                   (Sparkline.render(h.dropsHistory.map { GaugeFormat.sparkLevel($0) }, width: spark), .critical)]))
            }
            if let e = m.events { lines.append(StyledLine(segments: [(pad("  events", 10), .label), (GaugeFormat.count(e), .normal)])) }
            if let v = m.version { lines.append(StyledLine(segments: [(pad("  version", 10), .label), (v, .dim)])) }
        }
        // Without metrics, why; with them, the lines that were skipped.
        if let e = h.metricsError {
            lines.append(StyledLine(segments: [(pad("  metrics", 10), .label), (e, h.metrics == nil ? .warning : .dim)]))
        }
        if let sensor = s.sensor {
            lines.append(StyledLine(""))
            lines += sensorLines(sensor, width: width, spark: spark)
        }
        lines.append(StyledLine(""))
        lines.append(StyledLine("Feeds (newest alert per source)", .title))
        if let e = s.feedsError {
            lines.append(StyledLine("  " + e, .dim))
        } else if s.feeds.isEmpty {
            lines.append(StyledLine("  no alerts in the history yet", .dim))
        }
        for f in s.feeds {
            lines.append(StyledLine(segments: [(pad("  " + f.source, 14), .label),
                                               (GaugeFormat.age(seconds: f.ageSeconds) + " ago", role(f.level)),
                                               (f.origin.map { "  from \($0)" } ?? "", .dim)]))
        }
        lines.append(StyledLine(""))
        let every = s.interval < 1 ? "\(Int(saturating: (s.interval * 1000).rounded()))ms" : GaugeFormat.age(seconds: s.interval)
        lines.append(StyledLine("sampled every \(every) · last \(Formatting.clock(s.takenAt))Z · "
            + "\(GaugeFormat.one(s.cost * 1000)) ms per sample", .dim))
        return lines
    }

    /// The host sensor's events, drops (by reason and record kind, since it started) and cost,
    /// or why it could not start, in full.
    static func sensorLines(_ g: SensorGauge, width: Int, spark: Int) -> [StyledLine] {
        var lines = [StyledLine("Host sensor", .title)]
        let r = g.reading
        if let failure = r.failure {
            return lines + StyledLine.field("  stopped", failure, width: width, labelWidth: 10, role: .critical)
        }
        func count(_ n: UInt64) -> String { Formatting.grouped(Int(clamping: n)) }
        var events = g.eventsPerSecond.map { "\(count(UInt64(saturating: $0.rounded())))/s" } ?? "…/s"
        events += " · \(count(r.recordsRead)) read · \(count(r.eventsEvaluated)) evaluated · \(count(r.alerts)) alerts"
        lines.append(StyledLine(segments: [(pad("  events", 10), .label), (events, .normal)]))
        let dropped = r.drops.filter { $0.count > 0 }
        let dropText = dropped.isEmpty ? "none since start" : dropped.map { "\($0.name) \(count($0.count))" }.joined(separator: " · ")
        lines.append(StyledLine(segments: [(pad("  drops", 10), .label), (dropText, dropped.isEmpty ? .good : .warning),
                                           (g.newDrops.flatMap { $0 > 0 ? "  +\(count($0)) since the last sample" : nil } ?? "", .critical)]))
        let kinds = r.ringBufferDropsByKind.filter { $0.count > 0 }
        if !kinds.isEmpty {
            lines.append(StyledLine(segments: [(pad("  by kind", 10), .label),
                                               (kinds.map { "\($0.name) \(count($0.count))" }.joined(separator: " · "), .warning)]))
        }
        if spark > 0, r.totalDrops > 0 {
            lines.append(StyledLine(segments: [(pad("  dropping", 10), .label),
                                               (Sparkline.render(g.dropsHistory.map { GaugeFormat.sparkLevel($0) }, width: spark), .critical)]))
        }
        var cost = "consumer " + (g.consumerCPUPercent.map(GaugeFormat.percent) ?? "…")
        cost += " · kernel " + (r.kernelRunSeconds == nil ? "not counted (sysctl kernel.bpf_stats_enabled=1)" : g.kernelCPUPercent.map(GaugeFormat.percent) ?? "…")
        cost += " · ring buffer " + GaugeFormat.bytes(r.ringBufferBytes)
        lines.append(StyledLine(segments: [(pad("  cost", 10), .label), (cost, .normal)]))
        let skipped = r.skippedRules == 0 ? "all loaded rules run"
            : "\(r.skippedRules) skipped (fields or events the sensor does not have; listed at start)"
        lines.append(StyledLine(segments: [(pad("  rules", 10), .label), (skipped, r.skippedRules == 0 ? .normal : .dim)]))
        return lines
    }

    /// A watched thing's title, CPU and memory meters and where they come from, then a blank line.
    static func resource(_ title: String, _ g: ResourceGauge, spark: Int) -> [StyledLine] {
        var lines = [StyledLine(title, .title)]
        if let absence = g.absence {
            lines.append(StyledLine(segments: [("  " + absence, g.state == .notConfigured ? .dim : .warning)]))
        } else {
            lines.append(meter("CPU", GaugeFormat.cpu(g), level: g.cpuLevel, history: g.cpuHistory.map { GaugeFormat.sparkLevel($0, scale: 10) }, spark: spark))
            lines.append(meter("memory", GaugeFormat.memory(g), level: g.memoryLevel,
                               history: g.memoryHistory.map { GaugeFormat.sparkLevel($0, scale: 1.0 / 1024) }, spark: spark))
            lines.append(StyledLine(segments: [(pad("  from", 10), .label), (g.source ?? "", .dim)]))
        }
        lines.append(StyledLine(""))
        return lines
    }

    /// Segments cut and padded to exactly `width` cells (the left column). Text is escaped
    /// first, so the width counted is the width drawn.
    static func fit(_ segments: [(String, StyleRole)], to width: Int) -> [(String, StyleRole)] {
        var out: [(String, StyleRole)] = []
        var used = 0
        for (text, role) in segments where used < width {
            let safe = TerminalSafe.escape(text)
            let w = CellWidth.of(safe)
            if used + w <= width {
                out.append((safe, role))
                used += w
            } else {
                out.append((CellWidth.fit(safe, to: width - used), role))
                used = width
            }
        }
        if used < width { out.append((String(repeating: " ", count: width - used), .normal)) }
        return out
    }

    static func meter(_ label: String, _ value: String, level: Level, history: [Int], spark: Int) -> StyledLine {
        var segments: [(String, StyleRole)] = [(pad("  " + label, 10), .label), (pad(value, 22), role(level))]
        if spark > 0 { segments.append((Sparkline.render(history, width: spark), level == .ok ? .sparkline : role(level))) }
        return StyledLine(segments: segments)
    }

    static func role(_ level: Level) -> StyleRole {
        switch level {
        case .ok: return .normal
        case .warning: return .warning
        case .critical: return .critical
        }
    }

    static func healthRole(_ h: FalcoHealthProbe.Health) -> StyleRole {
        switch h {
        case .up: return .good
        case .notConfigured: return .dim
        case .unhealthy: return .warning
        case .down: return .critical
        }
    }

    static func pad(_ s: String, _ n: Int) -> String { HelpScreen.pad(s, n) }
}

/// One line at the top of the overview: Falco vs the bot, Falco's health, the feed's age.
/// Full labels when there is room, a compact form on narrow terminals.
enum GaugeStrip {
    static func draw(_ snapshot: GaugeSnapshot, in rect: Rect, grid: inout ScreenGrid) {
        guard rect.height > 0, rect.width > 0 else { return }
        let full = segments(snapshot, compact: false)
        let chosen = width(of: full) <= rect.width ? full : segments(snapshot, compact: true)
        var x = rect.x
        for (i, (text, role)) in chosen.enumerated() {
            let separator = i > 0 ? " │ " : ""
            // A segment that does not fit is cut with "…" ("falco up…" says more follows; a bare
            // "falco up" in red would not say why), or left out when too little of it would show.
            let room = rect.maxX - x - CellWidth.of(separator)
            guard room >= 4 else { break }
            x += grid.put(separator, x: x, y: rect.y, role: .dim)
            x += grid.put(CellWidth.truncate(TerminalSafe.escape(text), to: room), x: x, y: rect.y, role: role)
        }
    }

    static func width(of segments: [(String, StyleRole)]) -> Int {
        segments.map { CellWidth.of($0.0) }.reduce(0, +) + 3 * max(0, segments.count - 1)
    }

    static func segments(_ s: GaugeSnapshot, compact: Bool) -> [(String, StyleRole)] {
        var out: [(String, StyleRole)] = []
        for g in [s.falco, s.bot] {
            if let absence = g.absence {
                out.append((compact ? "\(g.name): \(shortAbsence(g.state))" : absence, g.state == .notConfigured ? .dim : .warning))
            } else if compact {
                out.append(("\(g.name) \(g.cpuPercent.map { GaugeFormat.count($0.rounded()) + "%" } ?? "…") "
                    + (g.memoryBytes.map(shortBytes) ?? "–"), GaugesScreen.role(g.level)))
            } else {
                out.append(("\(g.name) cpu \(GaugeFormat.cpu(g)) mem \(GaugeFormat.memory(g))", GaugesScreen.role(g.level)))
            }
        }
        let h = s.falcoHealth
        // Only the state here; why it is down is on the gauges screen.
        var health = "falco \(shortHealth(h.health))"
        if let m = h.metrics {
            health += compact ? " d\(GaugeFormat.count(m.totalDrops))" : " · drops \(GaugeFormat.count(m.totalDrops))"
            if let n = h.newDrops, n > 0 { health += " +\(GaugeFormat.count(n))" }
        }
        if h.health != .notConfigured || h.metrics != nil { out.append((health, h.level == .ok ? .good : GaugesScreen.role(h.level))) }
        if let newest = s.feeds.min(by: { $0.ageSeconds < $1.ageSeconds }) {
            let worst = s.feeds.map(\.level).max() ?? .ok
            out.append(((compact ? "feed " : "newest alert ") + GaugeFormat.age(seconds: newest.ageSeconds) + (compact ? "" : " ago"),
                        GaugesScreen.role(worst)))
        }
        return out
    }

    static func shortAbsence(_ state: ResourceGauge.State) -> String {
        switch state {
        case .live: return ""
        case .notConfigured: return "off"
        case .notFound: return "not found"
        case .failed: return "unavailable"
        }
    }

    static func shortHealth(_ h: FalcoHealthProbe.Health) -> String {
        switch h {
        case .up: return "up"
        case .notConfigured: return "?"
        case .unhealthy: return "unhealthy"
        case .down: return "DOWN"
        }
    }

    /// `312M`, `1.2G`.
    static func shortBytes(_ b: UInt64) -> String {
        if b >= 1 << 30 { return GaugeFormat.one(Double(b) / Double(1 << 30)) + "G" }
        return String(b >> 20) + "M"
    }
}
