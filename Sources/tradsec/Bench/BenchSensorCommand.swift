#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Benchmarks
import Assembly
import Foundation
import RuleEngine
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
                throw CLIError.usage("--ring-buffer must be a size like 8MB")
            }
            let rates = ladder.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
            guard seconds > 0, seconds <= 600, rate > 0, !rates.isEmpty else { throw CLIError.usage("bad --seconds, --rate or --ladder") }
            let rulePaths = rules.isEmpty ? [try BundledFiles.tradingRulePack()] : rules
            let bench = SensorBenchmark(loadCommand: [BundledFiles.executablePath, "bench", "sensor-load"], seconds: seconds, ringBufferBytes: Int(ringBytes)) {
                let (engine, results) = RulesReport.load(rulePaths)
                guard engine.isValid else { throw CLIError.config(RulesReport.validationText(results: results)) }
                return engine
            }
            defer { bench.cleanUp() }
            try benchmarkErrors { try report(bench, rulePaths: rulePaths, rates: rates) }
        }
    }

    private func report(_ bench: SensorBenchmark, rulePaths: [String], rates: [Int]) throws {
        Terminal.write("host sensor benchmark: \(rulePaths.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")), ring buffer \(ringBuffer), \(String(format: "%.0f", seconds)) s per measurement, \(ProcessInfo.processInfo.activeProcessorCount) CPUs\n")

        // 1. Flat out: how much slower the loop runs.
        let (offFast, onFast) = try bench.flatOut()
        let slowdown = 1 - onFast.load.opensPerSecond / offFast.opensPerSecond
        Terminal.write("""
            open/close loop, flat out (one thread)
              sensor off    \(grouped(offFast.opensPerSecond)) opens/s   \(String(format: "%.2f", offFast.cpuMicrosPerOpen)) µs CPU per open
              sensor on     \(grouped(onFast.load.opensPerSecond)) opens/s   \(String(format: "%.2f", onFast.load.cpuMicrosPerOpen)) µs CPU per open   slowdown \(percent(slowdown))   drops \(onFast.drops)

            """)

        // 2. A program that makes --rate watched syscalls per second of its own CPU time.
        let (ops, offWork, onWork) = try bench.workload(rate: rate)
        let workSlowdown = onWork.load.cpuSeconds / offWork.cpuSeconds - 1
        Terminal.write("""
            a program making \(grouped(Double(ops) / offWork.cpuSeconds)) watched syscalls per CPU-second (open/close, then computing), \(grouped(Double(ops))) of them
              sensor off    \(String(format: "%.3f", offWork.cpuSeconds)) s CPU
              sensor on     \(String(format: "%.3f", onWork.load.cpuSeconds)) s CPU   slowdown \(percent(workSlowdown))   sensor consumer \(String(format: "%.3f", onWork.consumerCPU)) s CPU   drops \(onWork.drops)

            """)

        // 3. The ladder, with the kernel's per-program run time on.
        let kernelRunTime = bench.enableKernelRunTime()
        Terminal.write("sustained rate (sensor on\(kernelRunTime ? ", kernel run-time statistics on" : "; kernel run time unavailable"))\n")
        Terminal.write("  target/s     achieved/s   events/s     dropped   consumer CPU/100k ev   kernel CPU/100k ev\n")
        var best: Double?
        for target in rates {
            let r = try bench.sustained(rate: target)
            let per100k = { (cpu: Double) in r.events > 0 ? cpu / Double(r.events) * 100_000 * 1000 : 0 }
            Terminal.write("  " + pad(grouped(Double(target)), 12) + pad(grouped(r.load.opensPerSecond), 13) + pad(grouped(Double(r.events) / r.load.seconds), 13)
                           + pad(String(r.drops), 10) + pad(String(format: "%.1f ms", per100k(r.consumerCPU)), 23)
                           + String(format: "%.1f ms", per100k(Double(r.kernelNanos) / 1e9)) + "\n")
            if r.drops == 0 { best = max(best ?? 0, Double(r.events) / r.load.seconds) }
        }
        Terminal.write("  highest rate with no drops: \(best.map { grouped($0) + " events/s" } ?? "none of the rates") (goal: 100,000 with under 10 % slowdown)\n")
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
        guard seconds > 0, seconds <= 3600, rate >= 0, count >= 0, work >= 0 else { throw ExitCode(ExitStatus.usage) }
        do {
            let (opens, elapsed, state) = try SensorLoad.run(path: path, seconds: seconds, rate: rate, count: count, work: work)
            // The state is printed so the computing is not optimized away.
            Terminal.write("\(opens) \(elapsed) \(state & 1)\n")
        } catch .cannotOpen(let path, let code) {
            Terminal.printError("cannot open \(path): \(String(cString: strerror(code)))")
            throw ExitCode(ExitStatus.noInput)
        }
    }
}
