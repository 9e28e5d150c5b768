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
///   max_connections: 512               # limits against hostile clients: docs/processor.md
///   max_streams: 32
///   header_timeout: 10s
///   body_timeout: 60s
///   idle_timeout: 60s
///   max_decodes: 2
///   max_body_memory: 64MiB
///   max_recorded_rejects: 100
///   allowed_hosts: []                  # Host names a loopback listener also answers (a local proxy's)
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
    public var response = ResponseConfig()
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
            case "response": config.response = try ResponseConfig.parse(value, reader)
            default: continue   // other components' sections
            }
        }
        return (config, node)
    }
}

/// `serve:`: where and how the service listens, and the limits that keep a hostile client
/// (or a web page in the operator's browser) from exhausting or steering it.
public struct ServeSettings: Sendable, Equatable {
    public var listen = "127.0.0.1:8080"
    public var authToken: String?
    public var maxBody = 8 << 20
    public var heartbeatSeconds = 15.0
    /// Alerts and recorded rejects waiting for the writer, all requests together.
    public var maxQueuedAlerts = 200_000
    /// Open connections, streams included; past it the connection idle the longest (or
    /// still sending its request head) makes room, else the new one is refused.
    public var maxConnections = 512
    /// Open `/events/stream` sessions.
    public var maxStreams = 32
    /// From a request's first byte (or the connection's opening) to its complete head.
    public var headerTimeoutSeconds = 10.0
    /// From a request's head to the end of its body.
    public var bodyTimeoutSeconds = 60.0
    /// A kept-alive connection with no request, or a response the client does not read.
    public var idleTimeoutSeconds = 60.0
    /// Bodies decoded at once off the event loop (those over 64 KiB); more get a 503.
    public var maxDecodes = 2
    /// Bytes of request bodies being received or decoded, all connections together.
    public var maxBodyMemory = 64 << 20
    /// Rejected lines recorded per request for `tradsec rejects` (all are counted).
    public var maxRecordedRejects = 100
    /// Host names besides loopback ones that a loopback listener answers to (a local TLS
    /// terminator that passes the public name on); any other Host is a DNS-rebinding attempt.
    public var allowedHosts: [String] = []

    public init() {}

    static let keys = ["listen", "auth_token_env", "auth_token_file", "max_body", "heartbeat", "max_queued_alerts",
                       "max_connections", "max_streams", "header_timeout", "body_timeout", "idle_timeout", "max_decodes",
                       "max_body_memory", "max_recorded_rejects", "allowed_hosts"]

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
            case "heartbeat": s.heartbeatSeconds = try r.seconds(value, "serve.heartbeat")
            case "max_queued_alerts": s.maxQueuedAlerts = try r.int(value, "serve.max_queued_alerts")
            case "max_connections": s.maxConnections = try r.int(value, "serve.max_connections")
            case "max_streams": s.maxStreams = try r.int(value, "serve.max_streams")
            case "header_timeout": s.headerTimeoutSeconds = try r.seconds(value, "serve.header_timeout")
            case "body_timeout": s.bodyTimeoutSeconds = try r.seconds(value, "serve.body_timeout")
            case "idle_timeout": s.idleTimeoutSeconds = try r.seconds(value, "serve.idle_timeout")
            case "max_decodes": s.maxDecodes = try r.int(value, "serve.max_decodes")
            case "max_body_memory": s.maxBodyMemory = try r.size(value, "serve.max_body_memory")
            case "max_recorded_rejects": s.maxRecordedRejects = try r.int(value, "serve.max_recorded_rejects")
            case "allowed_hosts": s.allowedHosts = try r.strings(value, "serve.allowed_hosts").map { $0.lowercased() }
            default: throw r.unknown(key, "serve", keys)
            }
        }
        if s.maxStreams >= s.maxConnections {
            throw r.error(node, "serve.max_streams (\(s.maxStreams)) must be below serve.max_connections (\(s.maxConnections)): streams must leave room for alerts and health checks")
        }
        if s.maxBodyMemory < s.maxBody {
            throw r.error(node, "serve.max_body_memory (\(s.maxBodyMemory) bytes) must be at least serve.max_body (\(s.maxBody) bytes)")
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
    /// YAML's booleans (true/false, yes/no, on/off), nothing else.
    func bool(_ node: Node, _ what: String) throws -> Bool {
        switch node.string?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(node, "\(what) must be true or false")
        }
    }
    func int(_ node: Node, _ what: String) throws -> Int {
        guard let text = node.string, let v = Int(text), v > 0 else { throw error(node, "\(what) must be a positive whole number") }
        return v
    }
    /// A duration in seconds (timeouts, the heartbeat).
    func seconds(_ node: Node, _ what: String) throws -> Double {
        Double(try duration(node, what)) / 1e9
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
