import Actions
import Dispatch
import Synchronization
import TradsecCore

/// What the container engine says about a container: Falco's `container.name`,
/// `container.image*`, `container.privileged`, `container.start_ts` and the health check.
public struct ContainerDetails: Sendable, Equatable {
    public var name: String
    public var image: String
    public var imageRepository: String
    public var imageTag: String
    public var imageID: String
    public var privileged: Bool
    public var startNanos: Int64?
    /// The health check's command as the process runs it (`CMD-SHELL x` is `/bin/sh -c x`).
    public var healthcheck: [String]

    /// Reads a `GET /containers/{id}/json` reply (Docker's format; podman's compatible API too).
    static func parse(_ inspect: JSONValue) -> ContainerDetails? {
        guard inspect["Id"]?.stringValue != nil else { return nil }
        var name = inspect["Name"]?.stringValue ?? ""
        if name.hasPrefix("/") { name.removeFirst() }
        let image = inspect["Config"]?["Image"]?.stringValue ?? ""
        let (repository, tag) = splitImage(image)
        var startNanos: Int64?
        if let started = inspect["State"]?["StartedAt"]?.stringValue, let time = Timestamp(rfc3339: started), time.nanoseconds > 0 {
            startNanos = time.nanoseconds
        }
        var healthcheck: [String] = []
        if let test = inspect["Config"]?["Healthcheck"]?["Test"]?.arrayValue?.compactMap(\.stringValue), let kind = test.first {
            if kind == "CMD-SHELL", test.count >= 2 { healthcheck = ["/bin/sh", "-c", test[1]] }
            else if kind == "CMD" { healthcheck = Array(test.dropFirst()) }
        }
        let privileged: Bool
        if case .bool(let value)? = inspect["HostConfig"]?["Privileged"] { privileged = value } else { privileged = false }
        return ContainerDetails(name: name, image: image, imageRepository: repository, imageTag: tag,
                                imageID: inspect["Image"]?.stringValue.map { $0.hasPrefix("sha256:") ? String($0.dropFirst(7)) : $0 } ?? "",
                                privileged: privileged, startNanos: startNanos, healthcheck: healthcheck)
    }

    /// `registry/repo:tag@digest` into repository and tag (a ':' before the last '/' is a port).
    static func splitImage(_ image: String) -> (repository: String, tag: String) {
        var reference = Substring(image)
        if let at = reference.firstIndex(of: "@") { reference = reference[..<at] }
        let lastSlash = reference.lastIndex(of: "/")
        if let colon = reference.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]))
        }
        return (String(reference), "")
    }
}

/// Container details from the engines' Unix sockets (Docker, or podman's compatible service),
/// looked up once per container on a thread of their own and cached. The consumer waits a
/// little for the first lookup of a container, so the container's first events (usually its
/// entrypoint's exec) already carry its name; an engine that does not answer in time only
/// delays the name, never the events.
final class ContainerDirectory: @unchecked Sendable {
    enum State {
        case pending(DispatchSemaphore)
        case known(ContainerDetails)
        case unknown(since: Double)
    }

    let sockets: [String]
    let apiVersion: String
    let firstWait: Double
    private let states = Mutex<[String: State]>([:])
    private let queue = DispatchQueue(label: "tradsec.sensor.containers")
    private let lookups = Atomic<Int>(0)
    private let failures = Atomic<Int>(0)

    init(sockets: [String], apiVersion: String = "1.41", firstWait: Double = 0.5) {
        self.sockets = sockets
        self.apiVersion = apiVersion
        self.firstWait = firstWait
    }

    var lookupCount: Int { lookups.load(ordering: .relaxed) }
    var failureCount: Int { failures.load(ordering: .relaxed) }

    /// The details, or nil while unknown (not found on any engine, or not answered yet).
    func details(_ identity: ContainerIdentity, now: Double) -> ContainerDetails? {
        guard !identity.isHost else { return nil }
        let (state, started): (State?, DispatchSemaphore?) = states.withLock { states in
            switch states[identity.fullID] {
            case .known(let details)?: return (.known(details), nil)
            case .pending(let done)?: return (.pending(done), nil)
            case .unknown(let since)? where now - since < 10: return (.unknown(since: since), nil)
            default:
                let done = DispatchSemaphore(value: 0)
                states[identity.fullID] = .pending(done)
                return (nil, done)
            }
        }
        if case .known(let details)? = state { return details }
        if case .unknown? = state { return nil }
        if let started {
            let id = identity.fullID
            queue.async { [self] in
                let found = lookup(id)
                states.withLock { $0[id] = found.map(State.known) ?? .unknown(since: Monotonic.seconds()) }
                started.signal()
            }
            // Only the first event of a container waits; later ones go on while it is pending.
            if started.wait(timeout: .now() + firstWait) == .success {
                started.signal()
                if case .known(let details)? = states.withLock({ $0[id] }) { return details }
            }
        }
        return nil
    }

    private func lookup(_ id: String) -> ContainerDetails? {
        lookups.add(1, ordering: .relaxed)
        for socket in sockets {
            let client = DockerEngineClient(socketPath: socket, apiVersion: apiVersion, timeout: 3)
            guard let (value, _) = try? client.inspect(id), let details = ContainerDetails.parse(value) else { continue }
            return details
        }
        failures.add(1, ordering: .relaxed)
        return nil
    }
}
