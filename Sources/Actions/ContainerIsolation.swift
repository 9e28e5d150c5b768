import AlertStore
import TradsecCore

/// One network a container was attached to, with what is needed to attach it again the same way.
public struct NetworkEndpoint: Sendable, Equatable {
    public var network: String
    public var networkID: String?
    public var aliases: [String]
    public var ipv4: String?
    public var ipv6: String?
    public var macAddress: String?

    /// The endpoints in an inspect reply's NetworkSettings.Networks.
    static func all(inInspect inspect: JSONValue) -> [NetworkEndpoint] {
        guard let networks = inspect["NetworkSettings"]?["Networks"]?.objectValue else { return [] }
        return networks.pairs.map { name, value in
            NetworkEndpoint(network: name, networkID: nonEmpty(value["NetworkID"]),
                            aliases: (value["Aliases"]?.arrayValue ?? []).compactMap(\.stringValue),
                            ipv4: nonEmpty(value["IPAddress"]), ipv6: nonEmpty(value["GlobalIPv6Address"]),
                            macAddress: nonEmpty(value["MacAddress"]))
        }
    }

    var json: JSONValue {
        var o = JSONObject([("network", .string(network)), ("aliases", .array(aliases.map(JSONValue.string)))])
        if let networkID { o["network_id"] = .string(networkID) }
        if let ipv4 { o["ipv4"] = .string(ipv4) }
        if let ipv6 { o["ipv6"] = .string(ipv6) }
        if let macAddress { o["mac"] = .string(macAddress) }
        return .object(o)
    }

    init(network: String, networkID: String?, aliases: [String], ipv4: String?, ipv6: String?, macAddress: String?) {
        self.network = network
        self.networkID = networkID
        self.aliases = aliases
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        self.macAddress = macAddress
    }

    init?(json: JSONValue) {
        guard let network = json["network"]?.stringValue else { return nil }
        self.init(network: network, networkID: json["network_id"]?.stringValue,
                  aliases: (json["aliases"]?.arrayValue ?? []).compactMap(\.stringValue),
                  ipv4: json["ipv4"]?.stringValue, ipv6: json["ipv6"]?.stringValue, macAddress: json["mac"]?.stringValue)
    }

    static func encode(_ endpoints: [NetworkEndpoint]) -> String { JSONWriter.string(.array(endpoints.map(\.json))) }

    static func decode(_ text: String) -> [NetworkEndpoint] {
        ((try? JSONParser.parse(text))?.arrayValue ?? []).compactMap(NetworkEndpoint.init(json:))
    }

    /// EndpointConfig for a connect that puts back the same aliases and addresses.
    func endpointConfig(containerID: String, withAddresses: Bool) -> JSONObject {
        // The engine adds the container's short id as an alias itself; passing it back doubles it.
        let own = aliases.filter { $0 != String(containerID.prefix(12)) }
        var config = JSONObject([("Aliases", .array(own.map(JSONValue.string)))])
        if withAddresses {
            var ipam = JSONObject()
            if let ipv4 { ipam["IPv4Address"] = .string(ipv4) }
            if let ipv6 { ipam["IPv6Address"] = .string(ipv6) }
            if !ipam.isEmpty { config["IPAMConfig"] = .object(ipam) }
            if let macAddress { config["MacAddress"] = .string(macAddress) }
        }
        return config
    }

    public var summary: String {
        var parts = [network]
        if let ipv4 { parts.append(ipv4) }
        if let ipv6 { parts.append(ipv6) }
        return parts.joined(separator: " ")
    }

    private static func nonEmpty(_ value: JSONValue?) -> String? {
        guard let s = value?.stringValue, !s.isEmpty else { return nil }
        return s
    }
}

/// Cuts a container off every network (an internal network alone still reaches the host
/// through its gateway) and puts it back exactly, from what was recorded in the history.
public struct ContainerIsolation: Sendable {
    public let engine: DockerEngineClient
    public let store: AlertStore

    public init(engine: DockerEngineClient, store: AlertStore) {
        self.engine = engine
        self.store = store
    }

    public struct Outcome: Sendable {
        public var message: String
        /// JSON for the audit row: what was (or would be) disconnected / reconnected.
        public var detail: String
    }

    /// What `isolate` would disconnect, without touching anything.
    public func planIsolate(_ container: EngineContainer) throws(ActionError) -> Outcome {
        let current = NetworkEndpoint.all(inInspect: try engine.inspect(container.id).value)
        let detail = NetworkEndpoint.encode(current)
        if current.isEmpty {
            return Outcome(message: "would do nothing: \(container.name) has no network connections", detail: detail)
        }
        return Outcome(message: "would disconnect \(container.name) from \(current.map(\.summary).joined(separator: "; "))",
                       detail: detail)
    }

