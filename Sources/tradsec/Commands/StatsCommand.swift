import AlertStore
import ArgumentParser
import TradsecCore

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count alerts by priority, rule, container and host.",
        discussion: "Takes the same filters as 'query'; '--since 24h' is a typical window."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: QueryOptions

    @Option(help: ArgumentHelp("Rows per group.", valueName: "n"))
    var top = 10

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            let history = try store.open()
            let query = filters.makeQuery(limit: 0)
            let stats = try readingHistory { try history.stats(query, groupLimit: top) }
            // JSON keeps rule and container names as stored, except on a terminal (C1 controls, bidi).
            let text = json ? StatsRenderer.json(stats) : StatsRenderer.text(stats)
            Terminal.write(json ? TerminalJSON.forStdout(text) + "\n" : text)
        }
    }
}

enum StatsRenderer {
    /// Text for people (even when piped to a pager or a file): rule and container names come
    /// from alerts, so they are always escaped.
    static func text(_ s: AlertStats) -> String {
        let clean: (String) -> String = { TerminalSafe.escape($0) }
        var out = "\(s.total) alerts"
        if let oldest = s.oldest, let newest = s.newest {
            out += " from \(oldest.rfc3339(fractionDigits: 0)) to \(newest.rfc3339(fractionDigits: 0))"
        }
        out += "\n\nBy priority\n"
        for p in Priority.allCases {
            let n = s.byPriority.first(where: { $0.0 == p })?.1 ?? 0
            if n > 0 { out += "  " + CellWidth.fit(p.name, to: 14) + String(n) + "\n" }
        }
        for (title, buckets) in [("By rule", s.byRule), ("By container", s.byContainer), ("By host", s.byHost)] {
            out += "\n\(title)\n"
            let width = min(60, buckets.map { CellWidth.of(clean($0.key)) }.max() ?? 0) + 2
            for b in buckets {
                out += "  " + CellWidth.fit(clean(b.key), to: width) + String(b.count).leftPadded(8)
                    + "  last " + b.newest.rfc3339(fractionDigits: 0) + "\n"
            }
        }
        return out
    }

    static func json(_ s: AlertStats) -> String {
        func buckets(_ list: [AlertStats.Bucket]) -> JSONValue {
            .array(list.map { .object(JSONObject([("key", .string($0.key)), ("count", .int(Int64($0.count))),
                                                  ("last", .string($0.newest.rfc3339()))])) })
        }
        var byPriority = JSONObject()
        for (p, n) in s.byPriority { byPriority.append(p.name, .int(Int64(n))) }
        return JSONWriter.string(.object(JSONObject([
            ("total", .int(Int64(s.total))),
            ("oldest", s.oldest.map { .string($0.rfc3339()) } ?? .null),
            ("newest", s.newest.map { .string($0.rfc3339()) } ?? .null),
            ("by_priority", .object(byPriority)), ("by_rule", buckets(s.byRule)),
            ("by_container", buckets(s.byContainer)), ("by_host", buckets(s.byHost)),
        ])))
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
