import GRDB
import TradsecCore

/// Where a notification is on its way to one channel.
public enum OutboxState: String, Sendable, CaseIterable {
    /// Waiting for its grouping window, its retry time or its turn.
    case pending
    /// The receiver answered 2xx (or the SMTP server accepted the mail).
    case delivered
    /// Refused for good (a 4xx other than 408/429, or retried past its channel's give-up age).
    case failed
}

/// A notification to queue for one channel. `payload` is the rendered-independent content (no
/// secrets: the channel's URL and keys are resolved when it is sent).
public struct OutboxEntry: Sendable, Equatable {
    public var channel: String
    /// Notifications of one channel with the same key inside its grouping window go out as one message.
    public var groupKey: String
    public var kind: String
    public var priority: Priority
    public var payload: String
    /// Not sent before this time (the end of its grouping window).
    public var notBefore: Timestamp

    public init(channel: String, groupKey: String, kind: String, priority: Priority, payload: String, notBefore: Timestamp) {
        self.channel = channel
        self.groupKey = groupKey
        self.kind = kind
        self.priority = priority
        self.payload = payload
        self.notBefore = notBefore
    }
}

/// One row of the outbox.
public struct OutboxRow: Sendable, Equatable {
    public var id: Int64
    public var channel: String
    public var groupKey: String
    public var kind: String
    public var priority: Priority
    public var payload: String
    public var created: Timestamp
    public var notBefore: Timestamp
    public var state: OutboxState
    public var attempts: Int
    public var nextAttempt: Timestamp
    public var lastError: String?
    public var delivered: Timestamp?
    /// Set while a send is in flight; still set after a restart means the process died mid-send,
    /// so the receiver may already have it (the resend carries the same idempotency key).
    public var sendingSince: Timestamp?
}

/// Per channel and state: how many rows, and the oldest pending one.
public struct OutboxChannelSummary: Sendable, Equatable {
    public var channel: String
    public var pending = 0
    public var delivered = 0
    public var failed = 0
    public var oldestPendingCreated: Timestamp?
    public init(channel: String) { self.channel = channel }
}

/// The notification outbox: written in one transaction per enqueue, read and updated by the
/// dispatcher. Kept in the history database so it shares its WAL durability: a notification
/// that was enqueued survives a killed process.
enum Outbox {
    static let columns = """
        id, channel, group_key, kind, priority, payload, created_ns, not_before_ns, state, attempts,
        next_attempt_ns, last_error, delivered_ns, sending_since_ns
        """

