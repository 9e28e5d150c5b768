#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// SIGINT/SIGTERM/SIGHUP → quit cleanly (the terminal is restored by the normal exit path);
/// SIGCONT → repaint after a Ctrl-Z (ncurses itself restores the terminal on SIGTSTP).
/// SIGWINCH is ncurses' own: it becomes a resize key.
final class SignalFlags: @unchecked Sendable {
    private let stop = Atomic<Bool>(false)
    private let resumed = Atomic<Bool>(false)
    private var sources: [DispatchSourceSignal] = []

    init() {
        for sig in [SIGINT, SIGTERM, SIGHUP] { watch(sig) { $0.stop.store(true, ordering: .releasing) } }
        watch(SIGCONT, ignore: false) { $0.resumed.store(true, ordering: .releasing) }
    }

    private func watch(_ sig: Int32, ignore: Bool = true, _ body: @escaping @Sendable (SignalFlags) -> Void) {
        if ignore { signal(sig, SIG_IGN) }
        let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        source.setEventHandler { [unowned self] in body(self) }
        source.resume()
        sources.append(source)
    }

    var stopRequested: Bool { stop.load(ordering: .acquiring) }

    /// True once after each SIGCONT.
    func takeResumed() -> Bool { resumed.exchange(false, ordering: .acquiring) }

    func cancel() {
        for s in sources { s.cancel() }
        for sig in [SIGINT, SIGTERM, SIGHUP] { signal(sig, SIG_DFL) }
    }
}
