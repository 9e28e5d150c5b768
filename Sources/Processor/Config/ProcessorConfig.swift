#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TradsecCore
import Yams

/// The processor's part of config.yaml: `serve:`, `enrichment:` and `correlation:`.
///
/// ```yaml
/// serve:
///   listen: 127.0.0.1:8080
///   auth_token_env: TRADSEC_TOKEN      # or auth_token_file: /etc/tradsec/token
///   max_body: 8MiB
///   heartbeat: 15s
///   max_queued_alerts: 200000
/// enrichment:
///   roles:                             # role: container name or image globs
///     ai-trading-bot: [trading-bot*, "image:ghcr.io/acme/bot*"]
///     dashboard: [dashboard*]
///   exchanges:                         # label: addresses, CIDRs, domains; or files
///     binance: [api.binance.com, stream.binance.com]
///     files: [/etc/tradsec/exchanges.txt]
///   threat_intel: [/etc/tradsec/feodo-ips.txt, /etc/tradsec/bad-domains.txt]
///   reload_interval: 5s
/// correlation:
///   window: 10m
///   sequences:
///     - {name: key theft, stages: [execution, credential-access, exfiltration|command-and-control], severity: critical}
/// ```
public struct ProcessorConfig: Sendable {
    public var serve = ServeSettings()
    public var enrichment = EnrichmentConfig()
    public var correlation = CorrelationConfig()
    public var path: String?

    public init() {}

    public struct ConfigError: Error, CustomStringConvertible, Sendable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// The config at `path`; a missing file at the default path is an empty config, a missing
    /// file named explicitly is an error.
    public static func load(path: String, explicit: Bool) throws -> (ProcessorConfig, Node?) {
        guard access(path, F_OK) == 0 else {
            if explicit { throw ConfigError("\(path): no such file") }
            return (ProcessorConfig(), nil)
        }
        let text: String
        do { text = try TextFile.read(path) } catch { throw ConfigError(error.description) }
        return try parse(text, source: path)
    }

    /// Parses the processor's sections; returns the whole document too, for the sections
    /// other components own (notifications).
    public static func parse(_ yaml: String, source: String) throws -> (ProcessorConfig, Node?) {
        var config = ProcessorConfig()
        config.path = source
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch { throw ConfigError("\(source): \(error)") }
        guard let node else { return (config, nil) }
        guard let top = node.mapping else { throw ConfigError("\(source): expected a mapping at the top") }
        let reader = ConfigReader(source: source)
        for (key, value) in top {
            switch key.string {
            case "serve": config.serve = try ServeSettings.parse(value, reader)
            case "enrichment": config.enrichment = try EnrichmentConfig.parse(value, reader)
            case "correlation": config.correlation = try CorrelationConfig.parse(value, reader)
            default: continue   // other components' sections
            }
        }
        return (config, node)
    }
}

/// `serve:`: where and how the service listens.
public struct ServeSettings: Sendable, Equatable {
    public var listen = "127.0.0.1:8080"
    public var authToken: String?
    public var maxBody = 8 << 20
    public var heartbeatSeconds = 15.0
    public var maxQueuedAlerts = 200_000

    public init() {}

    static func parse(_ node: Node, _ r: ConfigReader) throws -> ServeSettings {
        var s = ServeSettings()
        for (key, value) in try r.mapping(node, "serve") {
            switch key.string {
            case "listen": s.listen = try r.string(value, "serve.listen")
            case "auth_token_env":
                let name = try r.string(value, "serve.auth_token_env")
                guard let text = getenv(name).map({ String(cString: $0) }), !text.isEmpty else {
                    throw r.error(value, "serve.auth_token_env: the environment variable \(name) is not set")
                }
                s.authToken = try token(text, value, r, "serve.auth_token_env")
            case "auth_token_file":
                let path = try r.string(value, "serve.auth_token_file")
                guard let text = try? TextFile.read(path, limit: 4096) else { throw r.error(value, "serve.auth_token_file: cannot read \(path)") }
                s.authToken = try token(text, value, r, "serve.auth_token_file")
            case "max_body": s.maxBody = try r.size(value, "serve.max_body")
            case "heartbeat": s.heartbeatSeconds = Double(try r.duration(value, "serve.heartbeat")) / 1e9
            case "max_queued_alerts": s.maxQueuedAlerts = try r.int(value, "serve.max_queued_alerts")
            default: throw r.unknown(key, "serve", ["listen", "auth_token_env", "auth_token_file", "max_body", "heartbeat", "max_queued_alerts"])
            }
        }
        return s
    }

    static let minimumTokenLength = 16

    /// The one check for a token from either source: surrounding whitespace dropped (a file's
    /// newline; HTTP trims header values anyway), then at least 16 characters.
    static func token(_ text: String, _ node: Node, _ r: ConfigReader, _ key: String) throws -> String {
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= minimumTokenLength else {
            throw r.error(node, "\(key): the token must have at least \(minimumTokenLength) characters")
        }
        return token
    }
}

