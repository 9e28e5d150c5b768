#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The floor under any receiver of Falco's `http_output` pattern on this machine: a bare
/// responder (one thread, blocking reads, no parsing beyond framing, nothing stored) that
/// answers each request with an empty 200. One request after another on one connection, the
/// rate is set by two thread wake-ups per round trip, which on a virtual machine whose idle
/// cores halt cost tens of microseconds each; no receiver that does work can beat it.
final class LoopbackFloor {
    let port: Int
    private let listener: Int32

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        guard listener >= 0 else { throw BenchmarkError.unavailable("floor responder: socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw BenchmarkError.unavailable("floor responder: cannot listen on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { Self.serve(listener) }.start()
    }

    /// Answers one connection until it closes, then stops listening.
    private static func serve(_ listener: Int32) {
        let connection = accept(listener, nil, nil)
        close(listener)
        guard connection >= 0 else { return }
        defer { close(connection) }
        var one: Int32 = 1
        setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let reply = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)
        let separator = Array("\r\n\r\n".utf8)
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            pending.append(contentsOf: chunk[0..<n])
            // Each whole request (head, then Content-Length bytes) gets one reply.
            while let headEnd = pending.firstRange(of: separator)?.upperBound {
                let head = String(decoding: pending[0..<headEnd], as: UTF8.self).lowercased()
                var bodyLength = 0
                if let range = head.range(of: "content-length:") {
                    bodyLength = Int(head[range.upperBound...].prefix { $0 != "\r" }.trimmingCharacters(in: .whitespaces)) ?? 0
                }
                guard pending.count >= headEnd + bodyLength else { break }
                pending.removeFirst(headEnd + bodyLength)
                _ = reply.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            }
        }
    }
}
