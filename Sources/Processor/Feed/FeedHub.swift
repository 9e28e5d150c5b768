import Foundation
/// Tells live streams that new alerts were committed. Streams read from the history by id,
/// so a signal carries no data and a missed or doubled signal can neither lose nor repeat
/// an event: it only says "look again".
public final class FeedHub: @unchecked Sendable {
    private let lock = NSLock()
    private var listeners: [Int: @Sendable () -> Void] = [:]
    private var nextToken = 0

    public init() {}

    public var count: Int { lock.withLock { listeners.count } }

    func subscribe(_ listener: @escaping @Sendable () -> Void) -> Int {
        lock.withLock {
            nextToken += 1
            listeners[nextToken] = listener
            return nextToken
        }
    }

    func unsubscribe(_ token: Int) {
        _ = lock.withLock { listeners.removeValue(forKey: token) }
    }

    public func signal() {
        let current = lock.withLock { Array(listeners.values) }
        for listener in current { listener() }
    }
}
