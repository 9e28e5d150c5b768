#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import ArgumentParser
import Foundation
import Notify
import TradsecCore

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
        let path = history.path
        var generator = AlertGenerator()
        var notifications: [Notify.Notification] = []
        notifications.reserveCapacity(count)
        for i in 0..<count {
            let alert = try AlertDecoder.decode(line: generator.next(index: i))
            notifications.append(Notification(alert: alert, id: Int64(i + 1)))
        }
        var channels: [ChannelConfig] = []
        for (name, kind) in [("slack", ChannelConfig.Kind.slack), ("pager", .pagerduty), ("am", .alertmanager)] {
            var c = ChannelConfig(name: name, kind: kind)
            c.minPriority = .debug
            c.url = .inline("https://example.invalid/hook")
            c.routingKey = .inline("0123456789abcdef0123456789abcdef")
            channels.append(c)
        }
        let store = try AlertStore(path: path)
        let outbox = NotificationOutbox(store: store, config: NotificationConfig(channels: channels))
        // Routing and encoding alone (no database): what the processor's thread spends before SQLite.
        let r0 = Monotonic.seconds()
        var routed = 0
        for n in notifications.prefix(20_000) { routed += outbox.entries(for: [n]).count }
        let routeSeconds = Monotonic.seconds() - r0
        print(String(format: "route and encode: %9.0f alerts/s  (%d rows, no database)", Double(min(count, 20_000)) / routeSeconds, routed))

        var latencies: [Double] = []
        var rows = 0
        let t0 = Monotonic.seconds()
        var start = 0
        while start < count {
            let slice = Array(notifications[start..<min(count, start + batch)])
            let b0 = Monotonic.seconds()
            rows += try outbox.enqueue(slice)
            latencies.append((Monotonic.seconds() - b0) * 1000)
            start += batch
        }
        let seconds = Monotonic.seconds() - t0
        latencies.sort()
        print(String(format: "enqueue:  %9.0f alerts/s, %9.0f rows/s  (%d alerts x %d channels in %.2f s)",
                     Double(count) / seconds, Double(rows) / seconds, count, channels.count, seconds))
        print(String(format: "  per batch of %d: p50 %.2f ms, p99 %.2f ms, max %.2f ms", batch,
                     latencies.percentile(50), latencies.percentile(99), latencies.last ?? 0))

        let groups = stride(from: 0, to: min(count, 20_000), by: 5).map { i in
            (i..<min(count, i + 5)).map { QueuedNotification(rowID: Int64($0 + 1), notification: notifications[$0]) }
        }
        for kind in ChannelConfig.Kind.allCases {
            var c = ChannelConfig(name: kind.rawValue, kind: kind)
            c.url = .inline(kind == .email ? "smtp://127.0.0.1:25" : "https://example.invalid/hook")
            c.token = .inline("1:token")
            c.chatID = "1"
            c.routingKey = .inline("0123456789abcdef0123456789abcdef")
            c.from = "tradsec@host"
            c.to = ["oncall@example.com"]
            let f0 = Monotonic.seconds()
            var bytes = 0
            for g in groups {
                switch try ChannelSender.request(for: g, channel: c, environment: [:]) {
                case .http(let r): bytes += r.body?.count ?? 0
                case .smtp(let m): bytes += m.message.count
                }
            }
            let s = Monotonic.seconds() - f0
            let label = kind.rawValue + String(repeating: " ", count: max(0, 13 - kind.rawValue.count))
            print("build " + label + String(format: "%8.0f messages/s  (groups of 5, %.0f bytes each)",
                                            Double(groups.count) / s, Double(bytes) / Double(max(1, groups.count))))
        }
    }
}
