#if canImport(Glibc)
import Glibc
#endif
@testable import Gauges
import Testing
import TestSupport
import TradsecCore

/// The samplers on this machine's real /proc and cgroups.
@Suite struct RealProcTests {
    @Test func ownProcessIsReadAndItsMemoryRisesAfterAllocating() throws {
        let proc = ProcSampler()
        let before = try #require(proc.read(pid: getpid()))
        #expect(before.stat.pid == getpid())
        let rssBefore = try #require(before.residentBytes)
        // 96 MiB, touched page by page so it is resident (not just reserved).
        let size = 96 << 20
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        defer { block.deallocate() }
        for offset in stride(from: 0, to: size, by: 4096) { block.storeBytes(of: UInt8(offset & 0xFF), toByteOffset: offset, as: UInt8.self) }
        let after = try #require(proc.read(pid: getpid()))
        let rssAfter = try #require(after.residentBytes)
        #expect(rssAfter >= rssBefore + UInt64(80 << 20), "RSS \(rssBefore) → \(rssAfter)")
    }

    @Test func spinningChildIsFoundByNameAndShowsMoreThanHalfACPU() throws {
        let dir = makeTemporaryDirectory(prefix: "tradsec-gauges-spin")
        defer { removeTree(dir) }
        // A copy of the shell under a name nothing else has: comm is the program's file name.
        let name = "gspin\(getpid() % 100_000)"
        let program = dir + "/" + name
        writeFile(program, try #require(readBytes("/bin/sh")))
        chmod(program, 0o755)
        // Just written, the program can be briefly "text file busy" while a child spawned by
        // another test thread still holds the descriptor between its fork and exec: retry.
        var started: ChildProcess?
        for _ in 0..<40 where started == nil {
            started = ChildProcess.start([program, "-c", "while :; do :; done"], stdoutPath: dir + "/out",
                                         environment: ["PATH=/usr/bin:/bin"])
            if started == nil { usleep(50_000) }
        }
        let spinner = try #require(started)
        defer { kill(spinner.pid, SIGKILL); _ = spinner.wait() }
        let idle = try #require(ChildProcess.start(["/bin/sleep", "30"], stdoutPath: dir + "/idle", environment: []))
        defer { kill(idle.pid, SIGKILL); _ = idle.wait() }

        #expect(waitFor(10) { ProcSampler().find(named: name) == [spinner.pid] }, "the spinner is found by its name")
        var config = GaugesConfig.withoutFalcoProbes(process: .name(name))
        config.bot.process = .pid(idle.pid)
        let collector = GaugeCollector(config: config, store: nil)
        let first = collector.collect()
        var clock = try #require(CPUClock(pid: spinner.pid))
        #expect(first.falco.state == .live)
        #expect(first.falco.cpuPercent == nil, "no rate from one reading")
        // The truth to compare with: the kernel's CPU-time clock of the child over the same
        // window (clock_getcpuclockid, not /proc). The machine is shared by several builds,
        // so the child's share varies; the gauge must match it, and a spinner that got any
        // fair share is far above a sleeper.
        var last = first
        var measured: [(gauge: Double, kernel: Double)] = []
        var idleCPU = 100.0
        for _ in 0..<3 {
            usleep(1_000_000)
            last = collector.collect()
            let kernel = clock.percentSinceLastRead()
            measured.append((last.falco.cpuPercent ?? -1, kernel))
            idleCPU = min(idleCPU, last.bot.cpuPercent ?? 100)
        }
        for m in measured {
            #expect(abs(m.gauge - m.kernel) < 10, "gauge \(m.gauge) % vs kernel \(m.kernel) %")
        }
        let best = measured.map(\.gauge).max() ?? 0
        #expect(best > 20, "spinning child: \(measured)")
        #expect(idleCPU < 5, "sleeping child: \(idleCPU) %")
        #expect(last.falco.source?.contains("pid \(spinner.pid)") == true)
        #expect((last.falco.memoryBytes ?? 0) > 0)
        #expect(last.falco.cpuHistory.count >= 1)
        #expect(last.falcoHealth.health == .notConfigured)

        // Gone: said plainly, not shown as zeros.
        kill(spinner.pid, SIGKILL)
        _ = spinner.wait()
        let gone = collector.collect()
        #expect(gone.falco.state == .notFound("no process named \(name)"))
        #expect(gone.falco.cpuPercent == nil && gone.falco.memoryBytes == nil)
        #expect(GaugeReport.table(gone).contains("falco: not found (no process named \(name))"))
    }

    @Test func ownCgroupIsReadOnThisMachine() throws {
        let cg = CgroupSampler()
        let membership = try #require(cg.membership(pid: getpid()))
        #expect(membership.unifiedPath != nil || !membership.controllerPaths.isEmpty)
        let reading = try #require(cg.read(pid: getpid()), "layout \(cg.layout)")
        // Whatever the layout, a process's cgroup holds at least that process.
        #expect((reading.memoryBytes ?? 0) > 0 || (reading.cpuNanoseconds ?? 0) > 0)
        if cg.layout == .hybrid {
            // This machine: memory is a v1 controller; its cgroup holds at least our own memory.
            let rss = try #require(ProcSampler().read(pid: getpid())?.residentBytes)
            #expect((reading.memoryBytes ?? 0) >= rss / 2)
        }
    }
}

/// A process's CPU time from the kernel's per-process CPU clock, as a rate between reads.
struct CPUClock {
    let clock: clockid_t
    var last: (cpu: Double, wall: Double)

    init?(pid: pid_t) {
        var id = clockid_t()
        guard clock_getcpuclockid(pid, &id) == 0 else { return nil }
        clock = id
        last = (0, 0)
        last = now()
    }

    func now() -> (cpu: Double, wall: Double) {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return (Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9, Monotonic.seconds())
    }

    /// Percent of one CPU used since the previous read.
    mutating func percentSinceLastRead() -> Double {
        let n = now()
        defer { last = n }
        return (n.cpu - last.cpu) / max(1e-6, n.wall - last.wall) * 100
    }
}

func readBytes(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        out += chunk[0..<n]
    }
    return out
}
