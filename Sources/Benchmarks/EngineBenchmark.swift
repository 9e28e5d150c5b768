import Foundation
import RuleEngine
import TradsecCore

/// `tradsec bench engine`: load+compile time of the official rules, evaluation throughput on
/// pre-decoded events, and end-to-end throughput from JSON Lines (decode, evaluate, format alerts).
public struct EngineBenchmark {
    public struct Report: Sendable {
        public var ruleFiles: [String]
        public var compiledRules: Int
        public var enabledRules: Int
        /// Best and median of several runs, milliseconds.
        public var loadCompileBestMS: Double
        public var loadCompileMedianMS: Double
        public var loadCompileMainFileBestMS: Double
        public var captureEvents: Int
        public var evaluatedEvents: Int
        /// Fastest of the timed runs (the machine is shared; the median is reported too).
        public var evaluationSeconds: Double
        public var evaluationMedianSeconds: Double
        public var endToEndEvents: Int
        public var endToEndSeconds: Double
        public var endToEndMedianSeconds: Double
        public var endToEndBytes: Int
        public var alerts: Int
        /// End to end with the batch matcher on every core (`parallelThreads`).
        public var parallelThreads: Int
        public var parallelSeconds: Double
        public var parallelPerSecond: Double { Double(endToEndEvents) / parallelSeconds }
        public var evaluationPerSecond: Double { Double(evaluatedEvents) / evaluationSeconds }
        public var endToEndPerSecond: Double { Double(endToEndEvents) / endToEndSeconds }
    }

    public static let officialFiles = ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml", "k8s_audit_rules.yaml"]

    public var corpus: String
    public var minimumEvents: Int
    public var loadRuns: Int
    /// Timed passes over the events for each throughput figure.
    public var runs: Int

