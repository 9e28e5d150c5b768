#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// SIGINT/SIGTERM turned into a flag that long-running loops poll, so they can commit
/// what they hold and exit cleanly instead of dying mid-batch.
final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    nonisolated(unsafe) private var sources: [DispatchSourceSignal] = []

    var isSet: Bool { flag.load(ordering: .acquiring) }

    static func install() -> StopSignal {
        let stop = StopSignal()
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop.flag.store(true, ordering: .releasing) }
            source.resume()
            stop.sources.append(source)
        }
        return stop
    }
}
