import AlertStore
import ArgumentParser
import TradsecCore

/// The filters shared by `query` and `stats`.
struct QueryOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only alerts at or after this time: \(TimeSpec.help).", valueName: "when"))
    var since: String?

    @Option(help: ArgumentHelp("Only alerts at or before this time (same forms as --since).", valueName: "when"))
    var until: String?

    @Option(help: ArgumentHelp("Priorities: \(PriorityFilter.help).", valueName: "priority"))
    var priority: String?

    @Option(help: ArgumentHelp("Rule name glob, case-insensitive ('Read sensitive*').", valueName: "glob"))
    var rule: String?

    @Option(help: ArgumentHelp("Container id (or its first characters), container name, or 'host'.", valueName: "container"))
    var container: String?

    @Option(help: ArgumentHelp("Host name as Falco reported it.", valueName: "host"))
    var host: String?

    @Option(help: ArgumentHelp("Words that must all occur in the output (prefix match).", valueName: "text"))
    var search: String?

    func validate() throws {
        if let since, TimeSpec.parse(since) == nil { throw ValidationError("--since: '\(since)' is not \(TimeSpec.help)") }
        if let until, TimeSpec.parse(until) == nil { throw ValidationError("--until: '\(until)' is not \(TimeSpec.help)") }
        if let priority, PriorityFilter(priority) == nil {
            throw ValidationError("--priority: '\(priority)' is not \(PriorityFilter.help); priorities are \(Priority.acceptedSpellings)")
        }
    }

    func makeQuery(limit: Int) -> AlertQuery {
        let now = Timestamp.now()
        return AlertQuery(since: since.flatMap { TimeSpec.parse($0, now: now) },
                          until: until.flatMap { TimeSpec.parse($0, now: now) },
                          priorities: priority.flatMap(PriorityFilter.init),
                          ruleGlob: rule, container: container, hostname: host, search: search, limit: limit)
    }
}
