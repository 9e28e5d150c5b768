import ArgumentParser
import Console
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
            help: ArgumentHelp("Rules files for --source events=PATH (and demo), loaded in this order.", valueName: "file"))
    var rules: [String] = []

    @Option(help: ArgumentHelp("Config file (default: $XDG_CONFIG_HOME/tradsec/config.yaml).", valueName: "path"))
    var config: String?

    func run() throws {
        var options = ConsoleLauncher.Options(databasePath: store.path)
        options.theme = theme
        options.readOnly = readOnly
        options.dryRunActions = dryRun
        options.configPath = config
        // events=PATH needs the rule engine, which the executable links: built here.
        for spec in sources {
            if spec == "demo" || spec.hasPrefix("demo=") {
                do {
                    options.extraSources.append(try DemoSource(rulePaths: rules.isEmpty ? [try BundledFiles.tradingRulePack()] : rules,
                                                               speed: try DemoSource.speed(fromSpec: spec)))
                } catch let error as CLIError {
                    Terminal.printError("tradsec console: \(error.message)")
                    throw ExitCode(error.exitCode)
                }
            } else if spec.hasPrefix("events=") {
                do {
                    options.extraSources.append(try ConsoleEventsSource(eventsPath: String(spec.dropFirst(7)), rulesPaths: rules))
                } catch let error as CLIError {
                    Terminal.printError("tradsec console: \(error.message)")
                    throw ExitCode(error.exitCode)
                }
            } else {
                options.sources.append(spec)
            }
        }
        do {
            try ConsoleLauncher.run(options)
        } catch {
            Terminal.printError("tradsec console: \(error.description)")
            throw ExitCode(error.exitCode)
        }
    }
}
