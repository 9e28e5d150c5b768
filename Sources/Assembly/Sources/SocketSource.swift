#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Console
import Feeds
import Foundation
import Synchronization

/// `socket=PATH`: a Unix socket (0600) that Falco's program_output (or any writer) sends alert
/// lines to, as `tradsec ingest --socket` listens; stored as they arrive.
final class SocketSource: ConsoleSource, @unchecked Sendable {
    let path: String
    private let state = Mutex<SourceState>(.starting)
    private let counters = Mutex(SourceCounters())
    private let stopFlag = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private var thread: Thread?

    var name: String { "socket:\(path)" }
    var status: SourceStatus { SourceStatus(name: name, state: state.withLock { $0 }, counters: counters.withLock { $0 }) }

    init(path: String) { self.path = path }

    func start(store: AlertStore) {
        let t = Thread { [self] in
            let ingestor = AlertIngestor(store: store, origin: "socket:" + path)
            // Its notes (a writer refused or closed) are counted in the report; the header shows counts.
            let listener = SocketListener(path: path, ingestor: ingestor) { _ in }
            do {
                try listener.open()
                state.withLock { $0 = .running }
                try listener.run {
                    let report = ingestor.report
                    counters.withLock { $0 = SourceCounters(received: report.linesRead, stored: report.stored, rejected: report.rejected) }
                    return stopFlag.load(ordering: .acquiring)
                }
                state.withLock { $0 = .stopped }
            } catch {
                state.withLock { $0 = .failed("\(error)") }
            }
            listener.close()
            finished.store(true, ordering: .releasing)
        }
        t.name = "tradsec.source.socket"
        thread = t
        t.start()
    }

    func stop() {
        stopFlag.store(true, ordering: .releasing)
        for _ in 0..<100 where !finished.load(ordering: .acquiring) { usleep(20_000) }
    }
}
