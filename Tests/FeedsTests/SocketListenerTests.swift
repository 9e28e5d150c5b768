#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
import AlertStore
@testable import Feeds

@Suite struct SocketListenerTests {
    private func connectClient(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = try SocketListener.address(path)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(rc == 0)
        return fd
    }

    private func send(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
    }

    private func pump(_ listener: SocketListener, until condition: () throws -> Bool) throws {
        for _ in 0..<100 {
            try listener.poll(timeoutMilliseconds: 20)
            if try condition() { return }
        }
    }

    @Test func takesLinesFromSeveralWritersAtOnce() throws {
        let ws = try Workspace()
        let path = ws.path("alerts.sock")
        let listener = SocketListener(path: path, ingestor: AlertIngestor(store: ws.store, origin: "socket"), log: { _ in })
        listener.flushInterval = 0
        try listener.open()
        var st = stat()
        #expect(lstat(path, &st) == 0 && (st.st_mode & 0o777) == 0o600, "owner-only socket")

        let a = try connectClient(path), b = try connectClient(path)
        let split = line(2)
        send(a, line(1) + String(split.prefix(25)))
        send(b, line(3) + "not json\n")
        send(a, String(split.dropFirst(25)))
        send(b, String(line(4).dropLast()))    // no final newline: taken when the writer closes
        close(b)
        try pump(listener) { try ws.storedSeconds() == [1, 2, 3, 4] }
        #expect(try ws.storedSeconds() == [1, 2, 3, 4])
        #expect(listener.ingestor.report.rejectedByCode == [.notJSON: 1])
        #expect(listener.connectionsAccepted == 2)
        close(a)
        try listener.run(shouldStop: { true })
        listener.close()
        #expect(lstat(path, &st) != 0, "the socket file is removed on close")
    }

    @Test func replacesAStaleSocketButNeverAnotherFile() throws {
        let ws = try Workspace()
        let path = ws.path("alerts.sock")
        let first = SocketListener(path: path, ingestor: AlertIngestor(store: ws.store, origin: "s"), log: { _ in })
        try first.open()
        let second = SocketListener(path: path, ingestor: AlertIngestor(store: ws.store, origin: "s"), log: { _ in })
        #expect(throws: FeedError.self) { try second.open() }     // in use
        // A crashed run leaves the file behind with nobody listening: it is replaced.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        first.close()
        var address = try SocketListener.address(path)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        close(fd)
        #expect(throws: Never.self) { try second.open() }
        second.close()

        ws.write("plain.txt", "keep me")
        let third = SocketListener(path: ws.path("plain.txt"), ingestor: AlertIngestor(store: ws.store, origin: "s"), log: { _ in })
        #expect(throws: FeedError.self) { try third.open() }
        #expect(access(ws.path("plain.txt"), F_OK) == 0)
    }
}
