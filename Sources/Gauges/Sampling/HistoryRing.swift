/// The last `capacity` values of a gauge, for sparklines: fixed memory however long the
/// console runs.
public struct HistoryRing: Equatable, Sendable {
    public let capacity: Int
    private var storage: [Double] = []
    private var next = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        storage.reserveCapacity(self.capacity)
    }

    public mutating func append(_ value: Double) {
        if storage.count < capacity {
            storage.append(value)
        } else {
            storage[next] = value
        }
        next = (next + 1) % capacity
    }

    /// Oldest first.
    public var values: [Double] {
        storage.count < capacity ? storage : Array(storage[next...] + storage[..<next])
    }

    public var count: Int { storage.count }
}