    public init(corpus: String, minimumEvents: Int = 1_000_000, loadRuns: Int = 7, runs: Int = 3) {
        self.corpus = corpus
        self.minimumEvents = minimumEvents
        self.loadRuns = loadRuns
        self.runs = max(1, runs)
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> Report {
        let rulesDir = corpus + "/falco-rules"
        let paths = Self.officialFiles.map { rulesDir + "/" + $0 }
        let texts = try paths.map { try String(contentsOfFile: $0, encoding: .utf8) }

        // 1. Load + compile (text already in memory: parsing YAML, building, compiling).
        progress("loading and compiling the official rules \(loadRuns) times")
        var times: [Double] = []
        var mainTimes: [Double] = []
        var engine = RulesEngine()
        for _ in 0..<loadRuns {
            let t0 = Monotonic.seconds()
            let e = RulesEngine()
            for (text, path) in zip(texts, paths) {
                let r = e.load(content: text, name: path)
                if !r.successful {
                    throw BenchmarkError.failed(TerminalSafe.escape(path) + ":\(r.errors.first?.line ?? 0): "
                                         + TerminalSafe.escape(r.errors.first?.message ?? "load failed"))
                }
            }
            times.append((Monotonic.seconds() - t0) * 1000)
            engine = e
            let t1 = Monotonic.seconds()
            _ = RulesEngine().load(content: texts[0], name: paths[0])
            mainTimes.append((Monotonic.seconds() - t1) * 1000)
        }
        times.sort(); mainTimes.sort()

        // 2. Event streams: every capture, repeated to at least `minimumEvents`.
        let eventsDir = corpus + "/events"
        let captures = try FileManager.default.contentsOfDirectory(atPath: eventsDir).filter { $0.hasSuffix(".jsonl") }.sorted()
        var lines: [[UInt8]] = []
        for c in captures { lines += try JSONLinesReader.lines(path: eventsDir + "/" + c) }
        let repeats = max(1, (minimumEvents + lines.count - 1) / lines.count)

        let matcher = engine.makeMatcher()
        let decoder = engine.makeDecoder(for: matcher)

        // Evaluation alone: events decoded once, then every rule set evaluation is timed.
        progress("evaluating \(lines.count * repeats) pre-decoded events")
        var decoded: [Event] = []
        for line in lines {
            let e = Event(slotCount: engine.slots.count)
            try line.withUnsafeBytes { try decoder.decode(line: $0, into: e) }
            decoded.append(e)
        }
        var matches = 0
        var evalTimes: [Double] = []
        for _ in 0..<runs {
            let t0 = Monotonic.seconds()
            for _ in 0..<repeats {
                for e in decoded where matcher.firstMatch(e) != nil { matches += 1 }
            }
            evalTimes.append(Monotonic.seconds() - t0)
        }
        let (evalSeconds, evalMedian) = Timing.bestAndMedian(evalTimes)

        // End to end: JSON Lines bytes -> event -> rules -> Falco JSON alert lines.
        progress("decoding, evaluating and formatting \(lines.count * repeats) JSON lines")
        let formatter = AlertFormatter(hostname: "bench")
        let event = Event(slotCount: engine.slots.count)
        var alerts = 0
        var alertBytes = 0
        var bytes = 0
        var e2eTimes: [Double] = []
        for run in 0..<runs {
            if run > 0 { alerts = 0; bytes = 0 }
            let t1 = Monotonic.seconds()
            for _ in 0..<repeats {
                for line in lines {
                    try line.withUnsafeBytes { buffer in
                        // Every event is evaluated here (Falco would drop enter events first).
                        try decoder.withEvent(line: buffer, event) { event in
                            if let r = matcher.firstMatch(event) {
                                alerts += 1
                                alertBytes &+= formatter.line(for: matcher.rule(at: r), event: event).utf8.count
                            }
                        }
                    }
                    bytes += line.count + 1
                }
            }
            e2eTimes.append(Monotonic.seconds() - t1)
        }
        let (e2eSeconds, e2eMedian) = Timing.bestAndMedian(e2eTimes)
        _ = alertBytes

        // End to end on every core: batches of lines split across threads, alerts kept in order.
        let threads = ProcessInfo.processInfo.activeProcessorCount
        progress("the same on \(threads) threads")
        var joined: [UInt8] = []
        var ranges: [Range<Int>] = []
        for line in lines { ranges.append(joined.count..<(joined.count + line.count)); joined += line; joined.append(0x0A) }
        let parallel = ParallelMatcher(engine: engine, threads: threads, formatter: formatter)
        let batch = 4096
        var parallelAlerts = 0
        var parallelTimes: [Double] = []
        for _ in 0..<runs {
            parallelAlerts = 0
            let t2 = Monotonic.seconds()
            for _ in 0..<repeats {
                joined.withUnsafeBytes { buffer in
                    var start = 0
                    while start < ranges.count {
                        let slice = Array(ranges[start..<min(start + batch, ranges.count)])
                        parallelAlerts += parallel.process(buffer, lines: slice, dropEnterEvents: false).alerts.count
                        start += batch
                    }
                }
            }
            parallelTimes.append(Monotonic.seconds() - t2)
        }
        let parallelSeconds = parallelTimes.min()!
        precondition(parallelAlerts == alerts, "parallel and sequential runs disagree")

        return Report(ruleFiles: paths, compiledRules: engine.rules.count, enabledRules: engine.enabledRules.count,
                      loadCompileBestMS: times.first ?? 0, loadCompileMedianMS: times[times.count / 2],
                      loadCompileMainFileBestMS: mainTimes.first ?? 0,
                      captureEvents: lines.count, evaluatedEvents: lines.count * repeats, evaluationSeconds: evalSeconds,
                      evaluationMedianSeconds: evalMedian,
                      endToEndEvents: lines.count * repeats, endToEndSeconds: e2eSeconds,
                      endToEndMedianSeconds: e2eMedian, endToEndBytes: bytes, alerts: alerts,
                      parallelThreads: threads, parallelSeconds: parallelSeconds)
    }
}
