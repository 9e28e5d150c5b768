#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import CurlClient
import Foundation
import Synchronization
import TradsecCore

/// `processor=http://HOST:8080`: subscribes to a `tradsec serve` live feed (Server-Sent Events)
/// and stores what arrives in the console's history. The id of the last stored event is
/// committed with the events, so a restarted console asks for exactly what it has not got
/// (`Last-Event-ID`): no gap, no duplicate. Reconnects with backoff when the processor goes away.
public final class ProcessorSource: ConsoleSource, @unchecked Sendable {
    public let url: String
    public var name: String { "processor:\(Self.displayHost(url))" }
    private let token: String?
    private let stopFlag = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let state = Mutex<SourceState>(.starting)
    private let received = Atomic<Int>(0)
    private var thread: Thread?

    /// `token`: sent as a bearer token (from $TRADSEC_TOKEN when the console starts it).
    public init(url: String, token: String? = ProcessInfo.processInfo.environment["TRADSEC_TOKEN"]) {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        self.url = base
        self.token = token
    }

    /// Events taken from the processor since `start` (backfill and stream), duplicates
    /// included: the store drops a duplicate silently, this count does not.
    public var eventsReceived: Int { received.load(ordering: .acquiring) }

    public var status: SourceStatus { SourceStatus(name: name, state: state.withLock { $0 }) }

    /// The key its resume point is stored under (in the follow-checkpoint table).
    var checkpointKey: String { "processor:\(url)" }

    public func start(store: AlertStore) {
        let t = Thread { [self] in
            run(store: store)
            finished.store(true, ordering: .releasing)
        }
        t.name = "tradsec.source.processor"
        thread = t
        t.start()
    }

    public func stop() {
        stopFlag.store(true, ordering: .releasing)
        // The stream notices within a fraction of a second and commits what it holds.
        for _ in 0..<150 where !finished.load(ordering: .acquiring) { usleep(20_000) }
    }

    private var stopping: Bool { stopFlag.load(ordering: .acquiring) }

    private func run(store: AlertStore) {
        var backoff = 0.5
        while !stopping {
            let writer = EventWriter(store: store, key: checkpointKey)
            var cursor = (try? store.checkpoint(for: checkpointKey))?.map(\.offset) ?? nil
            if cursor == nil {
                // First contact: the processor's latest alerts for context, then live from there.
                do { cursor = try backfill(writer) } catch {
                    state.withLock { $0 = .waiting("reconnecting: \(error)") }
                    wait(seconds: backoff)
                    backoff = min(10, backoff * 2)
                    continue
                }
            }
            var headers: [(name: String, value: String)] = [("Accept", "text/event-stream")]
            headers.append(("Last-Event-ID", String(cursor ?? 0)))
            if let token { headers.append(("Authorization", "Bearer \(token)")) }
            let parser = EventStreamParser()
            var connected = false
            // Events that arrive together are committed together; a ticker commits the last
            // ones of a burst even when nothing follows them.
            let ticker = Thread { [self] in
                while !writer.closed && !stopping {
                    usleep(100_000)
                    writer.flushIfDue()
                }
            }
            ticker.start()
            defer { writer.close() }
            let request = HTTPRequest(url: url + "/events/stream", headers: headers, timeout: 0, connectTimeout: 3)
            do {
                let response = try CurlHTTP.stream(request, shouldStop: { [self] in stopping }) { [self] bytes in
                    if !connected {
                        connected = true
                        state.withLock { $0 = .running }
                    }
                    parser.feed(bytes) { id, data in
                        writer.add(id: id, data: data)
                        received.add(1, ordering: .releasing)
                    }
                    return !stopping
                }
                writer.flush()
                if response.status == 401 || response.status == 403 {
                    state.withLock { $0 = .failed("the processor wants a token (set TRADSEC_TOKEN)") }
                    wait(seconds: 10)
                    continue
                }
                if !(200..<300).contains(response.status) && response.status != 0 {
                    state.withLock { $0 = .waiting("processor answered \(response.status)") }
                }
            } catch {
                writer.flush()
                state.withLock { $0 = .waiting("reconnecting: \(error)") }
            }
            if stopping { break }
            if connected { backoff = 0.5 } else { backoff = min(10, backoff * 2) }
            wait(seconds: backoff)
        }
        state.withLock { $0 = .stopped }
    }

