#if canImport(Glibc)
import Glibc
#endif
import TradsecCore

/// A client's connection to a Unix stream socket, as Falco's program_output piped into a
/// socket client would make.
public enum UnixSocketClient {
    /// Connects to `path`, retrying for up to `waitSeconds` while the listener comes up; the
    /// connected descriptor, which the caller closes.
    public static func connect(_ path: String, waitSeconds: Double = 5) throws -> Int32 {
        let bytes = Array(path.utf8)
        var address = sockaddr_un()
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw BenchmarkError.failed("socket path too long: \(path)")
        }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes + [0]) }
        let deadline = Monotonic.seconds() + waitSeconds
        while true {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw BenchmarkError.failed("socket: \(String(cString: strerror(errno)))") }
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            if rc == 0 { return fd }
            let reason = String(cString: strerror(errno))
            close(fd)
            guard Monotonic.seconds() < deadline else { throw BenchmarkError.failed("cannot connect to \(path): \(reason)") }
            usleep(50_000)
        }
    }
}
