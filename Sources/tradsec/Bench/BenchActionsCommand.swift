import ArgumentParser
import Benchmarks

/// `tradsec bench actions`: SHA-256 throughput, backup rate, and (with an engine) the
/// isolate/restore round trip, so docs/actions.md's figures come from a command.
struct BenchActionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actions",
        abstract: "Measure SHA-256 (libcrypto), backup archiving, and isolate/restore latency against an engine."
    )

    @Option(help: "Megabytes hashed and archived.") var megabytes = 256
    @Option(help: ArgumentHelp("Docker Engine API socket for the isolate/restore rounds (skipped without it).", valueName: "path"))
    var dockerSocket: String?
    @Option(help: ArgumentHelp("Container to isolate and restore (a test container: it loses its network during the rounds).", valueName: "name"))
    var target: String?
    @Option(help: "Isolate/restore rounds.") var rounds = 5

    func run() throws {
        let bench = ActionsBenchmark(megabytes: megabytes)
        defer { bench.cleanUp() }
        let digestMS = bench.digestMilliseconds()
        let backupMS = try bench.backupMilliseconds()
        var lines = [
            "incident actions benchmark",
            "  sha-256     \(Int(Double(megabytes) / (digestMS[0] / 1000))) MB/s best of 3 (libcrypto, \(megabytes) MB in memory)",
            "  backup      \(Int(Double(megabytes) / (backupMS / 1000))) MB/s (\(megabytes) MB of incompressible files: tar + gzip + digest + fsync, \(Int(backupMS)) ms)",
        ]
        if let dockerSocket, let target {
            let (isolate, restore) = try benchmarkErrors { try bench.isolateAndRestore(dockerSocket: dockerSocket, target: target, rounds: rounds) }
            lines.append("  isolate     \(Int(isolate.percentile(50))) ms median, \(Int(isolate.last ?? 0)) ms max over \(rounds) rounds (resolve + inspect + record + disconnect all + verify)")
            lines.append("  restore     \(Int(restore.percentile(50))) ms median, \(Int(restore.last ?? 0)) ms max (resolve + inspect + reconnect all + verify)")
        }
        Terminal.write(lines.joined(separator: "\n") + "\n")
    }
}
