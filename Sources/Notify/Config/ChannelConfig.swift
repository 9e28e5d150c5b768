import Foundation
import TradsecCore

/// A secret (webhook URL, bot token, routing key, SMTP password): written in the config, or
/// named there and read from the environment when a message is sent. Never stored in the
/// outbox and never printed: `description` says where it comes from, not what it is.
public enum Secret: Sendable, Equatable, CustomStringConvertible {
    case inline(String)
    case environment(String)

    public func resolve(_ environment: [String: String]) throws -> String {
        switch self {
        case .inline(let value): return value
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw NotifyError.missingSecret(variable: name)
            }
            return value
        }
    }

    public var description: String {
        switch self {
        case .inline: "(set in the config)"
        case .environment(let name): "$\(name)"
        }
    }
}

/// "20/min": at most `count` messages per `per` seconds, in bursts of up to `count`.
public struct RateLimit: Sendable, Equatable {
    public var count: Int
    public var per: Double

    public init(count: Int, per: Double) {
        self.count = count
        self.per = per
    }

    /// `N/s`, `N/sec`, `N/min`, `N/h`, `N/hour`, or `N/<duration>` (`5/10s`).
    public init?(text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let n = Int(parts[0]), n > 0 else { return nil }
        let seconds: Double
        switch parts[1].lowercased() {
        case "s", "sec", "second": seconds = 1
        case "m", "min", "minute": seconds = 60
        case "h", "hour": seconds = 3600
        default:
            guard let ns = Duration.parse(parts[1]), ns > 0 else { return nil }
            seconds = Double(ns) / 1e9
        }
        self.init(count: n, per: seconds)
    }
}

/// One notification channel from the `notifications.channels` list of config.yaml.
public struct ChannelConfig: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case slack, telegram, discord, webhook, pagerduty, email, alertmanager
    }

    public var name: String
    public var kind: Kind
    /// Only notifications at least this severe are queued for the channel.
    public var minPriority: Priority = .warning
    /// Alerts of the same rule and container within this window go out as one message (0: no grouping).
    public var groupWindow: Double = 0
    public var rateLimit: RateLimit?
    /// Whole-request limit for one send.
    public var timeout: Double = 10
    /// Exponential backoff between attempts, with jitter: from `retryInitial` up to `retryMax`.
    public var retryInitial: Double = 2
    public var retryMax: Double = 300
    /// A notification still undelivered this long after it was queued is marked failed.
    public var giveUpAfter: Double = 86_400
    /// At most this many notifications in one message.
    public var maxGroup: Int = 20

    /// The receiver: webhook URL (Slack, Discord, generic), Events API URL (PagerDuty),
    /// Bot API base (Telegram), smtp:// URL (e-mail), Alertmanager base URL.
    public var url: Secret?
    public var token: Secret?          // Telegram bot token
    public var chatID: String?         // Telegram chat
    public var routingKey: Secret?     // PagerDuty integration key
    public var from: String?           // e-mail
    public var to: [String] = []
    public var username: String?
    public var password: Secret?
    public var requireTLS = false
    public var headers: [String: Secret] = [:]   // generic webhook: extra headers (e.g. Authorization)
    public var displayName: String?    // Discord webhook username
    public var caFile: String?

    /// Where the channel was defined (file:line), for messages about it.
    public var origin: String = ""

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// Every secret value the channel uses, resolved: scrubbed from any error text we keep.
    func secretValues(_ environment: [String: String]) -> [String] {
        var values = ([url, token, routingKey, password] + headers.values.map { Optional($0) })
            .compactMap { try? $0?.resolve(environment) }
        // A webhook URL's secret is its path (Slack's /services/T…/B…/X…): a receiver echoing
        // only the path must not leak it either.
        if let full = try? url?.resolve(environment), let scheme = full.range(of: "://"),
           let slash = full[scheme.upperBound...].firstIndex(of: "/") {
            values.append(String(full[slash...]))
        }
        // Longest first, so a URL is replaced whole before its path is.
        return values.filter { $0.count >= 6 }.sorted { $0.count > $1.count }
    }
}

/// The default receiver URLs of the hosted services.
enum ServiceURL {
    static let pagerDuty = "https://events.pagerduty.com/v2/enqueue"
    static let telegram = "https://api.telegram.org"
}
