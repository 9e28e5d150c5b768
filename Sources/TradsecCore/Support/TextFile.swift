#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole text file: configuration, themes, address lists, procfs and cgroup files
/// (which report size 0, so this reads until end of file rather than trusting the size).
public enum TextFile {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The file's text (invalid UTF-8 replaced); fails when it cannot be opened or is larger
    /// than `limit` bytes (a file that big here is a mistake, not input).
    public static func read(_ path: String, limit: Int = 64 << 20) throws(Failure) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { throw Failure(description: "\(path) is larger than \(limit) bytes") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
