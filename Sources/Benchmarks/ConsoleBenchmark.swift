#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Console
import Synchronization
import TradsecCore

/// `tradsec bench console`: how fast the console starts, composes a frame, and how much it
/// writes to the terminal during an alert storm, measured with the real session on an
/// ncurses screen writing to a file (bytes counted there).
public enum ConsoleBenchmark {
    public struct Report: Sendable {
        public var openMilliseconds: Double = 0
        public var startupMilliseconds: Double = 0
        public var firstCountsMilliseconds: Double = 0
        public var composeMilliseconds: [Double] = []
        public var drawMilliseconds: [Double] = []
        public var stormSeconds: Double = 0
        public var stormAlerts = 0
        public var stormBytes = 0
        public var stormFrames = 0
        public var keyLatencyMilliseconds: [Double] = []
    }

    /// Runs everything on the history at `path`; `log` hears the start-up figures as soon as
    /// they are known.
    public static func run(path: String, width: Int = 200, height: Int = 60, frames: Int = 200,
                           stormRate: Int = 10_000, stormSeconds: Double = 5,
                           log: (String) -> Void) throws -> Report {
        var report = Report()
        setenv("LINES", String(height), 1)
        setenv("COLUMNS", String(width), 1)
        let output = "/tmp/tradsec-bench-console-\(getpid()).out"
        defer { unlink(output) }
        guard let out = fopen(output, "w"), let inp = fopen("/dev/null", "r") else { throw BenchmarkError.unavailable("cannot open \(output)") }
        let environment = ["TERM": "xterm-256color", "COLORTERM": "truecolor"]

        // Start-up: open the history, query the overview, draw the first full frame (what the
        // operator waits for); the pane counts follow in a second result.
        var t0 = Monotonic.seconds()
        let store = try AlertStore(path: path)
        report.openMilliseconds = (Monotonic.seconds() - t0) * 1000
        let terminal = try CursesTerminal(terminalType: "xterm-256color", output: out, input: inp, theme: .builtIn, environment: environment)
        let session = ConsoleSession(state: ConsoleState(hostname: "bench"), store: store, sources: [], terminal: terminal, environment: environment)
        session.loader.request(.overview(ViewFilter()))
        var counted = false
        while !counted {
            for r in session.loader.takeResults() {
                session.state.apply(r)
                guard case .overview(let o) = r else { continue }
                if report.startupMilliseconds == 0 {
                    session.draw()
                    report.startupMilliseconds = (Monotonic.seconds() - t0) * 1000
                }
                if o.panes.allSatisfy({ $0.total != nil }) { counted = true }
            }
            usleep(200)
        }
        report.firstCountsMilliseconds = (Monotonic.seconds() - t0) * 1000
        log(String(format: "start-up: history opened in %.1f ms, first full frame with data at %.1f ms, pane counts at %.1f ms",
                   report.openMilliseconds, report.startupMilliseconds, report.firstCountsMilliseconds))

        // Frame composition: the full 200x60 overview into the grid, then the copy to ncurses.
        let now = Timestamp.now()
        for _ in 0..<frames {
            t0 = Monotonic.seconds()
            let frame = ConsoleRenderer.render(session.state, width: width, height: height, now: now, sources: [])
            let t1 = Monotonic.seconds()
            terminal.invalidate()
            terminal.draw(frame.grid)
            report.composeMilliseconds.append((t1 - t0) * 1000)
            report.drawMilliseconds.append((Monotonic.seconds() - t1) * 1000)
        }
        report.composeMilliseconds.sort()
        report.drawMilliseconds.sort()

        // Storm: a writer stores `stormRate` alerts a second while the session runs its loop
        // and a key arrives every 50 ms; bytes written to the terminal are counted.
        fflush(out)
        let startBytes = fileSize(output)
        let framesBefore = session.framesDrawn
        session.start()
        let stop = Atomic<Bool>(false)
        let written = Atomic<Int>(0)
        // Generated before the storm so the writer's time goes to storing, as a feed's would.
        let batch = max(1, stormRate / 20)
        let prepared = stormAlerts(Int(Double(stormRate) * (stormSeconds + 1)), rate: stormRate)
        let writer = WriterThread {
            var next = Monotonic.seconds()
            var offset = 0
            while !stop.load(ordering: .acquiring), offset < prepared.count {
                let alerts = Array(prepared[offset..<min(prepared.count, offset + batch)])
                offset += batch
                _ = try? store.insert(alerts, origin: "bench-storm")
                written.add(alerts.count, ordering: .relaxed)
                next += 0.05
                let wait = next - Monotonic.seconds()
                if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
            }
        }
        let stormStart = Monotonic.seconds()
        var nextKey = stormStart + 0.05
        var pendingKey: Double?
        var down = true
        while Monotonic.seconds() - stormStart < stormSeconds {
            let t = Monotonic.seconds()
            if pendingKey == nil, t >= nextKey {
                session.handle(.character(down ? "j" : "k"))
                down.toggle()
                pendingKey = t
                nextKey = t + 0.05
            }
            if session.pump(now: Monotonic.seconds()), let k = pendingKey {
                report.keyLatencyMilliseconds.append((Monotonic.seconds() - k) * 1000)
                pendingKey = nil
            }
            usleep(2000)
        }
        stop.store(true, ordering: .releasing)
        writer.join()
        report.stormSeconds = Monotonic.seconds() - stormStart
        session.stop()
        fflush(out)
        report.stormBytes = fileSize(output) - startBytes
        report.stormAlerts = written.load(ordering: .relaxed)
        report.stormFrames = session.framesDrawn - framesBefore
        report.keyLatencyMilliseconds.sort()
        terminal.shutdown()
        return report
    }

    /// `count` alerts timed from now on, spread over the storm to come so the rate sparklines
    /// show it.
    static func stormAlerts(_ count: Int, rate: Int) -> [Alert] {
        var generator = AlertGenerator(seed: UInt64(getpid()) &+ 1, start: Timestamp.now())
        let spacing = Int(1000 / Double(rate))
        return (0..<count).compactMap { try? AlertDecoder.decode(line: generator.next(index: $0 * max(0, spacing))) }
    }

    static func fileSize(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }
}

/// A joinable thread for the storm writer.
final class WriterThread: @unchecked Sendable {
    private var handle = pthread_t()
    private let body: () -> Void

    init(_ body: @escaping () -> Void) {
        self.body = body
        let box = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&handle, nil, { raw in
            let t = Unmanaged<WriterThread>.fromOpaque(raw!).takeRetainedValue()
            t.body()
            return nil
        }, box)
    }

    func join() { pthread_join(handle, nil) }
}
