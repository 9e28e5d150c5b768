import TradsecCore

/// A snapshot as text for `tradsec gauges`: a table for people, JSON for scripts.
public enum GaugeReport {
    /// A plain-text table; every value that came from outside (names, errors, labels) is escaped.
    public static func table(_ s: GaugeSnapshot) -> String {
        var lines: [String] = []
        func row(_ cells: [String]) -> String {
            let widths = [8, 10, 24, 9]
            var out = ""
            for (i, c) in cells.enumerated() {
                let safe = TerminalSafe.escape(c)
                out += i < widths.count ? safe.padding(widths[i]) + "  " : safe
            }
            return out.trimmedRight
        }
        lines.append(row(["GAUGE", "CPU", "MEMORY", "LEVEL", "SOURCE"]))
        for g in [s.falco, s.bot] {
            if let absence = g.absence {
                lines.append(row([g.name, "–", "–", "–", absence]))
            } else {
                lines.append(row([g.name, GaugeFormat.cpu(g), GaugeFormat.memory(g), g.level.description, g.source ?? ""]))
            }
        }
        lines.append("")
        let h = s.falcoHealth
        lines.append("falco health: " + TerminalSafe.escape(h.healthText) + (h.level == .ok ? "" : " [\(h.level)]"))
        if let m = h.metrics {
            var drops = "falco drops: kernel \(m.kernelDrops.map(GaugeFormat.count) ?? "–"), output queue \(m.outputQueueDrops.map(GaugeFormat.count) ?? "–")"
            for (name, v) in m.otherDrops.sorted(by: { $0.key < $1.key }) { drops += ", \(name) \(GaugeFormat.count(v))" }
            drops += h.newDrops.map { ", +\(GaugeFormat.count($0)) since the last sample" } ?? ""
            lines.append(TerminalSafe.escape(drops))
            if let e = m.events { lines.append("falco events: \(GaugeFormat.count(e))") }
        }
        if let e = h.metricsError {
            lines.append("falco metrics: " + TerminalSafe.escape(e))
        }
        lines.append("")
        if let e = s.feedsError {
            lines.append("feeds: " + TerminalSafe.escape(e))
        } else if s.feeds.isEmpty {
            lines.append("feeds: no alerts in the history yet")
        } else {
            for f in s.feeds {
                lines.append(TerminalSafe.escape("feed \(f.source): newest alert \(GaugeFormat.age(seconds: f.ageSeconds)) ago"
                    + (f.origin.map { " (from \($0))" } ?? "") + (f.level == .ok ? "" : " [\(f.level)]")))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One JSON object per snapshot (JSON Lines when repeated). Absent values are null, never 0.
    public static func json(_ s: GaugeSnapshot) -> String {
        func num(_ d: Double?) -> JSONValue { d.map { $0.isFinite ? .double($0) : .null } ?? .null }
        func bytes(_ b: UInt64?) -> JSONValue { b.map { .uint($0) } ?? .null }
        func resource(_ g: ResourceGauge) -> JSONValue {
            let state: String
            var reason: JSONValue = .null
            switch g.state {
            case .live: state = "live"
            case .notConfigured: state = "not_configured"
            case .notFound(let why): state = "not_found"; reason = .string(why)
            case .failed(let why): state = "failed"; reason = .string(why)
            }
            return .object(JSONObject([
                ("state", .string(state)), ("reason", reason), ("source", g.source.map { .string($0) } ?? .null),
                ("cpu_percent", num(g.cpuPercent)), ("memory_bytes", bytes(g.memoryBytes)),
                ("memory_limit_bytes", bytes(g.memoryLimit)), ("level", .string(g.level.description)),
                ("cpu_level", .string(g.cpuLevel.description)), ("memory_level", .string(g.memoryLevel.description)),
            ]))
        }
        let h = s.falcoHealth
        var health: [(String, JSONValue)] = [("state", .string(stateName(h.health))), ("detail", .string(h.healthText)),
                                             ("level", .string(h.level.description)),
                                             ("metrics_error", h.metricsError.map { .string($0) } ?? .null)]
        if let m = h.metrics {
            health += [("kernel_drops", num(m.kernelDrops)), ("output_queue_drops", num(m.outputQueueDrops)),
                       ("other_drops", .object(JSONObject(m.otherDrops.sorted { $0.key < $1.key }.map { ($0.key, num($0.value)) }))),
                       ("total_drops", num(m.totalDrops)), ("new_drops", num(h.newDrops)), ("events", num(m.events)),
                       ("version", m.version.map { .string($0) } ?? .null)]
        }
        let feeds: [JSONValue] = s.feeds.map {
            .object(JSONObject([("source", .string($0.source)), ("newest_alert", .string($0.newestAlert.rfc3339())),
                                ("age_seconds", .double($0.ageSeconds)), ("origin", $0.origin.map { .string($0) } ?? .null),
                                ("level", .string($0.level.description))]))
        }
        let object = JSONObject([
            ("time", .string(s.takenAt.rfc3339())), ("level", .string(s.level.description)),
            ("falco", resource(s.falco)), ("bot", resource(s.bot)), ("falco_health", .object(JSONObject(health))),
            ("feeds", .array(feeds)), ("feeds_error", s.feedsError.map { .string($0) } ?? .null),
            ("sample_seconds", .double(s.cost)),
        ])
        return JSONWriter.string(.object(object))
    }

    static func stateName(_ h: FalcoHealthProbe.Health) -> String {
        switch h {
        case .notConfigured: return "not_configured"
        case .up: return "up"
        case .unhealthy: return "unhealthy"
        case .down: return "down"
        }
    }
}

extension String {
    func padding(_ n: Int) -> String {
        let w = CellWidth.of(self)
        return w >= n ? self : self + String(repeating: " ", count: n - w)
    }

    var trimmedRight: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
