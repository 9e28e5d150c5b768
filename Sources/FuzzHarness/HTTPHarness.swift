import AlertStore
import Foundation
import Processor
import TestSupport
import TradsecCore

/// Raw request bytes to a real `tradsec serve` (ProcessorServer: SwiftNIO's HTTP/1 pipeline and
/// the processor's handler, a history in a temporary directory) on 127.0.0.1. Every reply is
/// well-formed HTTP and no request gets a 500 or brings the server down: after each input
/// /health still answers 200.
///
/// The input is sent and the connection half-closed at once (an unfinished request would
/// otherwise hold it open: the server has no idle timeout). The server closes on that end of
/// input, so replies computed off the event loop (ingest after its commit, reads) are often
/// not seen; their code still runs, and the health check after each input shows the server
/// intact.
///
/// A leading byte 0x01 sends the rest to a second server that requires a bearer token
/// (`fuzz-token-0123456789`), so the refusal paths are fuzzed as well.
enum HTTPHarness {
    static let target = FuzzTarget(
        "http",
        "raw HTTP requests to a real processor (ProcessorServer on loopback): replies well-formed, never 500, /health 200 after each",
        maxLength: 16384, dictionary: "http"
    ) { bytes in check(bytes) }

    static let token = "fuzz-token-0123456789"

    final class Instance: Sendable {
        let server: ProcessorServer
        init(token: String?) {
            let directory = makeTemporaryDirectory(prefix: "tradsec-fuzz-http")
            do {
                let store = try AlertStore(path: directory + "/history.sqlite")
                var settings = ServeSettings()
                settings.listen = "127.0.0.1:0"
                settings.authToken = token
                let metrics = ProcessorMetrics(version: "fuzz")
                let processor = AlertProcessor(store: store, enricher: Enricher(config: EnrichmentConfig()), correlation: CorrelationConfig())
                processor.start()
                let pipeline = try IngestPipeline(store: store, processor: processor, metrics: metrics,
                                              maxQueuedAlerts: settings.maxQueuedAlerts)
                pipeline.start()
                server = try ProcessorServer(app: ProcessorApp(settings: settings, store: store, pipeline: pipeline,
                                                               metrics: metrics, version: "fuzz"))
            } catch {
                fatalError("cannot start the processor under test: \(error)")
            }
        }
    }

    static let open = Instance(token: nil)
    static let guarded = Instance(token: token)

    static func check(_ input: UnsafeRawBufferPointer) {
        var request = Array(input)
        var instance = open
        if request.first == 0x01 {
            request.removeFirst()
            instance = guarded
        }
        let port = instance.server.boundPort
        guard let (reply, timedOut) = Sockets.exchange(port: port, request, halfClose: true) else {
            Invariant.require(false, "cannot connect to the processor: \(String(cString: strerror(errno)))")
            return
        }
        Invariant.require(!timedOut, "the processor kept a half-closed connection open for 10 s without answering")
        let statuses = parseResponses(reply)
        Invariant.require(statuses != nil, "malformed reply:\n\(String(decoding: reply.prefix(2000), as: UTF8.self))")
        Invariant.require(!(statuses ?? []).contains(500), "a 500 reply:\n\(String(decoding: reply.prefix(2000), as: UTF8.self))")

        var health = Array("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".utf8)
        if instance === guarded { health += Array("Authorization: Bearer \(token)\r\n".utf8) }
        health += [0x0D, 0x0A]
        let answer = Sockets.exchange(port: port, health, halfClose: false)
        Invariant.require(answer.flatMap { parseResponses($0.bytes) } == [200],
                          "/health after the input: \(answer.map { String(decoding: $0.bytes.prefix(500), as: UTF8.self) } ?? "no connection")")
    }

    /// The status codes of the replies in `bytes` (HTTP/1.x, each with a Content-Length body,
    /// or an event stream that runs to the end); nil when it is not such a sequence.
    static func parseResponses(_ bytes: [UInt8]) -> [Int]? {
        var statuses: [Int] = []
        var i = 0
        while i < bytes.count {
            guard let headEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: bytes, from: i) else { return nil }
            let head = String(decoding: bytes[i..<headEnd], as: UTF8.self)
            let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
            let status = lines[0].split(separator: " ", maxSplits: 2)
            guard status.count >= 2, status[0] == "HTTP/1.1" || status[0] == "HTTP/1.0",
                  let code = Int(status[1]), (100...599).contains(code) else { return nil }
            statuses.append(code)
            i = headEnd + 4
            if code == 100 { continue }
            var length: Int?
            var stream = false
            for line in lines.dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { return nil }
                let name = parts[0].lowercased(), value = parts[1].trimmingCharacters(in: " ")
                if name == "content-length" { length = Int(value) }
                if name == "content-type", value.hasPrefix("text/event-stream") { stream = true }
            }
            if stream { return statuses }   // the live feed runs until the connection closes
            guard let length, length >= 0 else { return nil }
            // A reply to HEAD declares its length but has no body: the next reply (or the end) follows.
            if i == bytes.count || bytes[i...].starts(with: Array("HTTP/1.".utf8)) { continue }
            guard i + length <= bytes.count else { return nil }
            i += length
        }
        return statuses
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for k in start...(bytes.count - needle.count) where bytes[k] == needle[0] && bytes[k..<(k + needle.count)].elementsEqual(needle) {
            return k
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = self
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
