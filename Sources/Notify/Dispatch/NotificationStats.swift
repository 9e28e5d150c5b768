import Foundation
import AlertStore
import TradsecCore

/// A snapshot for /health and /metrics: the outbox's state per channel (from the database,
/// so it includes what earlier runs left) and what each channel did since the dispatcher started.
public struct NotificationStats: Sendable, Equatable {
    public struct Channel: Sendable, Equatable {
        public var name: String
        public var type: String
        public var pending = 0
        public var failed = 0
        /// Age of the oldest pending notification, seconds.
        public var oldestPendingAge: Double?
        // Since start:
        public var messagesSent = 0
        public var notificationsDelivered = 0
        public var retries = 0
        public var permanentFailures = 0
        /// Messages whose markup the receiver refused, sent again as plain text.
        public var plainTextFallbacks = 0
        public var lastError: String?

        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }

        mutating func apply(_ s: OutboxChannelSummary, now: Timestamp) {
            pending = s.pending
            failed = s.failed
            oldestPendingAge = s.oldestPendingCreated.map { max(0, Double(now.nanoseconds &- $0.nanoseconds) / 1e9) }
        }
    }

    public var channels: [Channel]

    public var pending: Int { channels.reduce(0) { $0 + $1.pending } }
    public var failed: Int { channels.reduce(0) { $0 + $1.failed } }
    public var delivered: Int { channels.reduce(0) { $0 + $1.notificationsDelivered } }
    public var oldestPendingAge: Double? { channels.compactMap(\.oldestPendingAge).max() }

    /// Prometheus text exposition (every family with HELP and TYPE; counters end in _total).
    public func prometheusText() -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ value: (Channel) -> Double?) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for c in channels {
                guard let v = value(c) else { continue }
                out += "\(name){channel=\"\(Self.labelValue(c.name))\",type=\"\(Self.labelValue(c.type))\"} \(Self.number(v))\n"
            }
        }
        family("tradsec_notifications_pending", "gauge", "Notifications queued and not yet delivered.") { Double($0.pending) }
        family("tradsec_notifications_failed", "gauge", "Notifications refused for good, kept for an operator (tradsec notify outbox --failed).") { Double($0.failed) }
        family("tradsec_notifications_oldest_pending_age_seconds", "gauge", "Age of the oldest undelivered notification.") { $0.oldestPendingAge ?? 0 }
        family("tradsec_notifications_delivered_total", "counter", "Notifications delivered since the processor started.") { Double($0.notificationsDelivered) }
        family("tradsec_notification_messages_total", "counter", "Messages delivered since the processor started (a message may carry a group).") { Double($0.messagesSent) }
        family("tradsec_notification_retries_total", "counter", "Send attempts that failed and were scheduled again.") { Double($0.retries) }
        family("tradsec_notification_failures_total", "counter", "Notifications marked failed since the processor started.") { Double($0.permanentFailures) }
        family("tradsec_notification_plain_text_resends_total", "counter", "Messages whose markup the receiver refused, sent again as plain text.") { Double($0.plainTextFallbacks) }
        return out
    }

    static func labelValue(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
