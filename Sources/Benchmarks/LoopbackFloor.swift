#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The floor under any receiver of Falco's `http_output` pattern on this machine: a bare
/// responder on a thread of this process that answers each request with an empty 200 and does
/// nothing else. It frames requests on the bytes as they arrive (the head ends at CRLFCRLF; the
/// body is the head's Content-Length bytes, which it skips without keeping), and writes one
/// constant reply per request: one buffer allocated when the connection opens, no allocation
/// or text after that. Posted to with the same client as the real receivers, one request
/// after another, its rate is the round trip of this machine with a receiver doing nothing;
/// no receiver that parses, stores and answers can beat it.
///
/// It frames by itself rather than with serve's ``SimplePostHead``: a floor must not do the
/// checks and the header copies a receiver does, or it would measure some of serve's work.
///
/// It serves one connection (the client keeps it alive for the whole run), then stops
/// listening; when the client closes it, the thread ends. Chunked bodies are not understood:
/// a Falco-style client sends Content-Length.
final class LoopbackFloor {
    let port: Int

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
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
            let reason = String(cString: strerror(errno))
            close(listener)
            throw BenchmarkError.unavailable("floor responder: cannot listen on 127.0.0.1: \(reason)")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { Self.serve(listener) }.start()
    }

    /// Bytes held at once: a request head must fit; bodies pass through in pieces.
    static let bufferSize = 64 << 10
    static let reply: [UInt8] = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)

    /// Answers one connection until it closes (or sends what it cannot frame), then returns.
    private static func serve(_ listener: Int32) {
        let connection = accept(listener, nil, nil)
        close(listener)
        guard connection >= 0 else { return }
        defer { close(connection) }
        var one: Int32 = 1
        setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let reply = Self.reply
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bufferSize)
        defer { buffer.deallocate() }

        // buffer[begin..<end] is received and not yet consumed; no CRLFCRLF ends before `searched`.
        var begin = 0, end = 0, searched = 0
        // -1 while reading a head; otherwise the body bytes of the current request still to skip.
        var bodyLeft = -1
        while true {
            // Consume every request (or the part of one) that is here; answer each complete one.
            while true {
                if bodyLeft < 0 {
                    guard let headEnd = headEnd(buffer, from: max(begin, searched - 3), to: end) else {
                        searched = end
                        break
                    }
                    guard let length = contentLength(buffer, from: begin, to: headEnd) else { return }
                    bodyLeft = length
                    begin = headEnd
                }
                let skipped = min(bodyLeft, end - begin)
                begin += skipped
                bodyLeft -= skipped
                guard bodyLeft == 0 else { break }
                bodyLeft = -1
                guard writeAll(connection, reply) else { return }
            }
            if begin == end {
                begin = 0; end = 0; searched = 0
            } else if end == bufferSize {
                guard begin > 0 else { return }   // a head larger than the buffer
                memmove(buffer, buffer + begin, end - begin)
                end -= begin; searched -= begin; begin = 0
            }
            let n = read(connection, buffer + end, bufferSize - end)
            guard n > 0 else { return }
            end += n
        }
    }

    /// The index just past the first CRLFCRLF in buffer[from..<to], or nil.
    private static func headEnd(_ buffer: UnsafeMutablePointer<UInt8>, from: Int, to: Int) -> Int? {
        var i = from
        while i + 4 <= to {
            if buffer[i] == 0x0D && buffer[i + 1] == 0x0A && buffer[i + 2] == 0x0D && buffer[i + 3] == 0x0A { return i + 4 }
            i += 1
        }
        return nil
    }

    /// The Content-Length of the head in buffer[from..<to] (its name in any case): 0 when the
    /// head has none, nil when its value is not a number.
    private static func contentLength(_ buffer: UnsafeMutablePointer<UInt8>, from: Int, to: Int) -> Int? {
        let name: StaticString = "content-length:"
        let lower = name.utf8Start, nameLength = name.utf8CodeUnitCount
        var line = from
        while line < to {
            // The next line starts after this one's LF (so the request line is never taken for a header).
            var next = line
            while next < to && buffer[next] != 0x0A { next += 1 }
            next += 1
            var matches = next + nameLength <= to
            var k = 0
            while matches && k < nameLength {
                let byte = buffer[next + k], want = lower[k]
                // Letters in either case; '-' and ':' exactly.
                matches = byte == want || (want >= 0x61 && byte == want - 0x20)
                k += 1
            }
            if matches {
                var i = next + nameLength
                while i < to && (buffer[i] == 0x20 || buffer[i] == 0x09) { i += 1 }
                var value = 0, digits = 0
                while i < to && buffer[i] >= 0x30 && buffer[i] <= 0x39 && digits < 18 {
                    value = value * 10 + Int(buffer[i] - 0x30)
                    digits += 1
                    i += 1
                }
                let tooLong = i < to && buffer[i] >= 0x30 && buffer[i] <= 0x39
                return digits > 0 && !tooLong ? value : nil
            }
            line = next
        }
        return 0
    }

    private static func writeAll(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = write(connection, raw.baseAddress! + sent, raw.count - sent)
                if n <= 0 { return false }
                sent += n
            }
            return true
        }
    }
}
