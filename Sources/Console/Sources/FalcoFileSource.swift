#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Feeds
import Foundation
import Synchronization
import TradsecCore

/// `falco-file=PATH`: follows a Falco JSON log like `ingest --follow` (rotation, resume at
/// the stored checkpoint), on a thread of its own, storing alerts into the history.
public final class FalcoFileSource: ConsoleSource, @unchecked Sendable {
    public let path: String
    public var name: String { "falco-file:\(path)" }
    private let stopFlag = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let state = Mutex<SourceState>(.starting)
    private let counters = Mutex(SourceCounters())
    private var thread: Thread?
    private let followerChanges = Mutex<FileChangeWatch?>(nil)

    public init(path: String) { self.path = path }

    public var status: SourceStatus { SourceStatus(name: name, state: state.withLock { $0 }, counters: counters.withLock { $0 }) }

    public func start(store: AlertStore) {
        let t = Thread { [self] in
            let ingestor = AlertIngestor(store: store, origin: path)
            let follower = FileFollower(path: path, ingestor: ingestor, ) { [weak self] event in
                switch event.kind {
                case .waitingForFile: self?.state.withLock { $0 = .waiting(.noFileYet) }
                case .appeared: self?.state.withLock { $0 = .running }
                default: break
                }
            }
            followerChanges.withLock { $0 = follower.changes }
            state.withLock { if case .starting = $0 { $0 = .running } }
            do {
                try follower.run {
                    // Called after each poll, on this thread: the ingestor's report is settled.
                    let report = ingestor.report
                    counters.withLock { $0 = SourceCounters(received: report.linesRead, stored: report.stored, rejected: report.rejected) }
                    return stopFlag.load(ordering: .acquiring)
                }
                state.withLock { $0 = .stopped }
            } catch {
                state.withLock { $0 = .failed("\(error)") }
            }
            finished.store(true, ordering: .releasing)
        }
        t.name = "tradsec.source.falco-file"
        thread = t
        t.start()
    }

    public func stop() {
        stopFlag.store(true, ordering: .releasing)
        followerChanges.withLock { $0?.wake() }
        // The follower commits its last batch before returning; give it a moment.
        for _ in 0..<100 where !finished.load(ordering: .acquiring) { usleep(20_000) }
    }
}
