import Foundation
@testable import Console
@testable import Gauges
import Testing
import TradsecCore

/// The host sensor in the console: its drops in the header, its cost beside Falco's and the
/// bot's and its section on the gauges screen (statistics set directly; the live path is
/// tested in SensorTests' ConsoleSensorTests).
@Suite struct SensorScreenTests {
    static func host(dropped: Int) -> SourceStatus {
        SourceStatus(name: "host", state: .running,
                     counters: SourceCounters(received: 90_000, stored: 3, dropped: dropped,
                                              drops: dropped > 0 ? [DropCount(reason: "ring_buffer_full", count: dropped)] : []))
    }

    static let falcoFile = SourceStatus(name: "falco-file:/var/log/falco/events.json", state: .running)

    @Test func theHeaderShowsSensorDropsInTheAlarmColourOnlyWhenThereAreAny() throws {
        let h = try Harness()
        h.load()
        let dropping = h.render(width: 80, height: 24, sources: [Self.host(dropped: 1234), Self.falcoFile])
        let header = dropping.row(0)
        #expect(header.contains("sensor 1,234 dropped"), "\(header)")
        #expect(dropping.role(of: "sensor 1,234 dropped") == .bad)
        // Said once: the source's own segment no longer repeats the count.
        #expect(header.contains("host live"))
        #expect(!header.contains("(1,234 dropped)") && !header.contains("(1234 dropped)"))
        #expect(CellWidth.of(header) == 80)

        let quiet = h.render(width: 80, height: 24, sources: [Self.host(dropped: 0), Self.falcoFile]).row(0)
        #expect(!quiet.contains("dropped"), "\(quiet)")
        #expect(quiet.contains("host live"))
        let calm = h.render(width: 80, height: 24, sources: [Self.host(dropped: 0)])
        #expect((0..<80).allSatisfy { calm[$0, 0].role != .bad })
    }

    /// On a narrow terminal the count loses the word "sensor", then goes; it is never cut
    /// (a cut "1,2" would read as a smaller loss).
    @Test func narrowHeadersShortenTheDropCountOrLeaveItOutButNeverCutIt() throws {
        let h = try Harness()
        h.state = ConsoleState(readOnly: false, hostname: "h1")
        h.load()
        let sources = [Self.host(dropped: 12_345_678)]
        let wide = h.render(width: 120, height: 24, sources: sources).row(0)
        #expect(wide.contains("sensor 12,345,678 dropped"))
        let narrow = h.render(width: 40, height: 12, sources: sources)
        #expect(narrow.row(0).contains("12,345,678 dropped") || !narrow.row(0).contains("12,"), "\(narrow.row(0))")
        let short = h.render(width: 40, height: 12, sources: [Self.host(dropped: 1234)])
        #expect(short.row(0).contains("│ 1,234 dropped"), "\(short.row(0))")
        #expect(short.role(of: "1,234 dropped") == .bad)
        #expect(!short.row(0).contains("sensor"))
        // A long host name leaves no room: nothing, rather than a part of the number.
        h.state = ConsoleState(readOnly: false, hostname: "trade-host-01")
        h.load()
        let none = h.render(width: 40, height: 12, sources: [Self.host(dropped: 1234)]).row(0)
        #expect(!none.contains("1,2") && !none.contains("dropped"), "\(none)")
        #expect(none.contains("trade-host-01"))
    }

    static func sensorGauge(drops: UInt64 = 1234, newDrops: UInt64 = 56) -> SensorGauge {
        var reading = SensorReading()
        reading.recordsRead = 2_400_000
        reading.eventsEvaluated = 310_000
        reading.alerts = 37
        reading.drops = [NamedCount("ring_buffer_full", drops), NamedCount("record_too_large", 0),
                         NamedCount("scratch_missing", 0), NamedCount("malformed", 0)]
        reading.ringBufferDropsByKind = [NamedCount("exec", drops > 0 ? 34 : 0), NamedCount("syscall", drops > 0 ? drops - 34 : 0)]
        reading.consumerCPUSeconds = 12
        reading.kernelRunSeconds = 4
        reading.residentBytes = 84 << 20
        reading.ringBufferBytes = 8 << 20
        reading.skippedRules = 2
        var resource = ResourceGauge(name: "sensor", state: .live, source: "pid 4242: consumer thread + kernel")
        resource.cpuPercent = 2.3
        resource.memoryBytes = 84 << 20
        resource.cpuHistory = [1, 2, 2.3]
        resource.memoryHistory = [Double(80 << 20), Double(84 << 20)]
        var gauge = SensorGauge(resource: resource, reading: reading)
        gauge.eventsPerSecond = 12_000
        gauge.consumerCPUPercent = 1.5
        gauge.kernelCPUPercent = 0.8
        gauge.newDrops = newDrops
        gauge.dropsHistory = [0, 0, Double(newDrops)]
        return gauge
    }