    static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE notification_outbox (
                id INTEGER PRIMARY KEY,               -- also the per-channel delivery order
                channel TEXT NOT NULL,                -- a channel name; its secrets are never stored
                group_key TEXT NOT NULL,
                kind TEXT NOT NULL,                   -- alert | incident | test
                priority INTEGER NOT NULL,
                payload TEXT NOT NULL,                -- the notification's content as JSON
                created_ns INTEGER NOT NULL,
                not_before_ns INTEGER NOT NULL,       -- end of the grouping window
                state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_ns INTEGER NOT NULL,
                last_error TEXT,
                delivered_ns INTEGER,
                sending_since_ns INTEGER
            );
            -- The dispatcher's two lookups: a channel's oldest pending row, and the rest of its group.
            CREATE INDEX notification_outbox_pending ON notification_outbox(channel, id) WHERE state = 'pending';
            CREATE INDEX notification_outbox_group ON notification_outbox(channel, group_key, id) WHERE state = 'pending';
            CREATE INDEX notification_outbox_state ON notification_outbox(state, id);
            """)
    }

    static func row(_ r: Row) throws -> OutboxRow {
        OutboxRow(id: try r.decode(forColumn: "id"), channel: try r.decode(forColumn: "channel"), groupKey: try r.decode(forColumn: "group_key"), kind: try r.decode(forColumn: "kind"),
                  priority: Priority(rawValue: try r.decode(forColumn: "priority")) ?? .debug, payload: try r.decode(forColumn: "payload"),
                  created: Timestamp(nanoseconds: try r.decode(forColumn: "created_ns")), notBefore: Timestamp(nanoseconds: try r.decode(forColumn: "not_before_ns")),
                  state: OutboxState(rawValue: try r.decode(forColumn: "state")) ?? .pending, attempts: try r.decode(forColumn: "attempts"),
                  nextAttempt: Timestamp(nanoseconds: try r.decode(forColumn: "next_attempt_ns")), lastError: try r.decode(forColumn: "last_error"),
                  delivered: (try r.decode(Int64?.self, forColumn: "delivered_ns")).map { Timestamp(nanoseconds: $0) },
                  sendingSince: (try r.decode(Int64?.self, forColumn: "sending_since_ns")).map { Timestamp(nanoseconds: $0) })
    }
}

extension AlertStore {
    /// Queues `entries` in one transaction and returns their row ids (in order).
    @discardableResult
    public func enqueueNotifications(_ entries: [OutboxEntry], now: Timestamp = .now()) throws -> [Int64] {
        guard !entries.isEmpty else { return [] }
        return try pool.write { db in try Self.enqueueNotifications(entries, now: now, db: db) }
    }

    /// The same, inside the caller's transaction: the processing step queues notifications
    /// in the commit that records the processing, so neither exists without the other.
    @discardableResult
    static func enqueueNotifications(_ entries: [OutboxEntry], now: Timestamp = .now(), db: Database) throws -> [Int64] {
        guard !entries.isEmpty else { return [] }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO notification_outbox (channel, group_key, kind, priority, payload, created_ns,
                not_before_ns, state, attempts, next_attempt_ns)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)
            """)
        var ids: [Int64] = []
        ids.reserveCapacity(entries.count)
        for e in entries {
            try statement.execute(arguments: [e.channel, e.groupKey, e.kind, e.priority.rawValue, e.payload,
                                              now.nanoseconds, e.notBefore.nanoseconds, e.notBefore.nanoseconds])
            ids.append(db.lastInsertedRowID)
        }
        return ids
    }

    /// The channel's oldest pending row: what it must send next (delivery is in order per channel).
    public func nextPendingNotification(channel: String) throws -> OutboxRow? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Outbox.columns) FROM notification_outbox WHERE channel = ? AND state = 'pending' ORDER BY id LIMIT 1",
                             arguments: [channel]).map(Outbox.row)
        }
    }

    /// Pending rows of one group created before `createdBefore`, oldest first: one message's worth.
    public func pendingNotifications(channel: String, groupKey: String, createdBefore: Timestamp, limit: Int) throws -> [OutboxRow] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Outbox.columns) FROM notification_outbox
                WHERE channel = ? AND group_key = ? AND state = 'pending' AND created_ns < ? ORDER BY id LIMIT ?
                """, arguments: [channel, groupKey, createdBefore.nanoseconds, limit]).map(Outbox.row)
        }
    }

    /// The channel's oldest pending rows whatever their group (a digest when the channel is throttled).
    public func pendingNotifications(channel: String, limit: Int) throws -> [OutboxRow] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Outbox.columns) FROM notification_outbox WHERE channel = ? AND state = 'pending' ORDER BY id LIMIT ?",
                             arguments: [channel, limit]).map(Outbox.row)
        }
    }

    /// Notes that a send of `ids` starts (see ``OutboxRow/sendingSince``).
    public func markNotificationsSending(_ ids: [Int64], at time: Timestamp = .now()) throws {
        try update(ids, sql: "UPDATE notification_outbox SET sending_since_ns = ?, attempts = attempts + 1 WHERE id = ?",
                   [time.nanoseconds])
    }

    /// Only after a 2xx: from here on the rows are never sent again.
    public func markNotificationsDelivered(_ ids: [Int64], at time: Timestamp = .now()) throws {
        try update(ids, sql: "UPDATE notification_outbox SET state = 'delivered', delivered_ns = ?, sending_since_ns = NULL, last_error = NULL WHERE id = ?",
                   [time.nanoseconds])
    }

    /// A transient failure: try again at `nextAttempt`.
    public func scheduleNotificationRetry(_ ids: [Int64], at nextAttempt: Timestamp, error: String) throws {
        try update(ids, sql: "UPDATE notification_outbox SET next_attempt_ns = ?, last_error = ?, sending_since_ns = NULL WHERE id = ?",
                   [nextAttempt.nanoseconds, error])
    }

    /// A permanent failure: kept, with its reason, for `tradsec notify outbox --failed`.
    public func markNotificationsFailed(_ ids: [Int64], error: String) throws {
        try update(ids, sql: "UPDATE notification_outbox SET state = 'failed', last_error = ?, sending_since_ns = NULL WHERE id = ?",
                   [error])
    }

    /// Puts failed rows back in the queue (after the operator fixed the channel); returns how many.
    /// `created_ns` restarts at `now` too: the give-up age counts from the requeue, or an old
    /// row would be failed again after its first transient error.
    @discardableResult
    public func requeueFailedNotifications(channel: String? = nil, now: Timestamp = .now()) throws -> Int {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE notification_outbox SET state = 'pending', next_attempt_ns = ?, created_ns = ?, attempts = 0
                WHERE state = 'failed' AND (? IS NULL OR channel = ?)
                """, arguments: [now.nanoseconds, now.nanoseconds, channel, channel])
            return db.changesCount
        }
    }

    /// Drops delivered rows older than `before` (failed and pending rows are never dropped).
    @discardableResult
    public func pruneDeliveredNotifications(before: Timestamp) throws -> Int {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM notification_outbox WHERE state = 'delivered' AND delivered_ns < ?",
                           arguments: [before.nanoseconds])
            return db.changesCount
        }
    }

    /// Counts per channel and state, and each channel's oldest pending row. Without
    /// `countDelivered` the delivered rows (the bulk, kept for days) are not counted, which keeps
    /// the query on the state index for frequent callers such as /metrics.
    public func outboxSummary(countDelivered: Bool = true) throws -> [OutboxChannelSummary] {
        try pool.read { db in
            var byChannel: [String: OutboxChannelSummary] = [:]
            let filter = countDelivered ? "" : "WHERE state IN ('pending', 'failed')"
            for r in try Row.fetchAll(db, sql: """
                SELECT channel, state, count(*) AS n, min(created_ns) AS oldest FROM notification_outbox \(filter) GROUP BY channel, state
                """) {
                let channel: String = try r.decode(forColumn: "channel")
                var s = byChannel[channel] ?? OutboxChannelSummary(channel: channel)
                let n: Int = try r.decode(forColumn: "n")
                switch OutboxState(rawValue: try r.decode(forColumn: "state")) {
                case .pending:
                    s.pending = n
                    s.oldestPendingCreated = (try r.decode(Int64?.self, forColumn: "oldest")).map { Timestamp(nanoseconds: $0) }
                case .delivered: s.delivered = n
                case .failed: s.failed = n
                case nil: break
                }
                byChannel[channel] = s
            }
            return byChannel.values.sorted { $0.channel < $1.channel }
        }
    }

    /// Rows for inspection, newest first; `state` nil means all.
    public func outboxRows(state: OutboxState? = nil, channel: String? = nil, limit: Int = 50) throws -> [OutboxRow] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Outbox.columns) FROM notification_outbox
                WHERE (? IS NULL OR state = ?) AND (? IS NULL OR channel = ?) ORDER BY id DESC LIMIT ?
                """, arguments: [state?.rawValue, state?.rawValue, channel, channel, limit]).map(Outbox.row)
        }
    }

    private func update(_ ids: [Int64], sql: String, _ leading: [(any DatabaseValueConvertible)?]) throws {
        guard !ids.isEmpty else { return }
        try pool.write { db in
            let statement = try db.cachedStatement(sql: sql)
            for id in ids {
                try statement.execute(arguments: StatementArguments(leading + [id]))
            }
        }
    }
}
