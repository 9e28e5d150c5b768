#if canImport(Glibc)
import Glibc
#endif
import Assembly
@testable import Console
import Foundation
@testable import Gauges
import Testing
import TestSupport
import TradsecCore
@testable import Sensor

extension LiveSensorTests {
    /// The console's `host` source as `tradsec console --source host` builds it: a storm's drops
    /// reach the source's counters, the header and the gauges, and stay counted after it stops.
    @Suite struct ConsoleSensorTests {
        @Test func aStormsDropsReachTheHeaderAndTheGauges() throws {
            try SensorHarness.requirements()
            let dir = makeTemporaryDirectory(prefix: "tradsec-console-sensor")
            defer { removeTree(dir) }
            let target = dir + "/storm"
            writeFile(target, "x\n")
            let rules = SensorHarness.rulesFile("""
                - rule: Test storm
                  desc: opens of the storm's file, never true (the storm only has to be watched)
                  condition: evt.type in (open, openat) and fd.name = \(target) and proc.pid = 0
                  output: storm %proc.pid
                  priority: NOTICE
                """, in: dir)
            // A one-page ring buffer: the storm cannot fit. Gauges sampled often.
            let config = TradsecConfig.decode(yaml: "sensor:\n  ring_buffer: 4KB\ngauges:\n  interval: 250ms\n", file: dir + "/config.yaml")
            var flags = ConsoleFlags(databasePath: dir + "/history.sqlite")
            flags.sources = ["host"]
            flags.rules = [rules]
            let services = try ConsoleAssembly.services(try ConsoleAssembly.plan(flags, config: config, environment: [:]))
            let host = try #require(services.sources.first { $0.name == "host" })
            let sampler = try #require(services.gaugeSampler)
            for source in services.sources { source.start(store: services.store) }
            sampler.start()
            defer {
                sampler.stop()
                for source in services.sources { source.stop() }
            }
            let loads = (0..<2).compactMap { i in
                ChildProcess.start([ChildProcess.tradsec, "bench", "sensor-load", "--path", target, "--seconds", "2", "--rate", "100000"],
                                   stdoutPath: dir + "/load\(i).out")
            }
            #expect(loads.count == 2)
            for load in loads { #expect(load.wait() == 0) }

            // The source's counters (flushed every 200 ms) have the drops, by reason.
            var status = host.status
            let deadline = Monotonic.seconds() + 10
            while status.counters.dropped == 0 && Monotonic.seconds() < deadline { usleep(50_000); status = host.status }
            #expect(status.state == .running)
            #expect(status.counters.dropped > 0, "\(status)")
            #expect(status.counters.drops.contains { $0.reason == "ring_buffer_full" && $0.count > 0 })

            // The header says so, in the alarm colour.
            var state = ConsoleState(readOnly: false, hostname: "h")
            let header = ConsoleRenderer.render(state, width: 120, height: 30, now: .now(), sources: [status]).grid
            let shown = "sensor \(Formatting.grouped(status.counters.dropped)) dropped"
            #expect(header.row(0).contains(shown), "\(header.row(0))")
            #expect(header.role(of: shown) == .bad)

            // The gauges: the sensor's cost beside Falco's and the bot's, its drops by reason and kind.
            var snapshot = sampler.latest
            while (snapshot?.sensor?.reading.totalDrops ?? 0) == 0 || snapshot?.sensor?.consumerCPUPercent == nil,
                  Monotonic.seconds() < deadline + 10 {
                usleep(50_000)
                snapshot = sampler.latest
            }
            let sensor = try #require(snapshot?.sensor)
            #expect(sensor.reading.failure == nil)
            #expect(sensor.reading.totalDrops > 0)
            #expect(sensor.reading.ringBufferDropsByKind.contains { $0.name == "syscall" && $0.count > 0 })
            #expect(sensor.reading.recordsRead > 0)
            #expect(sensor.reading.ringBufferBytes == 4096)
            #expect(sensor.resource.memoryBytes ?? 0 > 1 << 20)
            #expect(sensor.consumerCPUPercent != nil)
            state.gauges = snapshot
            _ = state.handle(.character("u"))
            let gauges = ConsoleRenderer.render(state, width: 160, height: 60, now: .now(), sources: [status]).grid
            #expect(gauges.text.contains("Sensor (this process)"))
            #expect(gauges.text.contains("ring_buffer_full "))
            #expect(gauges.text.contains("syscall "))

            // Stopped, the source keeps what it lost counted (the kernel's counters outlive the programs).
            host.stop()
            let stopped = host.status
            #expect(stopped.state == .stopped)
            #expect(stopped.counters.dropped >= status.counters.dropped)
        }
    }
}
