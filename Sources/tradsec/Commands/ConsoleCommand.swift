import ArgumentParser
import Assembly
import Console
import Foundation
import TradsecCore

struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "The live console: alert panes by priority, containers, alert detail.",
        discussion: """
            Opens a full-screen view of the history that follows it live. With --source it
            also feeds the history while it runs. Defaults come from
            $XDG_CONFIG_HOME/tradsec/config.yaml (theme, sources, keys); flags win.
            Press ? inside for every key. See docs/console.md.

            Examples:
              tradsec console
              tradsec console --source falco-file=/var/log/falco/events.json
              tradsec console --source events=captured.jsonl --rules rules/trading_rules.yaml
              tradsec console --db /tmp/incident.sqlite --read-only --theme high-contrast
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Colour theme: default, high-contrast, solarized-dark, monochrome, or a .yaml path.", valueName: "name"))
    var theme: String?

    @Flag(help: "Never write to the history (no acknowledgements, silences or sources); no incident actions.")
    var readOnly = false

    @Flag(help: "Incident actions (X I R B F) only say what they would do.")
    var dryRun = false

    @Option(name: .customLong("source"), help: ArgumentHelp("Feed the history while the console runs: \(SourceSpec.help). Repeatable.",
                                                           valueName: "spec"))
    var sources: [String] = []

    @Option(name: .customLong("rules"), parsing: .upToNextOption,
            help: ArgumentHelp("Rules files for events=, demo and host sources (default: sensor.rules of the config), loaded in this order.", valueName: "file"))
    var rules: [String] = []

    @Option(help: ArgumentHelp("Config file (default: $XDG_CONFIG_HOME/tradsec/config.yaml).", valueName: "path"))
    var config: String?

    func run() throws {
        try reportingErrors {
            var flags = ConsoleFlags(databasePath: store.path)
            flags.theme = theme
            flags.readOnly = readOnly
            flags.dryRunActions = dryRun
            flags.sources = sources
            flags.rules = rules
            // The config, the theme and the sources' specs are checked before the terminal is:
            // a broken config is reported wherever the console is started.
            let plan = try ConsoleAssembly.plan(flags, config: TradsecConfig.load(flag: config), environment: ProcessInfo.processInfo.environment)
            try runConsole { () throws(AssemblyError) in try ConsoleAssembly.services(plan) }
        }
    }
}

/// Checks for a terminal, builds the services (opening the history, loading rules) and runs
/// the console on them.
func runConsole(_ build: () throws(AssemblyError) -> ConsoleServices) throws {
    do { try ConsoleLauncher.requireTerminal() } catch {
        throw CLIError.notRun("console: \(error.description)")
    }
    let services = try build()
    do { try ConsoleLauncher.run(services) } catch {
        throw CLIError.notRun("console: \(error.description)")
    }
}
