#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Foundation
import Processor
import TradsecCore

/// `tradsec bench serve`: Falco-style load on the processor. Each connection posts its share of
/// the requests on a kept-alive connection, paced so that all connections together offer
/// `rate` alerts/s for `duration` seconds. Latency runs from the moment a request was due (so a
/// stalled server cannot hide its backlog) to its 2xx, which the processor sends only after
/// the commit.
public final class ServeBenchmark {
    public let rate: Int
    public let duration: Double
    public let connections: Int
    /// Alerts per request (1 is Falco's http_output; more is JSON Lines).
    public let batch: Int
    /// Alerts offered in all.
    public var total: Int { Int(Double(rate) * duration) }
    /// Request bodies, after ``prepare()``.
    public private(set) var bodies: [[UInt8]] = []

    private var server: ProcessorServer?
    private var metrics: ProcessorMetrics?
    private var store: AlertStore?

    public init(rate: Int, duration: Double, connections: Int, batch: Int) {
        self.rate = rate
        self.duration = duration
        self.connections = connections
        self.batch = batch
    }

    /// Generates the alerts, timed from now, into request bodies.
    public func prepare() {
        var generator = AlertGenerator(seed: UInt64(getpid()), start: Timestamp.now())
        let total = self.total
        var bodies: [[UInt8]] = []
        bodies.reserveCapacity(total / batch + 1)
        var index = 0
        while index < total {
            var body: [UInt8] = []
            for _ in 0..<min(batch, total - index) {
                body.append(contentsOf: generator.next(index: index).utf8)
                body.append(0x0A)
                index += 1
            }
            bodies.append(body)
        }
        self.bodies = bodies
    }

    /// Starts a processor in this process on 127.0.0.1 (any port) over a new history at
    /// `path`; returns the port.
    public func startProcessor(historyPath path: String, version: String) throws -> Int {
        let history = try AlertStore(path: path)
        var settings = ServeSettings()
        settings.listen = "127.0.0.1:0"
        let metrics = ProcessorMetrics(version: version)
        let processor = AlertProcessor(store: history, enricher: Enricher(config: EnrichmentConfig()), correlation: CorrelationConfig())
        processor.start()
        let pipeline = try IngestPipeline(store: history, processor: processor, metrics: metrics)
        pipeline.start()
        let started = try ProcessorServer(app: ProcessorApp(settings: settings, store: history, pipeline: pipeline,
                                                            metrics: metrics, version: version))
        self.metrics = metrics
        self.server = started
        self.store = history
        return started.boundPort
    }

    public struct Load: Sendable {
        /// Alerts in requests answered 2xx.
        public var acknowledged: Int
        public var failedRequests: Int
        public var seconds: Double
        /// Due → 2xx of every acknowledged request, milliseconds, sorted.
        public var latencies: [Double]
    }

    /// Posts the prepared bodies to `host:port` and waits for every connection to finish.
    public func post(host: String, port: Int) -> Load {
        let results = LoadResults(connections: connections)
        let requestInterval = Double(batch) / Double(rate) * Double(connections)
        let begin = Monotonic.seconds() + 0.2
        var threads: [Thread] = []
        let shared = bodies
        let connections = self.connections, batch = self.batch
        for c in 0..<connections {
            let thread = Thread {
                var client = KeepAliveClient(host: host, port: port)
                var latencies: [Double] = []
                var acknowledged = 0, failed = 0
                var k = c, n = 0
                while k < shared.count {
                    let due = begin + Double(n) * requestInterval
                    let now = Monotonic.seconds()
                    if due > now { usleep(useconds_t((due - now) * 1_000_000)) }
                    let status = client.post(shared[k])
                    let done = Monotonic.seconds()
                    if (200..<300).contains(status) {
                        acknowledged += batch
                        latencies.append((done - due) * 1000)
                    } else {
                        failed += 1
                    }
                    k += connections
                    n += 1
                }
                results.record(c, latencies: latencies, acknowledged: acknowledged, failed: failed)
            }
            thread.start()
            threads.append(thread)
        }
        results.waitAll()
        let elapsed = Monotonic.seconds() - begin
        return Load(acknowledged: results.acknowledged, failedRequests: results.failed, seconds: elapsed,
                    latencies: results.latencies.sorted())
    }

