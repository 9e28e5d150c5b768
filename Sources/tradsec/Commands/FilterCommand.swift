import ArgumentParser
import RuleEngine
import TradsecCore

/// `tradsec filter --events FILE 'EXPRESSION'`: evt.num of every event the condition selects.
struct FilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter",
        abstract: "Print the evt.num of every event matching a Falco condition (exit 2 if it is invalid)."
    )

    @Option(help: "Events, one JSON object per line.") var events: String
    @Argument(help: "A Falco condition, e.g. 'evt.type = open and fd.name startswith /etc'.") var expression: String

    func run() throws {
        do {
            _ = try FilterExpression.compile(expression)
        } catch {
            let where_ = error.position.map { " (at line \($0.line), column \($0.column))" } ?? ""
            Terminal.printError("tradsec: invalid filter\(where_): \(error)")
            throw ExitCode(ExitStatus.notRun)
        }
        var out = EngineOutputBuffer()
        do {
            try EventMatching.filter(expression: expression, eventsPath: events) { out.writeLine(String($0)) }
        } catch {
            out.flush()
            Terminal.printError("tradsec: " + TerminalSafe.escape("\(error)"))
            throw ExitCode(ExitStatus.failure)
        }
        out.flush()
    }
}
