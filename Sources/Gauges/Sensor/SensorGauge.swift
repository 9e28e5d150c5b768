/// A counter with its name (a drop reason, a record kind).
public struct NamedCount: Equatable, Sendable {
    public var name: String
    public var count: UInt64
    public init(_ name: String, _ count: UInt64) {
        self.name = name
        self.count = count
    }
}

/// The host sensor's counters as the gauges read them. The sensor lives in a module above
/// this one: the composition root hands the collector a closure that reads it.
public struct SensorReading: Equatable, Sendable {
    /// Why the sensor is not running (it could not start); nil while it runs.
    public var failure: String?
    /// Kernel records the consumer read.
    public var recordsRead: UInt64 = 0
    public var eventsEvaluated: UInt64 = 0
    public var alerts: UInt64 = 0
    /// Records lost, by reason (every reason, zeros included).
    public var drops: [NamedCount] = []
    /// Ring-buffer-full drops by record kind.
    public var ringBufferDropsByKind: [NamedCount] = []
    public var consumerCPUSeconds = 0.0
    /// The kernel programs' run time; nil while the kernel's BPF statistics are off.
    public var kernelRunSeconds: Double?
    /// Resident memory of the process the sensor runs in.
    public var residentBytes: UInt64 = 0
    public var ringBufferBytes: UInt64 = 0
    public var skippedRules = 0

    public init(failure: String? = nil) { self.failure = failure }

    public var totalDrops: UInt64 { drops.reduce(0) { $0 &+ $1.count } }
}

/// The sensor in a snapshot: what it costs, as a resource beside Falco and the bot (CPU of
/// its consumer thread and kernel programs, the process's memory), and what it lost.
public struct SensorGauge: Equatable, Sendable {
    public var resource: ResourceGauge
    public var reading: SensorReading
    /// Kernel records read per second since the previous sample.
    public var eventsPerSecond: Double?
    public var consumerCPUPercent: Double?
    /// nil while the kernel's BPF statistics are off (or before two readings).
    public var kernelCPUPercent: Double?
    /// Drops since the previous sample (nil on the first).
    public var newDrops: UInt64?
    /// New drops per sample, for the sparkline.
    public var dropsHistory: [Double] = []

    public init(resource: ResourceGauge, reading: SensorReading) {
        self.resource = resource
        self.reading = reading
    }

    /// Drops happening now are syscalls no rule saw: critical, as Falco's are. A sensor that
    /// could not start is a warning (its resource gauge says why).
    public var level: Level {
        if let new = newDrops, new > 0 { return .critical }
        return resource.level
    }
}
