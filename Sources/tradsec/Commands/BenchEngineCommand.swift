import ArgumentParser
import Foundation
import RuleEngine

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
            throw ExitCode(1)
        }
        func rate(_ v: Double) -> String { String(format: "%.0f", v).reversed().chunked(3).joined(separator: ",").reversedString }
        let text = """
            rule engine benchmark (one core)
              rules           \(r.compiledRules) compiled, \(r.enabledRules) enabled, from \(r.ruleFiles.count) official files
              load+compile    \(String(format: "%.1f", r.loadCompileBestMS)) ms best, \(String(format: "%.1f", r.loadCompileMedianMS)) ms median (all four files); falco_rules.yaml alone \(String(format: "%.1f", r.loadCompileMainFileBestMS)) ms
              events          \(r.captureEvents) captured events repeated to \(r.evaluatedEvents)
              evaluation      \(rate(r.evaluationPerSecond)) events/s  (pre-decoded events, \(String(format: "%.2f", r.evaluationSeconds)) s)
              end to end      \(rate(r.endToEndPerSecond)) events/s  (JSON Lines -> alerts, \(String(format: "%.2f", r.endToEndSeconds)) s, \(String(format: "%.0f", Double(r.endToEndBytes) / r.endToEndSeconds / 1e6)) MB/s, \(r.alerts) alerts)

            """
        Terminal.write(text)
    }
}

private extension Sequence where Element == Character {
    func chunked(_ n: Int) -> [String] {
        var out: [String] = []
        var current = ""
        for c in self {
            current.append(c)
            if current.count == n { out.append(current); current = "" }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}

private extension String {
    var reversedString: String { String(reversed()) }
}
