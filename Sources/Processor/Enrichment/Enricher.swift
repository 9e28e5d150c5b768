import AlertStore
import TradsecCore

/// Adds what the on-call engineer wants to know at a glance: which service the container is
/// (its role), whether a connection went to a known exchange, and whether any address in
/// the alert is on a threat-intelligence list.
public final class Enricher: @unchecked Sendable {
    public let config: EnrichmentConfig
    private let exchanges: [WatchedList]
    private var inlineExchanges = AddressList()
    private let threatLists: [WatchedList]
    private var lastRefresh: Int64 = 0
    /// Each container's role, once worked out: the patterns are globs over its name, id and
    /// image, the same for every alert of the container. Bounded: an attacker can make up
    /// container names, so the memo starts over when full.
    private var roles: [ContainerRef: String?] = [:]
    private static let rolesRemembered = 4096

    public init(config: EnrichmentConfig) {
        self.config = config
        exchanges = config.exchangeFiles.map { WatchedList(path: $0, name: "exchanges") }
        for (label, entries) in config.inlineExchanges {
            for entry in entries { inlineExchanges.add(entry, label: label) }
        }
        threatLists = config.threatIntelFiles.map { path in
            let base = path.split(separator: "/").last.map(String.init) ?? path
            let name = base.split(separator: ".").first.map(String.init) ?? base
            return WatchedList(path: path, name: name, defaultLabel: name)
        }
    }

    private var hasAllowlist: Bool { !config.inlineExchanges.isEmpty || !exchanges.isEmpty }

    private var hasLists: Bool {
        !config.inlineExchanges.isEmpty || !exchanges.isEmpty || !threatLists.isEmpty
    }

    /// Problems with the lists (unreadable file, bad lines), for /health.
    public var problems: [String] {
        (exchanges + threatLists).compactMap(\.lastError)
    }

    /// Re-reads changed list files, at most once per reload interval. Called by the single
    /// writer thread before each batch, so lists never change in the middle of one.
    public func refreshIfDue(now: Int64 = Timestamp.now().nanoseconds) {
        guard now - lastRefresh >= config.reloadInterval else { return }
        lastRefresh = now
        for list in exchanges + threatLists { list.refresh() }
    }

    public func enrich(_ alert: Alert) -> AlertEnrichment { enrich(alert, container: alert.container) }

    public func enrich(_ alert: Alert, container: ContainerRef) -> AlertEnrichment {
        var tags: [String] = []
        let role = config.roles.isEmpty ? nil : role(for: container)
        // Without an allowlist or a threat list there is nothing to tag a destination with.
        guard hasLists else { return AlertEnrichment(role: role, tags: [], incidentID: nil) }
        let destinations = Self.remoteAddresses(of: alert)
        if !destinations.ips.isEmpty || !destinations.domains.isEmpty {
            var exchangeLabel: String??
            for ip in destinations.ips {
                if let hit = matchExchange(ip: ip) { exchangeLabel = hit; break }
            }
            if exchangeLabel == nil {
                for domain in destinations.domains {
                    if let hit = matchExchange(domain: domain) { exchangeLabel = hit; break }
                }
            }
            if let exchangeLabel {
                tags.append("exchange:\(exchangeLabel ?? "listed")")
            } else if hasAllowlist && (!destinations.ips.allSatisfy(Self.isPrivateOrLocal) || !destinations.domains.isEmpty) {
                // Only public destinations count: a bot talking to its own database is not news.
                tags.append("destination:not-allowlisted")
            }
            for list in threatLists {
                let hit = destinations.ips.contains { list.list.match(ip: $0) != nil }
                    || destinations.domains.contains { list.list.match(domain: $0) != nil }
                if hit { tags.append("threat-intel:\(list.name)") }
            }
        }
        return AlertEnrichment(role: role, tags: tags, incidentID: nil)
    }

    private func role(for container: ContainerRef) -> String? {
        if let known = roles[container] { return known }
        let role = config.role(for: container)
        if roles.count >= Self.rolesRemembered { roles.removeAll(keepingCapacity: true) }
        roles[container] = role
        return role
    }

    private func matchExchange(ip: String) -> String?? {
        if let hit = inlineExchanges.match(ip: ip) { return hit }
        for list in exchanges { if let hit = list.list.match(ip: ip) { return hit } }
        return nil
    }

    private func matchExchange(domain: String) -> String?? {
        if let hit = inlineExchanges.match(domain: domain) { return hit }
        for list in exchanges { if let hit = list.list.match(domain: domain) { return hit } }
        return nil
    }

    /// The remote side of a connection alert: Falco's fd.rip / fd.sip / fd.name tuple and the
    /// resolved names it may carry.
    static func remoteAddresses(of alert: Alert) -> (ips: [String], domains: [String]) {
        var ips: [String] = []
        var domains: [String] = []
        func text(_ key: String) -> String? {
            guard let value = alert.field(key)?.stringValue, !value.isEmpty, value != "<NA>" else { return nil }
            return value
        }
        for key in ["fd.rip", "fd.sip", "fd.cip"] { if let ip = text(key) { ips.append(ip) } }
        for key in ["fd.rip.name", "fd.sip.name", "fd.cip.name", "evt.arg.name"] {
            if let name = text(key), AddressList.isDomain(name.lowercased()), IPAddress.parse(name) == nil { domains.append(name) }
        }
        if let tuple = text("fd.name"), let remote = Self.afterArrow(tuple) {
            // "10.0.0.5:41234->52.84.1.2:443" or "[::1]:5->[2001:db8::1]:443": the part after the arrow.
            if let host = Self.host(ofEndpoint: remote) {
                if IPAddress.parse(host) != nil { ips.append(host) } else if AddressList.isDomain(host.lowercased()) { domains.append(host) }
            }
        }
        var seen = Set<String>()
        return (ips.filter { seen.insert($0).inserted }, domains.filter { seen.insert($0).inserted })
    }

    /// What follows the first "->" in `tuple` (a byte search: this runs for every alert).
    private static func afterArrow(_ tuple: String) -> String? {
        let bytes = tuple.utf8
        var previous: UInt8 = 0
        for index in bytes.indices {
            let byte = bytes[index]
            if previous == UInt8(ascii: "-") && byte == UInt8(ascii: ">") {
                return String(tuple[bytes.index(after: index)...])
            }
            previous = byte
        }
        return nil
    }

    static func host(ofEndpoint endpoint: String) -> String? {
        if endpoint.hasPrefix("["), let close = endpoint.firstIndex(of: "]") {
            return String(endpoint[endpoint.index(after: endpoint.startIndex)..<close])
        }
        if let colon = endpoint.lastIndex(of: ":"), endpoint.filter({ $0 == ":" }).count == 1 {
            return String(endpoint[..<colon])
        }
        return endpoint.isEmpty ? nil : endpoint
    }

    static func isPrivateOrLocal(_ ip: String) -> Bool {
        guard let b = IPAddress.parse(ip) else { return false }
        if b.count == 4 {
            return b[0] == 10 || b[0] == 127 || (b[0] == 172 && (16...31).contains(b[1])) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254) || b[0] == 0
        }
        return b.allSatisfy { $0 == 0 } || b == [UInt8](repeating: 0, count: 15) + [1] || (b[0] & 0xFE) == 0xFC || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80)
    }
}
