import AlertStore
import ArgumentParser
import TradsecCore

struct RejectsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejects",
        abstract: "List the input lines that were refused, newest first, with the reason."
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("At most this many.", valueName: "n"))
    var limit = 20

    func run() throws {
        try reportingErrors {
            let history = try store.open()
            let rejects = try readingHistory { try history.recentRejects(limit: limit) }
            if rejects.isEmpty { Terminal.printError("no rejected lines"); return }
            for r in rejects {
                let place = [r.origin, r.lineNumber.map { "line \($0)" }].compactMap { $0 }.joined(separator: " ")
                // Excerpts were escaped when stored; messages may quote input, so escape them too.
                Terminal.write("\(TerminalSafe.escape(place)): \(r.code): \(TerminalSafe.escape(r.message))\n")
                if !r.excerpt.isEmpty { Terminal.write("    \(TerminalSafe.escape(r.excerpt))\n") }
            }
        }
    }
}
