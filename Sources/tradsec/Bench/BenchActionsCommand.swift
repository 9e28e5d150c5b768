#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
import ArgumentParser
import TradsecCore

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
        let dir = makeScratchDirectory()
        defer { removeScratch(dir) }
        // Incompressible bytes: gzip's worst case, the honest figure for an archive of binary data.
        var rng = SplitMix64(seed: 42)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for i in stride(from: 0, to: chunk.count, by: 8) {
            withUnsafeBytes(of: rng.next()) { raw in for j in 0..<8 { chunk[i + j] = raw[j] } }
        }
        let digestMS = Clock.samples(3) {
            let d = SHA256Digest()
            for _ in 0..<megabytes { d.update(chunk) }
            _ = d.finish()
        }
        mkdir(dir + "/data", 0o700)
        for n in 0..<megabytes { writeAll(dir + "/data/part-\(n).bin", chunk) }
        var config = ActionsConfig()
        config.backup.paths = [dir + "/data"]
        config.backup.directory = dir + "/backups"
        let backupMS = try Clock.samples(1) { _ = try BackupArchive(config: config.backup).create() }
        var lines = [
            "incident actions benchmark",
            "  sha-256     \(Int(Double(megabytes) / (digestMS[0] / 1000))) MB/s best of 3 (libcrypto, \(megabytes) MB in memory)",
            "  backup      \(Int(Double(megabytes) / (backupMS[0] / 1000))) MB/s (\(megabytes) MB of incompressible files: tar + gzip + digest + fsync, \(Int(backupMS[0])) ms)",
        ]
        if let dockerSocket, let target {
            config.docker.socket = dockerSocket
            let store = try AlertStore(path: dir + "/history.sqlite")
            let runner = ActionRunner(config: config, store: store)
            var isolate: [Double] = [], restore: [Double] = []
            for _ in 0..<rounds {
                let i = runner.run(ActionRequest(kind: .isolate, target: target))
                let r = runner.run(ActionRequest(kind: .restore, target: target))
                guard i.result == .ok, r.result == .ok else { throw CLIError("round failed: \(i.message) / \(r.message)") }
                isolate.append(i.latencyMilliseconds)
                restore.append(r.latencyMilliseconds)
            }
            isolate.sort(); restore.sort()
            lines.append("  isolate     \(Int(isolate.percentile(50))) ms median, \(Int(isolate.last ?? 0)) ms max over \(rounds) rounds (resolve + inspect + record + disconnect all + verify)")
            lines.append("  restore     \(Int(restore.percentile(50))) ms median, \(Int(restore.last ?? 0)) ms max (resolve + inspect + reconnect all + verify)")
        }
        Terminal.write(lines.joined(separator: "\n") + "\n")
    }

    private func makeScratchDirectory() -> String {
        var template = Array("/tmp/tradsec-bench-actions-XXXXXX".utf8CString)
        return String(cString: mkdtemp(&template)!)
    }

    private func writeAll(_ path: String, _ bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return }
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    private func removeScratch(_ dir: String) {
        if let pid = try? Spawn.start(["/bin/rm", "-rf", dir], environment: []) { _ = Spawn.wait(pid) }
    }
}
