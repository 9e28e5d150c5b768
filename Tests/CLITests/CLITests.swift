#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// End-to-end runs of the real binary: what a user types, what they see, what exit status.
@Suite(.serialized) struct CLITests {
    @Test func ingestsQueriesAndCounts() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        writeFile(dir + "/alerts.jsonl", [
            alertLine(1), alertLine(2, priority: "Critical", container: "3ad7b26ded6d", rule: "Exchange API key read",
                                    output: "key read \\u001b]0;pwned\\u0007"),
            "garbage", "", alertLine(3, priority: "Error"),
        ].joined(separator: "\n") + "\n")

        var (status, out, err) = Child.run(["ingest", "--db", db, dir + "/alerts.jsonl"], in: dir)
        #expect(status == 0)
        #expect(out.isEmpty)
        #expect(err.contains("5 lines read, 3 accepted (3 stored, 0 already in the history), 1 rejected, 1 blank"))
        #expect(err.contains("line 3: not JSON"))

        (status, out, _) = Child.run(["ingest", "--db", db, "--json", "-"], stdin: dir + "/alerts.jsonl", in: dir)
        #expect(status == 0)
        #expect(out.contains(#""stored":0"#) && out.contains(#""duplicates":3"#))

        (status, out, _) = Child.run(["query", "--db", db, "--priority", ">=error", "--format", "json"], in: dir)
        #expect(status == 0)
        #expect(out == alertLine(2, priority: "Critical", container: "3ad7b26ded6d", rule: "Exchange API key read",
                                 output: "key read \\u001b]0;pwned\\u0007") + "\n" + alertLine(3, priority: "Error") + "\n")

        // The table escapes the escape sequence even though stdout is not a terminal.
        (status, out, _) = Child.run(["query", "--db", db, "--container", "3ad7"], in: dir)
        #expect(status == 0)
        #expect(out.contains("key read \\x1b]0;pwned\\x07"))
        #expect(!out.utf8.contains(0x1B))

        (status, out, _) = Child.run(["query", "--db", db, "--search", "number", "--format", "csv"], in: dir)
        #expect(out.hasPrefix("id,time,priority,rule"))
        #expect(out.split(separator: "\r\n").count == 3)

        (status, out, _) = Child.run(["stats", "--db", db, "--json"], in: dir)
        #expect(status == 0)
        #expect(out.contains(#""total":3"#) && out.contains(#""Critical":1"#))

        (status, out, _) = Child.run(["rejects", "--db", db], in: dir)
        #expect(out.contains("line 3: not_json"))
    }

    @Test func reportsBadArgumentsAndMissingFilesWithExitCodes() {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        var (status, _, err) = Child.run(["query", "--db", dir + "/h.sqlite", "--priority", ">=severe"], in: dir)
        #expect(status == 64)
        #expect(err.contains("--priority"))
        (status, _, err) = Child.run(["query", "--db", dir + "/h.sqlite", "--since", "last tuesday"], in: dir)
        #expect(status == 64)
        (status, _, err) = Child.run(["ingest", "--db", dir + "/h.sqlite", dir + "/missing.jsonl"], in: dir)
        #expect(status == 66)
        #expect(err.contains("cannot open"))
    }

    @Test func usesTheXDGDataDirectoryByDefaultAndHonoursTRADSEC_DB() {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        var (_, out, _) = Child.run(["info"], environment: ["XDG_DATA_HOME": dir + "/data"], in: dir)
        #expect(out.contains("history   \(dir)/data/tradsec/history.sqlite"))
        (_, out, _) = Child.run(["info"], environment: ["TRADSEC_DB": dir + "/x.sqlite"], in: dir)
        #expect(out.contains("history   \(dir)/x.sqlite"))
        (_, out, _) = Child.run(["info", "--db", dir + "/y.sqlite"], environment: ["TRADSEC_DB": dir + "/x.sqlite"], in: dir)
        #expect(out.contains("history   \(dir)/y.sqlite"))
    }

    /// SIGKILL in the middle of a large ingest: the history stays sound, holds only whole
    /// batches, and a second run completes it without storing anything twice.
    @Test func killDashNineMidIngestNeverCorruptsTheHistory() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        let count = 200_000
        var text = ""
        text.reserveCapacity(count * 330)
        for n in 0..<count { text += alertLine(n) + "\n" }
        writeFile(dir + "/big.jsonl", text)

        let child = Child.start(["ingest", "--db", db, "--batch-size", "1000", dir + "/big.jsonl"], in: dir)
        // Wait until some batches are committed (the WAL grows), then kill without warning.
        var waited = 0
        while waited < 20_000 {
            var st = stat()
            if stat(db + "-wal", &st) == 0, st.st_size > 2_000_000 { break }
            usleep(5_000); waited += 5
        }
        kill(child.pid, SIGKILL)
        #expect(child.wait() == 128 + SIGKILL)

        var (status, out, _) = Child.run(["stats", "--db", db, "--json"], in: dir)
        #expect(status == 0)
        let committed = Int(out.split(separator: ",").first!.split(separator: ":").last!)!
        #expect(committed % 1000 == 0, "only whole batches are committed")
        #expect(committed < count, "the kill came before the end (otherwise this test proves nothing)")

        (status, out, _) = Child.run(["ingest", "--db", db, "--json", dir + "/big.jsonl"], in: dir)
        #expect(status == 0)
        #expect(out.contains(#""stored":\#(count - committed)"#))
        #expect(out.contains(#""duplicates":\#(committed)"#))
    }

    /// `ingest --follow` stops on SIGTERM with everything committed, and a restart picks up
    /// exactly where it stopped.
    @Test func followStopsCleanlyOnSIGTERMAndResumes() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        let log = dir + "/falco.log"
        writeFile(log, (1...5).map { alertLine($0) + "\n" }.joined())
        var follower = Child.start(["ingest", "--db", db, "--follow", log], in: dir)
        func stored() -> String { Child.run(["query", "--db", db, "--format", "json", "--limit", "1000"], in: dir).1 }
        func waitFor(_ n: Int) -> Bool {
            for _ in 0..<200 {
                if stored().split(separator: "\n").count == n { return true }
                usleep(25_000)
            }
            return false
        }
        #expect(waitFor(5))
        writeFile(log, (6...8).map { alertLine($0) + "\n" }.joined(), append: true)
        #expect(waitFor(8))
        kill(follower.pid, SIGTERM)
        #expect(follower.wait() == 0)
        #expect(follower.stderr.contains("8 accepted"))

        writeFile(log, (9...10).map { alertLine($0) + "\n" }.joined(), append: true)
        follower = Child.start(["ingest", "--db", db, "--follow", log], in: dir)
        #expect(waitFor(10))
        kill(follower.pid, SIGINT)
        #expect(follower.wait() == 0)
        #expect(follower.stderr.contains("2 accepted (2 stored, 0 already in the history)"))
    }
}

