#if canImport(Glibc)
import Glibc
#endif
import CSensor
import Foundation
import Gauges
import RuleEngine
import Synchronization
import TradsecCore

/// The live host sensor: this host's syscalls, read by eBPF programs, fed to the embedded rule
/// engine. One consumer thread drains the ring buffer, keeps the process table and evaluates
/// the rules; alerts go to the caller's closure on that thread (keep it short: queue them).
///
///     let sensor = try HostSensor(engine: engine, options: .init())   // loads; says why not
///     print(sensor.coverage.report)                                   // skipped rules
///     try sensor.start { alert in queue.append(alert) }
///     ...
///     sensor.stop()
public final class HostSensor: @unchecked Sendable {
    public struct Options: Sendable {
        /// The BPF object; nil: found beside the executable or in the build tree.
        public var objectPath: String?
        /// The ring buffer's size (a power of two, at least a page).
        public var ringBufferBytes = 8 << 20
        /// Container engines' API sockets, asked for container names and images.
        public var engineSockets = ["/var/run/docker.sock", "/run/podman/podman.sock"]
        public var hostname: String?
        /// How long the consumer sleeps when nothing is waiting (the kernel side also wakes it
        /// once a sixteenth of the ring buffer is waiting).
        public var pollMilliseconds = 20
        public init() {}
    }

    public let coverage: RuleCoverage
    public let options: Options
    /// The loader's handle; `lock` guards it against `stop` closing it under `statistics`.
    private var handle: OpaquePointer?
    /// The kernel side's counters as the handle was closed (guarded by `lock`).
    private var finalKernelCounters: KernelCounters?
    private let lock = NSLock()
    private let pipeline: SensorPipeline
    private let serverNames: ServerNames
    private let stopFlag = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let userspace = Mutex(SensorStatistics())

    /// Checks the machine, loads the programs and decides which rules run. Nothing is attached
    /// (no syscall is slowed) until `start`. The engine's rules that the sensor cannot feed are
    /// disabled in it (see `coverage`).
    public init(engine: RulesEngine, options: Options = Options()) throws(SensorError) {
        self.options = options
        guard options.ringBufferBytes >= 4096, options.ringBufferBytes & (options.ringBufferBytes - 1) == 0,
              options.ringBufferBytes <= 1 << 30 else {
            throw .badConfiguration("the ring buffer size must be a power of two between 4 KiB and 1 GiB, not \(options.ringBufferBytes)")
        }
        let objectPath = try Preflight.check(objectPath: options.objectPath)
        coverage = CoverageAnalysis.apply(to: engine)
        guard !coverage.active.isEmpty else {
            throw .nothingToWatch(reason: "none of the \(coverage.skipped.count) syscall rules loaded can run on the sensor's events\n" + coverage.report)
        }
        let source = Self.cgroupSource()
        serverNames = ServerNames(names: coverage.serverNames)
        let table = ProcessTable(controller: source.controller)
        let containers = ContainerDirectory(sockets: options.engineSockets)
        pipeline = SensorPipeline(engine: engine, conditionSlotKeys: coverage.conditionSlotKeys, table: table,
                                  containers: containers, serverNames: serverNames, hostname: options.hostname)

        var openOptions = tsr_open_options()
        var error = [CChar](repeating: 0, count: 16384)
        let handle = objectPath.withCString { path -> OpaquePointer? in
            openOptions.object_path = path
            openOptions.ring_bytes = UInt32(options.ringBufferBytes)
            openOptions.config.self_tgid = UInt32(getpid())
            openOptions.config.cgroup_source = source.kernelValue
            openOptions.config.wakeup_bytes = UInt64(options.ringBufferBytes / 16)
            return tsr_sensor_open(&openOptions, &error, error.count)
        }
        guard let handle else { throw .loadFailed(reason: cText(error)) }
        for name in coverage.watchedSyscalls {
            guard let syscall = SyscallTable.byName[name] else { continue }
            var layout = syscall.layout
            guard tsr_sensor_watch(handle, UInt32(syscall.number), syscall.handler, &layout, &error, error.count) == 0 else {
                tsr_sensor_close(handle)
                throw .loadFailed(reason: cText(error))
            }
        }
        self.handle = handle
    }

    deinit { stop() }

    /// Attaches the programs, seeds the process table from /proc and starts the consumer thread.
    public func start(alerts: @escaping @Sendable (SensorAlert) -> Void) throws(SensorError) {
        guard !running.load(ordering: .acquiring) else { return }
        pipeline.emit = alerts
        pipeline.progress = { [unowned self] in publish() }
        var error = [CChar](repeating: 0, count: 1024)
        lock.lock()
        let attached = handle.map { tsr_sensor_attach($0, &error, error.count) == 0 } ?? false
        lock.unlock()
        guard attached else { throw .attachFailed(reason: handle == nil ? "the sensor was stopped" : cText(error)) }
        // After attaching: a process started while /proc is read is also seen by the programs.
        pipeline.seedTable()
        serverNames.start()
        running.store(true, ordering: .releasing)
        let thread = Thread { [self] in consume() }
        thread.name = "tradsec.sensor"
        thread.start()
    }

