#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Foundation
@testable import Console
import Synchronization
import Testing
import TestSupport
import TradsecCore

/// The processor feed's SSE framing: whatever a hostile or broken processor sends, the parser
/// holds at most one line and one event, drops what is over its limits with a counted reason,
/// and carries on with the next event; a malformed id never becomes a resume point.
@Suite("Console SSE parser: bounded lines and events, strict ids")
struct EventStreamParserTests {
    /// Feeds `chunks` and returns what came out, checking the bound after every chunk.
    func run(_ parser: EventStreamParser, _ chunks: [[UInt8]]) -> [EventStreamParser.Output] {
        var out: [EventStreamParser.Output] = []
        let bound = parser.limits.maxLineBytes + parser.limits.maxEventBytes
        for chunk in chunks {
            parser.feed(chunk) { out.append($0) }
            #expect(parser.bufferedBytes <= bound, "held \(parser.bufferedBytes) bytes, bound \(bound)")
        }
        return out
    }

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("events split anywhere come out whole; comments, heartbeats and other fields are skipped")
    func framing() {
        let stream = ": tradsec event stream\nretry: 2000\n\nid: 7\nevent: alert\ndata: {\"id\":7}\n\n: keepalive\n\nid: 8\r\ndata: a\r\ndata: b\r\n\r\n"
        let expected: [EventStreamParser.Output] = [.event(id: 7, data: #"{"id":7}"#), .event(id: 8, data: "a\nb")]
        for split in [1, 3, 5, 64] {
            let parser = EventStreamParser()
            let all = bytes(stream)
            let chunks = stride(from: 0, to: all.count, by: split).map { Array(all[$0..<min(all.count, $0 + split)]) }
            #expect(run(parser, chunks) == expected, "split every \(split) bytes")
            #expect(parser.drops.isEmpty)
        }
    }

    @Test("an endless line (64 MiB, no newline) at the standard limits: the parser never holds more than its bound, then resumes with the next event")
    func endlessLine() {
        let parser = EventStreamParser()
        #expect(parser.limits.maxLineBytes == 9 << 20 && parser.limits.maxEventBytes == 9 << 20)
        var out: [EventStreamParser.Output] = []
        out += run(parser, [bytes("id: 1\ndata: ")])
        let junk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
        var peak = 0
        for _ in 0..<1024 {   // 64 MiB
            parser.feed(junk) { out.append($0) }
            peak = max(peak, parser.bufferedBytes)
        }
        #expect(peak <= parser.limits.maxLineBytes, "peak \(peak) bytes held for one line")
        #expect(out.count == 1)
        guard case .dropped(.lineTooLong, let excerpt)? = out.first else { Issue.record("no drop reported: \(out)"); return }
        #expect(excerpt.hasPrefix("data: xxx") && excerpt.utf8.count <= 200)
        // The line ends; the rest of its event is ignored up to the blank line; the next event is whole.
        out += run(parser, [bytes("tail of the endless line\ndata: more of the dropped event\n\nid: 2\ndata: {\"id\":2}\n\n")])
        #expect(out.count == 2)
        #expect(out.last == .event(id: 2, data: #"{"id":2}"#))
        #expect(parser.drops == [.lineTooLong: 1])
    }

    @Test("a huge event of many short data lines is dropped at the event limit and the next event comes through")
    func hugeEvent() {
        let parser = EventStreamParser(limits: .init(maxLineBytes: 1024, maxEventBytes: 4096))
        var chunks = [bytes("id: 10\n")]
        for _ in 0..<10_000 { chunks.append(bytes("data: " + String(repeating: "y", count: 500) + "\n")) }
        chunks.append(bytes("\nid: 11\ndata: ok\n\n"))
        let out = run(parser, chunks)
        #expect(out.count == 2)
        if case .dropped(.eventTooLarge, _)? = out.first {} else { Issue.record("expected eventTooLarge, got \(out)") }
        #expect(out.last == .event(id: 11, data: "ok"))
        #expect(parser.drops == [.eventTooLarge: 1])
        // A line over the limit that ends in the same chunk is dropped the same way.
        let again = run(parser, [bytes("id: 12\ndata: " + String(repeating: "z", count: 2000) + "\n\nid: 13\ndata: fine\n\n")])
        #expect(again.count == 2 && again.last == .event(id: 13, data: "fine"))
        #expect(parser.drops == [.eventTooLarge: 1, .lineTooLong: 1])
    }

    @Test("ids: only plain decimals in 1...2^53; anything else drops its event (counted), never guessed")
    func ids() {
        let parser = EventStreamParser()
        var stream = ""
        for bad in ["-5", "1e18", "99999999999999999999", "9007199254740993", "0", " 12", "12 ", "0x10", "", "１２"] {
            stream += "id: \(bad)\ndata: {}\n\n"
        }
        stream += "data: no id at all\n\n"
        stream += "id: 9007199254740992\ndata: max\n\nid: 3\ndata: three\n\n"
        let out = run(parser, [bytes(stream)])
        #expect(out.filter { if case .event = $0 { return true } else { return false } } == [
            .event(id: 9_007_199_254_740_992, data: "max"), .event(id: 3, data: "three"),
        ], "the parser checks the form; the order of ids is the writer's to check")
        #expect(parser.drops == [.badID: 10, .noID: 1])
    }

