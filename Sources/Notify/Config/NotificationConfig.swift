#if canImport(Glibc)
import Glibc
#endif
import TradsecCore
import Yams

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

    public init(channels: [ChannelConfig] = []) { self.channels = channels }

    public func channel(named name: String) -> ChannelConfig? { channels.first { $0.name == name } }

    public static var defaultPath: String { Paths.configDirectory + "/config.yaml" }

    /// The section from the config file at `path`; an absent file or section is no channels.
    public static func load(path: String = defaultPath) throws -> NotificationConfig {
        guard access(path, F_OK) == 0 else { return NotificationConfig() }
        let text: String
        do { text = try TextFile.read(path) } catch { throw NotifyError(error.description) }
        return try parse(configYAML: text, source: path)
    }

    /// Reads the `notifications:` section out of a whole config file's text.
    public static func parse(configYAML yaml: String, source: String) throws -> NotificationConfig {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch { throw NotifyError("\(source): \(error)") }
        guard let root, let map = root.mapping else { return NotificationConfig() }
        guard let section = map["notifications"] else { return NotificationConfig() }
        return try parse(node: section, source: source)
    }

    /// Parses the section itself (the value of `notifications:`).
    public static func parse(node: Node, source: String) throws -> NotificationConfig {
        var reader = SectionReader(source: source)
        return try reader.section(node)
    }
}

/// Walks the YAML nodes, keeping file:line for every message.
private struct SectionReader {
    let source: String

    func at(_ node: Node) -> String { source + (node.mark.map { ":\($0.line)" } ?? "") }

    func fail(_ node: Node, _ message: String) -> NotifyError { NotifyError("\(at(node)): \(message)") }

    mutating func section(_ node: Node) throws -> NotificationConfig {
        if case .scalar(let s) = node, s.string.isEmpty || s.string == "~" || s.string == "null" { return NotificationConfig() }
        guard let map = node.mapping else { throw fail(node, "notifications must be a mapping with a 'channels' list") }
        var config = NotificationConfig()
        for (key, value) in map {
            switch key.string {
            case "channels":
                guard let items = value.sequence else { throw fail(value, "channels must be a list") }
                for item in items { config.channels.append(try channel(item)) }
            default:
                throw fail(key, "unknown setting 'notifications.\(key.string ?? "?")' (channels)")
            }
        }
        var seen: Set<String> = []
        for channel in config.channels where !seen.insert(channel.name).inserted {
            throw NotifyError("\(channel.origin): a second channel named '\(channel.name)'")
        }
        return config
    }

    static let common: Set<String> = ["name", "type", "min_priority", "group_window", "rate_limit", "timeout",
                                      "retry_initial", "retry_max", "give_up_after", "max_group"]
    static let specific: [ChannelConfig.Kind: Set<String>] = [
        .slack: ["url", "url_env", "ca_file"],
        .discord: ["url", "url_env", "username", "ca_file"],
        .webhook: ["url", "url_env", "headers", "headers_env", "ca_file"],
        .telegram: ["token", "token_env", "chat_id", "api_url", "ca_file"],
        .pagerduty: ["routing_key", "routing_key_env", "url", "ca_file"],
        .email: ["url", "from", "to", "username", "password", "password_env", "require_tls"],
        .alertmanager: ["url", "url_env", "ca_file"],
    ]

