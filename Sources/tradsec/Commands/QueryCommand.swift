import AlertStore
import ArgumentParser
import TradsecCore

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Show alerts from the history.",
        discussion: """
            Prints the newest alerts that match every filter, oldest first (like 'tail').
            --format json gives back Falco's own alert lines, byte for byte as they were
            ingested; csv is RFC 4180. Text printed to a terminal has control characters and
            escape sequences shown escaped.

            Examples:
              tradsec query --since 15m --priority '>=warning'
              tradsec query --container bot --rule 'Read sensitive*' --format json > incident.jsonl
              tradsec query --search '/etc/shadow' --limit 20
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: QueryOptions

    @Option(help: ArgumentHelp("At most this many alerts (the newest).", valueName: "n"))
    var limit = 100

    @Option(help: "Output format.")
    var format: Format = .table

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let history = try store.open(readOnly: false)
            let results = try history.alerts(filters.makeQuery(limit: limit)).reversed()
            let renderer = AlertRenderer(escapeForTerminal: Terminal.stdoutIsTerminal, width: Terminal.width)
            switch format {
            case .json:
                for stored in results { Terminal.write(renderer.jsonLine(stored) + "\n") }
            case .csv:
                Terminal.write(AlertRenderer.csvHeader + "\r\n")
                for stored in results { Terminal.write(renderer.csvRow(stored) + "\r\n") }
            case .table:
                if results.isEmpty {
                    Terminal.printError("no alerts match")
                    return
                }
                Terminal.write(renderer.table(Array(results)))
            }
        }
    }
}
