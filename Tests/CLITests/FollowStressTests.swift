#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Testing
import TestSupport

/// How far the writer got, shared with the test thread.
private final class Progress: Sendable {
    let written = Atomic<Int>(0)
}

/// Falco writing steadily while logrotate rotates its log both ways and the follower is
/// killed with SIGKILL and restarted: every alert ends up stored exactly once.
@Suite struct FollowStressTests {
    @Test func rotationsAndAKillLoseAndRepeatNothing() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        let log = dir + "/falco.log"
        let total = 3000
        writeFile(log, "")

        // The writer: appends one alert a millisecond; rotates by rename every 700 lines and
        // by copy-and-truncate every 1000 (between its own writes, as logrotate would hope).
        let progress = Progress()
        let writer = Thread {
            var rotation = 0
            for n in 1...total {
                writeFile(log, alertLine(n) + "\n", append: true)
                if n % 700 == 0 {
                    rotation += 1
                    rename(log, log + ".\(rotation)")
                    writeFile(log, "")
                } else if n % 1000 == 0 {
                    rotation += 1
                    writeFile(log + ".\(rotation)", Child.read(log))
                    truncate(log, 0)
                }
                progress.written.store(n, ordering: .releasing)
                usleep(1000)
            }
        }
        func waitForWriter(_ n: Int) {
            while progress.written.load(ordering: .acquiring) < n { usleep(1000) }
        }
        var follower = Child.start(["ingest", "--db", db, "--follow", log, "--batch-size", "50"], in: dir)
        writer.start()
        waitForWriter(1250)
        kill(follower.pid, SIGKILL)
        #expect(follower.wait() == 128 + SIGKILL)
        waitForWriter(1450)                // the log is rotated (at 1400) while nobody follows
        follower = Child.start(["ingest", "--db", db, "--follow", log, "--batch-size", "50"], in: dir)

        func stored() -> Int {
            let out = Child.run(["stats", "--db", db, "--json"], in: dir).1
            return Int(out.split(separator: ",").first?.split(separator: ":").last ?? "") ?? -1
        }
        var waited = 0
        while stored() < total && waited < 300 { usleep(50_000); waited += 1 }
        kill(follower.pid, SIGTERM)
        #expect(follower.wait() == 0)
        let count = stored()
        if count != total {
            let json = Child.run(["query", "--db", db, "--format", "json", "--limit", "100000"], in: dir).1
            let seen = Set(json.split(separator: "\n").map(String.init))
            let missing = (1...total).filter { !seen.contains(alertLine($0)) }
            Issue.record("missing alerts: \(missing.prefix(20)); follower said: \(follower.stderr)")
        }
        #expect(count == total, "every alert stored")
        #expect(follower.stderr.contains("0 rejected"), "\(follower.stderr)")
        #expect(follower.stderr.contains("0 already in the history"), "the restart resumed exactly: \(follower.stderr)")
    }
}
