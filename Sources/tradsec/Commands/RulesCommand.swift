import ArgumentParser
import RuleEngine
import TradsecCore

/// `tradsec rules validate|list|match`: the embedded Falco-compatible rule engine.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Validate, list and run Falco rules files offline.",
        subcommands: [Validate.self, List.self, Match.self]
    )

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check rules files as Falco loads them (in order); exit 1 if any is invalid.")

        @Flag(help: "Print {\"valid\",\"errors\",\"warnings\",\"rules\"} as JSON.") var json = false
        @Argument(help: "Rules files, loaded in this order.") var files: [String]

        func run() throws {
            let (engine, results) = RulesReport.load(files)
            if json {
                Terminal.write(TerminalJSON.forStdout(RulesReport.validationJSON(engine: engine, results: results)) + "\n")
            } else {
                Terminal.write(RulesReport.validationText(results: results) + "\n")
            }
            if !engine.isValid { throw ExitCode(ExitStatus.failure) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the rules after all appends and overrides, with their enabled state.")

        @Argument(help: "Rules files, loaded in this order.") var files: [String]

        func run() throws {
            let (engine, results) = RulesReport.load(files)
            guard engine.isValid else {
                Terminal.printError(RulesReport.validationText(results: results))
                throw ExitCode(ExitStatus.failure)
            }
            Terminal.write(RulesReport.listText(engine: engine) + "\n")
        }
    }

    struct Match: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate events (JSON Lines) and print one Falco JSON alert per match.")

        @Option(name: .customLong("rules"), parsing: .upToNextOption, help: "Rules files, loaded in this order.")
        var rules: [String]
        @Option(help: "Events, one JSON object per line: {\"source\":...,\"fields\":{...}}.") var events: String
        @Flag(help: "Print the number of alerts per rule instead of the alerts.") var summary = false

        func run() throws {
            let (engine, results) = RulesReport.load(rules)
            guard engine.isValid else {
                Terminal.printError(RulesReport.validationText(results: results))
                throw ExitCode(ExitStatus.failure)
            }
            var out = EngineOutputBuffer()
            let result: (counts: [String: Int], order: [String], events: Int)
            let toTerminal = Terminal.stdoutIsTerminal
            do {
                result = try EventMatching.matchAlerts(engine: engine, eventsPath: events, emit: summary ? nil : { line in
                    out.writeLine(toTerminal ? TerminalSafe.escapeJSON(line) : line)
                })
            } catch {
                out.flush()
                Terminal.printError("tradsec: " + TerminalSafe.escape("\(error)"))
                throw ExitCode(ExitStatus.failure)
            }
            if summary {
                for name in result.order { out.writeLine("\(result.counts[name]!)\t\(TerminalSafe.escape(name))") }
                out.writeLine("\(result.counts.values.reduce(0, +))\ttotal alerts (\(result.events) events)")
            }
            out.flush()
        }
    }
}

/// Collects output lines and writes them in large blocks (one syscall per 64 KiB, not per line).
struct EngineOutputBuffer {
    private var buffer = ""

    mutating func writeLine(_ line: String) {
        buffer += line
        buffer += "\n"
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        if !buffer.isEmpty { Terminal.write(buffer); buffer = "" }
    }
}
