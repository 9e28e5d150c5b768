import AlertStore
import Console
import Foundation
import Synchronization
import TradsecCore

/// `demo[=SPEED]`: the bundled incident played into the history while the console runs
/// (what `tradsec demo` opens). The header shows it live, then how much it played.
final class DemoSource: ConsoleSource, @unchecked Sendable {
    private let rulePaths: [String]
    private let speed: Double?
    private let state = Mutex<SourceState>(.starting)
    private let counters = Mutex(SourceCounters())
    private let stopFlag = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)

    var name: String { "demo" }
    var status: SourceStatus { SourceStatus(name: name, state: state.withLock { $0 }, counters: counters.withLock { $0 }) }

    /// Loads the rules now, so bad rules stop the console before it takes the screen.
    init(rulePaths: [String], speed: Double?) throws(AssemblyError) {
        self.rulePaths = rulePaths
        self.speed = speed
        _ = try EventEvaluator(rulePaths: rulePaths)
    }

    func start(store: AlertStore) {
        started.store(true, ordering: .releasing)
        let thread = Thread { [self] in
            do {
                // The engine is not shared between threads: this thread builds its own.
                let player = ScenarioPlayer(evaluator: try EventEvaluator(rulePaths: rulePaths, hostname: "trade-host-01"),
                                            store: store, speed: speed)
                state.withLock { $0 = .running }
                let played = try player.play(shouldStop: { self.stopFlag.load(ordering: .acquiring) }, onAlert: { _ in })
                counters.withLock { $0.received = played.events; $0.stored = played.alerts }
                state.withLock { $0 = .finished }
            } catch {
                state.withLock { $0 = .failed("\(error)") }
            }
            finished.signal()
        }
        thread.name = "tradsec.source.demo"
        thread.start()
    }

    func stop() {
        stopFlag.store(true, ordering: .releasing)
        if started.load(ordering: .acquiring) { _ = finished.wait(timeout: .now() + 2) }
    }
}
