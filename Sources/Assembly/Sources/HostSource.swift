#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Console
import Processor
import Foundation
import Sensor
import Synchronization

/// `host`: this host's syscalls through eBPF into the embedded rule engine, the alerts stored
/// in the history as `tradsec sense` stores them (origin `sensor`). The sensor is built (rules
/// loaded, the kernel checked) before the console takes the screen; it starts with the console.
final class HostSource: ConsoleSource, @unchecked Sendable {
    private let sensor: HostSensor
    private let sink: SensorAlertSink
    private let state = Mutex<SourceState>(.starting)
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
    }

    func start(store: AlertStore) {
        let t = Thread { [self] in
            run(store: store)
            finished.store(true, ordering: .releasing)
        }
        t.name = "tradsec.source.host"
        thread = t
        t.start()
    }

    private func run(store: AlertStore) {
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
        stopFlag.store(true, ordering: .releasing)
        for _ in 0..<150 where !finished.load(ordering: .acquiring) { usleep(20_000) }
    }
}