    @Test func theGaugesScreenShowsTheSensorBesideFalcoAndTheBotAndItsSection() throws {
        let h = try Harness()
        h.load()
        h.press(.character("u"))
        var snapshot = GaugesScreenTests.snapshot()
        snapshot.sensor = Self.sensorGauge()
        h.state.gauges = snapshot
        #expect(snapshot.level == .critical)
        let grid = h.render(width: 160, height: 50)
        let rows = grid.text.split(separator: "\n")
        // Three columns: what the watcher costs next to what it watches.
        #expect(rows.contains { $0.contains("Falco") && $0.contains("Trading bot") && $0.contains("Sensor (this process)") }, "\(grid.text)")
        #expect(rows.contains { $0.contains("450.0 MiB") && $0.contains("84.0 MiB") })
        #expect(grid.text.contains("2.3%"))
        #expect(grid.text.contains("pid 4242: consumer thread + kernel"))
        let text = grid.text
        #expect(text.contains("Host sensor"))
        #expect(text.contains("events  12,000/s · 2,400,000 read · 310,000 evaluated · 37 alerts"))
        #expect(text.contains("drops   ring_buffer_full 1,234  +56 since the last sample"))
        #expect(grid.role(of: "ring_buffer_full 1,234") == .warning)
        #expect(grid.role(of: "+56 since the last sample") == .critical)
        #expect(text.contains("by kind exec 34 · syscall 1,200"))
        #expect(text.contains("cost    consumer 1.5% · kernel 0.8% · ring buffer 8.0 MiB"))
        #expect(text.contains("rules   2 skipped"))
        // Two columns below 150: the sensor goes to a second row, nothing is lost.
        let two = h.render(width: 120, height: 60).text
        #expect(two.split(separator: "\n").contains { $0.contains("Falco") && $0.contains("Trading bot") && !$0.contains("Sensor") })
        #expect(two.contains("Sensor (this process)"))
        #expect(two.contains("ring_buffer_full 1,234"))

        // No drops: said plainly, in the good colour; no sparkline of nothing.
        snapshot.sensor = Self.sensorGauge(drops: 0, newDrops: 0)
        h.state.gauges = snapshot
        let calm = h.render(width: 160, height: 50)
        #expect(calm.text.contains("drops   none since start"))
        #expect(calm.role(of: "none since start") == .good)
        #expect(!calm.text.contains("by kind"))
        #expect(calm.text.components(separatedBy: "dropping").count == 2)   // Falco's line only
    }

    @Test func aSensorThatCannotStartSaysWhyInFullOnTheGaugesScreen() throws {
        let h = try Harness()
        h.load()
        h.press(.character("u"))
        let why = "the host sensor cannot start: the host sensor loads eBPF programs, which needs root (or CAP_BPF and CAP_PERFMON); running as uid 65534"
        var snapshot = GaugesScreenTests.snapshot()
        snapshot.sensor = SensorGauge(resource: ResourceGauge(name: "sensor", state: .failed(why)), reading: SensorReading(failure: why))
        h.state.gauges = snapshot
        let failed = SourceStatus(name: "host", state: .failed(why))
        let grid = h.render(width: 80, height: 60, sources: [failed, Self.falcoFile])
        // The header says it, cut to the room left (the screen below has it whole).
        #expect(grid.role(of: "host failed: the host sensor") == .bad, "\(grid.row(0))")
        #expect(grid.row(0).hasSuffix("…") || grid.row(0).contains("… "))
        let text = grid.text
        #expect(text.contains("Host sensor"))
        #expect(grid.role(of: "stopped") == .label)
        #expect(grid.role(of: "the host sensor cannot start") == .critical)
        // Wrapped, not cut: every word of the reason is on the screen.
        let screenWords = Set(text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }).map(String.init))
        for word in why.split(separator: " ") { #expect(screenWords.contains(String(word)), "\(word) missing:\n\(text)") }
        // No cost column for a sensor that does not run.
        #expect(!text.contains("Sensor (this process)"))
        #expect(snapshot.level >= .warning)
    }
}
