import AlertStore
import Foundation
import TradsecCore

/// Delivers the outbox: one thread per channel, so a slow or dead receiver never holds up the
/// others. Each channel sends its rows in order (oldest first); a failed send holds the channel
/// back (exponential backoff with jitter, or the receiver's Retry-After) instead of letting
/// later rows overtake. A row is marked delivered only after a 2xx, in the database, so a
/// restart resumes exactly where the last one stopped (see docs/notifications.md for the
/// at-least-once boundary of a send the process died during).
public final class NotificationDispatcher: @unchecked Sendable {
    public struct Options: Sendable {
        /// How often an idle channel looks for rows another process queued.
        public var pollInterval: Double = 1
        /// Where `*_env` secrets are read from when a message is sent.
        public var environment: [String: String] = ProcessInfo.processInfo.environment
        /// Delivered rows are kept this long for inspection, then pruned.
        public var keepDelivered: Double = 7 * 86_400
        /// One line per retry, failure and recovery (never a secret); nil: silent.
        public var log: (@Sendable (String) -> Void)?
        public init() {}
    }

    public let outbox: NotificationOutbox
    public let config: NotificationConfig
    private let store: AlertStore
    private let workers: [ChannelWorker]
    private let lock = NSLock()
    private var started = false
    private var lockFile: Int32 = -1

    public init(store: AlertStore, config: NotificationConfig, options: Options = Options()) {
        self.store = store
        self.config = config
        outbox = NotificationOutbox(store: store, config: config)
        workers = config.channels.enumerated().map { ChannelWorker(channel: $0.element, store: store, options: options, prunes: $0.offset == 0) }
    }

    /// Queues notifications (one transaction) and wakes the channels that got rows.
    @discardableResult
    public func enqueue(_ notifications: [Notification]) throws -> Int {
        let n = try outbox.enqueue(notifications)
        wake()
        return n
    }

    /// Tells every channel to look at the outbox now (after another component queued rows).
    public func wake() { workers.forEach { $0.wake() } }

    /// Starts a thread per channel. Only one dispatcher may deliver from a history at a time
    /// (two would send every row twice): a second one, in this process or another, is refused.
    /// The lock is an flock on `<history>-notify.lock`, released by the kernel if the process dies.
    public func start() throws {
        lock.lock(); defer { lock.unlock() }
        guard !started else { return }
        let path = store.path + "-notify.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw NotifyError.cannotOpenLock(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw NotifyError.alreadyDispatching(store: store.path)
        }
        lockFile = fd
        started = true
        workers.forEach { $0.start() }
    }

    /// Stops taking new work once nothing is due, or after `drainFor` seconds of sending what
    /// is due; a send in flight always completes (its result is recorded). Returns when every
    /// channel thread has finished.
    public func stop(drainFor: Double = 5) {
        lock.lock()
        let wasStarted = started
        started = false
        lock.unlock()
        guard wasStarted else { return }
        workers.forEach { $0.requestStop(drainFor: drainFor) }
        workers.forEach { $0.join() }
        lock.lock()
        if lockFile >= 0 { close(lockFile); lockFile = -1 }   // closing releases the flock
        lock.unlock()
    }

    /// Outbox counts (from the database) and what each channel did since start (in memory).
    public func stats(now: Timestamp = .now()) -> NotificationStats {
        let summaries = (try? store.outboxSummary(countDelivered: false)) ?? []
        var channels: [NotificationStats.Channel] = []
        for worker in workers {
            var c = worker.snapshot()
            if let s = summaries.first(where: { $0.channel == c.name }) { c.apply(s, now: now) }
            channels.append(c)
        }
        // Rows of channels no longer configured still count: they are not delivered.
        for s in summaries where !workers.contains(where: { $0.channel.name == s.channel }) {
            var c = NotificationStats.Channel(name: s.channel, type: "unconfigured")
            c.apply(s, now: now)
            channels.append(c)
        }
        return NotificationStats(channels: channels)
    }
}

