#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
import ArgumentParser
import Assembly
import Console
import TradsecCore

/// `tradsec action KIND`: one incident action, confirmed, run and audited.
struct ActionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "action",
        abstract: "Incident actions: stop-trading, isolate, restore, backup, forensics (every attempt goes to the audit log).",
        discussion: """
            stop-trading  POST to the bot's emergency endpoint (stop_trading.url)
            isolate       disconnect --target from every network, remembering them
            restore       reconnect --target to the networks it had before isolate
            backup        tar.gz of backup.paths into backup.dir, with its SHA-256
            forensics     bundle of --target's logs, inspect, processes, alerts,
                          Falco's log tail and host facts, with a SHA-256 manifest

            isolate and stop-trading are destructive: on a terminal they ask you
            to type the target's name; without a terminal they need --yes.
            --dry-run only says what would happen (and is audited as dry-run).

            Exit status: 0 done, nothing to do, or dry run; 1 the action failed;
            2 not confirmed; 64 usage; 65 unknown target; 69 engine or endpoint
            unreachable; 74 history not writable; 78 bad config.
            See docs/actions.md.

            Examples:
              tradsec action isolate --target ai-trading-bot
              tradsec action stop-trading --yes --reason 'shell in bot container'
              tradsec action forensics --target ai-trading-bot --incident INC-7
              tradsec action restore --target ai-trading-bot --dry-run
            """
    )

    @Argument(help: ArgumentHelp("stop-trading, isolate, restore, backup or forensics.", valueName: "action"))
    var action: String

    @Option(help: ArgumentHelp("The container (name or id prefix, as the engine lists it).", valueName: "container"))
    var target: String?

    @Flag(help: "Say what would be done; change nothing (still audited, as dry-run).")
    var dryRun = false

    @Flag(help: "Do not ask for confirmation (scripts; you take responsibility).")
    var yes = false

    @Option(help: ArgumentHelp("Why: sent with stop-trading, kept in the audit log.", valueName: "text"))
    var reason: String?

    @Option(help: ArgumentHelp("Incident id that names the forensics bundle.", valueName: "id"))
    var incident: String?

    @Option(help: ArgumentHelp("Config file (default: $XDG_CONFIG_HOME/tradsec/config.yaml).", valueName: "path"))
    var config: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard let kind = ActionKind(rawValue: action) else {
            throw ValidationError("unknown action '\(action)'; actions: \(ActionKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if kind.needsContainer && (target ?? "").isEmpty {
            throw ValidationError("\(action) needs --target CONTAINER")
        }
    }

    func run() throws {
        try reportingErrors {
            let kind = ActionKind(rawValue: action)!
            let actionsConfig = try ActionsCommandSupport.loadConfig(config)
            let runner = ActionRunner(config: actionsConfig, store: try store.open())
            var request = ActionRequest(kind: kind, target: target, dryRun: dryRun, reason: reason, incident: incident, via: "cli")
            // Run on the container that was confirmed (its id), not on a second lookup of the name.
            if kind.isDestructive && !dryRun && !yes { request = try confirm(request, runner: runner) }
            let report = runner.run(request) { step in Terminal.printError("… \(TerminalSafe.escape(step))") }
            Terminal.write(ActionsCommandSupport.describe(report) + "\n")
            let code = ActionsCommandSupport.exitCode(report)
            if code != 0 { throw ExitCode(code) }
        }
    }

    /// Asks the operator to type the target's name; anything else calls it off (audited).
    /// Returns the request pinned to the confirmed container's id.
    private func confirm(_ request: ActionRequest, runner: ActionRunner) throws -> ActionRequest {
        guard isatty(STDIN_FILENO) == 1 else {
            let report = runner.refuse(request, reason: "not confirmed: no terminal to ask on and no --yes")
            throw CLIError.notRun("\(request.kind.rawValue) is destructive: run it on a terminal to confirm, or pass --yes (audit #\(report.auditID ?? 0))")
        }
        let name: String
        let pinned: ActionRequest
        do { (name, pinned) = try runner.confirmation(for: request) } catch {
            runner.refuse(request, reason: error.message, failure: error.kind)
            // Engine text (container names, its messages) is not ours: escaped for the terminal.
            throw ActionsCommandSupport.error(TerminalSafe.escape(error.message), kind: error.kind)
        }
        Terminal.printError("\(request.kind.summary).")
        Terminal.printError("Type \(TerminalSafe.escape(name)) to \(request.kind.rawValue) it (anything else cancels): ", newline: false)
        let typed = readLine(strippingNewline: true) ?? ""
        guard typed == name else {
            let report = runner.refuse(request, reason: "not confirmed: typed '\(typed)', expected '\(name)'")
            throw CLIError.notRun("not confirmed; nothing done (audit #\(report.auditID ?? 0))")
        }
        return pinned
    }
}

/// What `action` and the console share: config loading, one-line reports, exit codes.
enum ActionsCommandSupport {
    static func loadConfig(_ flag: String?) throws(AssemblyError) -> ActionsConfig {
        try TradsecConfig.section(ActionsConfig.self, flag: flag)
    }

    static func describe(_ report: ActionReport) -> String {
        let target = report.target.map { " \(TerminalSafe.escape($0))" } ?? ""
        return "\(report.kind.rawValue)\(target): \(report.result.rawValue) (\(Int(report.latencyMilliseconds.rounded())) ms, audit #\(report.auditID ?? 0)) — \(TerminalSafe.escape(report.message))"
    }

    static func exitCode(_ report: ActionReport) -> Int32 {
        switch report.result {
        case .ok, .done, .dryRun, .proposed: return 0
        case .refused: return report.failure.map { error("", kind: $0).exitCode } ?? ExitStatus.notRun
        case .failed, .started: return report.failure.map { error("", kind: $0).exitCode } ?? ExitStatus.failure
        }
    }

    /// An action's failure as the command reports it, classed by its kind.
    static func error(_ message: String, kind: ActionError.Kind) -> CLIError {
        switch kind {
        case .failed: .failed(message)
        case .badTarget: .badData(message)
        case .unavailable: .unavailable(message)
        case .config: .config(message)
        }
    }
}
