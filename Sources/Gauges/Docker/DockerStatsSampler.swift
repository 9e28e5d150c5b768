import CurlClient
import TradsecCore

/// Reads a container's stats from a Docker-compatible engine API (Docker, or podman's
/// service) over its Unix socket.
public struct DockerStatsSampler: Sendable {
    public var socketPath: String
    public var timeout: Double

    public init(socketPath: String = "/var/run/docker.sock", timeout: Double = 3) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
        /// The engine answered that there is no such container (as opposed to no engine).
        public var notFound = false
    }

    /// One stats reply for `container` (name or id). `one-shot=true` asks Docker not to wait
    /// a second for its pre-read; the CPU rate then comes from two of our own samples.
    public func read(container: String, at: Double = Monotonic.seconds()) throws(Failure) -> (stats: DockerStats, at: Double) {
        let path = "/containers/\(Self.escape(container))/stats?stream=false&one-shot=true"
        let response: HTTPResponse
        do {
            response = try CurlHTTP.send(HTTPRequest(url: "http://localhost" + path, unixSocketPath: socketPath,
                                                     timeout: timeout, connectTimeout: min(timeout, 2),
                                                     maxResponseBytes: 1 << 20))
        } catch {
            throw Failure(description: "engine at \(socketPath): \(error)")
        }
        if response.status == 404 { throw Failure(description: "no container '\(container)'", notFound: true) }
        guard response.isSuccess else {
            throw Failure(description: "engine answered \(response.status) for \(container): \(String(response.bodyText.prefix(200)))")
        }
        do { return (try DockerStats.parse(response.body), at) } catch { throw Failure(description: "\(error)") }
    }

    /// Percent-encodes everything but the characters container names and ids are made of.
    static func escape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                out.append(Character(UnicodeScalar(b)))
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(_ n: Int, with c: Character = "0") -> String {
        count >= n ? self : String(repeating: c, count: n - count) + self
    }
}