    /// Stores the newest alerts the processor has (GET /events) and returns the cursor to
    /// stream from.
    private func backfill(_ writer: EventWriter) throws -> Int64 {
        var headers: [(name: String, value: String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let response = try CurlHTTP.send(HTTPRequest(url: url + "/events?limit=\(Self.backfillLimit)", headers: headers, timeout: 15))
        guard response.isSuccess else { throw FeedError(description: "processor answered \(response.status)") }
        let page = try JSONParser.parse(response.bodyText)
        guard let next = page["next_since"]?.int64Value else { throw FeedError(description: "not a tradsec processor") }
        for event in page["events"]?.arrayValue ?? [] {
            if let id = event["id"]?.int64Value {
                writer.add(id: id, event: event)
                received.add(1, ordering: .releasing)
            }
        }
        writer.flush(cursor: next)
        return next
    }

    static let backfillLimit = 1000

    struct FeedError: Error, CustomStringConvertible { var description: String }

    private func wait(seconds: Double) {
        let end = Date().addingTimeInterval(seconds)
        while !stopping && Date() < end { usleep(50_000) }
    }

    static func displayHost(_ url: String) -> String {
        URLComponents(string: url).map { c in c.host.map { h in c.port.map { "\(h):\($0)" } ?? h } ?? url } ?? url
    }
}

/// Collects streamed events and commits them in batches together with the last event id.
/// Used from the stream's thread and a ticker thread, hence the lock.
final class EventWriter: @unchecked Sendable {
    let store: AlertStore
    let key: String
    private let lock = NSLock()
    private var isClosed = false
    var closed: Bool { lock.withLock { isClosed } }
    private var alerts: [Alert] = []
    private var lastID: Int64?
    private var lastFlush = Date()
    private(set) var stored = 0

    init(store: AlertStore, key: String) {
        self.store = store
        self.key = key
    }

    func add(id: Int64, data: String) {
        guard let event = try? JSONParser.parse(data) else { lock.withLock { lastID = id }; return }
        add(id: id, event: event)
    }

    func close() {
        flush()
        lock.withLock { isClosed = true }
    }

    func add(id: Int64, event: JSONValue) {
        lock.lock()
        defer { lock.unlock() }
        lastID = id
        // The event carries the alert as the processor received it.
        guard let alertValue = event["alert"],
              let alert = try? AlertDecoder.decode(value: alertValue, raw: JSONWriter.string(alertValue)) else { return }
        alerts.append(alert)
        if alerts.count >= 1000 { flushLocked(cursor: nil) }
    }

    func flushIfDue() {
        lock.withLock {
            if Date().timeIntervalSince(lastFlush) >= 0.1 { flushLocked(cursor: nil) }
        }
    }

    func flush(cursor: Int64? = nil) {
        lock.withLock { flushLocked(cursor: cursor) }
    }

    private func flushLocked(cursor: Int64?) {
        lastFlush = Date()
        if let cursor { lastID = max(lastID ?? cursor, cursor) }
        guard let lastID else { return }
        let checkpoint = FollowCheckpoint(path: key, device: 0, inode: 0, offset: lastID, lineNumber: lastID)
        do {
            try store.insert(alerts, origin: key, checkpoint: checkpoint)
            stored += alerts.count
            alerts.removeAll(keepingCapacity: true)
            self.lastID = nil
        } catch {
            // Kept for the next flush; the cursor did not move, so nothing is skipped.
        }
    }
}

/// Server-Sent Events framing: `id:` and `data:` lines, a blank line ends an event;
/// comment lines (`:`) are heartbeats.
public final class EventStreamParser {
    private var buffer: [UInt8] = []
    private var id: Int64?
    private var data: [UInt8] = []

    public init() {}

    public func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (Int64, String) -> Void) {
        buffer.append(contentsOf: bytes)
        var start = 0
        while let newline = buffer[start...].firstIndex(of: 0x0A) {
            var line = buffer[start..<newline]
            if line.last == 0x0D { line = line.dropLast() }
            start = newline + 1
            if line.isEmpty {
                if let id { emit(id, String(decoding: data, as: UTF8.self)) }
                id = nil
                data.removeAll(keepingCapacity: true)
            } else if line.starts(with: Array("id:".utf8)) {
                id = Int64(String(decoding: line.dropFirst(3), as: UTF8.self).trimmingCharacters(in: .whitespaces))
            } else if line.starts(with: Array("data:".utf8)) {
                var value = line.dropFirst(5)
                if value.first == 0x20 { value = value.dropFirst() }
                if !data.isEmpty { data.append(0x0A) }
                data.append(contentsOf: value)
            }
        }
        buffer.removeFirst(start)
    }
}
