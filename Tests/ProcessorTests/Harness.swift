import AlertStore
import CurlClient
import Foundation
@testable import Processor
import TestSupport
import TradsecCore

/// A processor on 127.0.0.1 and a free port, over a fresh history in a temporary directory.
final class ServerHarness: @unchecked Sendable {
    let directory: String
    let store: AlertStore
    let server: ProcessorServer
    let processor: AlertProcessor
    let pipeline: IngestPipeline
    var base: String { "http://127.0.0.1:\(server.boundPort)" }

    init(settings: ServeSettings = ServeSettings(), enrichment: EnrichmentConfig = EnrichmentConfig(),
         correlation: CorrelationConfig = CorrelationConfig(), directory: String? = nil) throws {
        self.directory = directory ?? makeTemporaryDirectory(prefix: "tradsec-serve")
        store = try AlertStore(path: self.directory + "/history.sqlite")
        var settings = settings
        if settings.listen == ServeSettings().listen { settings.listen = "127.0.0.1:0" }
        let metrics = ProcessorMetrics(version: "test")
        let processor = AlertProcessor(store: store, enricher: Enricher(config: enrichment), correlation: correlation)
        processor.start()
        let pipeline: IngestPipeline
        do {
            pipeline = try IngestPipeline(store: store, processor: processor, metrics: metrics, maxQueuedAlerts: settings.maxQueuedAlerts)
        } catch {
            processor.stop()
            throw error
        }
        pipeline.start()
        do {
            server = try ProcessorServer(app: ProcessorApp(settings: settings, store: store, pipeline: pipeline,
                                                           metrics: metrics, version: "test"))
        } catch {
            // Nothing of a harness that could not listen keeps the history (a retry takes it).
            pipeline.stop()
            processor.stop()
            throw error
        }
        self.processor = processor
        self.pipeline = pipeline
    }

    func stop(removingFiles: Bool = true) {
        server.stop()
        processor.stop()
        if removingFiles { removeTree(directory) }
    }

    @discardableResult
    func post(_ body: String, path: String = "/falco", headers: [(name: String, value: String)] = [("Content-Type", "application/json")])
        throws -> HTTPResponse {
        try CurlHTTP.send(HTTPRequest(method: "POST", url: base + path, headers: headers, body: Array(body.utf8)))
    }

    /// A read after the acknowledged writes have settled (see ``settled``).
    func get(_ path: String, headers: [(name: String, value: String)] = []) throws -> HTTPResponse {
        _ = settled
        return try CurlHTTP.send(HTTPRequest(url: base + path, headers: headers))
    }

    /// Waits until the processing step has caught up with every stored alert (it trails the commit).
    func waitForProcessing() throws {
        _ = settled
    }

    /// The history once what was acknowledged has moved out of the intake journal and been
    /// processed (both trail the 2xx by a few milliseconds).
    var settled: AlertStore {
        let end = Date().addingTimeInterval(10)
        while pipeline.status.journaled > 0 && Date() < end { usleep(2_000) }
        if let newest = try? store.newestID() { _ = processor.waitUntilProcessed(through: newest, timeout: 10) }
        return store
    }

    func json(_ path: String) throws -> JSONValue {
        try JSONParser.parse(try get(path).bodyText)
    }
}

/// A Falco alert line as Falco writes it with json_output: true.
func falcoAlert(rule: String = "Terminal shell in container", priority: String = "Notice", time: String? = nil,
                container: String = "bot-1", containerID: String = "0123456789ab", tags: [String] = ["container", "mitre_execution"],
                fields: [String: String] = [:], output: String? = nil, hostname: String = "trading-host-1") -> String {
    let when = time ?? Timestamp.now().rfc3339()
    var outputFields = JSONObject()
    outputFields.append("container.id", .string(containerID))
    outputFields.append("container.name", .string(container))
    outputFields.append("container.image.repository", .string("ghcr.io/acme/\(container)"))
    outputFields.append("proc.name", .string("bash"))
    outputFields.append("user.name", .string("root"))
    outputFields.append("evt.time", .int(1_732_262_400_000_000_000))
    // A field given here replaces the default of the same name (no duplicate keys).
    for (k, v) in fields.sorted(by: { $0.key < $1.key }) { outputFields[k] = .string(v) }
    var o = JSONObject()
    o.append("hostname", .string(hostname))
    o.append("output", .string(output ?? "\(when.prefix(19)): \(priority) \(rule) (container=\(container))"))
    o.append("output_fields", .object(outputFields))
    o.append("priority", .string(priority))
    o.append("rule", .string(rule))
    o.append("source", .string("syscall"))
    o.append("tags", .array(tags.map { .string($0) }))
    o.append("time", .string(when))
    return JSONWriter.string(.object(o))
}

/// Reads Server-Sent Events from `url` until `count` events arrived or `timeout` passed.
func readEvents(_ url: String, lastEventID: Int64?, count: Int, timeout: Double = 10) throws -> [(id: Int64, data: String)] {
    let collector = SSECollector(want: count)
    var headers: [(name: String, value: String)] = [("Accept", "text/event-stream")]
    if let lastEventID { headers.append(("Last-Event-ID", String(lastEventID))) }
    _ = try? CurlHTTP.stream(HTTPRequest(url: url, headers: headers, timeout: timeout)) { bytes in
        collector.feed(bytes)
        return !collector.done
    }
    return collector.events
}

final class SSECollector: @unchecked Sendable {
    let want: Int
    var buffer: [UInt8] = []
    var events: [(id: Int64, data: String)] = []
    var comments = 0
    var done: Bool { events.count >= want }
    init(want: Int) { self.want = want }

    func feed(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        // Stops at `want`: one read may carry more events than asked for (a burst), and a
        // caller that reconnects from the last id it got must not have seen the rest.
        while !done, let end = findBlankLine() {
            let block = String(decoding: buffer[0..<end], as: UTF8.self)
            buffer.removeFirst(end + 2)
            var id: Int64?
            var data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix(":") { comments += 1 }
                if line.hasPrefix("id: ") { id = Int64(line.dropFirst(4)) }
                if line.hasPrefix("data: ") { data += line.dropFirst(6) }
            }
            if let id { events.append((id, data)) }
        }
    }

    private func findBlankLine() -> Int? {
        guard buffer.count >= 2 else { return nil }
        for i in 0..<(buffer.count - 1) where buffer[i] == 0x0A && buffer[i + 1] == 0x0A { return i }
        return nil
    }
}

/// Sends `request` as raw bytes to 127.0.0.1:`port` and returns everything the server sends
/// until it closes the connection (or `timeout` seconds pass without data).
func rawExchange(port: Int, _ request: String, timeout: Int = 5) throws -> String {
    struct SocketError: Error { var what: String }
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SocketError(what: "socket") }
    defer { close(fd) }
    var tv = timeval(tv_sec: timeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    let connected = withLoopbackAddress(port: port) { connect(fd, $0, $1) }
    guard connected == 0 else { throw SocketError(what: "connect") }
    let bytes = Array(request.utf8)
    guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == bytes.count else { throw SocketError(what: "send") }
    var received: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        received.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: received, as: UTF8.self)
}
