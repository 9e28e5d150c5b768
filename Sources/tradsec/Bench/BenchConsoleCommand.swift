import ArgumentParser
struct BenchConsoleCommand: ParsableCommand { static let configuration = CommandConfiguration(commandName: "console") }
