import AlertStore
import ArgumentParser
import Assembly
import Foundation
import Notify
import TradsecCore

/// `tradsec notify`: test a channel, inspect the outbox, run the dispatcher.
struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Notification channels and their persistent outbox.",
        discussion: """
            Channels are configured under 'notifications:' in config.yaml (see docs/notifications.md).
            'tradsec serve' delivers notifications as alerts arrive; 'tradsec notify run' delivers
            what is queued in the history's outbox on its own.
            """,
        subcommands: [NotifyTestCommand.self, NotifyOutboxCommand.self, NotifyRetryCommand.self, NotifyRunCommand.self]
    )
}

/// `--config`, shared by the notify commands.
struct NotifyConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The config file (default: $XDG_CONFIG_HOME/tradsec/config.yaml).", valueName: "path"))
    var config: String?

    func load() throws(AssemblyError) -> NotificationConfig {
        try TradsecConfig.section(NotificationConfig.self, flag: config)
    }
}

struct NotifyTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Send a test message through one channel now (not through the outbox) and print the result."
    )

    @OptionGroup var options: NotifyConfigOptions

    @Option(help: ArgumentHelp("The channel's name in the config.", valueName: "name"))
    var channel: String

    func run() throws {
        try reportingErrors {
            let config = try options.load()
            guard let channel = config.channel(named: channel) else {
                let names = config.channels.map(\.name)
                throw CLIError.usage("no channel named '\(self.channel)' (configured: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
            }
            let host = hostName()
            let notification = Notification(kind: .test, priority: max(channel.minPriority, .warning), rule: "tradsec test",
                                             host: host, title: "tradsec test notification",
                                             text: "If you can read this, channel '\(channel.name)' (\(channel.kind.rawValue)) reaches you from \(host).")
            let started = Timestamp.now()
            let outcome = ChannelSender.send([QueuedNotification(rowID: 0, notification: notification)], channel: channel,
                                             environment: ProcessInfo.processInfo.environment)
            let ms = (Timestamp.now().nanoseconds - started.nanoseconds) / 1_000_000
            switch outcome {
            case .delivered(let status):
                Terminal.write("\(channel.name): delivered (\(channel.kind == .email ? "mail accepted" : "HTTP \(status)")) in \(ms) ms\n")
            case .retry(let reason, _):
                throw CLIError.unavailable("\(channel.name): not delivered, would be retried: \(TerminalSafe.escape(reason))")
            case .permanent(let reason):
                throw CLIError.unavailable("\(channel.name): refused: \(TerminalSafe.escape(reason))")
            }
        }
    }
}

func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    gethostname(&buffer, buffer.count - 1)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
