import Foundation

/// What request bodies may hold at once, all connections together: the bytes of bodies
/// being received or decoded (`serve.max_body_memory`), and the large bodies decoded off the
/// event loop (`serve.max_decodes`). Past either a request is answered 503 with
/// `Retry-After`: the sender retries, and memory does not grow with the number of senders.
public final class BodyBudget: @unchecked Sendable {
    public let maxBytes: Int
    public let maxDecodes: Int
    private let lock = NSLock()
    private var bytes = 0
    private var decodes = 0

    init(maxBytes: Int, maxDecodes: Int) {
        self.maxBytes = maxBytes
        self.maxDecodes = maxDecodes
    }

    public var reservedBytes: Int { lock.withLock { bytes } }
    public var runningDecodes: Int { lock.withLock { decodes } }

    /// Reserves `count` bytes; false (nothing reserved) when that would pass the limit.
    func reserve(_ count: Int) -> Bool {
        lock.withLock {
            guard count >= 0, count <= maxBytes - bytes else { return false }
            bytes += count
            return true
        }
    }

    func release(_ count: Int) {
        lock.withLock { bytes = max(0, bytes - count) }
    }

    /// Takes a decoding slot; false when `maxDecodes` bodies are being decoded.
    func startDecode() -> Bool {
        lock.withLock {
            guard decodes < maxDecodes else { return false }
            decodes += 1
            return true
        }
    }

    func endDecode() {
        lock.withLock { decodes = max(0, decodes - 1) }
    }
}