    public struct ServerSide: Sendable {
        public var commits: Double
        public var alertsPerCommit: Double
        public var meanTransactionMilliseconds: Double
        public var meanRequestToCommitMilliseconds: Double
    }

    /// The in-process server's own view, from its metrics: how requests were grouped into
    /// commits. nil when the load went to another process.
    public func serverSide() -> ServerSide? {
        guard let metrics else { return nil }
        let text = String(decoding: metrics.exposition(refresh: {}), as: UTF8.self)
        func value(_ name: String) -> Double {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last!) } ?? 0
        }
        let commits = value("tradsec_ingest_commits_total")
        return ServerSide(commits: commits,
                          alertsPerCommit: value("tradsec_ingest_batch_alerts_sum") / max(1, commits),
                          meanTransactionMilliseconds: value("tradsec_ingest_commit_duration_seconds_sum") / max(1, commits) * 1000,
                          meanRequestToCommitMilliseconds: value("tradsec_ingest_latency_seconds_sum")
                              / max(1, value("tradsec_ingest_latency_seconds_count")) * 1000)
    }

    /// Stops the in-process server and returns the alerts its history holds (nil when the load
    /// went to another process).
    public func stopAndCountStored() throws -> Int? {
        guard let server, let store else { return nil }
        server.stop()
        self.server = nil
        return try store.totalCount()
    }
}

/// Per-connection results, gathered when each connection finishes.
final class LoadResults: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: Int
    private(set) var latencies: [Double] = []
    private(set) var acknowledged = 0
    private(set) var failed = 0

    init(connections: Int) { pending = connections }

    func record(_ connection: Int, latencies: [Double], acknowledged: Int, failed: Int) {
        condition.lock()
        self.latencies += latencies
        self.acknowledged += acknowledged
        self.failed += failed
        pending -= 1
        condition.broadcast()
        condition.unlock()
    }

    func waitAll() {
        condition.lock()
        while pending > 0 { condition.wait() }
        condition.unlock()
    }
}

/// A minimal HTTP/1.1 client on one kept-alive TCP connection: POST, read the status and
/// the body by Content-Length. Enough for load; reconnects once if the server closed.
public struct KeepAliveClient {
    let host: String
    let port: Int
    private var fd: Int32 = -1
    private var buffer = [UInt8](repeating: 0, count: 65536)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public mutating func post(_ body: [UInt8]) -> Int {
        for _ in 0..<2 {
            if fd < 0 { connect() }
            if fd < 0 { return 0 }
            if let status = exchange(body) { return status }
            Glibc.close(fd)
            fd = -1
        }
        return 0
    }

    /// Closes the connection (the next post opens a new one).
    public mutating func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    private mutating func connect() {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host == "localhost" ? "127.0.0.1" : host)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 { Glibc.close(fd); fd = -1 }
    }

    private mutating func exchange(_ body: [UInt8]) -> Int? {
        let head = "POST /falco HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: falcosecurity/falco\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        guard writeAll(Array(head.utf8) + body) else { return nil }
        var received: [UInt8] = []
        var headerEnd: Int?
        while headerEnd == nil {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { return nil }
            received.append(contentsOf: buffer[0..<n])
            headerEnd = Self.find(received)
        }
        let headText = String(decoding: received[0..<headerEnd!], as: UTF8.self)
        let statusLine = headText.prefix(while: { $0 != "\r" }).split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        var length = 0
        for line in headText.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        var have = received.count - (headerEnd! + 4)
        while have < length {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { return nil }
            have += n
        }
        return status
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    private static func find(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 { return i }
        return nil
    }
}
