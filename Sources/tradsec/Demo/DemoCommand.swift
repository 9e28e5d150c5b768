#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AlertStore
import ArgumentParser
import TradsecCore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Play the bundled incident on a compromised trading host through the embedded rule engine.",
        discussion: """
            Five minutes of normal trading on a host with three containers (ai-trading-bot,
            bluefin-service, dashboard), then an intrusion: a shell in the bot, API keys read, an
            unknown exchange endpoint contacted, keys packed and sent out, a wallet copied, a
            foothold in the connector, Falco stopped and the trading log erased. Raw events go
            through the trading rule pack (rules/trading_rules.yaml) and the alerts into a fresh
            history, which is kept afterwards for 'tradsec query' and 'tradsec stats'.
            """
    )

    @Option(help: ArgumentHelp("Playback speed: 1 is real time (5 minutes), 10 plays it in 30 s.", valueName: "n"))
    var speed: Double = 10

    @Flag(help: "No pauses: play everything at once.")
    var instant = false

    @Option(help: ArgumentHelp("History to write (default: a new file under /tmp).", valueName: "path"))
    var db: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Rules files (default: the bundled trading rule pack).", valueName: "file"))
    var rules: [String] = []

    func validate() throws {
        if !(speed > 0) { throw ValidationError("--speed must be above 0") }
    }

    func run() throws {
        try reportingErrors {
            let rulePaths = rules.isEmpty ? [try bundledPack()] : rules
            let path = db ?? "/tmp/tradsec-demo-\(getpid()).sqlite"
            if db == nil { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
            let store = try AlertStore(path: path)
            let evaluator = try EventEvaluator(rulePaths: rulePaths, hostname: "trade-host-01")
            let player = ScenarioPlayer(evaluator: evaluator, store: store, speed: instant ? nil : speed)
            let stop = StopSignal.install()
            Terminal.printError("tradsec demo: playing the incident into \(path)" + (instant ? "" : " at \(speed)× speed (Ctrl-C stops)"))
            let played = try player.play(shouldStop: { stop.isSet }) { alert in
                let line = AlertRenderer.shortTime(alert.time) + "  " + CellWidth.fit(alert.priority.name, to: 9) + " "
                    + CellWidth.fit(alert.container.isHost ? "host" : alert.container.name, to: 16) + " " + alert.rule
                    + " — " + alert.message
                Terminal.write(TerminalSafe.escape(line) + "\n")
            }
            Terminal.printError("tradsec demo: \(played.events) events, \(played.alerts) alerts stored in \(path)\n"
                + "  explore: tradsec stats --db \(path)\n"
                + "           tradsec query --db \(path) --priority '>=error'")
        }
    }

    private func bundledPack() throws -> String {
        guard let pack = BundledFiles.rulesFile("trading_rules.yaml") else {
            throw CLIError("cannot find the trading rule pack (rules/trading_rules.yaml); set TRADSEC_RULES_DIR or pass --rules",
                           exitCode: 66)
        }
        return pack
    }
}