    @Test("the writer's cursor only moves forward, to ids whose data agrees; refusals are counted and kept as rejects")
    func cursorNeverMovesBackOrAbsurdly() throws {
        let directory = makeTemporaryDirectory(prefix: "tradsec-sse")
        defer { removeTree(directory) }
        let store = try AlertStore(path: directory + "/history.sqlite")
        let key = "processor:http://test"
        let writer = EventWriter(store: store, key: key, cursor: 100)
        writer.add(id: 101, data: event(101, rule: "good 101"))
        writer.add(id: 50, data: event(50, rule: "backwards"))                // behind the cursor
        writer.add(id: 102, data: event(9_000_000_000_000, rule: "mismatch"))  // id line and data disagree
        writer.add(id: 103, data: "{not json")
        writer.add(id: 104, data: event(104, rule: "good 104"))
        writer.add(id: 104, data: event(104, rule: "again"))                  // not after the cursor
        writer.flush()
        #expect(try store.checkpoint(for: key)?.offset == 104)
        #expect(try store.alerts(AlertQuery(limit: 10)).map(\.alert.rule).sorted() == ["good 101", "good 104"])
        #expect(writer.dropped == 4)
        let codes = try store.recentRejects().map(\.code)
        #expect(codes.sorted() == ["bad_data", "id_mismatch", "id_not_after_cursor", "id_not_after_cursor"])
        #expect(try store.recentRejects().allSatisfy { $0.origin == key })
        // A backfill's next_since behind the cursor or absurd does not move it either.
        writer.flush(cursor: 7)
        writer.flush(cursor: Int64.max)
        #expect(try store.checkpoint(for: key)?.offset == 104)
    }

    @Test("the writer commits an event as soon as the stream pauses, and a burst in one commit")
    func commitsWhenTheStreamPauses() throws {
        let directory = makeTemporaryDirectory(prefix: "tradsec-sse")
        defer { removeTree(directory) }
        let store = try AlertStore(path: directory + "/history.sqlite")
        let key = "processor:http://test"
        let commits = Mutex<[Int]>([])
        let writer = EventWriter(store: store, key: key, cursor: 0, onStore: { count in commits.withLock { $0.append(count) } })
        let stop = Atomic<Bool>(false)
        let committer = Foundation.Thread { writer.commitWhenDue(shouldStop: { stop.load(ordering: .acquiring) }) }
        committer.start()
        defer {
            stop.store(true, ordering: .releasing)
            writer.close()
        }
        // Single events, apart: each in the history as soon as the stream pauses (the median
        // well under the old 100 ms ticker), each in a commit of its own.
        var waits: [Double] = []
        for id in Int64(1)...Int64(5) {
            let start = Monotonic.seconds()
            writer.add(id: id, data: event(id, rule: "alone \(id)"))
            // Looked at every millisecond: the wait measured is the commit's, not the polling's.
            while (try? store.checkpoint(for: key)?.offset) != id, Monotonic.seconds() - start < 5 { usleep(1_000) }
            waits.append(Monotonic.seconds() - start)
            usleep(30_000)
        }
        #expect(waits.sorted()[2] < 0.06, "committed after \(waits) s")
        #expect(commits.withLock { $0 } == [1, 1, 1, 1, 1])
        // A burst (events closer together than the quiet period) goes in together, not one by one.
        for id in Int64(6)...Int64(45) { writer.add(id: id, data: event(id, rule: "burst \(id)")) }
        #expect(waitFor(5) { (try? store.checkpoint(for: key)?.offset) == 45 })
        let burst = commits.withLock { Array($0.dropFirst(5)) }
        #expect(burst.reduce(0, +) == 40 && burst.count < 5, "burst committed as \(burst)")
        #expect(try store.totalCount() == 45)
    }