/// The bundled incident, played instantly through the trading rule pack.
@Suite struct DemoTests {
    @Test func playsTheIncidentIntoAFreshHistory() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/demo.sqlite"
        var (status, out, err) = Child.run(["demo", "--instant", "--db", db], in: dir)
        #expect(status == 0, "\(err)")
        #expect(err.contains("346 events, 20 alerts stored"), "\(err)")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.count == 21 && lines.first?.hasPrefix("TIME (UTC)") == true, "a header, then one row per alert")
        // The story in order: shell, keys, unknown exchange, packing, sending, wallet, connector, Falco, logs.
        let rows = lines.dropFirst()
        #expect(rows.first?.contains("Shell Spawned in Trading Container") == true)
        #expect(rows.contains { $0.contains("Outbound Connection to Non-Allowlisted") })
        #expect(rows.contains { $0.contains("Crypto Wallet File Accessed") })
        #expect(rows.filter { $0.contains("Falco Stopped or Reconfigured") }.count == 2)
        #expect(!out.utf8.contains(0x1B), "escape sequences in alert text are shown escaped")
        #expect(out.contains("\\x1b]0;owned\\x07"))

        (status, out, _) = Child.run(["stats", "--db", db, "--json"], in: dir)
        #expect(out.contains(#""total":20"#))
        #expect(out.contains(#""key":"ai-trading-bot (3ad7b26ded6d)""#) && out.contains(#""key":"bluefin-service (91c0fe22ab10)""#))
        #expect(out.contains(#""key":"host""#))
        (status, out, _) = Child.run(["query", "--db", db, "--container", "bluefin-service", "--format", "json"], in: dir)
        #expect(out.split(separator: "\n").count == 4)
    }
}

@Suite struct EscapingTests {
    /// Rule and container names come from the monitored host: `stats` must not pass their
    /// escape sequences through, even to a pipe.
    @Test func statsEscapesAlertDerivedNames() {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        writeFile(dir + "/a.jsonl", alertLine(1, rule: "evil \\u001b]0;pwned\\u0007 rule") + "\n")
        _ = Child.run(["ingest", "--db", dir + "/h.sqlite", dir + "/a.jsonl"], in: dir)
        let (status, out, _) = Child.run(["stats", "--db", dir + "/h.sqlite"], in: dir)
        #expect(status == 0)
        #expect(out.contains("evil \\x1b]0;pwned\\x07 rule"))
        #expect(!out.utf8.contains(0x1B) && !out.utf8.contains(0x07))
    }
}

@Suite struct QueryFollowTests {
    /// `query --follow` prints what is already there, then each alert stored afterwards, once.
    @Test func followPrintsNewAlertsOnceUntilStopped() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        writeFile(dir + "/a.jsonl", alertLine(1) + "\n" + alertLine(2, priority: "Critical") + "\n")
        _ = Child.run(["ingest", "--db", db, dir + "/a.jsonl"], in: dir)
        let follower = Child.start(["query", "--db", db, "--follow", "--priority", ">=error", "--format", "json"], in: dir)
        func printed() -> [String] { follower.stdout.split(separator: "\n").map(String.init) }
        func waitFor(_ n: Int) -> Bool {
            for _ in 0..<200 { if printed().count >= n { return true }; usleep(25_000) }
            return false
        }
        #expect(waitFor(1))
        writeFile(dir + "/b.jsonl", alertLine(3, priority: "Error") + "\n" + alertLine(4, priority: "Notice") + "\n"
                  + alertLine(5, priority: "Emergency") + "\n")
        _ = Child.run(["ingest", "--db", db, dir + "/b.jsonl"], in: dir)
        #expect(waitFor(3))
        usleep(600_000)
        kill(follower.pid, SIGTERM)
        #expect(follower.wait() == 0)
        #expect(printed() == [alertLine(2, priority: "Critical"), alertLine(3, priority: "Error"), alertLine(5, priority: "Emergency")])
    }
}
