#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport

/// Blocking socket I/O for the harnesses that talk to a real server (the processor) or play
/// one (a container engine, a receiver).
enum Sockets {
    /// Sends `request` to 127.0.0.1:`port` and returns all the server sends until it closes
    /// (`timedOut` when it went silent for `timeout` seconds instead); nil when it cannot connect.
    /// `halfClose` closes the sending side after the request, so a server waiting for more
    /// of an unfinished request sees the end at once (it then drops replies still pending).
    static func exchange(port: Int, _ request: [UInt8], halfClose: Bool, timeout: Int = 10) -> (bytes: [UInt8], timedOut: Bool)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        guard connectLoopback(fd, port: port) else { return nil }
        guard sendAll(fd, request) else { return ([], false) }   // the server may close early (401, 413)
        if halfClose { shutdown(fd, Int32(SHUT_WR)) }
        let bytes = readAll(fd)
        return (bytes, errno == EAGAIN || errno == EWOULDBLOCK)
    }

    /// Connects `fd` to 127.0.0.1:`port`. libFuzzer's timer signal (SIGALRM, for -timeout) can
    /// interrupt a blocking connect, which then goes on in the background: wait for it to finish
    /// rather than call the server unreachable.
    static func connectLoopback(_ fd: Int32, port: Int) -> Bool {
        if withLoopbackAddress(port: port, { connect(fd, $0, $1) }) == 0 { return true }
        guard errno == EINTR || errno == EINPROGRESS else { return false }
        var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        while true {
            let n = poll(&ready, 1, 10_000)
            if n < 0 && errno == EINTR { continue }
            guard n == 1 else { return false }
            break
        }
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length) == 0 && failure == 0
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    /// Until the peer closes (or a receive timeout: then errno is EAGAIN).
    static func readAll(_ fd: Int32, limit: Int = 16 << 20) -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        errno = 0
        while received.count < limit {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            received.append(contentsOf: chunk[0..<n])
        }
        return received
    }

    /// A listening Unix socket at `path` (replacing any file there).
    static func listenUnix(_ path: String) -> Int32? {
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); return nil }
        return fd
    }
}

/// A one-thread HTTP server on a Unix socket that answers each request with the next of the
/// replies it was given (raw bytes: status line, headers, body), then closes the connection.
/// Plays a container engine or a receiver whose replies the fuzzer writes.
final class ScriptedServer: @unchecked Sendable {
    /// The Unix socket's path (nil for TCP).
    let path: String?
    /// The loopback TCP port (nil for a Unix socket).
    let port: Int?
    private let fd: Int32
    private let lock = NSLock()
    private var replies: [[UInt8]] = []
    private var next = 0
    /// Requests seen since the replies were set (their first lines).
    private(set) var requests: [String] = []

    /// On a Unix socket (an engine), or on 127.0.0.1 (`tcp`: an HTTP endpoint).
    init(name: String, tcp: Bool = false) {
        if tcp {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            port = bindLoopback(fd)
            precondition(port != nil && listen(fd, 16) == 0, "cannot listen on 127.0.0.1")
            path = nil
        } else {
            let path = makeTemporaryDirectory(prefix: "tradsec-fuzz-\(name)") + "/engine.sock"
            fd = Sockets.listenUnix(path)!
            self.path = path
            port = nil
        }
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// An HTTP/1.1 reply with a Content-Length.
    static func reply(status: Int, headers: [(String, String)] = [], body: [UInt8]) -> [UInt8] {
        var head = "HTTP/1.1 \(status) Fuzz\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }

    /// The replies for the next requests, in order; past the last, the last is repeated.
    func script(_ replies: [[UInt8]]) {
        lock.lock()
        self.replies = replies
        next = 0
        requests = []
        lock.unlock()
    }

    var requestLines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return requests
    }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { continue }
            let head = readHead(client)
            lock.lock()
            let reply = replies.isEmpty ? [] : replies[min(next, replies.count - 1)]
            next += 1
            requests.append(String(decoding: head.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self))
            lock.unlock()
            _ = Sockets.sendAll(client, reply)
            shutdown(client, Int32(SHUT_WR))
            // Drain what the client still sends (a body) so that closing does not reset the reply.
            var tv = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            _ = Sockets.readAll(client, limit: 1 << 20)
            close(client)
        }
    }

    /// The request's head (up to the blank line), and any body bytes that came with it.
    private func readHead(_ client: Int32) -> [UInt8] {
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var head: [UInt8] = []
        var byte: UInt8 = 0
        while head.count < 65536, recv(client, &byte, 1, 0) == 1 {
            head.append(byte)
            if head.count >= 4, head.suffix(4).elementsEqual([0x0D, 0x0A, 0x0D, 0x0A]) { break }
        }
        return head
    }
}
