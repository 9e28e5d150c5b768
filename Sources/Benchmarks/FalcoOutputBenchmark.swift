#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Foundation
import TradsecCore

/// `tradsec bench serve --falco-http-output`: Falco's own delivery path. Falco's http_output
/// posts one alert per request and waits for the reply before the next, on one kept-alive
/// connection, so a receiver's rate is one over its per-request time. The benchmark starts a
/// real `tradsec serve` and a plain receiver (a small Python program committing one SQLite row
/// per request) as child processes, and posts the same alerts to each in interleaved rounds,
/// so both see the same machine load, with the client Falco uses (``FalcoHTTPOutputClient``:
/// libcurl, one easy handle per receiver for the whole run). The same client posts to a bare
/// responder (``LoopbackFloor``) for the floor.
public final class FalcoOutputBenchmark {
    /// One receiver's figures over all its rounds.
    public struct Figures: Sendable {
        public var acknowledged = 0
        public var failedRequests = 0
        public var seconds = 0.0
        /// Send → 2xx of every acknowledged request, milliseconds, sorted.
        public var latencies: [Double] = []
        /// Connections the client opened over the run: 1 when the receiver kept it alive throughout.
        public var connections = 0
        /// The first failed transfer's error, if any.
        public var firstError: String?
        /// CPU time the hypervisor gave elsewhere while this receiver was posted to.
        var stolen = StolenTime()
        /// That, as a share of all CPU time, 0…1.
        public var stolenShare: Double { stolen.share }

        mutating func noteConnections(of client: FalcoHTTPOutputClient) {
            connections = client.connectionsOpened
            firstError = client.firstError
        }

        public var alertsPerSecond: Double { seconds > 0 ? Double(acknowledged) / seconds : 0 }
        public var meanMilliseconds: Double { latencies.isEmpty ? 0 : latencies.reduce(0, +) / Double(latencies.count) }
    }

    public struct Result: Sendable {
        public var serve: Figures
        public var baseline: Figures
        /// A bare responder doing no work: the machine's floor for this pattern.
        public var floor: Figures
        /// Alerts the history holds after serve stopped, and the rows the baseline holds.
        public var servedStored: Int
        public var baselineStored: Int
        /// serve's alerts/s over the baseline's.
        public var ratio: Double { baseline.alertsPerSecond > 0 ? serve.alertsPerSecond / baseline.alertsPerSecond : 0 }
    }

    /// How to start the two receivers.
    public struct Receivers: Sendable {
        /// The tradsec executable (`serve` is its subcommand).
        public var tradsec: String
        public var python: String
        /// bench/baseline_receiver.py.
        public var baselineScript: String

        public init(tradsec: String, python: String, baselineScript: String) {
            self.tradsec = tradsec
            self.python = python
            self.baselineScript = baselineScript
        }
    }

    public let alerts: Int
    public let rounds: Int
    private var bodies: [[UInt8]] = []

    /// `alerts` posted to each receiver, split over `rounds` rounds that alternate between them.
    public init(alerts: Int, rounds: Int) {
        self.alerts = max(1, alerts)
        self.rounds = max(1, min(rounds, self.alerts))
    }

    /// Generates the alerts (one per request body), timed from now so serve's retention keeps them.
    public func prepare() {
        var generator = AlertGenerator(seed: UInt64(getpid()), start: Timestamp.now())
        bodies = (0..<alerts).map { Array(generator.next(index: $0).utf8) }
    }

