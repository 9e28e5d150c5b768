import AlertStore
import Notify
import TradsecCore

/// `tradsec bench notify`: what the notification path costs the processor. Queueing (which the
/// processor does right after committing alerts) into a fresh history for three channels, one
/// outbox row per alert and channel; then building each service's payload for groups of 5 (the
/// dispatcher's work). No network: receivers are out of the picture.
public final class NotifyBenchmark {
    public let count: Int
    /// Channels the outbox routes every alert to.
    public let channels: [ChannelConfig]
    private let notifications: [Notify.Notification]
    private let outbox: NotificationOutbox
    /// Alerts the routing and payload measures use (all of them up to this many).
    private var sample: Int { min(count, 20_000) }

    /// Generates `count` alerts as notifications, and an outbox in a new history at `historyPath`.
    public init(count: Int, historyPath: String) throws {
        self.count = count
        var generator = AlertGenerator()
        var notifications: [Notify.Notification] = []
        notifications.reserveCapacity(count)
        for i in 0..<count {
            let alert = try AlertDecoder.decode(line: generator.next(index: i))
            notifications.append(Notification(alert: alert, id: Int64(i + 1)))
        }
        self.notifications = notifications
        var channels: [ChannelConfig] = []
        for (name, kind) in [("slack", ChannelConfig.Kind.slack), ("pager", .pagerduty), ("am", .alertmanager)] {
            var c = ChannelConfig(name: name, kind: kind)
            c.minPriority = .debug
            c.url = .inline("https://example.invalid/hook")
            c.routingKey = .inline("0123456789abcdef0123456789abcdef")
            channels.append(c)
        }
        self.channels = channels
        let store = try AlertStore(path: historyPath)
        outbox = NotificationOutbox(store: store, config: NotificationConfig(channels: channels))
    }

    /// Routing and encoding alone (no database): what the processor's thread spends before
    /// SQLite. Alerts routed, outbox rows they make, seconds.
    public func route() -> (alerts: Int, rows: Int, seconds: Double) {
        let r0 = Monotonic.seconds()
        var routed = 0
        for n in notifications.prefix(sample) { routed += outbox.entries(for: [n]).count }
        return (sample, routed, Monotonic.seconds() - r0)
    }

    /// Queues every alert, `batch` per enqueue call (one transaction each): outbox rows written,
    /// seconds in all, and each call's milliseconds, sorted.
    public func enqueue(batch: Int) throws -> (rows: Int, seconds: Double, batchMilliseconds: [Double]) {
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
        return (rows, Monotonic.seconds() - t0, latencies.sorted())
    }

    /// Builds `kind`'s request for groups of 5 alerts: messages built, payload bytes, seconds.
    public func build(_ kind: ChannelConfig.Kind) throws -> (messages: Int, bytes: Int, seconds: Double) {
        let groups = stride(from: 0, to: sample, by: 5).map { i in
            (i..<min(count, i + 5)).map { QueuedNotification(rowID: Int64($0 + 1), notification: notifications[$0]) }
        }
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
        return (groups.count, bytes, Monotonic.seconds() - f0)
    }
}
