import CurlClient
import TradsecCore

/// A container as the engine lists it.
public struct EngineContainer: Sendable, Equatable {
    public var id: String
    /// Names without the leading "/" Docker puts on them.
    public var names: [String]
    public var image: String
    public var state: String

    public var name: String { names.first ?? String(id.prefix(12)) }
    public var shortID: String { String(id.prefix(12)) }
}

/// The Docker Engine API (dockerd, or podman's compatible service) over its Unix socket,
/// through libcurl. Every path carries the API version prefix, so a newer engine answers
/// with the semantics this client was written for.
public struct DockerEngineClient: Sendable {
    public var socketPath: String
    public var apiVersion: String
    public var timeout: Double

    public init(socketPath: String, apiVersion: String = "1.41", timeout: Double = 30) {
        self.socketPath = socketPath
        self.apiVersion = apiVersion
        self.timeout = timeout
    }

    public init(config: ActionsConfig.Docker) {
        self.init(socketPath: config.socket, apiVersion: config.apiVersion, timeout: config.timeoutSeconds)
    }

    /// Sends one request; a reply outside 2xx becomes an error carrying the engine's message.
    public func send(_ method: String, _ path: String, body: JSONValue? = nil,
                     maxResponseBytes: Int = 64 << 20) throws(ActionError) -> HTTPResponse {
        var request = HTTPRequest(method: method, url: "http://docker/v\(apiVersion)\(path)", unixSocketPath: socketPath,
                                  timeout: timeout, maxResponseBytes: maxResponseBytes)
        if let body {
            request.body = Array(JSONWriter.string(body).utf8)
            request.headers = [("Content-Type", "application/json")]
        }
        let response: HTTPResponse
        do { response = try CurlHTTP.send(request) } catch {
            throw ActionError.unreachable(endpoint: "the container engine at \(socketPath)", reason: "\(error)")
        }
        guard response.isSuccess else {
            let message = (try? JSONParser.parse(response.body))?["message"]?.stringValue ?? response.bodyText
            throw ActionError.engineStatus(request: "\(method) \(path)", status: response.status, message: message)
        }
        return response
    }

    func json(_ method: String, _ path: String, body: JSONValue? = nil) throws(ActionError) -> JSONValue {
        let response = try send(method, path, body: body)
        do { return try JSONParser.parse(response.body) } catch {
            throw ActionError.engineReply("\(path) did not answer JSON (\(error))")
        }
    }

    /// Every container, running or not.
    public func containers() throws(ActionError) -> [EngineContainer] {
        guard let items = try json("GET", "/containers/json?all=1").arrayValue else {
            throw ActionError.engineReply("/containers/json is not a list")
        }
        return items.compactMap { item in
            guard let id = item["Id"]?.stringValue else { return nil }
            let names = (item["Names"]?.arrayValue ?? []).compactMap(\.stringValue).map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
            return EngineContainer(id: id, names: names, image: item["Image"]?.stringValue ?? "", state: item["State"]?.stringValue ?? "")
        }
    }

    /// The container the engine knows by exactly this full id, by exactly this name, or by this
    /// id prefix (unambiguous, at least 4 characters), in that order (Docker's own order: a full
    /// id names one container whatever the others are called). Anything else is refused: a
    /// target is never passed through unchecked.
    public func resolve(_ target: String) throws(ActionError) -> EngineContainer {
        let wanted = target.hasPrefix("/") ? String(target.dropFirst()) : target
        guard !wanted.isEmpty else { throw ActionError.badTarget("no target container given") }
        let all = try containers()
        if let exact = all.first(where: { $0.id == wanted }) { return exact }
        if let byName = all.first(where: { $0.names.contains(wanted) }) { return byName }
        let hex = wanted.lowercased()
        if hex.count >= 4, hex.allSatisfy(\.isHexDigit) {
            let matches = all.filter { $0.id.hasPrefix(hex) }
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 {
                throw ActionError.badTarget("'\(TerminalSafe.escape(target))' matches \(matches.count) containers (\(matches.map(\.name).joined(separator: ", "))); give more of the id or the name")
            }
        }
        let known = all.map(\.name).sorted()
        throw ActionError.badTarget("no container '\(TerminalSafe.escape(target))' on this engine; it lists: \(known.isEmpty ? "(none)" : known.joined(separator: ", "))")
    }

    /// The shortest id accepted by ``resolve(id:)``: Falco's `container.id` is the 12-digit short id.
    public static let minimumIDDigits = 12

