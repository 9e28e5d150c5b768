#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Assembly
import Foundation
import RuleEngine
import Sensor
import Synchronization
import TradsecCore

/// `tradsec bench sensor`: what the host sensor costs and how much it keeps up with, measured
/// on a syscall-heavy program (an open/close loop, `bench sensor-load`) run as a child with the
/// sensor off and on, side by side.
struct BenchSensorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensor",
        abstract: "Host sensor: slowdown of an open/close loop, sustained events/s, CPU per 100,000 events (root).",
        discussion: """
            Runs an open/close loop in a child process with the sensor off, then on (the trading
            rule pack loaded, so every open is reported and evaluated): its speed flat out, and its
            CPU per open at --rate opens/s. Then the loop at rising rates with the sensor on: records
            dropped, the sensor's CPU (consumer thread, and the kernel programs' run time) per
            100,000 events. Goal: under 10 % slowdown at 100,000 watched syscalls/s.
            """
    )

    @Option(help: ArgumentHelp("Seconds per measurement.", valueName: "s")) var seconds = 3.0
    @Option(help: ArgumentHelp("The fixed rate (opens/s) the CPU per open is compared at.", valueName: "n")) var rate = 100_000
    @Option(help: ArgumentHelp("Rates (opens/s) of the sustained-rate ladder.", valueName: "n,n,...")) var ladder = "50000,100000,150000,200000,300000"
    @Option(help: ArgumentHelp("The sensor's ring buffer.", valueName: "size")) var ringBuffer = "8MB"
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Rules files (default: the trading rule pack).", valueName: "file")) var rules: [String] = []

    func run() throws {
        try reportingErrors {
            guard let ringBytes = ByteSize.parse(ringBuffer, bare: 1), ringBytes <= 1 << 30 else {
                throw CLIError("--ring-buffer must be a size like 8MB", exitCode: 64)
            }
            let rates = ladder.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
            guard seconds > 0, seconds <= 600, rate > 0, !rates.isEmpty else { throw CLIError("bad --seconds, --rate or --ladder", exitCode: 64) }
            let rulePaths = rules.isEmpty ? [try BundledFiles.tradingRulePack()] : rules
            let directory = makeDirectory()
            defer { unlink(directory + "/target"); rmdir(directory) }
            let target = directory + "/target"
            close(open(target, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600))

            var options = HostSensor.Options()
            options.ringBufferBytes = Int(ringBytes)
            func withSensor<T>(_ body: (HostSensor) throws -> T) throws -> T {
                let (engine, results) = RulesReport.load(rulePaths)
                guard engine.isValid else { throw CLIError(RulesReport.validationText(results: results), exitCode: 78) }
                let sensor: HostSensor
                do { sensor = try HostSensor(engine: engine, options: options) } catch {
                    throw CLIError("the host sensor cannot start: \(error)", exitCode: 69)
                }
                do { try sensor.start { _ in } } catch {
                    throw CLIError("the host sensor cannot start: \(error)", exitCode: 69)
                }
                usleep(300_000)   // the /proc seed and the first drain
                defer { sensor.stop() }
                return try body(sensor)
            }
            Terminal.write("host sensor benchmark: \(rulePaths.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")), ring buffer \(ringBuffer), \(String(format: "%.0f", seconds)) s per measurement, \(ProcessInfo.processInfo.activeProcessorCount) CPUs\n")

            // 1. Flat out: how much slower the loop runs.
            let offFast = try load(target: target, rate: 0)
            let onFast = try withSensor { sensor in try measured(sensor) { try load(target: target, rate: 0) } }
            let slowdown = 1 - onFast.load.opensPerSecond / offFast.opensPerSecond
            Terminal.write("""
                open/close loop, flat out (one thread)
                  sensor off    \(grouped(offFast.opensPerSecond)) opens/s   \(String(format: "%.2f", offFast.cpuMicrosPerOpen)) µs CPU per open
                  sensor on     \(grouped(onFast.load.opensPerSecond)) opens/s   \(String(format: "%.2f", onFast.load.cpuMicrosPerOpen)) µs CPU per open   slowdown \(percent(slowdown))   drops \(onFast.drops)

                """)

            // 2. A program that makes 100,000 watched syscalls per second of its own CPU time
            //    (open/close, then computing): how much longer the same work takes.
            let iterations = calibrateWork(target: target, rate: rate)
            let ops = max(10_000, Int(seconds * Double(rate)))
            let offWork = try load(target: target, rate: 0, count: ops, work: iterations)
            let onWork = try withSensor { sensor in try measured(sensor) { try load(target: target, rate: 0, count: ops, work: iterations) } }
            let workSlowdown = onWork.load.cpuSeconds / offWork.cpuSeconds - 1
            Terminal.write("""
                a program making \(grouped(Double(ops) / offWork.cpuSeconds)) watched syscalls per CPU-second (open/close, then computing), \(grouped(Double(ops))) of them
                  sensor off    \(String(format: "%.3f", offWork.cpuSeconds)) s CPU
                  sensor on     \(String(format: "%.3f", onWork.load.cpuSeconds)) s CPU   slowdown \(percent(workSlowdown))   sensor consumer \(String(format: "%.3f", onWork.consumerCPU)) s CPU   drops \(onWork.drops)

                """)

            // 3. The ladder, with the kernel's per-program run time on.
            let statsFD = HostSensor.enableKernelRunTimeStatistics()
            defer { if let statsFD { close(statsFD) } }
            Terminal.write("sustained rate (sensor on\(statsFD == nil ? "; kernel run time unavailable" : ", kernel run-time statistics on"))\n")
            Terminal.write("  target/s     achieved/s   events/s     dropped   consumer CPU/100k ev   kernel CPU/100k ev\n")
            var best: Double?
            for target in rates {
                let path = directory + "/target"
                let r = try withSensor { sensor in try measured(sensor) { try load(target: path, rate: target) } }
                let per100k = { (cpu: Double) in r.events > 0 ? cpu / Double(r.events) * 100_000 * 1000 : 0 }
                Terminal.write("  " + pad(grouped(Double(target)), 12) + pad(grouped(r.load.opensPerSecond), 13) + pad(grouped(Double(r.events) / r.load.seconds), 13)
                               + pad(String(r.drops), 10) + pad(String(format: "%.1f ms", per100k(r.consumerCPU)), 23)
                               + String(format: "%.1f ms", per100k(Double(r.kernelNanos) / 1e9)) + "\n")
                if r.drops == 0 { best = max(best ?? 0, Double(r.events) / r.load.seconds) }
            }
            Terminal.write("  highest rate with no drops: \(best.map { grouped($0) + " events/s" } ?? "none of the rates") (goal: 100,000 with under 10 % slowdown)\n")
        }
    }

    struct LoadResult {
        var opens: Int
        var seconds: Double
        var cpuSeconds: Double
        var opensPerSecond: Double { Double(opens) / max(seconds, 1e-9) }
        var cpuMicrosPerOpen: Double { cpuSeconds / Double(max(opens, 1)) * 1e6 }
    }

    struct Measured {
        var load: LoadResult
        var events: UInt64
        var drops: UInt64
        var consumerCPU: Double
        var kernelNanos: UInt64
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
    private func calibrateWork(target: String, rate: Int) -> Int {
        var iterations = 1000
        for _ in 0..<4 {
            guard let probe = try? load(target: target, rate: 0, count: 50_000, work: iterations), probe.opens > 0 else { break }
            let perOp = probe.cpuSeconds / Double(probe.opens)
            let workPerIteration = max(1e-12, (perOp - baselinePerOp(target: target)) / Double(iterations))
            let wanted = max(0, 1 / Double(rate) - baselinePerOp(target: target))
            iterations = max(1, Int((wanted / workPerIteration).rounded()))
        }
        return iterations
    }

    private func baselinePerOp(target: String) -> Double {
        if let known = Self.baseline.withLock({ $0 }) { return known }
        let probe = (try? load(target: target, rate: 0, count: 100_000, work: 0)).map { $0.cpuSeconds / Double(max($0.opens, 1)) } ?? 2.5e-6
        Self.baseline.withLock { $0 = probe }
        return probe
    }
    private static let baseline = Mutex<Double?>(nil)

    /// Runs `tradsec bench sensor-load` as a child; its opens, time and CPU (from wait4).
    private func load(target: String, rate: Int, count: Int = 0, work: Int = 0) throws -> LoadResult {
        let me = executablePath()
        let output = FileManager.default.temporaryDirectory.path + "/tradsec-sensor-load-\(getpid()).out"
        defer { unlink(output) }
        let pid: pid_t
        do {
            pid = try Spawn.start([me, "bench", "sensor-load", "--path", target, "--seconds", String(count > 0 ? 600 : seconds), "--rate", String(rate),
                                   "--count", String(count), "--work", String(work)],
                                  stdout: output, stderr: nil, environment: ["PATH=/usr/bin:/bin"])
        } catch {
            throw CLIError("\(error)", exitCode: 69)
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let text = (try? TextFile.read(output, limit: 1 << 16)) ?? ""
        let fields = text.split(separator: " ")
        guard status == 0, fields.count >= 2, let opens = Int(fields[0]), let elapsed = Double(fields[1].trimmingCharacters(in: .whitespacesAndNewlines)),
              elapsed.isFinite, elapsed > 0 else {
            throw CLIError("the load program failed (status \(status)): \(text)", exitCode: 70)
        }
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return LoadResult(opens: opens, seconds: elapsed, cpuSeconds: cpu)
    }

    private func makeDirectory() -> String {
        var template = Array((FileManager.default.temporaryDirectory.path + "/tradsec-bench-sensor-XXXXXX").utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    private func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return String(decoding: buffer[0..<max(n, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func grouped(_ v: Double) -> String { BenchEngineCommand.grouped(v.isFinite ? Int(v.rounded()) : 0) }
    private func percent(_ v: Double) -> String { String(format: "%.1f %%", v * 100) }
    private func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count + 1), withPad: " ", startingAt: 0) }
}

/// `tradsec bench sensor-load`: the syscall-heavy program the sensor benchmark and tests watch —
/// open and close one file in a loop, flat out or at a rate; prints "OPENS SECONDS".
struct BenchSensorLoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensor-load", abstract: "An open/close loop (the host sensor's benchmark load).", shouldDisplay: false)

    @Option(help: ArgumentHelp("The file opened.", valueName: "path")) var path: String
    @Option(help: ArgumentHelp("How long.", valueName: "s")) var seconds = 2.0
    @Option(help: ArgumentHelp("Opens per second (0: as fast as possible).", valueName: "n")) var rate = 0
    @Option(help: ArgumentHelp("Stop after this many opens (0: no limit).", valueName: "n")) var count = 0
    @Option(help: ArgumentHelp("Computing steps after each open/close (a program that does more than syscalls).", valueName: "n")) var work = 0

    func run() throws {
        guard seconds > 0, seconds <= 3600, rate >= 0, count >= 0, work >= 0 else { throw ExitCode(64) }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let start = Monotonic.seconds()
        let deadline = start + seconds
        var opens = 0
        let batch = 256
        loop: while true {
            for _ in 0..<batch {
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { Terminal.printError("cannot open \(path): \(String(cString: strerror(errno)))"); throw ExitCode(66) }
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
        // The state is printed so the computing is not optimized away.
        Terminal.write("\(opens) \(Monotonic.seconds() - start) \(state & 1)\n")
    }
}
