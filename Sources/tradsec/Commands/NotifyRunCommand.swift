import AlertStore
import ArgumentParser
import Notify
import TradsecCore

#if canImport(Glibc)
import Glibc
#endif

/// Runs the dispatcher alone until SIGINT/SIGTERM: delivers what is in the outbox (queued by
/// `tradsec serve` or an earlier run) and keeps retrying. Also what the kill -9 test drives.
struct NotifyRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Deliver the outbox until stopped (SIGINT/SIGTERM drains what is due, then exits)."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: NotifyConfigOptions

    @Option(help: ArgumentHelp("Exit once nothing is pending (or after this many seconds waiting).", valueName: "seconds"))
    var untilEmpty: Double?

    @Option(help: ArgumentHelp("How often idle channels look for new rows, in seconds.", valueName: "seconds"))
    var poll: Double = 1

    func run() throws {
        try reportingErrors {
            let config = try options.load()
            guard !config.channels.isEmpty else { throw CLIError.config("no notification channels configured") }
            let history = try store.open()
            var dispatcherOptions = NotificationDispatcher.Options()
            dispatcherOptions.pollInterval = poll
            dispatcherOptions.log = { Terminal.printError(TerminalSafe.escape($0)) }
            let dispatcher = NotificationDispatcher(store: history, config: config, options: dispatcherOptions)
            let stop = StopSignal.install()
            do { try dispatcher.start() } catch { throw CLIError.tempFail("\(error)") }
            let started = Timestamp.now()
            while !stop.isSet {
                usleep(100_000)
                if let limit = untilEmpty {
                    if dispatcher.stats().pending == 0 { break }
                    if Double(Timestamp.now().nanoseconds - started.nanoseconds) / 1e9 > limit { break }
                }
            }
            dispatcher.stop(drainFor: 5)
            let stats = dispatcher.stats()
            Terminal.printError("notify: \(stats.delivered) delivered, \(stats.pending) pending, \(stats.failed) failed")
        }
    }
}
