#if canImport(Glibc)
import Glibc
#endif

/// Calls `body` with 127.0.0.1:`port` as a `sockaddr` (for bind, connect, getsockname):
/// the one place tests build an IPv4 loopback address.
public func withLoopbackAddress<R>(port: Int = 0, _ body: (UnsafeMutablePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return try withUnsafeMutablePointer(to: &address) {
        try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
}

/// Whether something listens on 127.0.0.1:`port`.
public func canConnectToLoopback(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    return withLoopbackAddress(port: port) { connect(fd, $0, $1) } == 0
}

/// Binds `fd` to 127.0.0.1:`port` (0: any free port); the port it got, nil when the bind failed.
public func bindLoopback(_ fd: Int32, port: Int = 0) -> Int? {
    withLoopbackAddress(port: port) { address, length in
        guard bind(fd, address, length) == 0 else { return nil }
        var size = length
        guard getsockname(fd, address, &size) == 0 else { return nil }
        return Int(UInt16(bigEndian: address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }))
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago (for servers that need one on their command line).
public func freeLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    return bindLoopback(fd) ?? 0
}