    /// Starts both receivers under a scratch directory, posts every round, stops them and counts
    /// what each stored. `log` hears progress.
    public func run(_ receivers: Receivers, log: (String) -> Void) throws -> Result {
        let directory = FileManager.default.temporaryDirectory.path + "/tradsec-bench-falco-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        // No configuration of the operator's: serve runs with its defaults.
        let environment = ["PATH=/usr/bin:/bin", "HOME=\(directory)", "XDG_CONFIG_HOME=\(directory)/config",
                           "XDG_DATA_HOME=\(directory)/data", "LC_ALL=C.UTF-8"]
        let historyPath = directory + "/history.sqlite"
        let serve = try BenchChild.start([receivers.tradsec, "serve", "--listen", "127.0.0.1:0", "--db", historyPath],
                                    output: directory + "/serve.log", environment: environment,
                                    ready: { text in Self.number(after: "listening on http://127.0.0.1:", in: text) })
        defer { serve.stop() }
        let baseline = try BenchChild.start([receivers.python, receivers.baselineScript, "--db", directory + "/baseline.sqlite"],
                                       output: directory + "/baseline.log", environment: environment,
                                       ready: { text in Self.number(after: "listening ", in: text) })
        defer { baseline.stop() }

        let floor = try LoopbackFloor()
        var serveFigures = Figures(), baselineFigures = Figures(), floorFigures = Figures()
        // One client per receiver for the whole run, as Falco keeps one per output.
        do {
            let serveClient = try Self.client(port: serve.port)
            let baselineClient = try Self.client(port: baseline.port)
            let floorClient = try Self.client(port: floor.port)
            let perRound = (alerts + rounds - 1) / rounds
            for round in 0..<rounds {
                let slice = bodies[min(alerts, round * perRound)..<min(alerts, (round + 1) * perRound)]
                log("round \(round + 1) of \(rounds): \(slice.count) alerts to the baseline, then to serve, then to the floor…")
                Self.post(slice, with: baselineClient, into: &baselineFigures)
                Self.post(slice, with: serveClient, into: &serveFigures)
                Self.post(slice, with: floorClient, into: &floorFigures)
            }
            serveFigures.noteConnections(of: serveClient)
            baselineFigures.noteConnections(of: baselineClient)
            floorFigures.noteConnections(of: floorClient)
        }   // the clients close their connections here
        floorFigures.latencies.sort()
        serveFigures.latencies.sort()
        baselineFigures.latencies.sort()

        guard serve.stop() == 0 else {
            throw BenchmarkError.programMisbehaved("tradsec serve failed: \(serve.output())")
        }
        let store = try AlertStore(path: historyPath, readOnly: true)
        let servedStored = try store.totalCount()
        _ = baseline.stop()
        let baselineStored = Self.number(after: "rows ", in: baseline.output()) ?? 0
        return Result(serve: serveFigures, baseline: baselineFigures, floor: floorFigures, servedStored: servedStored, baselineStored: baselineStored)
    }

    /// Falco's client for the receiver on 127.0.0.1:`port` (its path is Falco's usual /falco).
    private static func client(port: Int) throws -> FalcoHTTPOutputClient {
        guard let client = FalcoHTTPOutputClient(url: "http://127.0.0.1:\(port)/falco") else {
            throw BenchmarkError.unavailable("libcurl could not create a handle")
        }
        return client
    }

    /// Posts `bodies` one per request, each after the previous reply, with `client`.
    private static func post(_ bodies: ArraySlice<[UInt8]>, with client: FalcoHTTPOutputClient, into figures: inout Figures) {
        var latencies: [Double] = []
        latencies.reserveCapacity(bodies.count)
        let begin = Monotonic.seconds()
        let stolenBefore = StolenTime.now()
        defer { figures.stolen.add(from: stolenBefore, to: StolenTime.now()) }
        for body in bodies {
            let sent = Monotonic.seconds()
            let status = client.post(body)
            if (200..<300).contains(status) {
                latencies.append((Monotonic.seconds() - sent) * 1000)
            } else {
                figures.failedRequests += 1
            }
        }
        figures.seconds += Monotonic.seconds() - begin
        figures.acknowledged += latencies.count
        figures.latencies += latencies
    }

    /// The decimal number after `marker` in `text`.
    static func number(after marker: String, in text: String) -> Int? {
        guard let range = text.range(of: marker) else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return digits.count <= 9 ? Int(digits) : nil
    }
}