/// One channel's sending loop and counters.
final class ChannelWorker: @unchecked Sendable {
    let channel: ChannelConfig
    private let store: AlertStore
    private let options: NotificationDispatcher.Options
    private let backoff: Backoff
    private let prunes: Bool
    private let condition = NSCondition()
    private let done = DispatchSemaphore(value: 0)
    // Guarded by `condition`.
    private var stopping = false
    private var drainDeadline = 0.0
    private var woken = false
    private var running = false
    private var counters: NotificationStats.Channel
    // Used by the channel's thread only.
    private var bucket: TokenBucket?
    private var throttled = false
    /// The last look at the outbox found nothing pending for this channel.
    private var idle = false
    private var lastPrune = 0.0

    init(channel: ChannelConfig, store: AlertStore, options: NotificationDispatcher.Options, prunes: Bool) {
        self.channel = channel
        self.store = store
        self.options = options
        self.prunes = prunes
        backoff = Backoff(initial: channel.retryInitial, max: channel.retryMax)
        counters = NotificationStats.Channel(name: channel.name, type: channel.kind.rawValue)
        bucket = channel.rateLimit.map { TokenBucket($0, now: Monotonic.seconds()) }
    }

    func start() {
        condition.lock()
        stopping = false
        running = true
        condition.unlock()
        let thread = Thread { [self] in loop() }
        thread.name = "notify-\(channel.name)"
        thread.start()
    }

    func wake() {
        condition.lock()
        woken = true
        condition.signal()
        condition.unlock()
    }

    func requestStop(drainFor: Double) {
        condition.lock()
        stopping = true
        drainDeadline = Monotonic.seconds() + drainFor
        condition.signal()
        condition.unlock()
    }

    func join() {
        condition.lock()
        let wasRunning = running
        condition.unlock()
        if wasRunning { done.wait() }
    }

    func snapshot() -> NotificationStats.Channel {
        condition.lock(); defer { condition.unlock() }
        return counters
    }

    private func loop() {
        while true {
            // Whether this look at the outbox began after the stop request: only such a look
            // has seen every row queued before stop() was called, so only it may end the drain.
            condition.lock()
            let lookAfterStop = stopping
            condition.unlock()
            var wait: Double
            do {
                wait = try step()
            } catch {
                log("outbox error: \(error)")
                wait = options.pollInterval
            }
            condition.lock()
            // Draining: stop when nothing is pending, or when what is pending will not be due
            // (grouping window, backoff, rate limit) before the drain deadline.
            if stopping && (Monotonic.seconds() >= drainDeadline || lookAfterStop && (idle || Monotonic.seconds() + wait > drainDeadline)) {
                running = false
                condition.unlock()
                break
            }
            if wait > 0 && !woken {
                _ = condition.wait(until: Date(timeIntervalSinceNow: min(wait, options.pollInterval)))
            }
            woken = false
            condition.unlock()
        }
        done.signal()
    }

    /// Sends the next message if one is due; returns 0 after a send, else how long to wait.
    private func step() throws -> Double {
        if prunes && Monotonic.seconds() - lastPrune > 3600 {
            lastPrune = Monotonic.seconds()
            try store.pruneDeliveredNotifications(before: Timestamp.now().adding(nanoseconds: -Int64(saturating: options.keepDelivered * 1e9)))
        }
        guard let head = try store.nextPendingNotification(channel: channel.name) else {
            throttled = false
            idle = true
            return options.pollInterval
        }
        idle = false
        let now = Timestamp.now()
        let due = max(head.notBefore, head.nextAttempt)
        if due > now { return max(0.001, Double(due.nanoseconds &- now.nanoseconds) / 1e9) }
        if head.attempts > 0 && Double(now.nanoseconds &- head.created.nanoseconds) / 1e9 > channel.giveUpAfter {
            let reason = "gave up after \(head.attempts) attempts over \(Duration.describe(nanoseconds: now.nanoseconds &- head.created.nanoseconds)): \(head.lastError ?? "no reply")"
            try store.markNotificationsFailed([head.id], error: reason)
            record { $0.permanentFailures += 1; $0.lastError = reason }
            log("notification \(head.id) failed: \(reason)")
            return 0
        }
        if var b = bucket {
            let wait = b.wait(now: Monotonic.seconds())
            bucket = b
            if wait > 0 {
                throttled = true
                return wait
            }
        }
        let rows = try messageRows(head: head, now: now)
        throttled = false
        bucket?.take(now: Monotonic.seconds())
        try send(rows, attempt: head.attempts + 1)
        return 0
    }

