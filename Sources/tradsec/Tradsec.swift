import ArgumentParser

@main
struct Tradsec: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "tradsec",
        abstract: "Security console for trading hosts guarded by Falco.",
        discussion: """
            Keeps every Falco alert in a SQLite history and answers questions about it.
            The history lives at $TRADSEC_DB, or $XDG_DATA_HOME/tradsec/history.sqlite
            (~/.local/share/tradsec/history.sqlite); --db overrides both.
            """,
        version: version,
        subcommands: [
            ConsoleCommand.self, IngestCommand.self, QueryCommand.self, StatsCommand.self, SqlCommand.self, RejectsCommand.self,
            RulesCommand.self, FilterCommand.self, DemoCommand.self, ServeCommand.self, BenchCommand.self, InfoCommand.self,
            ActionCommand.self, AuditCommand.self, IncidentsCommand.self, GaugesCommand.self, NotifyCommand.self, SenseCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )
}
