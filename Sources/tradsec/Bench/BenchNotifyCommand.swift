import ArgumentParser
import Benchmarks
import Foundation
import Notify

/// How much the notification path costs the processor: queueing (which the processor does
/// right after committing alerts) and building each service's payload (done by the dispatcher).
struct BenchNotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Outbox enqueue rate and batch latency, and payload build rates per channel type.",
        discussion: """
            Generates realistic Falco alerts, turns them into notifications and queues them in a
            fresh history for three channels (one outbox row per alert and channel), in batches
            as the processor would; then builds each channel type's payload for groups of 5.
            No network: receivers are out of the picture.
            """
    )

    @Option(help: ArgumentHelp("Alerts to queue.", valueName: "n"))
    var count = 100_000

    @Option(help: ArgumentHelp("Alerts per enqueue call (one transaction).", valueName: "n"))
    var batch = 500

    func run() throws {
        let history = BenchHistory.scratch("notify")
        defer { history.remove() }
        let bench = try NotifyBenchmark(count: count, historyPath: history.path)
        let route = bench.route()
        print(String(format: "route and encode: %9.0f alerts/s  (%d rows, no database)", Double(route.alerts) / route.seconds, route.rows))

        let enqueue = try bench.enqueue(batch: batch)
        let latencies = enqueue.batchMilliseconds
        print(String(format: "enqueue:  %9.0f alerts/s, %9.0f rows/s  (%d alerts x %d channels in %.2f s)",
                     Double(count) / enqueue.seconds, Double(enqueue.rows) / enqueue.seconds, count, bench.channels.count, enqueue.seconds))
        print(String(format: "  per batch of %d: p50 %.2f ms, p99 %.2f ms, max %.2f ms", batch,
                     latencies.percentile(50), latencies.percentile(99), latencies.last ?? 0))

        for kind in ChannelConfig.Kind.allCases {
            let built = try bench.build(kind)
            let label = kind.rawValue + String(repeating: " ", count: max(0, 13 - kind.rawValue.count))
            print("build " + label + String(format: "%8.0f messages/s  (groups of 5, %.0f bytes each)",
                                            Double(built.messages) / built.seconds, Double(built.bytes) / Double(max(1, built.messages))))
        }
    }
}
