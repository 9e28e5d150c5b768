import CurlClient
import TradsecCore

/// What a channel's format produces for one message: an HTTP request or a mail.
public enum ChannelRequest: Sendable {
    case http(HTTPRequest)
    case smtp(SMTPMessage)
}

/// One message to build: a channel, the notifications it carries (one group, oldest first)
/// and the secrets' environment.
struct MessageContext {
    var channel: ChannelConfig
    var items: [QueuedNotification]
    var environment: [String: String]

    var notifications: [Notification] { items.map(\.notification) }
    var first: Notification { items[0].notification }

    /// The same for every attempt of this message (the first row never changes), so a resend
    /// after a crash is recognisable by receivers that deduplicate.
    var idempotencyKey: String { "tradsec-\(channel.name)-\(items[0].rowID)" }

    /// The most severe priority in the message.
    var priority: Priority { notifications.map(\.priority).max() ?? first.priority }

    /// "Critical: Read sensitive file (+3 more)".
    var headline: String {
        let title = first.title.isEmpty ? "tradsec \(first.kind.rawValue): \(first.rule)" : first.title
        return items.count == 1 ? title : "\(title) (+\(items.count - 1) more)"
    }

    func secret(_ s: Secret?, _ what: String) throws -> String {
        guard let s else { throw NotifyError.channelConfig(channel: channel.name, problem: "has no \(what)") }
        return try s.resolve(environment)
    }

    func httpRequest(url: String, json: JSONValue, headers: [(name: String, value: String)] = []) -> HTTPRequest {
        var request = HTTPRequest.postJSON(url, body: Array(JSONWriter.string(json).utf8),
                                           headers: [("User-Agent", "tradsec/notify")] + headers, timeout: channel.timeout)
        request.caFile = channel.caFile
        request.maxResponseBytes = 1 << 20
        return request
    }
}

/// Builds the request for a message in the format of the channel's service.
enum ChannelFormats {
    static func request(_ context: MessageContext) throws -> ChannelRequest {
        switch context.channel.kind {
        case .slack: .http(try SlackFormat.request(context))
        case .telegram: .http(try TelegramFormat.request(context))
        case .discord: .http(try DiscordFormat.request(context))
        case .webhook: .http(try WebhookFormat.request(context))
        case .pagerduty: .http(try PagerDutyFormat.request(context))
        case .alertmanager: .http(try AlertmanagerFormat.request(context))
        case .email: .smtp(try EmailFormat.message(context))
        }
    }

    /// The same message without markup, for a service that refused the markup of the first
    /// (``MarkupRefusal``); nil for services whose requests carry no markup.
    static func plainRequest(_ context: MessageContext) throws -> HTTPRequest? {
        switch context.channel.kind {
        case .slack: try SlackFormat.plainRequest(context)
        case .telegram: try TelegramFormat.plainRequest(context)
        case .discord: try DiscordFormat.plainRequest(context)
        case .webhook, .pagerduty, .alertmanager, .email: nil
        }
    }
}

extension JSONValue {
    static func obj(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(pairs)) }
}
