#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import CurlClient
import Foundation
import Testing
import TestSupport
import TradsecCore

/// `tradsec serve` killed with SIGKILL while alerts pour in: every alert it acknowledged
/// (answered 2xx) is in the history after a restart, and the history is intact.
@Suite(.serialized) struct ServeCrashTests {
    /// Starts `tradsec serve` on a free port and returns it with its base URL.
    static func startServe(db: String, in directory: String) throws -> (Child, String) {
        let child = Child.start(["serve", "--db", db, "--listen", "127.0.0.1:0"], in: directory)
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if let range = child.stderr.range(of: "listening on http://127.0.0.1:") {
                let port = child.stderr[range.upperBound...].prefix(while: \.isNumber)
                return (child, "http://127.0.0.1:\(port)")
            }
            usleep(20_000)
        }
        kill(child.pid, SIGKILL)
        _ = child.wait()
        Issue.record("tradsec serve did not start: \(child.stderr)")
        throw CancellationError()
    }

    @Test func killDashNineLosesNothingAcknowledged() throws {
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        let db = directory + "/history.sqlite"
        let (serve, base) = try Self.startServe(db: db, in: directory)

        let acknowledged = AcknowledgedSet()
        var posters: [Thread] = []
        for worker in 0..<4 {
            let thread = Thread {
                var n = 0
                while !acknowledged.stopped {
                    let line = alertLine(worker * 1_000_000 + n, rule: "crash w\(worker) n\(n)")
                    let body = (0..<(n % 3 + 1)).map { k in k == 0 ? line : alertLine(worker * 1_000_000 + n + 500_000 + k, rule: "crash w\(worker) n\(n) k\(k)") }
                    let request = HTTPRequest.postJSON(base + "/falco", body: Array(body.joined(separator: "\n").utf8), timeout: 2)
                    if let reply = try? CurlHTTP.send(request), reply.status == 200 {
                        acknowledged.add(body)
                    } else if acknowledged.killed {
                        break
                    }
                    n += 1
                }
                acknowledged.finish()
            }
            thread.start()
            posters.append(thread)
        }
        // Let it take load, then kill it without warning.
        let loaded = Date().addingTimeInterval(20)
        while acknowledged.count < 1500 && Date() < loaded { usleep(20_000) }
        kill(serve.pid, SIGKILL)
        acknowledged.markKilled()
        #expect(serve.wait() == 128 + SIGKILL)
        acknowledged.stop()
        acknowledged.waitFinished(workers: 4)
        #expect(acknowledged.count >= 1500, "load before the kill")

        // Restart on the same history: it opens cleanly and has every acknowledged alert.
        let (again, againBase) = try Self.startServe(db: db, in: directory)
        defer { kill(again.pid, SIGTERM); _ = again.wait() }
        let health = try CurlHTTP.send(HTTPRequest(url: againBase + "/health"))
        #expect(health.status == 200)
        // What the killed process acknowledged was in its intake log; the restarted one moves it
        // into the history first, and says so on /health.
        let journaled = try JSONParser.parse(health.bodyText)["ingest"]?["journaled_alerts"]?.int64Value
        #expect(journaled != nil, "/health names the journaled alerts")
        #expect(waitFor(30) {
            let now = try? CurlHTTP.send(HTTPRequest(url: againBase + "/health"))
            return now.flatMap { try? JSONParser.parse($0.bodyText)["ingest"]?["journaled_alerts"]?.int64Value } == 0
        }, "the intake log left by the killed process is moved into the history")
        let store = try AlertStore(path: db, readOnly: true)
        #expect(try store.integrityCheck() == ["ok"])
        let stored = Set(try store.alerts(AlertQuery(limit: 10_000_000)).map(\.alert.raw))
        let missing = acknowledged.lines.filter { !stored.contains($0) }
        #expect(missing.isEmpty, "\(missing.count) acknowledged alerts missing, e.g. \(missing.first ?? "")")
    }
}

/// Alert lines the server acknowledged, gathered from the posting threads.
final class AcknowledgedSet: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [String] = []
    private var isStopped = false
    private var wasKilled = false
    private var finished = 0

    func add(_ lines: [String]) { lock.withLock { all += lines } }
    var count: Int { lock.withLock { all.count } }
    var lines: [String] { lock.withLock { all } }
    var stopped: Bool { lock.withLock { isStopped } }
    var killed: Bool { lock.withLock { wasKilled } }
    func stop() { lock.withLock { isStopped = true } }
    func markKilled() { lock.withLock { wasKilled = true } }
    func finish() { lock.withLock { finished += 1 } }
    func waitFinished(workers: Int) {
        let end = Date().addingTimeInterval(10)
        while lock.withLock({ finished }) < workers && Date() < end { usleep(10_000) }
    }
}
