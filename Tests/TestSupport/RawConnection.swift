#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A plain TCP connection to 127.0.0.1 for tests that must misbehave as HTTP clients do in
/// the wild: send half a request and wait, hold a stream open, send headers a library would
/// not (a browser's `Origin`, a rebinding `Host`).
public final class RawConnection {
    public private(set) var fd: Int32
    /// Everything received so far.
    public private(set) var received: [UInt8] = []
    public private(set) var peerClosed = false

    /// Nil when the connection cannot be made.
    public init?(port: Int) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        guard withLoopbackAddress(port: port, { connect(fd, $0, $1) }) == 0 else {
            Glibc.close(fd)
            return nil
        }
    }

    deinit { close() }

    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    /// Sends all of `text`; false when the peer is gone.
    @discardableResult
    public func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    /// Reads what arrives within `timeout` seconds (until the peer closes, or `until` holds for
    /// what was received so far). Returns whether the peer closed the connection.
    @discardableResult
    public func read(timeout: Double, until done: ([UInt8]) -> Bool = { _ in false }) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !peerClosed && !done(received) {
            // At least one look, even with no time to wait.
            let left = max(deadline.timeIntervalSinceNow, 0)
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, Int32(min(left, 1) * 1000))
            if ready <= 0 {
                if left == 0 { break }
                continue
            }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { peerClosed = true; break }
            received.append(contentsOf: chunk[0..<n])
        }
        return peerClosed
    }

    /// Waits up to `timeout` seconds for the peer to close; true when it did.
    public func waitClosed(timeout: Double) -> Bool { read(timeout: timeout) }

    public var text: String { String(decoding: received, as: UTF8.self) }

    /// The status code of the first response received, once its status line is in.
    public var status: Int? {
        guard received.count >= 12, text.hasPrefix("HTTP/1.") else { return nil }
        return Int(text.dropFirst(9).prefix(3))
    }
}
