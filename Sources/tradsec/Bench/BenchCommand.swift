import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure performance (build with -c release for meaningful figures).",
        subcommands: [BenchIngestCommand.self, BenchEngineCommand.self, BenchConsoleCommand.self, BenchServeCommand.self, BenchActionsCommand.self, BenchGaugesCommand.self, BenchNotifyCommand.self, BenchSensorCommand.self, BenchSensorLoadCommand.self, BenchLatencyCommand.self]
    )
}
