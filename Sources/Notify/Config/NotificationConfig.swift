import Config
import TradsecCore

/// The `notifications:` section of config.yaml.
///
/// ```yaml
/// notifications:
///   channels:
///     - name: oncall-slack
///       type: slack            # slack|telegram|discord|webhook|pagerduty|email|alertmanager
///       url_env: SLACK_URL     # or url: https://hooks.slack.com/services/...
///       min_priority: warning
///       group_window: 30s
///       rate_limit: 20/min
/// ```
/// Unknown keys are refused with file:line, so a typo never silently drops a channel's setting.
public struct NotificationConfig: Sendable, Equatable {
    public var channels: [ChannelConfig] = []

    public init() {}
    public init(channels: [ChannelConfig]) { self.channels = channels }

    public func channel(named name: String) -> ChannelConfig? { channels.first { $0.name == name } }
}

extension NotificationConfig: ConfigSection {
    public static let key = "notifications"

    public init(config value: ConfigValue) throws(ConfigError) {
        self.init()
        let m = try value.mapping(known: ["channels"])
        guard let list = m["channels"] else { return }
        for item in try list.list() {
            let channel = try ChannelConfig(config: item)
            if let first = channels.first(where: { $0.name == channel.name }) {
                throw item.invalid("a second channel named '\(channel.name)' (the first is at \(first.origin))")
            }
            channels.append(channel)
        }
    }
}

extension ChannelConfig {
    static let commonKeys = ["name", "type", "min_priority", "group_window", "rate_limit", "timeout",
                             "retry_initial", "retry_max", "give_up_after", "max_group"]
    static let specificKeys: [Kind: [String]] = [
        .slack: ["url", "url_env", "ca_file"],
        .discord: ["url", "url_env", "username", "ca_file"],
        .webhook: ["url", "url_env", "headers", "headers_env", "ca_file"],
        .telegram: ["token", "token_env", "chat_id", "api_url", "ca_file"],
        .pagerduty: ["routing_key", "routing_key_env", "url", "ca_file"],
        .email: ["url", "from", "to", "username", "password", "password_env", "require_tls"],
        .alertmanager: ["url", "url_env", "ca_file"],
    ]

    /// One item of `notifications.channels`: its name and type first, then the keys that type has.
    init(config value: ConfigValue) throws(ConfigError) {
        let entries = try value.entries()
        func first(_ key: String) -> ConfigValue? { entries.first { $0.key == key }?.value }
        guard let nameValue = first("name") else { throw .missingKey(value.location, key: "name", section: "a channel") }
        let name = try nameValue.string()
        guard let typeValue = first("type") else {
            throw .missingKey(value.location, key: "type (\(Kind.allCases.map(\.rawValue).joined(separator: "|")))", section: "channel '\(name)'")
        }
        let kind = try typeValue.name(of: Kind.self)
        let section = "channel '\(name)' (\(kind.rawValue))"
        let m = try value.mapping(known: Self.commonKeys + (Self.specificKeys[kind] ?? []), section: section)
        self.init(name: name, kind: kind)
        origin = value.location.description

        func secret(_ key: String) throws(ConfigError) -> Secret? {
            if let inline = m[key], m[key + "_env"] != nil { throw inline.invalid("give \(key) or \(key)_env, not both") }
            if let inline = m[key] { return .inline(try inline.string()) }
            if let env = m[key + "_env"] { return .environment(try env.string()) }
            return nil
        }
        func required<T>(_ found: T?, _ what: String) throws(ConfigError) -> T {
            guard let found else { throw .missingKey(value.location, key: what, section: section) }
            return found
        }

        if let v = m["min_priority"] {
            guard let priority = Priority(name: (try? v.text()) ?? "") else { throw v.wrongType("a Falco priority (\(Priority.acceptedSpellings))") }
            minPriority = priority
        }
        if let v = m["group_window"] { groupWindow = Double(try v.duration(minimum: 0)) / 1e9 }
        if let v = m["rate_limit"] {
            guard let limit = RateLimit(text: (try? v.text()) ?? "") else { throw v.wrongType("N/sec, N/min, N/hour or N/<duration>") }
            rateLimit = limit
        }
        if let v = m["timeout"] { timeout = max(0.1, try v.seconds()) }
        if let v = m["retry_initial"] { retryInitial = max(0.01, try v.seconds()) }
        if let v = m["retry_max"] { retryMax = max(retryInitial, try v.seconds()) }
        if let v = m["give_up_after"] { giveUpAfter = try v.seconds() }
        if let v = m["max_group"] { maxGroup = try v.positiveInt() }
        if let v = m["ca_file"] { caFile = try v.path() }

        switch kind {
        case .slack, .discord, .webhook, .alertmanager:
            url = try required(try secret("url"), "url or url_env")
            if let inline = m["url"] { _ = try inline.url(secret: true) }
            if let v = m["username"] { displayName = try v.string() }
            if let h = m["headers"] {
                for entry in try h.entries() { headers[entry.key] = .inline(try entry.value.text()) }
            }
            if let h = m["headers_env"] {
                for entry in try h.entries() { headers[entry.key] = .environment(try entry.value.string()) }
            }
        case .telegram:
            token = try required(try secret("token"), "token or token_env")
            chatID = try required(m["chat_id"], "chat_id").string()
            url = .inline(try m["api_url"]?.url() ?? ServiceURL.telegram)
        case .pagerduty:
            routingKey = try required(try secret("routing_key"), "routing_key or routing_key_env")
            url = .inline(try m["url"]?.url() ?? ServiceURL.pagerDuty)
        case .email:
            url = .inline(try required(m["url"], "url (smtp://host:port or smtps://)").url(schemes: ["smtp", "smtps"], secret: true))
            let fromValue = try required(m["from"], "from: an address")
            let from = try fromValue.string()
            self.from = from
            to = try m["to"]?.strings() ?? []
            guard !to.isEmpty else { throw .missingKey(value.location, key: "to: an address or a list of them", section: section) }
            for address in [from] + to where !address.contains("@") || address.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "<" || $0 == ">" || $0 == "," }) {
                throw (address == from ? fromValue : m["to"]!).wrongType("a plain e-mail address")
            }
            if let v = m["username"] { username = try v.string() }
            password = try secret("password")
            if let v = m["require_tls"] { requireTLS = try v.bool() }
        }
    }
}
