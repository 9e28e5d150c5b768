import AlertStore
import ArgumentParser
import Processor
import TradsecCore

/// `tradsec incidents`: the incidents the processing step opened, most recently updated first.
struct IncidentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents",
        abstract: "List incidents (alerts of one container correlated, escalated by attack stage), most recent first.",
        discussion: """
            --format json gives JSON Lines, one object per incident, the same object GET /incidents
            of 'tradsec serve' returns: id, title, severity, escalated, reason, container_id,
            container_name, hostname, role, opened, updated, alert_count, rules, stages.

            Examples:
              tradsec incidents --since 24h
              tradsec incidents --format json | jq 'select(.escalated)'
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: ArgumentHelp("Only incidents updated at or after this time: \(TimeSpec.help).", valueName: "when"))
    var since: String?

    @Option(help: ArgumentHelp("At most this many.", valueName: "n"))
    var limit = 100

    @Option(help: ArgumentHelp("table or json (JSON Lines).", valueName: "format"))
    var format: Format = .table

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let since, TimeSpec.parse(since) == nil { throw ValidationError("--since: '\(since)' is not \(TimeSpec.help)") }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let history = try store.open()
            let incidents: [IncidentRecord]
            do {
                incidents = try history.incidents(since: since.flatMap { TimeSpec.parse($0) }, limit: limit)
            } catch {
                throw CLIError.ioError(TerminalSafe.escape("\(error)"))
            }
            switch format {
            case .json:
                var out = ""
                for incident in incidents { out += TerminalJSON.forStdout(JSONWriter.string(EventJSON.incident(incident))) + "\n" }
                Terminal.write(out)
            case .table:
                let now = Timestamp.now()
                let rows = incidents.map { i in
                    [String(i.id), i.severity.name + (i.escalated ? " ▲" : ""), i.containerName ?? i.containerID, String(i.alertCount),
                     i.stages.joined(separator: " → "), Duration.describe(nanoseconds: now.nanoseconds &- i.updated.nanoseconds) + " ago",
                     i.title].map(TerminalSafe.escape)
                }
                Terminal.write(TextTable(header: ["ID", "SEVERITY", "CONTAINER", "ALERTS", "STAGES", "UPDATED", "TITLE"],
                                         rows: rows, maxWidth: Terminal.width, flexibleColumn: 6).render())
            }
        }
    }
}