    public func isolate(_ container: EngineContainer, auditID: Int64?) throws(ActionError) -> Outcome {
        let current = NetworkEndpoint.all(inInspect: try engine.inspect(container.id).value)
        let existing = try record(for: container)
        if current.isEmpty {
            let message = existing != nil ? "\(container.name) is already isolated (no networks); nothing done"
                                          : "\(container.name) has no network connections; nothing to disconnect"
            return Outcome(message: message, detail: existing?.networks ?? "[]")
        }
        // Record before cutting: if tradsec dies half way, restore still knows every network.
        var remembered = existing.map { NetworkEndpoint.decode($0.networks) } ?? []
        for endpoint in current where !remembered.contains(where: { $0.network == endpoint.network }) {
            remembered.append(endpoint)
        }
        let encoded = NetworkEndpoint.encode(remembered)
        do {
            try store.saveIsolation(IsolationRecord(containerID: container.id, containerName: container.name, networks: encoded,
                                                    isolated: .now(), auditID: auditID))
        } catch {
            throw ActionError.history("cannot record the networks of \(container.name) in the history, so nothing was disconnected: \(error)")
        }
        var failures: [String] = []
        for endpoint in current {
            do { try engine.disconnect(container: container.id, from: endpoint.network) } catch {
                failures.append("\(endpoint.network): \(error.message)")
            }
        }
        let left = NetworkEndpoint.all(inInspect: try engine.inspect(container.id).value)
        guard failures.isEmpty, left.isEmpty else {
            throw ActionError.failed("isolation of \(container.name) incomplete; still connected to \(left.map(\.network).joined(separator: ", "))"
                              + (failures.isEmpty ? "" : " (\(failures.joined(separator: "; ")))"))
        }
        return Outcome(message: "isolated \(container.name): disconnected from \(current.map(\.summary).joined(separator: "; "))",
                       detail: encoded)
    }

    public func planRestore(_ container: EngineContainer) throws(ActionError) -> Outcome {
        guard let record = try record(for: container) else {
            return Outcome(message: "would do nothing: \(container.name) is not isolated by tradsec", detail: "[]")
        }
        let endpoints = NetworkEndpoint.decode(record.networks)
        return Outcome(message: "would reconnect \(container.name) to \(endpoints.map(\.summary).joined(separator: "; "))",
                       detail: record.networks)
    }

    public func restore(_ container: EngineContainer) throws(ActionError) -> Outcome {
        guard let record = try record(for: container) else {
            return Outcome(message: "\(container.name) is not isolated by tradsec; nothing to restore", detail: "[]")
        }
        let wanted = NetworkEndpoint.decode(record.networks)
        let attached = Set(NetworkEndpoint.all(inInspect: try engine.inspect(container.id).value).map(\.network))
        var notes: [String] = []
        for endpoint in wanted where !attached.contains(endpoint.network) {
            do {
                try engine.connect(container: container.id, to: endpoint.network, endpoint: endpoint.endpointConfig(containerID: container.id, withAddresses: true))
            } catch {
                // The old address may be taken by now: reconnect anyway (a container off the
                // network is worse than one at a new address) and say so.
                do {
                    try engine.connect(container: container.id, to: endpoint.network, endpoint: endpoint.endpointConfig(containerID: container.id, withAddresses: false))
                    notes.append("\(endpoint.network): old address refused (\(error.message)), reconnected with a new one")
                } catch let second {
                    throw ActionError.failed("restore of \(container.name) failed on \(endpoint.network): \(second.message)")
                }
            }
        }
        let now = NetworkEndpoint.all(inInspect: try engine.inspect(container.id).value)
        let missing = wanted.filter { w in !now.contains(where: { $0.network == w.network }) }
        guard missing.isEmpty else {
            throw ActionError.failed("restore of \(container.name) incomplete; not connected to \(missing.map(\.network).joined(separator: ", "))")
        }
        do { try store.removeIsolation(containerID: container.id) } catch {
            throw ActionError.history("\(container.name) is reconnected but the isolation record could not be removed: \(error)")
        }
        let message = "restored \(container.name): reconnected to \(now.map(\.summary).joined(separator: "; "))"
            + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))")
        return Outcome(message: message, detail: NetworkEndpoint.encode(now))
    }

    private func record(for container: EngineContainer) throws(ActionError) -> IsolationRecord? {
        do { return try store.isolation(containerID: container.id) } catch {
            throw ActionError.history("cannot read the isolation records: \(error)")
        }
    }
}
