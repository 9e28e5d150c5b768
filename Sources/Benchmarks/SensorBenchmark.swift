#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RuleEngine
import Sensor
import Synchronization
import TradsecCore

/// `tradsec bench sensor`: what the host sensor costs and how much it keeps up with, measured on
/// a syscall-heavy program (an open/close loop, ``SensorLoad``) run as a child with the sensor
/// off and on, side by side. Removes its scratch directory in ``cleanUp()``.
public final class SensorBenchmark {
    public struct LoadResult: Sendable {
        public var opens: Int
        public var seconds: Double
        public var cpuSeconds: Double
        public var opensPerSecond: Double { Double(opens) / max(seconds, 1e-9) }
        public var cpuMicrosPerOpen: Double { cpuSeconds / Double(max(opens, 1)) * 1e6 }
    }

    /// A load run with the sensor on, and the sensor's counters over it.
    public struct Measured: Sendable {
        public var load: LoadResult
        public var events: UInt64
        public var drops: UInt64
        public var consumerCPU: Double
        public var kernelNanos: UInt64
    }

    /// The load program's command line before its options (`tradsec bench sensor-load`).
    private let loadCommand: [String]
    private let seconds: Double
    private let options: HostSensor.Options
    private let makeEngine: () throws -> RulesEngine
    private let directory: String
    private var target: String { directory + "/target" }
    private var statisticsFD: Int32?
    private let baseline = Mutex<Double?>(nil)

    /// `loadCommand` runs ``SensorLoad`` (options follow it); `seconds` per measurement;
    /// `makeEngine` gives the rules the sensor runs (called for each sensor started).
    public init(loadCommand: [String], seconds: Double, ringBufferBytes: Int, makeEngine: @escaping () throws -> RulesEngine) {
        self.loadCommand = loadCommand
        self.seconds = seconds
        self.makeEngine = makeEngine
        var options = HostSensor.Options()
        options.ringBufferBytes = ringBufferBytes
        self.options = options
        var template = Array((FileManager.default.temporaryDirectory.path + "/tradsec-bench-sensor-XXXXXX").utf8CString)
        directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        close(open(directory + "/target", O_CREAT | O_WRONLY | O_CLOEXEC, 0o600))
    }

    public func cleanUp() {
        if let statisticsFD { close(statisticsFD) }
        statisticsFD = nil
        unlink(target)
        rmdir(directory)
    }

    /// The loop flat out with the sensor off, then on: how much slower it runs.
    public func flatOut() throws -> (off: LoadResult, on: Measured) {
        let off = try load(rate: 0)
        let on = try withSensor { sensor in try measured(sensor) { try load(rate: 0) } }
        return (off, on)
    }

    /// A program that makes `rate` watched syscalls per second of its own CPU time (open/close,
    /// then computing), off and on: how much longer the same work takes. `operations` is how
    /// many open/close it made.
    public func workload(rate: Int) throws -> (operations: Int, off: LoadResult, on: Measured) {
        let iterations = calibrateWork(rate: rate)
        let ops = max(10_000, Int(seconds * Double(rate)))
        let off = try load(rate: 0, count: ops, work: iterations)
        let on = try withSensor { sensor in try measured(sensor) { try load(rate: 0, count: ops, work: iterations) } }
        return (ops, off, on)
    }

    /// Turns on the kernel's per-program run-time statistics until ``cleanUp()``; false when
    /// the kernel refused.
    public func enableKernelRunTime() -> Bool {
        if statisticsFD == nil { statisticsFD = HostSensor.enableKernelRunTimeStatistics() }
        return statisticsFD != nil
    }

    /// The loop at `rate` opens/s with the sensor on.
    public func sustained(rate: Int) throws -> Measured {
        try withSensor { sensor in try measured(sensor) { try load(rate: rate) } }
    }

    private func withSensor<T>(_ body: (HostSensor) throws -> T) throws -> T {
        let engine = try makeEngine()
        let sensor: HostSensor
        do { sensor = try HostSensor(engine: engine, options: options) } catch {
            throw BenchmarkError.unavailable("the host sensor cannot start: \(error)")
        }
        do { try sensor.start { _ in } } catch {
            throw BenchmarkError.unavailable("the host sensor cannot start: \(error)")
        }
        usleep(300_000)   // the /proc seed and the first drain
        defer { sensor.stop() }
        return try body(sensor)
    }

