#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AlertStore
import ArgumentParser
import Assembly
import Config
import Console
import Foundation
import TradsecCore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Play the bundled incident on a compromised trading host through the embedded rule engine.",
        discussion: """
            Five minutes on a trading host with three containers (ai-trading-bot,
            bluefin-service, dashboard): half a minute of normal trading, then an intrusion: a shell in the bot, API keys read, an
            unknown exchange endpoint contacted, keys packed and sent out, a wallet copied, a
            foothold in the connector, Falco stopped and the trading log erased. Raw events go
            through the trading rule pack (rules/trading_rules.yaml) and the alerts into a fresh
            history, which is kept afterwards for 'tradsec query' and 'tradsec stats'.

            On a terminal the console opens on that history while the incident plays; with
            --print, or when stdout is not a terminal, each alert is printed as it is raised.
            """
    )

    @Option(help: ArgumentHelp("Playback speed: 1 is real time (5 minutes), 10 plays it in 30 s.", valueName: "n"))
    var speed: Double = 10

    @Flag(help: "No pauses: play everything at once.")
    var instant = false

    @Option(help: ArgumentHelp("History to write (default: a new private directory under $XDG_RUNTIME_DIR or /tmp).", valueName: "path"))
    var db: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Rules files (default: the bundled trading rule pack).", valueName: "file"))
    var rules: [String] = []

    @Flag(name: .customLong("print"), help: "Print the alerts instead of opening the console.")
    var printOnly = false

    @Option(help: ArgumentHelp("Console colour theme.", valueName: "name"))
    var theme: String?

    func validate() throws {
        if !(speed > 0) { throw ValidationError("--speed must be above 0") }
    }

    func run() throws {
        try reportingErrors {
            let path = try db ?? Self.privateHistoryPath()
            if printOnly || !Terminal.stdoutIsTerminal {
                try printAlerts(path: path)
            } else {
                try playUnderConsole(path: path)
            }
        }
    }

    /// A history in a new directory only this user can enter (mkdtemp: 0700, a name nobody can
    /// guess): a fixed or pid-based name in /tmp lets another user plant a link or a copy there first.
    static func privateHistoryPath() throws -> String {
        var failure = ""
        for base in [Paths.environment("XDG_RUNTIME_DIR"), Paths.environment("TMPDIR"), "/tmp"].compactMap({ $0 }) {
            var template = Array((base + "/tradsec-demo-XXXXXX").utf8CString)
            if let made = mkdtemp(&template) { return String(cString: made) + "/history.sqlite" }
            failure = "cannot create a directory in \(base): \(String(cString: strerror(errno)))"
        }
        throw CLIError.ioError(failure)
    }

    /// Prints each alert as it is raised (pipelines, CI, `--print`); the alerts go through
    /// the demo's processing step as the console's demo source does.
    private func printAlerts(path: String) throws {
        let rulePaths = rules.isEmpty ? [try BundledFiles.tradingRulePack()] : rules
        let history = try StoreAssembly.open(path: path)
        let config = DecodedConfig.empty(file: "demo")
        let processing = try ProcessingStep(history: history, config: config, deliver: false, command: "demo",
                                            overrides: DemoProcessing.overrides(config: config))
        processing.start()
        let player = ScenarioPlayer(evaluator: try EventEvaluator(rulePaths: rulePaths, hostname: "trade-host-01"),
                                    store: history, speed: instant ? nil : speed)
        let stop = StopSignal.install()
        Terminal.printError("tradsec demo: playing the incident into \(path)" + (instant ? "" : " at \(speed)× speed (Ctrl-C stops)"))
        let renderer = AlertRenderer(escapeForTerminal: true, width: Terminal.width)
        Terminal.write(renderer.fixedHeader + "\n")
        let played = try player.play(shouldStop: { stop.isSet }) { alert in
            Terminal.write(renderer.fixedRow(alert) + "\n")
        }
        processing.finish(through: try history.newestID(), command: "demo")
        Terminal.printError("tradsec demo: \(played.events) events, \(played.alerts) alerts stored in \(path)\n"
            + "  explore: tradsec incidents --db \(path)\n"
            + "           tradsec audit --db \(path)\n"
            + "           tradsec query --db \(path) --priority '>=error'")
    }

    /// Plays the incident as a console source: the console follows the history it fills.
    private func playUnderConsole(path: String) throws {
        let plan = try ConsoleAssembly.demoPlan(databasePath: path, theme: theme, rules: rules, speed: instant ? nil : speed,
                                                environment: ProcessInfo.processInfo.environment)
        try runConsole { () throws(AssemblyError) in try ConsoleAssembly.services(plan) }
        Terminal.printError("tradsec demo: the incident's history is kept in \(path) (tradsec console --db \(path))")
    }
}
