#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Console
import Foundation
import RuleEngine
import Synchronization
import TradsecCore

/// `--source events=PATH --rules FILE...`: raw events (JSON Lines) through the embedded rule
/// engine, the alerts stored in the history as they are produced. The file is read once, to
/// its end. Lives beside the command because it needs the rule engine, which the Console
/// library does not link.
final class ConsoleEventsSource: ConsoleSource, @unchecked Sendable {
    let eventsPath: String
    let rulesPaths: [String]
    private let state = Mutex<SourceState>(.starting)
    private let stopFlag = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private var thread: Thread?

    var name: String { "events:\(eventsPath)" }
    var status: SourceStatus { SourceStatus(name: name, state: state.withLock { $0 }) }

    /// Loads the rules now, so bad rules stop the console before it takes the screen.
    init(eventsPath: String, rulesPaths: [String]) throws {
        self.eventsPath = eventsPath
        self.rulesPaths = rulesPaths
        guard !rulesPaths.isEmpty else { throw CLIError("--source events=\(eventsPath) needs --rules FILE...", exitCode: 64) }
        guard access(eventsPath, R_OK) == 0 else { throw CLIError("cannot read \(eventsPath)", exitCode: 66) }
        let (engine, results) = RulesReport.load(rulesPaths)
        guard engine.isValid else { throw CLIError(RulesReport.validationText(results: results), exitCode: 1) }
    }

    func start(store: AlertStore) {
        let t = Thread { [self] in
            let (engine, _) = RulesReport.load(rulesPaths)
            var batch: [Alert] = []
            var stored = 0
            do {
                state.withLock { $0 = .running }
                let result = try EventMatching.matchAlerts(engine: engine, eventsPath: eventsPath, threads: 1) { line in
                    guard !self.stopFlag.load(ordering: .acquiring), let alert = try? AlertDecoder.decode(line: line) else { return }
                    batch.append(alert)
                    if batch.count >= 500 {
                        stored += (try? store.insert(batch, origin: "events:\(self.eventsPath)").inserted) ?? 0
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                stored += try store.insert(batch, origin: "events:\(eventsPath)").inserted
                state.withLock { $0 = .finished("\(result.events) events, \(stored) alerts") }
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
