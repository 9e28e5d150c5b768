import TradsecCore

/// CPU time the hypervisor gave to other guests (the `steal` column of /proc/stat), as a
/// share of all CPU time over an interval. Figures taken while it is high say more about the
/// neighbours than about the code, so the benches that compare receivers print it beside them.
struct StolenTime {
    private var steal: UInt64 = 0
    private var total: UInt64 = 0

    /// The counters now; zero where /proc/stat cannot be read (the share is then 0).
    static func now() -> StolenTime {
        guard let text = try? TextFile.read("/proc/stat", limit: 1 << 20),
              let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return StolenTime() }
        // cpu user nice system idle iowait irq softirq steal guest guest_nice
        let ticks = line.split(separator: " ").dropFirst().prefix(8).map { UInt64($0) ?? 0 }
        guard ticks.count == 8 else { return StolenTime() }
        return StolenTime(steal: ticks[7], total: ticks.reduce(0, &+))
    }

    /// Adds the interval from `start` to `end`.
    mutating func add(from start: StolenTime, to end: StolenTime) {
        steal &+= end.steal &- start.steal
        total &+= end.total &- start.total
    }

    /// Stolen over all, 0…1.
    var share: Double { total > 0 ? Double(steal) / Double(total) : 0 }
}
