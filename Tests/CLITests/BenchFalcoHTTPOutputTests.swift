#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// `bench serve --falco-http-output` posts with Falco's libcurl client to a real `serve` child,
/// to the Python baseline receiver and to the floor responder: it succeeds only when no request
/// failed and serve stored every alert it acknowledged.
@Suite(.timeLimit(.minutes(2)), .enabled(if: access("/usr/bin/python3", X_OK) == 0, "needs /usr/bin/python3 for the baseline receiver"))
struct BenchFalcoHTTPOutputTests {
    @Test func everyAlertIsAcknowledgedAndStoredOnOneKeptAliveConnection() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let (status, out, err) = Child.run(["bench", "serve", "--falco-http-output", "--alerts", "300", "--rounds", "2"], in: dir)
        #expect(status == 0, "\(out)\n\(err)")
        // alerts/s, mean, p50, p99, failed, stored, CPU stolen by the hypervisor.
        func columns(_ name: String) -> [Substring] {
            out.split(separator: "\n").first { $0.hasPrefix("  " + name) }?.dropFirst(2 + name.count).split(separator: " ") ?? []
        }
        let serve = columns("tradsec serve"), baseline = columns("baseline (Python)"), floor = columns("floor (no work)")
        #expect(serve.count == 7 && baseline.count == 7 && floor.count == 7, "\(out)")
        for row in [serve, baseline, floor] where row.count == 7 {
            #expect(row[4] == "0", "failed requests: \(out)")
            #expect((Double(row[0]) ?? 0) > 0, "\(out)")
            #expect(row[6].hasSuffix("%") && (Double(row[6].dropLast()) ?? -1) >= 0, "stolen share: \(out)")
        }
        #expect(serve.count == 7 && serve[5] == "300", "serve's history: \(out)")
        #expect(baseline.count == 7 && baseline[5] == "300", "the baseline's rows: \(out)")
        // libcurl reused one connection per receiver for both rounds, as Falco's handle does.
        #expect(out.contains("connections opened: serve 1, baseline 1, floor 1"), "\(out)")
    }
}
