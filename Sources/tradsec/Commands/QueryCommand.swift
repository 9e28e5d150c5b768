#if canImport(Glibc)
import Glibc
#endif
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
              tradsec query --follow --priority '>=error' --format json | my-pager

            With --follow, keeps printing alerts as they are stored (by any feed), until
            Ctrl-C or SIGTERM.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: QueryOptions

    @Option(help: ArgumentHelp("At most this many alerts (the newest).", valueName: "n"))
    var limit = 100

    @Option(help: "Output format.")
    var format: Format = .table

    @Flag(name: [.short, .long], help: "Keep printing new alerts as they are stored.")
    var follow = false

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let history = try store.open(readOnly: false)
            let query = filters.makeQuery(limit: limit)
            // Taken before the first query: whatever is stored after this is printed by --follow
            // exactly once (rows that also made the first query are skipped by id).
            let startID = follow ? try readingHistory { try history.newestID() } : 0
            let results = try readingHistory { try history.alerts(query) }.reversed()
            let renderer = AlertRenderer(escapeForTerminal: Terminal.stdoutIsTerminal, width: Terminal.width)
            if format == .csv { Terminal.write(AlertRenderer.csvHeader + "\r\n") }
            if format == .table && !follow {
                if results.isEmpty {
                    Terminal.printError("no alerts match")
                    return
                }
                Terminal.write(renderer.table(Array(results)))
                return
            }
            func emit(_ batch: [StoredAlert]) {
                switch format {
                case .json: for stored in batch { Terminal.write(renderer.jsonLine(stored) + "\n") }
                case .csv: for stored in batch { Terminal.write(renderer.csvRow(stored) + "\r\n") }
                // Followed tables keep fixed columns, so rows printed later still line up.
                case .table: for stored in batch { Terminal.write(renderer.fixedRow(stored.alert) + "\n") }
                }
            }
            if format == .table { Terminal.write(renderer.fixedHeader + "\n") }
            emit(Array(results))
            guard follow else { return }
            var last = max(results.map(\.id).max() ?? 0, startID)
            var live = query
            live.until = nil
            live.limit = 1000
            let stop = StopSignal.install()
            while !stop.isSet {
                let batch = try readingHistory { try history.alerts(after: last, matching: live) }
                if let newest = batch.last?.id { last = newest }
                emit(batch)
                if batch.count < live.limit { usleep(250_000) }
            }
        }
    }
}

/// Runs a read of the history for a command: what fails there (a damaged file, an I/O error)
/// is exit 74 with SQLite's or the store's message, escaped (it may quote stored text).
func readingHistory<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as CLIError {
        throw error
    } catch {
        throw CLIError.ioError("cannot read the history: \(TerminalSafe.escape(String(describing: error)))")
    }
}
