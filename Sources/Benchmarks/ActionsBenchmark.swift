#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
import TradsecCore

/// `tradsec bench actions`: SHA-256 throughput, backup rate, and (with an engine) the
/// isolate/restore round trip, on files in a scratch directory removed by ``cleanUp()``.
public final class ActionsBenchmark {
    public let megabytes: Int
    private let directory: String
    private var config = ActionsConfig()
    /// One MiB of incompressible bytes: gzip's worst case, the honest figure for an archive of
    /// binary data.
    private let chunk: [UInt8]

    public init(megabytes: Int) {
        self.megabytes = megabytes
        var template = Array("/tmp/tradsec-bench-actions-XXXXXX".utf8CString)
        directory = String(cString: mkdtemp(&template)!)
        var rng = SplitMix64(seed: 42)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for i in stride(from: 0, to: chunk.count, by: 8) {
            withUnsafeBytes(of: rng.next()) { raw in for j in 0..<8 { chunk[i + j] = raw[j] } }
        }
        self.chunk = chunk
        config.backup.paths = [directory + "/data"]
        config.backup.directory = directory + "/backups"
    }

    /// Milliseconds to hash `megabytes` in memory, three runs, sorted.
    public func digestMilliseconds() -> [Double] {
        Timing.samples(3) {
            let d = SHA256Digest()
            for _ in 0..<megabytes { d.update(chunk) }
            _ = d.finish()
        }
    }

    /// Milliseconds for one backup (tar + gzip + digest + fsync) of `megabytes` of files.
    public func backupMilliseconds() throws -> Double {
        mkdir(directory + "/data", 0o700)
        for n in 0..<megabytes { writeAll(directory + "/data/part-\(n).bin", chunk) }
        return try Timing.samples(1) { _ = try BackupArchive(config: config.backup).create() }[0]
    }

    /// `rounds` isolations and restores of `target` through the engine at `dockerSocket`,
    /// milliseconds each, sorted.
    public func isolateAndRestore(dockerSocket: String, target: String, rounds: Int) throws -> (isolate: [Double], restore: [Double]) {
        config.docker.socket = dockerSocket
        let store = try AlertStore(path: directory + "/history.sqlite")
        let runner = ActionRunner(config: config, store: store)
        var isolate: [Double] = [], restore: [Double] = []
        for _ in 0..<rounds {
            let i = runner.run(ActionRequest(kind: .isolate, target: target))
            let r = runner.run(ActionRequest(kind: .restore, target: target))
            guard i.result == .ok, r.result == .ok else { throw BenchmarkError.failed("round failed: \(i.message) / \(r.message)") }
            isolate.append(i.latencyMilliseconds)
            restore.append(r.latencyMilliseconds)
        }
        return (isolate.sorted(), restore.sorted())
    }

    /// Removes the scratch directory and everything in it.
    public func cleanUp() {
        if let pid = try? Spawn.start(["/bin/rm", "-rf", directory], environment: []) { _ = Spawn.wait(pid) }
    }

    private func writeAll(_ path: String, _ bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return }
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}