    @Test("through a processor=URL source: a stream with an endless line, a huge event and bad ids stores every good event and resumes after the last good id")
    func hostileProcessor() throws {
        let directory = makeTemporaryDirectory(prefix: "tradsec-sse")
        defer { removeTree(directory) }
        let store = try AlertStore(path: directory + "/history.sqlite")
        var body = ": hostile\n\n"
        body += "id: 1\nevent: alert\ndata: \(event(1, rule: "before"))\n\n"
        body += "id: 2\ndata: " + String(repeating: "A", count: 12 << 20) + "\n\n"       // a line over 9 MiB
        body += "id: 3\ndata: \(event(3, rule: "after the long line"))\n\n"
        body += "id: 4\n" + String(repeating: "data: " + String(repeating: "B", count: 4000) + "\n", count: 2600) + "\n"   // ~10 MiB event
        body += "id: 5\ndata: \(event(5, rule: "after the huge event"))\n\n"
        body += "id: 99999999999999999999\ndata: \(event(6, rule: "overflowing id"))\n\n"
        body += "id: 2\ndata: \(event(2, rule: "backwards"))\n\n"
        body += "id: 7\ndata: \(event(7, rule: "last"))\n\n"
        let hostile = body
        let server = try RecordingHTTPServer { request in
            if request.path.hasPrefix("/events/stream") {
                // The first connection gets the hostile stream; a reconnect, nothing new.
                return request.headers["last-event-id"] == "0" ? .init(body: hostile) : .init(body: ": quiet\n\n")
            }
            return .init(body: #"{"total_events":0,"events":[],"next_since":0}"#)
        }
        defer { server.stop() }
        let source = ProcessorSource(url: server.baseURL, token: nil)
        source.start(store: store)
        defer { source.stop() }
        let key = "processor:" + server.baseURL
        let deadline = Monotonic.seconds() + 30
        while Monotonic.seconds() < deadline, (try? store.checkpoint(for: key)?.offset) != 7 { usleep(50_000) }
        #expect(try store.checkpoint(for: key)?.offset == 7)
        #expect(try store.alerts(AlertQuery(limit: 10)).map(\.alert.rule).sorted()
                == ["after the huge event", "after the long line", "before", "last"])
        #expect(source.eventsDropped == 4)
        let codes = Set(try store.recentRejects().map(\.code))
        #expect(codes == ["sse_line_too_long", "sse_event_too_large", "sse_bad_id", "id_not_after_cursor"])
        // The reconnect asked for what comes after the last good id.
        let resumes = server.requests.filter { $0.path.hasPrefix("/events/stream") }.compactMap { $0.headers["last-event-id"] }
        #expect(resumes.first == "0")
        let deadline2 = Monotonic.seconds() + 30
        while Monotonic.seconds() < deadline2, !server.requests.contains(where: { $0.headers["last-event-id"] == "7" }) { usleep(50_000) }
        #expect(server.requests.contains { $0.headers["last-event-id"] == "7" })
    }

    func event(_ id: Int64, rule: String) -> String {
        #"{"id":\#(id),"alert":{"hostname":"h","output":"x","priority":"Critical","rule":"\#(rule)","source":"syscall","time":"2026-11-22T10:00:0\#(id % 10).000000000Z","output_fields":{"container.id":"4f2a9c1b7e3d","container.name":"bot"}}}"#
    }
}
