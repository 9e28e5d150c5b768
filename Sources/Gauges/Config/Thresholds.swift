/// How bad a reading is; the console colours by it (theme roles good / warning / critical).
public enum Level: Int, Comparable, Sendable, CustomStringConvertible {
    case ok, warning, critical
    public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    public var description: String { self == .ok ? "ok" : self == .warning ? "warning" : "critical" }
}

/// A memory threshold: an absolute size, or a share of the group's limit (`80%`).
public enum MemoryThreshold: Equatable, Sendable {
    case bytes(UInt64)
    case ofLimit(Double)

    /// The byte count this threshold stands for; nil for a share when there is no limit.
    public func bytes(limit: UInt64?) -> UInt64? {
        switch self {
        case .bytes(let b): return b
        case .ofLimit(let ratio): return limit.map { UInt64(saturating: Double($0) * ratio) }
        }
    }
}

/// When a gauge turns yellow or red. CPU is in percent of one CPU (200 % = two cores busy),
/// like top. Defaults: Falco over 400 MiB warns (a Falco that big is usually leaking or
/// drowning in events), over 800 MiB is critical.
public struct Thresholds: Equatable, Sendable {
    public var falcoMemoryWarn: MemoryThreshold = .bytes(400 << 20)
    public var falcoMemoryCritical: MemoryThreshold = .bytes(800 << 20)
    public var falcoCPUWarn = 50.0
    public var falcoCPUCritical = 90.0
    public var botCPUWarn = 80.0
    public var botCPUCritical = 150.0
    public var botMemoryWarn: MemoryThreshold = .ofLimit(0.8)
    public var botMemoryCritical: MemoryThreshold = .ofLimit(0.95)
    /// No alert from a source for this long: the feed may be broken (Falco alerts are rare on a
    /// quiet host, so the defaults are generous).
    public var feedStaleWarnSeconds = 600.0
    public var feedStaleCriticalSeconds = 1800.0

    public init() {}

    public static func level(_ value: Double?, warn: Double, critical: Double) -> Level {
        guard let value else { return .ok }
        return value >= critical ? .critical : value >= warn ? .warning : .ok
    }

    public static func level(memory: UInt64?, limit: UInt64?, warn: MemoryThreshold, critical: MemoryThreshold) -> Level {
        guard let memory else { return .ok }
        if let c = critical.bytes(limit: limit), memory >= c { return .critical }
        if let w = warn.bytes(limit: limit), memory >= w { return .warning }
        return .ok
    }
}
