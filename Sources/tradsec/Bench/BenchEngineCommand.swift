import ArgumentParser
import Benchmarks
import Foundation
import TradsecCore

/// `tradsec bench engine`: rule engine throughput on the official rules and captured events.
struct BenchEngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Measure rule loading, evaluation and end-to-end event throughput (use a release build)."
    )

    @Option(help: "Conformance corpus with falco-rules/ and events/.") var corpus = "../shared/conformance"
    @Option(help: "Evaluate at least this many events (the captures are repeated).") var events = 1_000_000

    func run() throws {
        let bench = EngineBenchmark(corpus: corpus, minimumEvents: events)
        let r: EngineBenchmark.Report
        do {
            r = try bench.run { Terminal.printError("bench: " + $0) }
        } catch {
            Terminal.printError("tradsec: \(error)")
            throw ExitCode(ExitStatus.failure)
        }
        // A pass too fast for the clock gives an infinite rate: print it, never convert it.
        func rate(_ v: Double) -> String { v.isFinite && abs(v) < 1e18 ? Self.grouped(Int(v.rounded())) : "\(v)" }
        let text = """
            rule engine benchmark
              rules           \(r.compiledRules) compiled, \(r.enabledRules) enabled, from \(r.ruleFiles.count) official files
              load+compile    \(String(format: "%.1f", r.loadCompileBestMS)) ms best, \(String(format: "%.1f", r.loadCompileMedianMS)) ms median (all four files); falco_rules.yaml alone \(String(format: "%.1f", r.loadCompileMainFileBestMS)) ms
              events          \(r.captureEvents) captured events repeated to \(r.evaluatedEvents)
              evaluation      \(rate(r.evaluationPerSecond)) events/s best, \(rate(Double(r.evaluatedEvents) / r.evaluationMedianSeconds)) median  (pre-decoded events, one core)
              end to end      \(rate(r.endToEndPerSecond)) events/s best, \(rate(Double(r.endToEndEvents) / r.endToEndMedianSeconds)) median  (JSON Lines -> alerts, one core, \(String(format: "%.0f", Double(r.endToEndBytes) / r.endToEndSeconds / 1e6)) MB/s, \(r.alerts) alerts per pass)
              end to end      \(rate(r.parallelPerSecond)) events/s best  (same, batches on \(r.parallelThreads) threads, as `tradsec rules match` runs)
              (best and median of \(bench.runs) passes; figures vary with other load on the machine)

            """
        Terminal.write(text)
    }

    /// 1234567 -> "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