/// `enrichment:`: roles, the exchange allowlist, threat-intelligence lists.
public struct EnrichmentConfig: Sendable {
    /// (role, patterns) in file order; a pattern `image:GLOB` matches the image, others the name.
    public var roles: [(role: String, patterns: [String])] = []
    public var inlineExchanges: [(label: String, entries: [String])] = []
    public var exchangeFiles: [String] = []
    public var threatIntelFiles: [String] = []
    public var reloadInterval: Int64 = 5_000_000_000

    public init() {}

    /// The first role whose pattern matches the container's name, id or image.
    public func role(for container: ContainerRef) -> String? {
        for (role, patterns) in roles {
            for pattern in patterns {
                if pattern.hasPrefix("image:") {
                    if let image = container.image, Glob.matches(String(pattern.dropFirst(6)), image) { return role }
                } else if Glob.matches(pattern, container.name) || (!container.isHost && Glob.matches(pattern, container.id)) {
                    return role
                }
            }
        }
        return nil
    }

    static func parse(_ node: Node, _ r: ConfigReader) throws -> EnrichmentConfig {
        var c = EnrichmentConfig()
        for (key, value) in try r.mapping(node, "enrichment") {
            switch key.string {
            case "roles":
                for (roleNode, patterns) in try r.mapping(value, "enrichment.roles") {
                    c.roles.append((try r.string(roleNode, "enrichment.roles"), try r.strings(patterns, "enrichment.roles.\(roleNode.string ?? "")")))
                }
            case "exchanges":
                for (labelNode, entries) in try r.mapping(value, "enrichment.exchanges") {
                    let label = try r.string(labelNode, "enrichment.exchanges")
                    let list = try r.strings(entries, "enrichment.exchanges.\(label)")
                    if label == "files" { c.exchangeFiles += list; continue }
                    var probe = AddressList()
                    for entry in list {
                        if let problem = probe.add(entry) { throw r.error(entries, "enrichment.exchanges.\(label): \(problem)") }
                    }
                    c.inlineExchanges.append((label, list))
                }
            case "threat_intel": c.threatIntelFiles = try r.strings(value, "enrichment.threat_intel")
            case "reload_interval": c.reloadInterval = try r.duration(value, "enrichment.reload_interval")
            default: throw r.unknown(key, "enrichment", ["roles", "exchanges", "threat_intel", "reload_interval"])
            }
        }
        return c
    }
}

/// Reads typed values from YAML nodes with `file:line` in every error.
struct ConfigReader {
    let source: String

    func error(_ node: Node, _ message: String) -> ProcessorConfig.ConfigError {
        ProcessorConfig.ConfigError("\(source)\(node.mark.map { ":\($0.line)" } ?? ""): \(message)")
    }
    func unknown(_ key: Node, _ section: String, _ known: [String]) -> ProcessorConfig.ConfigError {
        error(key, "unknown setting '\(TerminalSafe.escape(key.string ?? "?"))' in \(section) (\(known.joined(separator: ", ")))")
    }
    func mapping(_ node: Node, _ what: String) throws -> Node.Mapping {
        guard let m = node.mapping else { throw error(node, "\(what) must be a mapping") }
        return m
    }
    func string(_ node: Node, _ what: String) throws -> String {
        guard let s = node.string, node.scalar != nil else { throw error(node, "\(what) must be a text value") }
        return s
    }
    func strings(_ node: Node, _ what: String) throws -> [String] {
        if let s = node.scalar?.string { return [s] }
        guard let items = node.sequence else { throw error(node, "\(what) must be a list") }
        return try items.map { try string($0, what) }
    }
    func int(_ node: Node, _ what: String) throws -> Int {
        guard let text = node.string, let v = Int(text), v > 0 else { throw error(node, "\(what) must be a positive whole number") }
        return v
    }
    func duration(_ node: Node, _ what: String) throws -> Int64 {
        guard let text = node.string, let v = Duration.parse(text), v > 0 else {
            throw error(node, "\(what): '\(TerminalSafe.escape(node.string ?? ""))' is not a duration (30s, 10m, 1h)")
        }
        return v
    }
    /// `512KiB`, `8MiB` (`MB` is the same: ``ByteSize``), `1048576` (a bare number is bytes).
    func size(_ node: Node, _ what: String) throws -> Int {
        guard let text = node.string else { throw error(node, "\(what) must be a size") }
        guard let bytes = ByteSize.parse(text, bare: 1), bytes <= UInt64(Int.max) else {
            throw error(node, "\(what): '\(TerminalSafe.escape(text))' is not a size (64KiB, 8MiB)")
        }
        return Int(bytes)
    }
}
