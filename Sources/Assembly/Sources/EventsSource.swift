#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Console
import Foundation
import RuleEngine
import Synchronization
import TradsecCore

/// `events=PATH`: raw events (JSON Lines) through the embedded rule engine, the alerts stored
/// in the history as they are produced. The file is read once, to its end.
final class EventsSource: ConsoleSource, @unchecked Sendable {
    let eventsPath: String
    let rulesPaths: [String]
    private let state = Mutex<SourceState>(.starting)
    private let counters = Mutex(SourceCounters())
    private let stopFlag = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private var thread: Thread?

    var name: String { "events:\(eventsPath)" }
    var status: SourceStatus { SourceStatus(name: name, state: state.withLock { $0 }, counters: counters.withLock { $0 }) }

    /// Loads the rules now, so bad rules stop the console before it takes the screen.
    init(eventsPath: String, rulesPaths: [String]) throws(AssemblyError) {
        self.eventsPath = eventsPath
        self.rulesPaths = rulesPaths
        guard !rulesPaths.isEmpty else {
            throw .usage("events=\(eventsPath) needs rules: --rules FILE..., or sensor.rules in the config")
        }
        guard access(eventsPath, R_OK) == 0 else { throw .noInput("cannot read \(eventsPath)") }
        let (engine, results) = RulesReport.load(rulesPaths)
        guard engine.isValid else { throw .rules(RulesReport.validationText(results: results)) }
    }

    func start(store: AlertStore) {
        let t = Thread { [self] in
            let (engine, _) = RulesReport.load(rulesPaths)
            var batch: [Alert] = []
            var stored = 0
            func commit() {
                stored += (try? store.insert(batch, origin: "events:\(self.eventsPath)").inserted) ?? 0
                batch.removeAll(keepingCapacity: true)
                counters.withLock { $0.stored = stored }
            }
            do {
                state.withLock { $0 = .running }
                let result = try EventMatching.matchAlerts(engine: engine, eventsPath: eventsPath, threads: 1) { line in
                    guard !self.stopFlag.load(ordering: .acquiring), let alert = try? AlertDecoder.decode(line: line) else { return }
                    batch.append(alert)
                    if batch.count >= 500 { commit() }
                }
                stored += try store.insert(batch, origin: "events:\(eventsPath)").inserted
                batch.removeAll()
                counters.withLock { $0.received = result.events; $0.stored = stored }
                state.withLock { $0 = .finished }
            } catch {
                state.withLock { $0 = .failed("\(error)") }
            }
            finished.store(true, ordering: .releasing)
        }
        t.name = "tradsec.source.events"
        thread = t
        t.start()
    }

    func stop() {
        stopFlag.store(true, ordering: .releasing)
        for _ in 0..<100 where !finished.load(ordering: .acquiring) { usleep(20_000) }
    }
}