    /// The rows of the next message: the head's group (rows of the same key created within the
    /// grouping window after the head), or, right after the rate limit held the channel back,
    /// a digest of the oldest due rows whatever their group, so a flood drains at the limit.
    private func messageRows(head: OutboxRow, now: Timestamp) throws -> [OutboxRow] {
        if throttled {
            let rows = try store.pendingNotifications(channel: channel.name, limit: channel.maxGroup)
            return Array(rows.prefix { $0.notBefore <= now && $0.nextAttempt <= now })
        }
        if channel.groupWindow > 0 {
            let end = head.created.adding(nanoseconds: Int64(saturating: channel.groupWindow * 1e9))
            let rows = try store.pendingNotifications(channel: channel.name, groupKey: head.groupKey, createdBefore: end, limit: channel.maxGroup)
            return rows.isEmpty ? [head] : rows
        }
        return [head]
    }

    private func send(_ rows: [OutboxRow], attempt: Int) throws {
        var items: [QueuedNotification] = []
        for row in rows {
            do {
                items.append(QueuedNotification(rowID: row.id, notification: try Notification(json: row.payload)))
            } catch {
                try store.markNotificationsFailed([row.id], error: "\(error)")
            }
        }
        guard !items.isEmpty else { return }
        let ids = items.map(\.rowID)
        try store.markNotificationsSending(ids)
        let delivery = ChannelSender.deliver(items, channel: channel, environment: options.environment)
        if let refusal = delivery.markupRefused {
            // The resend is a second attempt: the rows' attempt count says so.
            try store.markNotificationsSending(ids)
            record { $0.plainTextFallbacks += 1 }
            log("the receiver refused the markup (\(refusal)); sent again as plain text")
        }
        switch delivery.outcome {
        case .delivered:
            try store.markNotificationsDelivered(ids)
            let hadErrors = snapshot().lastError != nil
            record {
                $0.messagesSent += 1
                $0.notificationsDelivered += ids.count
                $0.lastError = nil
            }
            if hadErrors { log("delivering again (\(ids.count) notification\(ids.count == 1 ? "" : "s"))") }
        case .retry(let reason, let after):
            // `after` is already within DeliveryOutcome.retryAfterWindow.
            let delay = min(3600, after ?? backoff.delay(attempt: attempt))
            try store.scheduleNotificationRetry(ids, at: Timestamp.now().adding(nanoseconds: Int64(saturating: delay * 1e9)), error: reason)
            record { $0.retries += 1; $0.lastError = reason }
            log("attempt \(attempt) failed (\(reason)); next in \(String(format: "%.1f", delay))s")
        case .permanent(let reason):
            try store.markNotificationsFailed(ids, error: reason)
            record { $0.permanentFailures += ids.count; $0.lastError = reason }
            log("refused for good (\(reason)); \(ids.count) notification\(ids.count == 1 ? "" : "s") marked failed")
        }
    }

    private func record(_ change: (inout NotificationStats.Channel) -> Void) {
        condition.lock()
        change(&counters)
        condition.unlock()
    }

    private func log(_ line: String) {
        options.log?("notify \(channel.name): \(line)")
    }
}

