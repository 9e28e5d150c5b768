import AlertStore
import ArgumentParser
import Assembly
import TradsecCore

/// `tradsec audit`: what was done, by whom, when, with what result.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List incident actions from the audit log, newest first (who, when, target, result).",
        discussion: """
            Every attempt is recorded when it starts; 'started' with no end means the process died
            mid-action. Results: ok, failed, dry-run, refused; the response rules' rows (via response):
            proposed, done, failed, refused, dry-run.

            Examples:
              tradsec audit --since 24h
              tradsec audit --format json > actions.jsonl
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: ArgumentHelp("Only actions started at or after this time: \(TimeSpec.help).", valueName: "when"))
    var since: String?

    @Option(help: ArgumentHelp("table or json (JSON Lines).", valueName: "format"))
    var format: Format = .table

    @Option(help: ArgumentHelp("At most this many.", valueName: "n"))
    var limit = 100

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let since, TimeSpec.parse(since) == nil { throw ValidationError("--since: '\(since)' is not \(TimeSpec.help)") }
    }

    func run() throws {
        try reportingErrors {
            let entries: [AuditEntry]
            do { entries = try store.open().auditEntries(since: since.flatMap { TimeSpec.parse($0) }, limit: limit) } catch let e as AssemblyError {
                throw e
            } catch { throw CLIError.ioError(TerminalSafe.escape("\(error)")) }
            switch format {
            case .json:
                // Targets and messages hold engine and alert text: on a terminal, what JSON lets
                // through raw (C1 controls, bidi and zero-width characters) is written \uXXXX,
                // which reads back as the same string.
                let onTerminal = Terminal.stdoutIsTerminal
                for e in entries {
                    let line = JSONWriter.string(AuditCommand.json(e))
                    Terminal.write((onTerminal ? TerminalSafe.escapeJSON(line) : line) + "\n")
                }
            case .table:
                if entries.isEmpty { Terminal.printError("no actions recorded"); return }
                let rows = entries.map { e in
                    [e.started.rfc3339(fractionDigits: 0), e.action, e.target ?? "", e.result.rawValue,
                     e.latencyMilliseconds.map { "\(Int($0.rounded())) ms" } ?? "", e.who.summary, e.via, e.message ?? ""]
                        .map(TerminalSafe.escape)
                }
                Terminal.write(TextTable(header: ["TIME", "ACTION", "TARGET", "RESULT", "LATENCY", "WHO", "VIA", "MESSAGE"],
                                         rows: rows, maxWidth: Terminal.width, flexibleColumn: 7).render())
            }
        }
    }

    static func json(_ e: AuditEntry) -> JSONValue {
        var o = JSONObject([
            ("id", .int(e.id)), ("started", .string(e.started.rfc3339())), ("action", .string(e.action)),
            ("target", e.target.map(JSONValue.string) ?? .null), ("result", .string(e.result.rawValue)),
            ("user", .string(e.who.user)), ("sudo_user", e.who.sudoUser.map(JSONValue.string) ?? .null),
            ("ssh_client", e.who.sshClient.map(JSONValue.string) ?? .null), ("via", .string(e.via)),
            ("message", e.message.map(JSONValue.string) ?? .null),
        ])
        o["finished"] = e.finished.map { .string($0.rfc3339()) } ?? .null
        o["latency_ms"] = e.latencyMilliseconds.map(JSONValue.double) ?? .null
        o["detail"] = e.detail.flatMap { try? JSONParser.parse($0) } ?? .null
        o["incident"] = e.incident.map(JSONValue.int) ?? .null
        return .object(o)
    }
}
