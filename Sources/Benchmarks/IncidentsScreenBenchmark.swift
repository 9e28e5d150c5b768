#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Console
import Processor
import TradsecCore

/// `tradsec bench console --incidents N`: the incidents screen over N incidents. The loader's
/// query (read, filter, sort; off the UI thread) and the frame composition (what the UI
/// thread does at every redraw) are timed apart; the goal is a frame under 50 ms.
public enum IncidentsScreenBenchmark {
    public struct Report: Sendable {
        public var incidents = 0
        public var loadMilliseconds: [Double] = []
        public var composeMilliseconds: [Double] = []
        public var detailComposeMilliseconds: [Double] = []
    }

    /// Writes `count` incidents into a fresh history at `path` (as the processing step commits
    /// them), then measures.
    public static func run(path: String, count: Int, width: Int = 200, height: Int = 60, rounds: Int = 50,
                           log: (String) -> Void) throws -> Report {
        let store = try AlertStore(path: path)
        let now = Timestamp.now()
        try fill(store, count: count, now: now)
        var report = Report()
        var state = ConsoleState(hostname: "bench")
        state.stack.append(ScreenState(kind: .incidents))
        for _ in 0..<max(1, rounds / 5) {
            let t0 = Monotonic.seconds()
            state.apply(.incidents(try IncidentListQuery.load(store, filter: state.filter, now: now)))
            report.loadMilliseconds.append((Monotonic.seconds() - t0) * 1000)
        }
        report.incidents = state.incidentList?.incidents.count ?? 0
        log("incidents loaded: \(report.incidents)")
        // The cursor at the top, in the middle and at the end: the rows drawn move with it.
        for i in 0..<rounds {
            state.top.selection = [0, report.incidents / 2, max(0, report.incidents - 1)][i % 3]
            let t0 = Monotonic.seconds()
            let frame = ConsoleRenderer.render(state, width: width, height: height, now: now, sources: [])
            report.composeMilliseconds.append((Monotonic.seconds() - t0) * 1000)
            state.pageSize = frame.pageSize
        }
        report.loadMilliseconds.sort()
        report.composeMilliseconds.sort()
        return report
    }

    /// Incidents of a few hundred containers, every severity, a third escalated.
    static func fill(_ store: AlertStore, count: Int, now: Timestamp) throws {
        let stages = ["execution", "credential-access", "collection", "command-and-control", "exfiltration"]
        let priorities = Priority.allCases
        var records: [IncidentRecord] = []
        records.reserveCapacity(count)
        for i in 0..<count {
            let updated = now.adding(nanoseconds: -Int64(i) * 7_000_000_000)
            let container = String(format: "%012x", 0xc0ffee000000 + i % 300)
            let rules = ["Shell in trading container", "Exchange API key read", "Outbound connection \(i % 17)"].prefix(1 + i % 3)
            records.append(IncidentRecord(
                id: Int64(i + 1), containerID: container, containerName: "bot-\(i % 300)", hostname: "trade-host-\(i % 4)",
                role: i % 2 == 0 ? "ai-trading-bot" : nil, opened: updated.adding(nanoseconds: -300_000_000_000), updated: updated,
                severity: priorities[i % priorities.count], escalated: i % 3 == 0, stages: Array(stages.prefix(1 + i % stages.count)),
                rules: Array(rules), alertCount: 1 + i % 40, title: "bot-\(i % 300): \(rules[0])\(rules.count > 1 ? " (+\(rules.count - 1) more rules)" : "")",
                reason: i % 3 == 0 ? "shell, key read, outbound connection" : nil))
        }
        guard let from = try store.claimProcessing(owner: "bench", lease: 600_000_000_000) else {
            throw BenchmarkError.unavailable("another process holds the processing of \(store.path)")
        }
        try store.commit(CommitPlan(processed: ProcessedRecords(owner: "bench", from: from, through: from, incidents: records)))
        try store.releaseProcessing(owner: "bench")
    }
}
