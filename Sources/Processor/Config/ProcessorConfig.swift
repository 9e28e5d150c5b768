#if canImport(Glibc)
import Glibc
#endif
import Config
import Foundation
import TradsecCore

/// The processor's sections of config.yaml: `serve:`, `enrichment:` and `correlation:`.
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
/// Relative paths (token file, exchange and threat-intelligence lists) are relative to the
/// config file's directory.
///
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
}

extension ServeSettings: ConfigSection {
    public static let key = "serve"

    public init(config value: ConfigValue) throws(ConfigError) {
        self.init()
        let m = try value.mapping(known: Self.keys)
        if let v = m["listen"] { listen = try v.string() }
        if let v = m["auth_token_env"] {
            let name = try v.string()
            guard let text = getenv(name).map({ String(cString: $0) }), !text.isEmpty else {
                throw v.invalid("the environment variable \(name) is not set")
            }
            authToken = try Self.token(text, v)
        }
        if let v = m["auth_token_file"] {
            let path = try v.path()
            guard let text = try? TextFile.read(path, limit: 4096) else { throw v.invalid("cannot read \(path)") }
            authToken = try Self.token(text, v)
        }
        if let v = m["max_body"] { maxBody = Int(try v.size(bare: 1)) }
        if let v = m["heartbeat"] { heartbeatSeconds = try v.seconds() }
        if let v = m["max_queued_alerts"] { maxQueuedAlerts = try v.positiveInt() }
        if let v = m["max_connections"] { maxConnections = try v.positiveInt() }
        if let v = m["max_streams"] { maxStreams = try v.positiveInt() }
        if let v = m["header_timeout"] { headerTimeoutSeconds = try v.seconds() }
        if let v = m["body_timeout"] { bodyTimeoutSeconds = try v.seconds() }
        if let v = m["idle_timeout"] { idleTimeoutSeconds = try v.seconds() }
        if let v = m["max_decodes"] { maxDecodes = try v.positiveInt() }
        if let v = m["max_body_memory"] { maxBodyMemory = Int(try v.size(bare: 1)) }
        if let v = m["max_recorded_rejects"] { maxRecordedRejects = try v.positiveInt() }
        if let v = m["allowed_hosts"] { allowedHosts = try v.strings().map { $0.lowercased() } }
        if maxStreams >= maxConnections {
            throw value.invalid("max_streams (\(maxStreams)) must be below max_connections (\(maxConnections)): streams must leave room for alerts and health checks")
        }
        if maxBodyMemory < maxBody {
            throw value.invalid("max_body_memory (\(maxBodyMemory) bytes) must be at least max_body (\(maxBody) bytes)")
        }
    }

    static let minimumTokenLength = 16

    /// The one check for a token from either source: surrounding whitespace dropped (a file's
    /// newline; HTTP trims header values anyway), then at least 16 characters.
    static func token(_ text: String, _ value: ConfigValue) throws(ConfigError) -> String {
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= minimumTokenLength else {
            throw value.invalid("the token must have at least \(minimumTokenLength) characters")
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
}

extension EnrichmentConfig: ConfigSection {
    public static let key = "enrichment"

    public init(config value: ConfigValue) throws(ConfigError) {
        self.init()
        let m = try value.mapping(known: ["roles", "exchanges", "threat_intel", "reload_interval"])
        if let v = m["roles"] {
            for entry in try v.entries() { roles.append((entry.key, try entry.value.strings())) }
        }
        if let v = m["exchanges"] {
            for entry in try v.entries() {
                if entry.key == "files" { exchangeFiles += try entry.value.paths(); continue }
                let list = try entry.value.strings()
                var probe = AddressList()
                for item in list {
                    if let problem = probe.add(item) { throw entry.value.invalid(problem.description) }
                }
                inlineExchanges.append((entry.key, list))
            }
        }
        if let v = m["threat_intel"] { threatIntelFiles = try v.paths() }
        if let v = m["reload_interval"] { reloadInterval = try v.duration() }
    }
}
