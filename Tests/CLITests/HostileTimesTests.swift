#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// Times an attacker writes (into an alert, or a user into --since) must be refused with a
/// reason, never trap: a far-future alert time killed `ingest` (so a follower, on every restart).
@Suite(.serialized) struct HostileTimesTests {
    @Test func aFarFutureAlertIsRejectedAndTheValidOnesAroundItAreStored() {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        let hostile = [
            #"{"time":"9999-12-31T23:59:59Z","rule":"r","priority":"Critical","output":"x"}"#,
            #"{"time":"1969-07-20T20:17:40Z","rule":"r","priority":"Critical","output":"moon"}"#,
            #"{"time":"2262-04-12T00:00:00.5+00:00","rule":"r","priority":"Critical","output":"y"}"#,
        ]
        writeFile(dir + "/alerts.jsonl", [alertLine(1), hostile[0], alertLine(2), hostile[1], hostile[2], alertLine(3)]
            .joined(separator: "\n") + "\n")
        var (status, _, err) = Child.run(["ingest", "--db", db, dir + "/alerts.jsonl"], in: dir)
        #expect(status == 0, "\(err)")
        #expect(err.contains("6 lines read, 3 accepted (3 stored, 0 already in the history), 3 rejected"))
        #expect(err.contains("line 2: key \"time\" is out of range"))

        var out: String
        (status, out, _) = Child.run(["stats", "--db", db, "--json"], in: dir)
        #expect(status == 0)
        #expect(out.contains(#""total":3"#))
        (status, out, _) = Child.run(["rejects", "--db", db], in: dir)
        #expect(out.components(separatedBy: "bad_time").count - 1 == 3)

        // A follower that restarts on the same file does not trip over the line either.
        (status, _, err) = Child.run(["ingest", "--db", db, dir + "/alerts.jsonl"], in: dir)
        #expect(status == 0, "\(err)")
        #expect(err.contains("3 accepted (0 stored, 3 already in the history)"))
    }

    @Test(arguments: ["8000000000s8000000000s", "9999-12-31", "0000-01-01T00:00:00Z", "300000w"])
    func sinceValuesThatDoNotFitAreUsageErrors(since: String) {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let (status, _, err) = Child.run(["query", "--db", dir + "/h.sqlite", "--since", since], in: dir)
        #expect(status == 64)
        #expect(err.contains("--since"))
    }
}
