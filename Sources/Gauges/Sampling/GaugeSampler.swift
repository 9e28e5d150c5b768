import Dispatch
import Foundation
import Synchronization

/// Runs a ``GaugeCollector`` every `interval` on its own thread (reads can block: a Docker
/// engine or a hung Falco may take the whole timeout) and keeps the latest snapshot, which
/// the UI thread takes without waiting.
public final class GaugeSampler: Sendable {
    private let collector: UncheckedBox<GaugeCollector>
    public let interval: Double
    private let latestSnapshot = Mutex<GaugeSnapshot?>(nil)
    private let stopped = Mutex(false)
    private let started = Mutex(false)
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    public init(collector: GaugeCollector) {
        self.collector = UncheckedBox(collector)
        interval = collector.config.interval
    }

    /// The newest snapshot; nil before the first tick finished.
    public var latest: GaugeSnapshot? { latestSnapshot.withLock { $0 } }

    public func start() {
        guard !started.withLock({ s in defer { s = true }; return s }) else { return }
        let thread = Thread { [self] in
            while !stopped.withLock({ $0 }) {
                let snapshot = collector.value.collect()
                latestSnapshot.withLock { $0 = snapshot }
                _ = wake.wait(timeout: .now() + max(0.05, interval - snapshot.cost))
            }
            finished.signal()
        }
        thread.name = "tradsec.gauges"
        thread.start()
    }

    /// Stops the thread: it ends after the tick under way. Waits for that at most `seconds`,
    /// so quitting the console never waits out a hung peer's timeout (the tick only reads).
    /// Returns whether the thread had ended.
    @discardableResult
    public func stop(waitingUpTo seconds: Double = 0.5) -> Bool {
        let already = stopped.withLock { s in defer { s = true }; return s }
        guard !already, started.withLock({ $0 }) else { return true }
        wake.signal()
        return finished.wait(timeout: .now() + seconds) == .success
    }
}

/// The collector is only ever touched by the sampler thread.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
