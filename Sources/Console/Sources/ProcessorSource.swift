#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import CurlClient
import Foundation
import Processor
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
    private let incidentsFinished = Atomic<Bool>(false)
    private let state = Mutex<SourceState>(.starting)
    private let received = Atomic<Int>(0)
    private let droppedEvents = Atomic<Int>(0)
    private let storedAlerts = Atomic<Int>(0)
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

    /// Events refused since `start` (oversized, bad or out-of-order ids, bad data); each is
    /// also in the history's rejects (`tradsec rejects`, origin `processor:URL`).
    public var eventsDropped: Int { droppedEvents.load(ordering: .acquiring) }

    public var status: SourceStatus {
        SourceStatus(name: name, state: state.withLock { $0 },
                     counters: SourceCounters(received: eventsReceived, stored: storedAlerts.load(ordering: .acquiring), rejected: eventsDropped))
    }

    /// The key its resume point is stored under (in the follow-checkpoint table).
    var checkpointKey: String { MirroredProcessing.origin(url: url) }

    public func start(store: AlertStore) {
        let t = Thread { [self] in
            run(store: store)
            finished.store(true, ordering: .releasing)
        }
        t.name = "tradsec.source.processor"
        thread = t
        t.start()
        let follower = ProcessorIncidents(url: url, token: token, store: store, origin: checkpointKey)
        let m = Thread { [self] in
            follower.run(shouldStop: { [self] in stopping })
            incidentsFinished.store(true, ordering: .releasing)
        }
        m.name = "tradsec.source.processor.incidents"
        incidents = follower
        m.start()
    }

    public func stop() {
        stopFlag.store(true, ordering: .releasing)
        // The stream notices within a fraction of a second and commits what it holds.
        for _ in 0..<150 where !(finished.load(ordering: .acquiring) && incidentsFinished.load(ordering: .acquiring)) { usleep(20_000) }
    }

    /// The follower of the processor's incidents (GET /incidents/feed), once started.
    private(set) var incidents: ProcessorIncidents?

    private var stopping: Bool { stopFlag.load(ordering: .acquiring) }

    private func run(store: AlertStore) {
        var backoff = 0.5
        while !stopping {
            var cursor = (try? store.checkpoint(for: checkpointKey))?.map(\.offset) ?? nil
            let writer = EventWriter(store: store, key: checkpointKey, cursor: cursor, onDrop: { [self] in
                droppedEvents.add(1, ordering: .releasing)
            }, onStore: { [self] count in
                storedAlerts.add(count, ordering: .releasing)
            })
            if cursor == nil {
                // First contact: the processor's latest alerts for context, then live from there.
                do { cursor = try backfill(writer) } catch {
                    state.withLock { $0 = .waiting(.reconnecting("\(error)")) }
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
            // Events that arrive together are committed together, as soon as the stream pauses.
            let committer = Thread { [self] in writer.commitWhenDue(shouldStop: { [self] in stopping }) }
            committer.start()
            defer { writer.close() }
            let request = HTTPRequest(url: url + "/events/stream", headers: headers, timeout: 0, connectTimeout: 3)
            do {
                let response = try CurlHTTP.stream(request, shouldStop: { [self] in stopping }) { [self] bytes in
                    if !connected {
                        connected = true
                        state.withLock { $0 = .running }
                    }
                    parser.feed(bytes) { output in
                        switch output {
                        case .event(let id, let data):
                            writer.add(id: id, data: data)
                            received.add(1, ordering: .releasing)
                        case .dropped(let reason, let excerpt):
                            writer.add(dropped: reason, excerpt: excerpt)
                        }
                    }
                    // The history not taking what is pending: cut the stream and resume
                    // later from the committed cursor rather than hold more.
                    return !stopping && writer.accepting
                }
                writer.flush()
                if response.status == 401 || response.status == 403 {
                    state.withLock { $0 = .failed("the processor wants a token (set TRADSEC_TOKEN)") }
                    wait(seconds: 10)
                    continue
                }
                if !(200..<300).contains(response.status) && response.status != 0 {
                    state.withLock { $0 = .waiting(.answered(status: Int(response.status))) }
                }
            } catch {
                writer.flush()
                state.withLock { $0 = .waiting(.reconnecting("\(error)")) }
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
        guard response.isSuccess else { throw FeedError.answered(status: response.status) }
        let page = try JSONParser.parse(response.bodyText)
        guard let next = page["next_since"]?.int64Value else { throw FeedError.notAProcessor }
        for event in page["events"]?.arrayValue ?? [] {
            if let id = event["id"]?.int64Value {
                writer.add(id: id, event: event)
                received.add(1, ordering: .releasing)
            }
        }
        guard next == 0 || EventStreamParser.isPlausible(next) else {
            throw FeedError.implausibleCursor(next)
        }
        writer.flush(cursor: next)
        return writer.cursor
    }

    static let backfillLimit = 1000

    /// Why the backfill from a processor failed (the source reconnects after it).
    enum FeedError: Error, CustomStringConvertible {
        /// GET /events answered with a status other than 2xx.
        case answered(status: Int)
        /// The reply has no `next_since`: whatever answered is not a tradsec processor.
        case notAProcessor
        /// `next_since` is not something an event id can be.
        case implausibleCursor(Int64)

        var description: String {
            switch self {
            case .answered(let status): "processor answered \(status)"
            case .notAProcessor: "not a tradsec processor"
            case .implausibleCursor(let next): "the processor's next_since \(next) is not an event id"
            }
        }
    }

    private func wait(seconds: Double) {
        let end = Date().addingTimeInterval(seconds)
        while !stopping && Date() < end { usleep(50_000) }
    }

    static func displayHost(_ url: String) -> String {
        URLComponents(string: url).map { c in c.host.map { h in c.port.map { "\(h):\($0)" } ?? h } ?? url } ?? url
    }

    /// The processor at `url` runs on this host: a literal loopback address or `localhost`
    /// (a name that could resolve elsewhere does not count).
    static func isOnThisHost(_ url: String) -> Bool {
        guard var host = URLComponents(string: url)?.host else { return false }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return ProcessorServer.isLoopback(host)
    }
}

/// Collects streamed events and commits them in batches together with the last event id.
/// Used from the stream's thread and its committer thread, hence the lock.
///
/// The resume cursor only moves forward, and only to the id of an event that is what it
/// says: its `id:` line is a plausible id after the cursor and agrees with the `id` inside
/// its data. Anything else is dropped, counted and kept in the history's rejects (origin
/// `processor:URL`), and the cursor stays where it was. Pending alerts are bounded: when the
/// history cannot take them, the writer stops accepting and the stream is cut, to resume from
/// the committed cursor (nothing is lost, nothing grows).
final class EventWriter: @unchecked Sendable {
    let store: AlertStore
    let key: String
    /// A flush is due at this many pending alerts, or this many bytes of them.
    static let flushAlerts = 1000
    static let flushBytes = 16 << 20
    /// Past these (the history refusing writes), ``accepting`` turns false.
    static let maxPendingAlerts = 10_000
    static let maxPendingBytes = 64 << 20
    /// Rejected events kept for the history per flush (the rest are only counted).
    static let maxPendingRejects = 100

    /// A pending event is committed once the stream has been quiet this long (seconds)…
    static let quietPeriod = 0.005
    /// …or, under a steady flow, once the oldest pending one has waited this long.
    static let maxDelay = 0.05

    private let lock = NSCondition()
    private var isClosed = false
    private var alerts: [Alert] = []
    /// The processor's id of each pending alert (its incidents name alerts by them).
    private var remoteIDs: [Int64] = []
    private var pendingBytes = 0
    private var rejects: [AlertStore.RejectRecord] = []
    /// The id the next flush commits as the cursor (nil: nothing new to commit).
    private var lastID: Int64?
    /// The newest id accepted or committed: an event must come after it.
    private var highWater: Int64
    /// Monotonic seconds when the oldest pending event and the newest one came.
    private var firstPendingAt = 0.0
    private var lastAddedAt = 0.0
    private(set) var stored = 0
    private var droppedCount = 0
    private let onDrop: @Sendable () -> Void
    private let onStore: @Sendable (Int) -> Void

    /// `cursor`: the committed resume point this connection starts from; `onDrop` hears each
    /// event refused, `onStore` each commit's number of alerts.
    init(store: AlertStore, key: String, cursor: Int64? = nil, onDrop: @escaping @Sendable () -> Void = {},
         onStore: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.store = store
        self.key = key
        highWater = cursor ?? 0
        self.onDrop = onDrop
        self.onStore = onStore
    }

    /// Events refused so far (bad framing, bad or out-of-order ids, bad data).
    var dropped: Int { lock.withLock { droppedCount } }

    /// The newest id accepted or committed: where a stream resumes after this writer's events.
    var cursor: Int64 { lock.withLock { highWater } }

    /// False while the pending alerts are at their bound: the stream must stop reading.
    var accepting: Bool { lock.withLock { alerts.count < Self.maxPendingAlerts && pendingBytes < Self.maxPendingBytes } }

    /// One streamed event, its `id:` line already checked by the parser.
    func add(id: Int64, data: String) {
        guard let event = try? JSONParser.parse(data) else {
            reject("bad_data", "event \(id): data is not JSON", excerpt: data)
            return
        }
        if let inner = event["id"], inner.int64Value != id {
            reject("id_mismatch", "event \(id): its data says id \(JSONWriter.string(inner))", excerpt: data)
            return
        }
        add(id: id, event: event)
    }

    /// A dropped event the parser reported.
    func add(dropped reason: EventStreamParser.Drop, excerpt: String) {
        reject(reason.rawValue, reason.message, excerpt: excerpt)
    }

    func close() {
        flush()
        lock.withLock {
            isClosed = true
            lock.broadcast()
        }
    }

    func add(id: Int64, event: JSONValue) {
        lock.lock()
        let wasPending = hasPending
        defer {
            notePendingLocked(wasPending: wasPending)
            lock.unlock()
        }
        guard EventStreamParser.isPlausible(id), id > highWater else {
            rejectLocked("id_not_after_cursor", "event \(id): not after the resume point \(highWater)", excerpt: "")
            return
        }
        highWater = id
        lastID = id
        // The event carries the alert as the processor received it. An alert that does not
        // decode still moves the cursor: asking for it again would give the same bytes.
        guard let alertValue = event["alert"] else {
            rejectLocked("no_alert", "event \(id): no alert in it", excerpt: "")
            return
        }
        let raw = JSONWriter.string(alertValue)
        guard let alert = try? AlertDecoder.decode(value: alertValue, raw: raw) else {
            rejectLocked("bad_alert", "event \(id): the alert does not decode", excerpt: raw)
            return
        }
        alerts.append(alert)
        remoteIDs.append(id)
        pendingBytes &+= raw.utf8.count
        if alerts.count >= Self.flushAlerts || pendingBytes >= Self.flushBytes { flushLocked() }
    }

    private var hasPending: Bool { lastID != nil || !rejects.isEmpty }

    /// After an event was taken or refused (the lock held): when something is pending, notes
    /// the time, and wakes the committer when this is the first pending event. Later ones
    /// need no wake-up (its timed wait re-reads ``lastAddedAt``), and must not cut short its
    /// pause after a refused commit.
    private func notePendingLocked(wasPending: Bool) {
        guard hasPending else { return }
        let now = Monotonic.seconds()
        lastAddedAt = now
        if !wasPending {
            firstPendingAt = now
            lock.signal()
        }
    }

    private func reject(_ code: String, _ message: String, excerpt: String) {
        lock.withLock {
            let wasPending = hasPending
            rejectLocked(code, message, excerpt: excerpt)
            notePendingLocked(wasPending: wasPending)
        }
    }

    private func rejectLocked(_ code: String, _ message: String, excerpt: String) {
        droppedCount &+= 1
        onDrop()
        guard rejects.count < Self.maxPendingRejects else { return }
        rejects.append(AlertStore.RejectRecord(origin: key, lineNumber: nil, code: code, message: message,
                                               excerpt: String(excerpt.prefix(200))))
    }

    /// The committer's loop, until the writer closes or `shouldStop`: commits what is pending
    /// once the stream has paused for ``quietPeriod``, or once the oldest pending event has
    /// waited ``maxDelay``. It sleeps on the lock's condition meanwhile (woken by each event,
    /// and every 100 ms to look at `shouldStop`).
    func commitWhenDue(shouldStop: () -> Bool) {
        lock.lock()
        defer { lock.unlock() }
        while !isClosed && !shouldStop() {
            guard hasPending else {
                _ = lock.wait(until: Date(timeIntervalSinceNow: 0.1))
                continue
            }
            let due = min(lastAddedAt + Self.quietPeriod, firstPendingAt + Self.maxDelay)
            let now = Monotonic.seconds()
            if now >= due {
                // The history refusing the commit: kept, and tried again a little later.
                if !flushLocked() { _ = lock.wait(until: Date(timeIntervalSinceNow: 0.5)) }
            } else {
                _ = lock.wait(until: Date(timeIntervalSinceNow: min(due - now, 0.1)))
            }
        }
    }

    /// `cursor`: the backfill's `next_since`, trusted only when plausible and ahead.
    func flush(cursor: Int64? = nil) {
        lock.withLock {
            if let cursor, EventStreamParser.isPlausible(cursor), cursor > highWater {
                highWater = cursor
                lastID = cursor
            }
            flushLocked()
        }
    }

    /// Commits what is pending; false when the history refused it (it stays pending).
    @discardableResult
    private func flushLocked() -> Bool {
        guard hasPending else { return true }
        let checkpoint = lastID.map { FollowCheckpoint(path: key, device: 0, inode: 0, offset: $0, lineNumber: $0) }
        do {
            var plan = CommitPlan(alerts: alerts, origin: key, checkpoint: checkpoint, rejects: rejects)
            plan.remoteIDs = remoteIDs
            try store.commit(plan)
            stored += alerts.count
            onStore(alerts.count)
            alerts.removeAll(keepingCapacity: alerts.capacity <= Self.flushAlerts)
            remoteIDs.removeAll(keepingCapacity: remoteIDs.capacity <= Self.flushAlerts)
            pendingBytes = 0
            rejects.removeAll()
            self.lastID = nil
            return true
        } catch {
            // Kept for the next flush; the cursor did not move, so nothing is skipped.
            return false
        }
    }
}

/// Server-Sent Events framing (the processor's `/events/stream`): `id:` and `data:` lines, a
/// blank line ends an event; comment lines (`:`) are heartbeats; other fields are ignored.
///
/// The stream comes from the network: every buffer is bounded. A line longer than
/// ``Limits/maxLineBytes`` is never held (its bytes are skipped up to its end), an event whose
/// data grows past ``Limits/maxEventBytes`` is dropped, and either way the parser reports the
/// drop once and resumes at the next blank line, with the next event. An `id:` must be a
/// plain decimal id in 1...``maxID``; an event with a bad id (or none) is dropped, so a
/// malformed id can never become a resume point. Memory held: at most one line and one event.
public final class EventStreamParser {
    public struct Limits: Sendable {
        public var maxLineBytes: Int
        public var maxEventBytes: Int
        public init(maxLineBytes: Int, maxEventBytes: Int) {
            self.maxLineBytes = max(1, maxLineBytes)
            self.maxEventBytes = max(1, maxEventBytes)
        }
        /// One event carries one stored alert, which the processor takes in bodies of at most
        /// `serve.max_body` (8 MiB by default), plus the processor's enrichment.
        public static let standard = Limits(maxLineBytes: 9 << 20, maxEventBytes: 9 << 20)
    }

    /// Why an event was dropped.
    public enum Drop: String, Sendable, CaseIterable {
        case lineTooLong = "sse_line_too_long"
        case eventTooLarge = "sse_event_too_large"
        case badID = "sse_bad_id"
        case noID = "sse_no_id"

        public var message: String {
            switch self {
            case .lineTooLong: return "a line of the event stream was over the line limit: the event was dropped"
            case .eventTooLarge: return "an event of the event stream was over the event size limit: it was dropped"
            case .badID: return "an event's id was not a decimal id in range: it was dropped"
            case .noID: return "an event had no id: it was dropped"
            }
        }
    }

    /// What feeding bytes produced, in stream order.
    public enum Output: Equatable, Sendable {
        case event(id: Int64, data: String)
        /// `excerpt`: the start of what was dropped (at most 200 bytes), for the rejects.
        case dropped(Drop, excerpt: String)
    }

    /// The processor's ids are the history's alert ids, handed out one by one from 1: 2^53 of
    /// them would take centuries at any ingest rate, so a larger one is garbage.
    public static let maxID: Int64 = 1 << 53

    public static func isPlausible(_ id: Int64) -> Bool { id >= 1 && id <= maxID }

    public let limits: Limits
    /// Events dropped so far, by reason.
    public private(set) var drops: [Drop: Int] = [:]

    private var line: [UInt8] = []
    /// Inside a line over the limit: its remaining bytes are skipped up to its end.
    private var skippingLine = false
    /// The current event was dropped (already reported): lines are ignored up to the blank one.
    private var discarding = false
    private var id: Int64?
    private var badID = false
    private var data: [UInt8] = []
    private var hasData = false
    private var excerpt: [UInt8] = []

    public init(limits: Limits = .standard) { self.limits = limits }

    /// Bytes held between calls (a partial line and the event being read): never more than
    /// `maxLineBytes + maxEventBytes`.
    public var bufferedBytes: Int { line.count + data.count }

    public func feed(_ bytes: [UInt8], _ handle: (Output) -> Void) {
        bytes.withUnsafeBytes { feed($0, handle) }
    }

    public func feed(_ bytes: UnsafeRawBufferPointer, _ handle: (Output) -> Void) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let found = memchr(base + offset, 0x0A, bytes.count - offset)
            let end = found.map { base.distance(to: UnsafeRawPointer($0)) } ?? bytes.count
            let newline: Int? = found == nil ? nil : end
            let piece = UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
            offset = found == nil ? bytes.count : end + 1
            if skippingLine {
                if newline != nil { skippingLine = false }
                continue
            }
            if line.count + piece.count > limits.maxLineBytes {
                if line.isEmpty { excerpt = Array(piece.prefix(200)) } else { excerpt = Array(line.prefix(200)) }
                line = []
                drop(.lineTooLong, handle)
                if newline == nil { skippingLine = true }
                continue
            }
            line.append(contentsOf: piece)
            if newline != nil {
                take(line, handle)
                line.removeAll(keepingCapacity: line.capacity <= 1 << 16)
            }
        }
    }

    private func take(_ raw: [UInt8], _ handle: (Output) -> Void) {
        var text = raw[...]
        if text.last == 0x0D { text = text.dropLast() }
        if text.isEmpty {
            endEvent(handle)
            return
        }
        if discarding || text.first == UInt8(ascii: ":") { return }
        let colon = text.firstIndex(of: UInt8(ascii: ":"))
        let field = text[..<(colon ?? text.endIndex)]
        var value = colon.map { text[($0 + 1)...] } ?? text[text.endIndex...]
        if value.first == 0x20 { value = value.dropFirst() }
        if field.elementsEqual("data".utf8) {
            if excerpt.isEmpty { excerpt = Array(value.prefix(200)) }
            let separator = hasData ? 1 : 0
            guard data.count + separator + value.count <= limits.maxEventBytes else {
                drop(.eventTooLarge, handle)
                return
            }
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        } else if field.elementsEqual("id".utf8) {
            id = Self.parseID(value)
            badID = id == nil
            if badID && excerpt.isEmpty { excerpt = Array(value.prefix(200)) }
        }
    }

    /// Reports the current event as dropped and ignores the rest of it.
    private func drop(_ reason: Drop, _ handle: (Output) -> Void) {
        guard !discarding else { return }
        discarding = true
        data = []
        hasData = false
        drops[reason, default: 0] &+= 1
        handle(.dropped(reason, excerpt: String(decoding: excerpt, as: UTF8.self)))
    }

    private func endEvent(_ handle: (Output) -> Void) {
        defer {
            id = nil
            badID = false
            discarding = false
            hasData = false
            data.removeAll(keepingCapacity: data.capacity <= 1 << 16)
            excerpt.removeAll()
        }
        // A heartbeat or a dropped event's end: nothing to give.
        guard !discarding, hasData else { return }
        if badID { drop(.badID, handle); return }
        guard let id else { drop(.noID, handle); return }
        handle(.event(id: id, data: String(decoding: data, as: UTF8.self)))
    }

    /// Plain decimal digits only (no sign, no spaces, no exponent), in 1...maxID.
    static func parseID(_ bytes: ArraySlice<UInt8>) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 16 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        return isPlausible(value) ? value : nil
    }
}