    /// Runs `body` and the sensor's counters around it.
    private func measured(_ sensor: HostSensor, _ body: () throws -> LoadResult) throws -> Measured {
        let before = sensor.statistics()
        let result = try body()
        // Wait for the consumer to drain what the kernel side sent (what it cannot keep up with
        // shows as drops, not as records left behind).
        var after = sensor.statistics()
        let deadline = Monotonic.seconds() + 60
        while after.received &+ after.drops[.ringBufferFull, default: 0] < after.records && Monotonic.seconds() < deadline {
            usleep(20_000)
            after = sensor.statistics()
        }
        return Measured(load: result, events: after.eventsEvaluated &- before.eventsEvaluated, drops: after.totalDrops &- before.totalDrops,
                        consumerCPU: after.consumerCPUSeconds - before.consumerCPUSeconds,
                        kernelNanos: after.kernelRunNanoseconds &- before.kernelRunNanoseconds)
    }

    /// Iterations of the load's computing step that make one open/close plus computing take
    /// 1/rate s of CPU (measured, with the sensor off).
    private func calibrateWork(rate: Int) -> Int {
        var iterations = 1000
        for _ in 0..<4 {
            guard let probe = try? load(rate: 0, count: 50_000, work: iterations), probe.opens > 0 else { break }
            let perOp = probe.cpuSeconds / Double(probe.opens)
            let workPerIteration = max(1e-12, (perOp - baselinePerOp()) / Double(iterations))
            let wanted = max(0, 1 / Double(rate) - baselinePerOp())
            iterations = max(1, Int((wanted / workPerIteration).rounded()))
        }
        return iterations
    }

    private func baselinePerOp() -> Double {
        if let known = baseline.withLock({ $0 }) { return known }
        let probe = (try? load(rate: 0, count: 100_000, work: 0)).map { $0.cpuSeconds / Double(max($0.opens, 1)) } ?? 2.5e-6
        baseline.withLock { $0 = probe }
        return probe
    }

    /// Runs the load program as a child; its opens, time and CPU (from wait4).
    private func load(rate: Int, count: Int = 0, work: Int = 0) throws -> LoadResult {
        let output = FileManager.default.temporaryDirectory.path + "/tradsec-sensor-load-\(getpid()).out"
        defer { unlink(output) }
        let pid: pid_t
        do {
            pid = try Spawn.start(loadCommand + ["--path", target, "--seconds", String(count > 0 ? 600 : seconds), "--rate", String(rate),
                                                 "--count", String(count), "--work", String(work)],
                                  stdout: output, stderr: nil, environment: ["PATH=/usr/bin:/bin"])
        } catch {
            throw BenchmarkError.unavailable("\(error)")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let text = (try? TextFile.read(output, limit: 1 << 16)) ?? ""
        let fields = text.split(separator: " ")
        guard status == 0, fields.count >= 2, let opens = Int(fields[0]), let elapsed = Double(fields[1].trimmingCharacters(in: .whitespacesAndNewlines)),
              elapsed.isFinite, elapsed > 0 else {
            throw BenchmarkError.programMisbehaved("the load program failed (status \(status)): \(text)")
        }
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return LoadResult(opens: opens, seconds: elapsed, cpuSeconds: cpu)
    }
}

/// The syscall-heavy program the sensor benchmark and tests watch: open and close one file in a
/// loop, flat out or at a rate, optionally computing after each open (a program that does more
/// than syscalls).
public enum SensorLoad {
    public enum Failure: Error {
        case cannotOpen(path: String, errno: Int32)
    }

    /// Runs the loop for `seconds` (or until `count` opens, when positive) at `rate` opens/s (0:
    /// flat out), `work` computing steps after each; returns the opens, the seconds taken, and
    /// the computing's last state (print it, so the computing is not optimized away).
    public static func run(path: String, seconds: Double, rate: Int, count: Int, work: Int) throws(Failure) -> (opens: Int, seconds: Double, state: UInt64) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let start = Monotonic.seconds()
        let deadline = start + seconds
        var opens = 0
        let batch = 256
        loop: while true {
            for _ in 0..<batch {
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw .cannotOpen(path: path, errno: errno) }
                close(fd)
                for _ in 0..<work { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
                opens += 1
                if count > 0 && opens >= count { break loop }
            }
            let now = Monotonic.seconds()
            if now >= deadline { break }
            if rate > 0 {
                // Keep to the schedule: sleep until the time these opens were due.
                let due = start + Double(opens) / Double(rate)
                let wait = min(due, deadline) - now
                if wait > 0 { usleep(UInt32(wait * 1e6)) }
            }
        }
        return (opens, Monotonic.seconds() - start, state)
    }
}
