#if canImport(Glibc)
import Glibc
#endif
@testable import AlertStore
import Foundation
import Testing
import TradsecCore

@Suite struct IntakeLogTests {
    func temporaryDirectory() -> String {
        var template = Array("/tmp/tradsec-intake-XXXXXX".utf8CString)
        return String(cString: mkdtemp(&template)!)
    }

    func alerts(_ n: Int, from first: Int = 0) throws -> [Alert] {
        (first..<first + n).map { makeAlert(Int64($0), rule: "intake \($0)") }
    }

    /// Moves everything waiting, the way serve's writer does.
    func moveAll(_ log: IntakeLog, into store: AlertStore) throws -> [String] {
        var rules: [String] = []
        while let batch = try log.nextBatch(limit: 3) {
            try store.commit(CommitPlan(alerts: batch.alerts, origin: "serve", checkpoint: batch.checkpoint))
            log.moved(batch)
            rules += batch.alerts.map(\.rule)
        }
        return rules
    }

    @Test func appendedAlertsMoveInOrderAndAResendIsADuplicate() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try AlertStore(path: directory + "/history.sqlite")
        let log = try store.openIntakeLog()
        let taken = try alerts(5)
        for alert in taken { #expect(try log.append([alert], received: 1).accepted == 1) }
        let again = try log.append([taken[2], taken[2]], received: 2)
        #expect(again.accepted == 0 && again.duplicates == 2)
        #expect(log.state.pending == 5)
        #expect(try moveAll(log, into: store) == taken.map(\.rule))
        #expect(log.state.pending == 0)
        #expect(try store.totalCount() == 5)
        var st = stat()
        #expect(stat(directory + "/history.sqlite-intake", &st) == 0 && st.st_mode & 0o777 == 0o600)
    }

    @Test func aRestartMovesWhatWasWaitingOnceAndCutsATornTail() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/history.sqlite"
        do {
            let store = try AlertStore(path: path)
            let log = try store.openIntakeLog()
            _ = try log.append(try alerts(4), received: 1)
            // Two moved before the "crash", two still waiting.
            let batch = try #require(try log.nextBatch(limit: 2))
            try store.commit(CommitPlan(alerts: batch.alerts, origin: "serve", checkpoint: batch.checkpoint))
            log.moved(batch)
        }
        // A crash in the middle of a write leaves half a record (never acknowledged).
        let fd = open(path + "-intake", O_WRONLY | O_APPEND)
        var half: [UInt8] = []
        IntakeLog.appendHeader(to: &half, length: 500, received: 3, check: 7)
        half += Array(repeating: 0x41, count: 100)
        #expect(write(fd, half, half.count) == half.count)
        close(fd)

        let store = try AlertStore(path: path)
        let log = try store.openIntakeLog()
        #expect(log.recovery == IntakeLog.Recovery(waiting: 2, cutBytes: Int64(half.count)))
        #expect(try moveAll(log, into: store) == ["intake 2", "intake 3"])
        #expect(try store.totalCount() == 4)
        // The torn record is gone: appending after it gives whole records again.
        _ = try log.append(try alerts(1, from: 9), received: 4)
        #expect(try moveAll(log, into: store) == ["intake 9"])
        #expect(try store.totalCount() == 5)
    }

    @Test func aMovedLogIsReplacedAndARestartStartsTheNewFileFromItsBeginning() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/history.sqlite"
        var inodes: [UInt64] = []
        func inode() -> UInt64 { var st = stat(); stat(path + "-intake", &st); return UInt64(st.st_ino) }
        do {
            let store = try AlertStore(path: path)
            let log = try IntakeLog(path: path + "-intake", checkpoint: try store.checkpoint(for: path + "-intake"), rotateAtBytes: 1)
            _ = try log.append(try alerts(3), received: 1)
            inodes.append(inode())
            #expect(try moveAll(log, into: store).count == 3)
            inodes.append(inode())
            // The history's checkpoint names the old file; these land in the new one.
            _ = try log.append(try alerts(2, from: 3), received: 2)
        }
        #expect(inodes[0] != inodes[1])
        let store = try AlertStore(path: path)
        let log = try store.openIntakeLog()
        #expect(log.recovery.waiting == 2)
        #expect(try moveAll(log, into: store) == ["intake 3", "intake 4"])
        #expect(try store.totalCount() == 5)
    }

    @Test func aSecondTakerOfTheSameHistoryIsRefused() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try AlertStore(path: directory + "/history.sqlite")
        let log = try store.openIntakeLog()
        #expect(throws: (any Error).self) { _ = try store.openIntakeLog() }
        _ = log
    }
}