    /// The container whose engine id starts with `id`, and nothing else: for a target taken from
    /// alert text (Falco's `container.id`), which whoever controls a container can write. A
    /// name never matches here, so an alert whose id field holds another container's name (or
    /// a hex-looking name) cannot steer an action onto that container. `id` must be 12 to 64
    /// hex digits and match exactly one container.
    public func resolve(id: String) throws(ActionError) -> EngineContainer {
        let hex = id.lowercased()
        guard (Self.minimumIDDigits...64).contains(hex.utf8.count), hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw ActionError.badTarget("'\(TerminalSafe.escape(id))' is not a container id (\(Self.minimumIDDigits) to 64 hex digits, as Falco's container.id): refused, since a name could stand for another container")
        }
        let matches = try containers().filter { $0.id.hasPrefix(hex) }
        guard matches.count == 1 else {
            throw ActionError.badTarget(matches.isEmpty
                ? "no container with id \(hex) on this engine"
                : "id \(hex) matches \(matches.count) containers; refused")
        }
        return matches[0]
    }

    public func inspect(_ id: String) throws(ActionError) -> (value: JSONValue, raw: [UInt8]) {
        let response = try send("GET", "/containers/\(Self.escapePath(id))/json")
        do { return (try JSONParser.parse(response.body), response.body) } catch {
            throw ActionError.engineReply("inspect of \(id) did not answer JSON (\(error))")
        }
    }

    public func disconnect(container id: String, from network: String) throws(ActionError) {
        _ = try send("POST", "/networks/\(Self.escapePath(network))/disconnect",
                     body: .object(JSONObject([("Container", .string(id)), ("Force", .bool(false))])))
    }

    public func connect(container id: String, to network: String, endpoint: JSONObject) throws(ActionError) {
        _ = try send("POST", "/networks/\(Self.escapePath(network))/connect",
                     body: .object(JSONObject([("Container", .string(id)), ("EndpointConfig", .object(endpoint))])))
    }

    /// The last `tail` lines of stdout and stderr, each line prefixed with its stream.
    public func logs(_ id: String, tail: Int) throws(ActionError) -> [UInt8] {
        let response = try send("GET", "/containers/\(Self.escapePath(id))/logs?stdout=1&stderr=1&timestamps=1&tail=\(tail)")
        return Self.demultiplex(response.body)
    }

    /// Processes in the container. psgo descriptors (comma separated) need no `ps` in the image.
    public func top(_ id: String) throws(ActionError) -> [UInt8] {
        try send("GET", "/containers/\(Self.escapePath(id))/top?ps_args=user,pid,ppid,pcpu,etime,tty,time,args").body
    }

    /// Files added (1), changed (0) or deleted (2) in the container's filesystem since its image:
    /// what an intruder dropped or altered.
    public func changes(_ id: String) throws(ActionError) -> [UInt8] {
        try send("GET", "/containers/\(Self.escapePath(id))/changes").body
    }

    /// One resource sample (CPU, memory, network and block I/O counters), not a stream.
    public func stats(_ id: String) throws(ActionError) -> [UInt8] {
        try send("GET", "/containers/\(Self.escapePath(id))/stats?stream=false&one-shot=true").body
    }

    /// Docker's log stream: frames of [stream, 0, 0, 0, size (big endian u32)] + payload, unless
    /// the container has a TTY (then the bytes are raw). Returns "stdout: " / "stderr: " lines.
    static func demultiplex(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i + 8 <= bytes.count {
            let stream = bytes[i]
            guard stream <= 2, bytes[i + 1] == 0, bytes[i + 2] == 0, bytes[i + 3] == 0 else { return bytes }
            let size = Int(bytes[i + 4]) << 24 | Int(bytes[i + 5]) << 16 | Int(bytes[i + 6]) << 8 | Int(bytes[i + 7])
            guard i + 8 + size <= bytes.count else { return bytes }
            out += Array((stream == 2 ? "stderr " : "stdout ").utf8)
            out += bytes[(i + 8)..<(i + 8 + size)]
            if size == 0 || bytes[i + 8 + size - 1] != 0x0A { out.append(0x0A) }
            i += 8 + size
        }
        return i == bytes.count ? out : bytes
    }

    /// Percent-encodes everything but unreserved characters: a name never changes the path.
    static func escapePath(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(UnicodeScalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".") {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
