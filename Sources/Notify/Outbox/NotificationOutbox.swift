import AlertStore
import TradsecCore

/// Routes notifications to channels (by each channel's minimum priority) and queues one
/// outbox row per notification and channel, in one transaction. Cheap: no formatting and no
/// network here; the dispatcher does that later, from the rows.
public struct NotificationOutbox: Sendable {
    public let store: AlertStore
    public let config: NotificationConfig

    public init(store: AlertStore, config: NotificationConfig) {
        self.store = store
        self.config = config
    }

    /// The rows `notifications` become; `onlyChannel` restricts them to one channel.
    public func entries(for notifications: [Notification], onlyChannel: String? = nil, now: Timestamp = .now()) -> [OutboxEntry] {
        var entries: [OutboxEntry] = []
        for n in notifications {
            let payload = n.json
            for channel in config.channels where n.priority.isAtLeast(channel.minPriority) {
                if let onlyChannel, channel.name != onlyChannel { continue }
                entries.append(OutboxEntry(channel: channel.name, groupKey: n.groupKey, kind: n.kind.rawValue,
                                           priority: n.priority, payload: payload,
                                           notBefore: now.adding(nanoseconds: Int64(saturating: channel.groupWindow * 1e9))))
            }
        }
        return entries
    }

    /// Queues `notifications` for every channel that wants them; returns the number of rows.
    @discardableResult
    public func enqueue(_ notifications: [Notification], onlyChannel: String? = nil, now: Timestamp = .now()) throws -> Int {
        let rows = entries(for: notifications, onlyChannel: onlyChannel, now: now)
        try store.enqueueNotifications(rows, now: now)
        return rows.count
    }
}
