import Testing
import TestSupport

/// `bench ingest --falco-outputs` drives real `ingest --follow` and `ingest --socket` children:
/// it succeeds only when each history ends up holding every alert written.
@Suite struct BenchFalcoOutputsTests {
    @Test func everyAlertWrittenReachesEachHistory() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let (status, out, err) = Child.run(["bench", "ingest", "--falco-outputs", "--count", "2000"], in: dir)
        #expect(status == 0, "\(out)\n\(err)")
        let rows = out.split(separator: "\n").filter { $0.hasPrefix("  ") && ($0.contains("→ ingest") || $0.contains("batch: ingest FILE")) }
        #expect(rows.count == 3, "\(out)")
        for row in rows {
            #expect(row.split(separator: " ").last == "2000", "\(row)")
        }
        #expect(out.contains("follow / batch"))
    }
}