    func channel(_ node: Node) throws -> ChannelConfig {
        guard let map = node.mapping else { throw fail(node, "each channel must be a mapping (name, type, ...)") }
        var values: [String: (key: Node, value: Node)] = [:]
        for (key, value) in map {
            guard let name = key.string else { throw fail(key, "channel keys must be strings") }
            values[name] = (key, value)
        }
        guard let nameNode = values["name"]?.value, let name = nameNode.string, !name.isEmpty else {
            throw fail(node, "a channel needs a name")
        }
        guard let typeNode = values["type"]?.value else { throw fail(node, "channel '\(name)' needs a type (\(kinds))") }
        guard let kind = ChannelConfig.Kind(rawValue: typeNode.string ?? "") else {
            throw fail(typeNode, "channel '\(name)': unknown type '\(typeNode.string ?? "?")' (\(kinds))")
        }
        let allowed = Self.common.union(Self.specific[kind] ?? [])
        for (key, entry) in values where !allowed.contains(key) {
            throw fail(entry.key, "channel '\(name)': unknown setting '\(key)' for type \(kind.rawValue) (\(allowed.sorted().joined(separator: ", ")))")
        }
        var c = ChannelConfig(name: name, kind: kind)
        c.origin = at(node)

        func text(_ key: String) throws -> String? {
            guard let v = values[key]?.value else { return nil }
            guard let s = v.string, v.scalar != nil else { throw fail(v, "channel '\(name)': \(key) must be text") }
            return s
        }
        func secret(_ key: String) throws -> Secret? {
            let inline = try text(key), env = try text(key + "_env")
            if inline != nil && env != nil { throw fail(values[key]!.key, "channel '\(name)': give \(key) or \(key)_env, not both") }
            return inline.map(Secret.inline) ?? env.map(Secret.environment)
        }
        func duration(_ key: String) throws -> Double? {
            guard let s = try text(key) else { return nil }
            guard let ns = Duration.parse(s) else { throw fail(values[key]!.value, "channel '\(name)': \(key) '\(s)' is not a duration (500ms, 30s, 5m, 1h)") }
            return Double(ns) / 1e9
        }

        if let p = try text("min_priority") {
            guard let priority = Priority(name: p) else {
                throw fail(values["min_priority"]!.value, "channel '\(name)': unknown priority '\(p)' (\(Priority.acceptedSpellings))")
            }
            c.minPriority = priority
        }
        if let w = try duration("group_window") { c.groupWindow = w }
        if let r = try text("rate_limit") {
            guard let limit = RateLimit(text: r) else { throw fail(values["rate_limit"]!.value, "channel '\(name)': rate_limit '\(r)' is not N/sec, N/min, N/hour or N/<duration>") }
            c.rateLimit = limit
        }
        if let t = try duration("timeout") { c.timeout = max(0.1, t) }
        if let t = try duration("retry_initial") { c.retryInitial = max(0.01, t) }
        if let t = try duration("retry_max") { c.retryMax = max(c.retryInitial, t) }
        if let t = try duration("give_up_after") { c.giveUpAfter = t }
        if let m = try text("max_group") {
            guard let n = Int(m), n >= 1 else { throw fail(values["max_group"]!.value, "channel '\(name)': max_group must be a positive number") }
            c.maxGroup = n
        }
        c.caFile = try text("ca_file")

        switch kind {
        case .slack, .discord, .webhook, .alertmanager:
            guard let url = try secret("url") else { throw fail(node, "channel '\(name)' (\(kind.rawValue)) needs url or url_env") }
            c.url = url
            if case .inline(let u) = url { try checkHTTP(u, key: "url", name: name) }
            c.displayName = try text("username")
            if let h = values["headers"]?.value {
                guard let m = h.mapping else { throw fail(h, "channel '\(name)': headers must be a mapping") }
                for (k, v) in m { c.headers[k.string ?? ""] = .inline(v.string ?? "") }
            }
            if let h = values["headers_env"]?.value {
                guard let m = h.mapping else { throw fail(h, "channel '\(name)': headers_env must be a mapping of header: ENV_NAME") }
                for (k, v) in m { c.headers[k.string ?? ""] = .environment(v.string ?? "") }
            }
        case .telegram:
            guard let token = try secret("token") else { throw fail(node, "channel '\(name)' (telegram) needs token or token_env") }
            c.token = token
            guard let chat = try text("chat_id"), !chat.isEmpty else { throw fail(node, "channel '\(name)' (telegram) needs chat_id") }
            c.chatID = chat
            let api = try text("api_url") ?? ServiceURL.telegram
            try checkHTTP(api, key: "api_url", name: name)
            c.url = .inline(api)
        case .pagerduty:
            guard let key = try secret("routing_key") else { throw fail(node, "channel '\(name)' (pagerduty) needs routing_key or routing_key_env") }
            c.routingKey = key
            let url = try text("url") ?? ServiceURL.pagerDuty
            try checkHTTP(url, key: "url", name: name)
            c.url = .inline(url)
        case .email:
            guard let url = try text("url") else { throw fail(node, "channel '\(name)' (email) needs url (smtp://host:port or smtps://)") }
            guard url.hasPrefix("smtp://") || url.hasPrefix("smtps://") else {
                throw fail(values["url"]!.value, "channel '\(name)': url must start with smtp:// or smtps://")
            }
            c.url = .inline(url)
            guard let from = try text("from"), from.contains("@") else { throw fail(node, "channel '\(name)' (email) needs from: an address") }
            c.from = from
            if let t = values["to"]?.value {
                c.to = t.sequence?.compactMap(\.string) ?? [t.string].compactMap { $0 }
            }
            guard !c.to.isEmpty, c.to.allSatisfy({ $0.contains("@") }) else { throw fail(node, "channel '\(name)' (email) needs to: an address or a list of them") }
            for address in [from] + c.to where address.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "<" || $0 == ">" || $0 == "," }) {
                throw fail(node, "channel '\(name)': '\(address)' is not a plain address")
            }
            c.username = try text("username")
            c.password = try secret("password")
            if let t = try text("require_tls") {
                guard let b = Bool(t.lowercased()) ?? (t == "yes" ? true : t == "no" ? false : nil) else { throw fail(values["require_tls"]!.value, "channel '\(name)': require_tls must be true or false") }
                c.requireTLS = b
            }
        }
        return c
    }

    var kinds: String { ChannelConfig.Kind.allCases.map(\.rawValue).joined(separator: "|") }

    func checkHTTP(_ url: String, key: String, name: String) throws {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw NotifyError("\(source): channel '\(name)': \(key) must be an http:// or https:// URL")
        }
    }
}
