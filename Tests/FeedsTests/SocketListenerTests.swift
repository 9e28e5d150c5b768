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

    private func mode(_ path: String) -> mode_t? {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & 0o7777 : nil
    }

    private func isLink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    /// Nothing left beside the socket: the private directory it was bound in is gone.
    private func stagingLeftovers(_ ws: Workspace) -> [String] {
        var names: [String] = []
        if let dir = opendir(ws.directory) {
            while let e = readdir(dir) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
                if name.hasPrefix(".tradsec-sock") { names.append(name) }
            }
            closedir(dir)
        }
        return names
    }

    @Test func theSocketIsOwnerOnlyFromItsCreationUnderUmask022() throws {
        let old = umask(0o022)
        defer { umask(old) }
        let ws = try Workspace()
        let path = ws.path("alerts.sock")
        let listener = SocketListener(path: path, ingestor: AlertIngestor(store: ws.store, origin: "s"), log: { _ in })
        try listener.open()
        #expect(mode(path) == 0o600)
        #expect(stagingLeftovers(ws).isEmpty)
        let client = try connectClient(path)
        send(client, line(1))
        close(client)
        try pump(listener) { try ws.storedSeconds() == [1] }
        #expect(try ws.storedSeconds() == [1], "the socket renamed into place accepts writers")
        listener.close()
        #expect(mode(path) == nil)
    }

    /// A link at the socket path (planted before, or swapped in while listening) is neither
    /// followed (its target's mode changed) nor removed.
    @Test func aLinkAtTheSocketPathIsNeverFollowedNorRemoved() throws {
        let ws = try Workspace()
        let path = ws.path("alerts.sock")
        ws.write("victim", "precious")
        chmod(ws.path("victim"), 0o644)
        symlink(ws.path("victim"), path)
        let listener = SocketListener(path: path, ingestor: AlertIngestor(store: ws.store, origin: "s"), log: { _ in })
        #expect { try listener.open() } throws: { "\($0)".contains("exists and is not a socket") }
        #expect(isLink(path) && mode(ws.path("victim")) == 0o644)

        unlink(path)
        try listener.open()
        // Swapped for a link while listening: closing leaves it (and its target) alone.
        unlink(path)
        symlink(ws.path("victim"), path)
        listener.close()
        #expect(isLink(path), "close removes only the socket it made")
        #expect(mode(ws.path("victim")) == 0o644 && readFile(ws.path("victim")) == "precious")
        #expect(stagingLeftovers(ws).isEmpty)
    }

    /// One writer sends nothing but garbage, over-long lines and an unfinished line; another
    /// sends alerts. The listener's buffers stay within their limits the whole time, rejects
    /// never pile up uncommitted, every reject is counted, and the alerts are all stored.
    @Test func garbageFromOneWriterLeavesMemoryBoundedAndTheOthersAlertsStored() throws {
        let ws = try Workspace()
        let path = ws.path("alerts.sock")
        var limits = SocketListener.Limits()
        limits.maxLineLength = 64 << 10
        let listener = SocketListener(path: path, ingestor: AlertIngestor(store: ws.store, origin: "socket"), limits: limits, log: { _ in })
        listener.flushInterval = 3600   // only full batches commit: the reject batch limit is what bounds them
        try listener.open()
        let garbage = try connectClient(path), good = try connectClient(path)
        _ = fcntl(garbage, F_SETFL, fcntl(garbage, F_GETFL) | O_NONBLOCK)
        let junk = String(repeating: "{not json at all} ", count: 5) + "\n"
        let long = String(repeating: "x", count: 200 << 10) + "\n"
        var sentLines = 0, highestBuffered = 0, highestPending = 0
        var pending = Array((String(repeating: junk, count: 400) + long).utf8)
        for round in 0..<400 {
            // Garbage as fast as the socket takes it; an alert now and then from the other writer.
            while !pending.isEmpty {
                let n = pending.withUnsafeBytes { write(garbage, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                pending.removeFirst(n)
            }
            if pending.isEmpty {
                sentLines += 401
                pending = Array((String(repeating: junk, count: 400) + long).utf8)
            }
            if round % 40 == 0 { send(good, line(round / 40 + 1)) }
            try listener.poll(timeoutMilliseconds: 5)
            highestBuffered = max(highestBuffered, listener.bufferedBytes)
            highestPending = max(highestPending, listener.ingestor.pendingRejectCount)
        }
        send(garbage, String(repeating: "y", count: 1000))   // an unfinished line, then the writer stops
        close(good)
        try pump(listener) { listener.connectionCount == 1 }
        #expect(highestBuffered <= 2 * (limits.maxLineLength + 1), "two writers, at most one line each: \(highestBuffered)")
        #expect(highestPending <= AlertIngestor.rejectBatchLimit)
        #expect(listener.ingestor.report.rejectedByCode[.tooLong, default: 0] >= sentLines / 401 - 1)
        #expect(listener.ingestor.report.rejected >= sentLines - 401)
        close(garbage)
        try listener.run(shouldStop: { true })
        #expect(try ws.storedSeconds() == Array(1...10))
        #expect(listener.bufferedBytes == 0)
    }

    @Test func writersOverTheLimitAreRefusedAndCountedUnlessOneIsIdle() throws {
        let ws = try Workspace()
        let path = ws.path("alerts.sock")
        var limits = SocketListener.Limits()
        limits.maxConnections = 3
        limits.idleTimeout = 0.3
        var logged: [String] = []
        let listener = SocketListener(path: path, ingestor: AlertIngestor(store: ws.store, origin: "socket"), limits: limits,
                                      log: { logged.append($0) })
        listener.flushInterval = 0
        try listener.open()
        let held = try (0..<3).map { _ in try connectClient(path) }
        try pump(listener) { listener.connectionCount == 3 }
        for fd in held { send(fd, "{") }                         // each holds an unfinished line
        try listener.poll(timeoutMilliseconds: 10)
        // Two more while the three are active: refused (closed at once), counted, logged once.
        let extra = try (0..<2).map { _ in try connectClient(path) }
        try pump(listener) { listener.connectionsRefused == 2 }
        #expect(listener.connectionsRefused == 2 && listener.connectionCount == 3)
        #expect(logged.filter { $0.contains("refused a writer") }.count == 1)
        var byte: UInt8 = 0
        #expect(extra.allSatisfy { read($0, &byte, 1) == 0 }, "a refused writer sees its connection closed")
        // Idle past the timeout in the middle of a line: closed, the unfinished line rejected.
        usleep(400_000)
        try listener.poll(timeoutMilliseconds: 10)
        #expect(listener.connectionCount == 0 && listener.idleConnectionsClosed == 3)
        #expect(listener.ingestor.report.rejected == 3)
        // Idle writers (no unfinished line) stay until a new writer needs the place.
        let quiet = try (0..<3).map { _ in try connectClient(path) }
        try pump(listener) { listener.connectionCount == 3 }
        usleep(400_000)
        let newcomer = try connectClient(path)
        send(newcomer, line(7))
        try pump(listener) { try ws.storedSeconds() == [7] }
        #expect(try ws.storedSeconds() == [7])
        #expect(listener.connectionCount == 3 && listener.idleConnectionsClosed == 4 && listener.connectionsRefused == 2)
        for fd in held + extra + quiet + [newcomer] { close(fd) }
        listener.close()
    }
}
