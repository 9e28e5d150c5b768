import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server for tests: a stand-in for a chat service, a trading bot's emergency
/// endpoint or any receiver. It records every request and answers with what `respond` returns.
/// One connection at a time, `Connection: close` after each reply: simple, and enough to test clients.
public final class RecordingHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [String: String]   // names lower-cased
        public var body: [UInt8]
        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }
    public struct Reply: Sendable {
        public var status: Int
        public var body: String
        public var headers: [String: String]
        public var delay: Double
        public init(status: Int = 200, body: String = "", headers: [String: String] = [:], delay: Double = 0) {
            self.status = status
            self.body = body
            self.headers = headers
            self.delay = delay
        }
    }

    public let port: Int
    public let socketPath: String?
    private let listener: Int32
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var responder: @Sendable (Request) -> Reply
    private var stopped = false

    /// Listens on 127.0.0.1 and an ephemeral port (or `port`: a receiver coming back where it
    /// was), or on a Unix socket when `unixSocket` is given.
    public init(unixSocket: String? = nil, port requestedPort: Int = 0, respond: @escaping @Sendable (Request) -> Reply = { _ in Reply() }) throws {
        let fd: Int32
        let boundPort: Int
        if let path = unixSocket {
            unlink(path)
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                let bytes = Array(path.utf8.prefix(raw.count - 1))
                raw.copyBytes(from: bytes)
                raw[bytes.count] = 0
            }
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard rc == 0 else { throw POSIXError(.EADDRINUSE) }
            boundPort = 0
        } else {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var yes: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
            guard let bound = bindLoopback(fd, port: requestedPort) else { throw POSIXError(.EADDRINUSE) }
            boundPort = bound
        }
        responder = respond
        socketPath = unixSocket
        listener = fd
        port = boundPort
        guard listen(listener, 64) == 0 else { throw POSIXError(.EIO) }
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// http://127.0.0.1:PORT
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public var requests: [Request] { lock.lock(); defer { lock.unlock() }; return recorded }

    public func setResponder(_ respond: @escaping @Sendable (Request) -> Reply) {
        lock.lock(); responder = respond; lock.unlock()
    }

    /// Polls until `count` requests arrived or `timeout` passed; returns what arrived.
    @discardableResult
    public func waitForRequests(_ count: Int, timeout: Double = 10) -> [Request] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let now = requests
            if now.count >= count { return now }
            usleep(10_000)
        }
        return requests
    }

    /// Idempotent: a second call (an explicit stop plus a `defer { stop() }`) must not touch
    /// `listener` again, because the accept thread has closed it by then and the number may
    /// already belong to another test's socket.
    public func stop() {
        lock.lock(); defer { lock.unlock() }
        if stopped { return }
        stopped = true
        // Only shut down here; the accept thread closes the descriptor when it leaves. Closing it
        // here would let a new server reuse the number while this thread still accepts on it.
        // Under the lock, so the accept thread cannot close it before this shutdown ran.
        shutdown(listener, Int32(SHUT_RDWR))
        if let socketPath { unlink(socketPath) }
    }

    deinit { if !stopped { stop() } }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                lock.lock()
                if stopped { close(listener); lock.unlock(); return }
                lock.unlock()
                continue
            }
            serve(connection)
            close(connection)
        }
    }

    private func serve(_ connection: Int32) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        // Read the head.
        while headerEnd == nil {
            let n = read(connection, &chunk, chunk.count)
            if n <= 0 { return }
            buffer.append(contentsOf: chunk[0..<n])
            headerEnd = findHeaderEnd(buffer)
        }
        let head = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(buffer[(headerEnd! + 4)...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            body = readChunked(connection, already: body)
        } else {
            let length = Int(headers["content-length"] ?? "0") ?? 0
            while body.count < length {
                let n = read(connection, &chunk, min(chunk.count, length - body.count))
                if n <= 0 { break }
                body.append(contentsOf: chunk[0..<n])
            }
        }
        let request = Request(method: requestLine.count > 0 ? String(requestLine[0]) : "",
                              path: requestLine.count > 1 ? String(requestLine[1]) : "",
                              headers: headers, body: body)
        lock.lock()
        recorded.append(request)
        let respond = responder
        lock.unlock()
        let reply = respond(request)
        if reply.delay > 0 { usleep(useconds_t(reply.delay * 1_000_000)) }
        var text = "HTTP/1.1 \(reply.status) X\r\nContent-Length: \(reply.body.utf8.count)\r\nConnection: close\r\n"
        for (name, value) in reply.headers { text += "\(name): \(value)\r\n" }
        text += "\r\n" + reply.body
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBufferPointer { write(connection, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
    }

    private func findHeaderEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i
        }
        return nil
    }

    private func readChunked(_ connection: Int32, already: [UInt8]) -> [UInt8] {
        var raw = already
        var chunk = [UInt8](repeating: 0, count: 65536)
        // Read until the terminating zero-length chunk.
        while !String(decoding: raw, as: UTF8.self).contains("\r\n0\r\n\r\n") && !String(decoding: raw, as: UTF8.self).hasPrefix("0\r\n\r\n") {
            let n = read(connection, &chunk, chunk.count)
            if n <= 0 { break }
            raw.append(contentsOf: chunk[0..<n])
        }
        var body: [UInt8] = []
        var index = 0
        while index < raw.count {
            guard let lineEnd = (index..<raw.count - 1).first(where: { raw[$0] == 13 && raw[$0 + 1] == 10 }) else { break }
            let size = Int(String(decoding: raw[index..<lineEnd], as: UTF8.self), radix: 16) ?? 0
            if size == 0 { break }
            body.append(contentsOf: raw[(lineEnd + 2)..<min(raw.count, lineEnd + 2 + size)])
            index = lineEnd + 2 + size + 2
        }
        return body
    }
}
