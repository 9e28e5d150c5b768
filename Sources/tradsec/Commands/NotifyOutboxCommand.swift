import AlertStore
import ArgumentParser
import Notify
import TradsecCore

struct NotifyOutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Show the notification outbox: counts per channel, then the latest rows."
    )

    @OptionGroup var store: StoreOptions

    @Flag(help: "Only notifications that failed for good (with the reason).")
    var failed = false

    @Flag(help: "Only notifications still waiting to be delivered.")
    var pending = false

    @Option(help: ArgumentHelp("Only this channel.", valueName: "name"))
    var channel: String?

    @Option(help: ArgumentHelp("At most this many rows.", valueName: "n"))
    var limit = 20

    func run() throws {
        try reportingErrors {
            let history = try store.open()
            let now = Timestamp.now()
            let summary = try history.outboxSummary().filter { channel == nil || $0.channel == channel }
            if summary.isEmpty {
                Terminal.printError("the outbox is empty")
                return
            }
            Terminal.write("channel               pending  delivered  failed  oldest pending\n")
            for s in summary {
                let age = s.oldestPendingCreated.map { Duration.describe(nanoseconds: now.nanoseconds - $0.nanoseconds) } ?? "-"
                Terminal.write(pad(TerminalSafe.escape(s.channel), 20) + "  " + lpad(s.pending, 7) + "  " + lpad(s.delivered, 9)
                               + "  " + lpad(s.failed, 6) + "  " + age + "\n")
            }
            let state: OutboxState? = failed ? .failed : pending ? .pending : nil
            let rows = try history.outboxRows(state: state, channel: channel, limit: limit)
            guard !rows.isEmpty else { return }
            Terminal.write("\n")
            for r in rows {
                let title = (try? Notification(json: r.payload).title) ?? "(unreadable)"
                var line = "#\(r.id)  \(r.created.rfc3339(fractionDigits: 0))  \(r.channel)  \(r.state.rawValue)"
                line += "  attempts \(r.attempts)"
                if r.state == .pending && r.nextAttempt > now {
                    line += "  next in \(Duration.describe(nanoseconds: r.nextAttempt.nanoseconds - now.nanoseconds))"
                }
                if r.sendingSince != nil { line += "  (was being sent when the dispatcher stopped)" }
                Terminal.write(TerminalSafe.escape(line) + "\n    " + TerminalSafe.escape(title) + "\n")
                if let error = r.lastError { Terminal.write("    last error: " + TerminalSafe.escape(error) + "\n") }
            }
        }
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    private func lpad(_ v: Int, _ n: Int) -> String { let s = String(v); return s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
}

struct NotifyRetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Queue failed notifications again (after fixing the channel)."
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Only this channel.", valueName: "name"))
    var channel: String?

    func run() throws {
        try reportingErrors {
            let n = try store.open().requeueFailedNotifications(channel: channel)
            Terminal.write("\(n) notification\(n == 1 ? "" : "s") queued again\n")
        }
    }
}
