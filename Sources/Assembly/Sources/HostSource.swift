#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Console
import Gauges
import Processor
import Foundation
import Sensor
import Synchronization

/// `host`: this host's syscalls through eBPF into the embedded rule engine, the alerts stored
/// in the history as `tradsec sense` stores them (origin `sensor`). The sensor is built (rules
/// loaded, the kernel checked) before the console takes the screen; it starts with the console.
/// A sensor the machine cannot run (not root, no BTF, lockdown, no BPF object) is a source
/// that failed, saying why, so the console keeps working on its other sources.
final class HostSource: ConsoleSource, @unchecked Sendable {
    private let sensor: HostSensor?
    private let sink: SensorAlertSink
    private let state: Mutex<SourceState>
    private let counters = Mutex(SourceCounters())
    private let stopFlag = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private var thread: Thread?

    var name: String { "host" }
    var status: SourceStatus { SourceStatus(name: name, state: state.withLock { $0 }, counters: counters.withLock { $0 }) }

    /// `processor`: the console's processing step, handed each stored batch.
    init(sensor: HostSensor, processor: AlertProcessor?) {
        self.sensor = sensor
        sink = SensorAlertSink(processor: processor)
        state = Mutex(.starting)
    }

    /// A sensor that could not be built; `why` is the whole reason, shown in the header and on
    /// the gauges screen.
    init(failure why: String) {
        sensor = nil
        sink = SensorAlertSink()
        state = Mutex(.failed(why))
    }

    /// The sensor's counters; nil when it is not running (it could not start).
    func statistics() -> SensorStatistics? {
        if case .failed = state.withLock({ $0 }) { return nil }
        return sensor?.statistics()
    }

    /// Why the sensor is not running, nil while it runs.
    var failure: String? {
        if case .failed(let why) = state.withLock({ $0 }) { return why }
        return nil
    }

    /// The sensor's counters for the gauges screen, or why it is not running.
    func gaugeReading() -> SensorReading {
        if case .failed(let why) = state.withLock({ $0 }) { return SensorReading(failure: why) }
        guard let sensor else { return SensorReading(failure: "no sensor") }
        return sensor.statistics().gaugeReading
    }

    func start(store: AlertStore) {
        guard let sensor else { return }
        let t = Thread { [self] in
            run(sensor, store: store)
            finished.store(true, ordering: .releasing)
        }
        t.name = "tradsec.source.host"
        thread = t
        t.start()
    }

    private func run(_ sensor: HostSensor, store: AlertStore) {
        do {
            try sensor.start { [sink] alert in sink.add(alert) }
        } catch {
            state.withLock { $0 = .failed("\(error)") }
            return
        }
        state.withLock { $0 = .running }
        var stored = 0, refused = 0
        func flush() {
            do {
                let done = try sink.flush(into: store)
                stored += done.stored
                refused += done.refused
            } catch {
                state.withLock { $0 = .failed("cannot write the history: \(error)") }
            }
            let stats = sensor.statistics()
            counters.withLock {
                $0 = SourceCounters(received: Int(clamping: stats.received), stored: stored, rejected: refused,
                                    dropped: Int(clamping: stats.totalDrops),
                                    drops: DropReason.allCases.compactMap { reason in
                                        stats.drops[reason].flatMap { $0 > 0 ? DropCount(reason: reason.rawValue, count: Int(clamping: $0)) : nil }
                                    })
            }
        }
        while !stopFlag.load(ordering: .acquiring) {
            usleep(200_000)
            flush()
        }
        sensor.stop()
        flush()
        state.withLock { if case .running = $0 { $0 = .stopped } }
    }

    func stop() {
        guard sensor != nil else { return }
        stopFlag.store(true, ordering: .releasing)
        for _ in 0..<150 where !finished.load(ordering: .acquiring) { usleep(20_000) }
    }
}

extension SensorStatistics {
    /// The counters the gauges show.
    var gaugeReading: SensorReading {
        var r = SensorReading()
        r.recordsRead = received
        r.eventsEvaluated = eventsEvaluated
        r.alerts = alerts
        r.drops = DropReason.allCases.map { NamedCount($0.rawValue, drops[$0] ?? 0) }
        r.ringBufferDropsByKind = ringBufferDropsByKind.sorted { $0.key < $1.key }.map { NamedCount($0.key, $0.value) }
        r.consumerCPUSeconds = consumerCPUSeconds
        r.kernelRunSeconds = kernelRunTimeKnown ? Double(kernelRunNanoseconds) / 1e9 : nil
        r.residentBytes = processResidentBytes
        r.ringBufferBytes = ringBufferBytes
        r.skippedRules = skippedRules
        return r
    }
}