    /// Detaches the programs, hands over what is still in the ring buffer and stops the thread.
    public func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else {
            closeProbe()
            return
        }
        stopFlag.store(true, ordering: .releasing)
        finished.wait()
        serverNames.stop()
        closeProbe()
    }

    private func closeProbe() {
        lock.lock()
        defer { lock.unlock() }
        guard let handle else { return }
        finalKernelCounters = Self.kernelCounters(handle)
        tsr_sensor_close(handle)
        self.handle = nil
    }

    /// Counters of both sides; safe from any thread. The consumer's counters are as of its last
    /// drain (at most a few thousand records or one poll interval old). After `stop` the kernel
    /// side's counters are those read as the programs were closed (drops stay counted).
    public func statistics() -> SensorStatistics {
        var stats = userspace.withLock { $0 }
        stats.skippedRules = coverage.skipped.count
        if let status = try? TextFile.read("/proc/self/status", limit: 1 << 16) {
            stats.processResidentBytes = ProcStatus.residentBytes(status) ?? 0
        }
        lock.lock()
        let kernel = handle.map(Self.kernelCounters) ?? finalKernelCounters
        lock.unlock()
        kernel?.apply(to: &stats)
        return stats
    }

    /// What the kernel side counted, read from the maps.
    private struct KernelCounters {
        var counters: tsr_counters
        /// nil when the kernel's BPF run-time statistics could not be read.
        var runTime: (nanoseconds: UInt64, runs: UInt64)?
        var ringBufferBytes: UInt64

        func apply(to stats: inout SensorStatistics) {
            stats.records = counters.records
            stats.drops[.ringBufferFull] = counters.drops.0
            stats.drops[.recordTooLarge] = counters.drops.1
            stats.drops[.scratchMissing] = counters.drops.2
            stats.ringBufferDropsByKind = ["exec": counters.drops_by_kind.1, "fork": counters.drops_by_kind.2,
                                           "exit": counters.drops_by_kind.3, "syscall": counters.drops_by_kind.4]
            stats.readFaults = counters.read_faults
            stats.truncated = counters.truncated
            if let runTime {
                stats.kernelRunNanoseconds = runTime.nanoseconds
                stats.kernelRuns = runTime.runs
            }
            stats.ringBufferBytes = ringBufferBytes
        }
    }

    private static func kernelCounters(_ handle: OpaquePointer) -> KernelCounters? {
        var counters = tsr_counters()
        guard tsr_sensor_counters(handle, &counters) == 0 else { return nil }
        var runNanos: UInt64 = 0, runs: UInt64 = 0
        let runTime = tsr_sensor_program_stats(handle, &runNanos, &runs) == 0 ? (runNanos, runs) : nil
        return KernelCounters(counters: counters, runTime: runTime, ringBufferBytes: tsr_sensor_ring_bytes(handle))
    }

    /// Turns on the kernel's per-program run-time accounting until the returned descriptor is
    /// closed (benchmarks: it costs a little on every program run). nil when refused.
    public static func enableKernelRunTimeStatistics() -> Int32? {
        let fd = tsr_enable_run_time_stats()
        return fd >= 0 ? fd : nil
    }

    private func consume() {
        // The handle is only closed after this thread has finished (stop waits for it), so the
        // drain runs without the lock statistics() takes.
        lock.lock()
        let handle = self.handle
        lock.unlock()
        guard let handle else { finished.signal(); return }
        let context = Unmanaged.passUnretained(pipeline).toOpaque()
        while true {
            let stopping = stopFlag.load(ordering: .acquiring)
            let n = tsr_sensor_poll(handle, stopping ? 0 : Int32(options.pollMilliseconds), { context, data, size in
                guard let context, let data else { return 0 }
                Unmanaged<SensorPipeline>.fromOpaque(context).takeUnretainedValue().handle(data, size: size)
                return 0
            }, context)
            pipeline.maintain()
            publish()
            if stopping && n <= 0 { break }
        }
        finished.signal()
    }

    private func publish() {
        var cpu = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu)
        let p = pipeline
        userspace.withLock { s in
            s.received = p.received
            s.drops[.malformed] = p.malformed
            s.eventsEvaluated = p.evaluatedEvents
            s.alerts = p.alerts
            s.processes = p.table.count
            s.processTableMisses = p.table.misses
            s.containerLookups = p.containers.lookupCount
            s.containerLookupFailures = p.containers.failureCount
            s.consumerCPUSeconds = Double(cpu.tv_sec) + Double(cpu.tv_nsec) / 1e9
        }
    }

    /// Which cgroup hierarchy names containers here: the unified one on cgroup v2 hosts, else
    /// the v1 memory controller's (hybrid hosts keep the container engines' groups there).
    static func cgroupSource() -> (controller: String?, kernelValue: UInt32) {
        if access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0 { return (nil, TSR_CGROUP_V2.rawValue) }
        if access("/sys/fs/cgroup/memory", F_OK) == 0 { return ("memory", TSR_CGROUP_V1_MEMORY.rawValue) }
        if access("/sys/fs/cgroup/pids", F_OK) == 0 { return ("pids", TSR_CGROUP_V1_PIDS.rawValue) }
        return ("cpu", TSR_CGROUP_V1_CPU.rawValue)
    }
}
