#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
import AlertStore
@testable import Feeds

/// The follower is driven one poll at a time, so every rotation case is deterministic.
@Suite struct FileFollowerTests {
    private func follower(_ ws: Workspace, events: @escaping (FollowEvent) -> Void = { _ in }) -> FileFollower {
        FileFollower(path: ws.path("falco.log"), ingestor: AlertIngestor(store: ws.store, origin: "follow", batchSize: 4), events: events)
    }

    private func start(_ f: FileFollower) throws { try f.run(shouldStop: { true }) }

    @Test func readsWhatIsAppendedAndWaitsForPartialLines() throws {
        let ws = try Workspace()
        ws.write("falco.log", lines(1...3))
        let f = follower(ws)
        try start(f)
        #expect(try ws.storedSeconds() == [1, 2, 3])
        ws.write("falco.log", lines(4...10) + String(line(11).prefix(40)))
        try f.poll()
        #expect(try ws.storedSeconds() == Array(1...10))
        ws.write("falco.log", String(line(11).dropFirst(40)))
        try f.poll()
        #expect(try ws.storedSeconds() == Array(1...11))
    }

    @Test func followsRotationByRename() throws {
        let ws = try Workspace()
        var messages: [String] = []
        ws.write("falco.log", lines(1...3))
        let f = follower(ws) { messages.append($0.description) }
        try start(f)
        ws.write("falco.log", lines(4...5))           // written just before rotation, not yet read
        ws.rename("falco.log", "falco.log.1")
        ws.write("falco.log", lines(6...7))
        try f.poll()
        #expect(try ws.storedSeconds() == Array(1...7))
        #expect(messages.contains { $0.contains("rotated") })
    }

    @Test func followsCopyTruncate() throws {
        let ws = try Workspace()
        ws.write("falco.log", lines(1...5))
        let f = follower(ws)
        try start(f)
        ws.truncate("falco.log")
        ws.write("falco.log", lines(6...6))
        try f.poll()
        #expect(try ws.storedSeconds() == Array(1...6))
    }

    /// logrotate's copytruncate: lines written after the last read and before the
    /// truncation exist only in the copy; they are read from there, once.
    @Test func copyTruncateLosesNothingWrittenJustBeforeTheTruncation() throws {
        let ws = try Workspace()
        var messages: [String] = []
        ws.write("falco.log", lines(1...5))
        let f = follower(ws) { messages.append($0.description) }
        try start(f)
        ws.write("falco.log", lines(6...7))                     // not read yet
        ws.write("falco.log.1", Array(readFile(ws.path("falco.log")).utf8), append: false)
        ws.truncate("falco.log")
        ws.write("falco.log", lines(8...9))
        try f.poll()
        #expect(try ws.storedSeconds() == Array(1...9))
        #expect(f.ingestor.report.duplicates == 0)
        #expect(messages.contains { $0.contains("finishing its copy") && $0.hasSuffix("from the start") })
    }

    /// Truncated and then written past the old position before the next poll: the size alone
    /// does not show it; the bytes before the position do.
    @Test func copyTruncateIsSeenEvenWhenTheFileRegrewPastThePosition() throws {
        let ws = try Workspace()
        ws.write("falco.log", lines(1...3))
        let f = follower(ws)
        try start(f)
        ws.write("falco.log", lines(4...4))
        ws.write("falco.log.1", Array(readFile(ws.path("falco.log")).utf8), append: false)
        ws.truncate("falco.log")
        ws.write("falco.log", lines(5...20))
        try f.poll()
        #expect(try ws.storedSeconds() == Array(1...20))
        #expect(f.ingestor.report.rejected == 0)
    }

    @Test func copyTruncateWhileStoppedIsFinishedFromTheCopyOnRestart() throws {
        let ws = try Workspace()
        ws.write("falco.log", lines(1...5))
        try start(follower(ws))
        ws.write("falco.log", lines(6...7))
        ws.write("falco.log-20261122", Array(readFile(ws.path("falco.log")).utf8), append: false)
        ws.write("falco.log.2.gz", "not this one")
        ws.truncate("falco.log")
        ws.write("falco.log", lines(8...8))
        let restarted = follower(ws)
        try start(restarted)
        #expect(try ws.storedSeconds() == Array(1...8))
        #expect(restarted.ingestor.report.duplicates == 0)
    }

    @Test func keepsReadingWhenTheFileDisappearsAndPicksUpItsReturn() throws {
        let ws = try Workspace()
        var events: [FollowEvent] = []
        ws.write("falco.log", lines(1...2))
        let f = follower(ws) { events.append($0) }
        try start(f)
        ws.remove("falco.log")
        try f.poll()
        #expect(events.contains { $0.kind == .disappeared && $0.path == f.path })
        #expect(events.contains { "\($0)".contains("disappeared") })
        ws.write("falco.log", lines(3...4))
        try f.poll()
        #expect(try ws.storedSeconds() == Array(1...4))
    }

    @Test func waitsForAFileThatDoesNotExistYet() throws {
        let ws = try Workspace()
        var events: [FollowEvent.Kind] = []
        let f = follower(ws) { events.append($0.kind) }
        try start(f)
        #expect(events == [.waitingForFile])
        ws.write("falco.log", lines(1...2))
        try f.poll()
        #expect(try ws.storedSeconds() == [1, 2])
        #expect(events == [.waitingForFile, .appeared])
    }

    @Test func resumesAfterRestartWithNothingLostOrRepeated() throws {
        let ws = try Workspace()
        ws.write("falco.log", lines(1...10) + String(line(11).prefix(30)))
        try start(follower(ws))
        ws.write("falco.log", String(line(11).dropFirst(30)) + lines(12...15))
        let second = follower(ws)
        try start(second)
        let report = second.ingestor.report
        #expect(report.duplicates == 0)
        #expect(report.stored == 5)
        #expect(try ws.storedSeconds() == Array(1...15))
    }

    @Test func finishesAFileRotatedWhileStopped() throws {
        let ws = try Workspace()
        var messages: [String] = []
        ws.write("falco.log", lines(1...3))
        try start(follower(ws))
        ws.write("falco.log", lines(4...5))
        ws.rename("falco.log", "falco.log.1")
        ws.write("falco.log", lines(6...8))
        let restarted = follower(ws) { messages.append($0.description) }
        try start(restarted)
        #expect(restarted.ingestor.report.duplicates == 0)
        #expect(try ws.storedSeconds() == Array(1...8))
        #expect(messages.contains { $0.contains("finishing") })
    }

    @Test func canStartAtTheEndOfAnExistingFile() throws {
        let ws = try Workspace()
        ws.write("falco.log", lines(1...3) + String(line(4).prefix(20)))
        var options = FileFollower.Options()
        options.startAtEnd = true
        let f = FileFollower(path: ws.path("falco.log"), ingestor: AlertIngestor(store: ws.store, origin: "f"), options: options, events: { _ in })
        try start(f)
        ws.write("falco.log", String(line(4).dropFirst(20)) + lines(5...5))
        try f.poll()
        #expect(try ws.storedSeconds() == [5])
    }
}
