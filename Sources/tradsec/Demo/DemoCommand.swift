#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AlertStore
import ArgumentParser
import Console
import Foundation
import Synchronization
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

            On a terminal the console opens on that history while the incident plays; with
            --print, or when stdout is not a terminal, each alert is printed as it is raised.
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

    @Flag(name: .customLong("print"), help: "Print the alerts instead of opening the console.")
    var printOnly = false

    @Option(help: ArgumentHelp("Console colour theme.", valueName: "name"))
    var theme: String?

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
            if printOnly || !Terminal.stdoutIsTerminal {
                try printAlerts(player: player, path: path)
            } else {
                try playUnderConsole(player: player, path: path)
            }
        }
    }

    /// Prints each alert as it is raised (pipelines, CI, `--print`).
    private func printAlerts(player: ScenarioPlayer, path: String) throws {
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

    /// Plays the incident on a background thread while the console follows the history.
    private func playUnderConsole(player: ScenarioPlayer, path: String) throws {
        let box = PlayerThread(player: player)
        box.start()
        defer { box.stop() }
        var options = ConsoleLauncher.Options(databasePath: path)
        options.theme = theme
        do {
            try ConsoleLauncher.run(options)
        } catch {
            throw CLIError("console: \(error.description)", exitCode: error.exitCode)
        }
        Terminal.printError("tradsec demo: the incident's history is kept in \(path) (tradsec console --db \(path))")
    }

    private func bundledPack() throws -> String {
        guard let pack = BundledFiles.rulesFile("trading_rules.yaml") else {
            throw CLIError("cannot find the trading rule pack (rules/trading_rules.yaml); set TRADSEC_RULES_DIR or pass --rules",
                           exitCode: 66)
        }
        return pack
    }
}

/// Runs a ``ScenarioPlayer`` on its own thread until it finishes or is stopped.
private final class PlayerThread: @unchecked Sendable {
    // The player is only touched by the thread it runs on once started.
    private let player: ScenarioPlayer
    private let stopFlag = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    init(player: ScenarioPlayer) { self.player = player }

    func start() {
        let thread = Thread { [self] in
            _ = try? player.play(shouldStop: { self.stopFlag.load(ordering: .acquiring) }, onAlert: { _ in })
            done.signal()
        }
        thread.name = "tradsec.demo.player"
        thread.start()
    }

    func stop() {
        stopFlag.store(true, ordering: .releasing)
        done.wait()
    }
}
