/// Why a record the kernel side produced never reached the rules.
public enum DropReason: String, Sendable, CaseIterable {
    /// The ring buffer was full: the consumer fell behind (the one that matters).
    case ringBufferFull = "ring_buffer_full"
    /// A record larger than the kernel side's scratch buffer.
    case recordTooLarge = "record_too_large"
    /// The kernel side's per-CPU scratch buffer was missing.
    case scratchMissing = "scratch_missing"
    /// A record userspace could not read (its header disagrees with its size).
    case malformed = "malformed"
}

/// What the sensor has done and what it cost, for the header, the gauges and /metrics.
public struct SensorStatistics: Sendable, Equatable {
    /// Records the kernel side tried to send (after its filters).
    public var records: UInt64 = 0
    /// Records the consumer read.
    public var received: UInt64 = 0
    public var drops: [DropReason: UInt64] = [:]
    /// Ring-buffer-full drops by record kind: "exec", "fork", "exit", "syscall".
    public var ringBufferDropsByKind: [String: UInt64] = [:]
    /// Records sent with a field the kernel could not read, or a string cut at its limit.
    public var readFaults: UInt64 = 0
    public var truncated: UInt64 = 0
    /// Events that went through the rules, and the alerts they raised.
    public var eventsEvaluated: UInt64 = 0
    public var alerts: UInt64 = 0
    public var processes = 0
    /// Processes the table learnt from /proc instead of a fork record.
    public var processTableMisses = 0
    public var containerLookups = 0
    public var containerLookupFailures = 0
    /// CPU time of the consumer thread (decoding, process table, rules, alert formatting).
    public var consumerCPUSeconds = 0.0
    /// Time spent in the sensor's kernel programs, while run-time statistics are enabled.
    public var kernelRunNanoseconds: UInt64 = 0
    public var kernelRuns: UInt64 = 0
    /// Kernel memory the ring buffer holds.
    public var ringBufferBytes: UInt64 = 0
    /// Resident memory of the process the sensor runs in (it shares it with what else runs there).
    public var processResidentBytes: UInt64 = 0
    /// Loaded rules the sensor cannot feed (fields it does not fill, events it does not watch).
    public var skippedRules = 0

    public init() {}

    public var totalDrops: UInt64 { drops.values.reduce(0, &+) }

    /// The kernel programs' run time is only counted while the kernel's BPF statistics are on
    /// (`sysctl kernel.bpf_stats_enabled=1`, or a benchmark's descriptor).
    public var kernelRunTimeKnown: Bool { kernelRuns > 0 }
}
