/// One Falco alert, as Falco writes it with `json_output: true`, plus what the console
/// derives from it (container, process, user, file, connection).
///
/// `raw` is the accepted JSON text itself, so what goes in can always be given back out
/// byte for byte (one exception: an alert spread over several lines is kept compact, so
/// exports stay one alert per line); every other property is read from it.
public struct Alert: Sendable, Equatable {
    public var time: Timestamp
    public var rule: String
    public var priority: Priority
    public var output: String
    public var outputFields: JSONObject
    public var source: String?
    public var tags: [String]
    public var hostname: String?
    /// The verbatim JSON object this alert was read from (no line terminator).
    public var raw: String

    public init(time: Timestamp, rule: String, priority: Priority, output: String, outputFields: JSONObject,
                source: String?, tags: [String], hostname: String?, raw: String) {
        self.time = time
        self.rule = rule
        self.priority = priority
        self.output = output
        self.outputFields = outputFields
        self.source = source
        self.tags = tags
        self.hostname = hostname
        self.raw = raw
    }

    /// Builds an alert and its Falco JSON line from parts (the embedded engine and tests use this).
    public init(time: Timestamp, rule: String, priority: Priority, output: String, outputFields: JSONObject,
                source: String = "syscall", tags: [String] = [], hostname: String?) {
        var object = JSONObject()
        if let hostname { object.append("hostname", .string(hostname)) }
        object.append("output", .string(output))
        object.append("output_fields", .object(outputFields))
        object.append("priority", .string(priority.name))
        object.append("rule", .string(rule))
        object.append("source", .string(source))
        object.append("tags", .array(tags.sorted().map { .string($0) }))
        object.append("time", .string(time.rfc3339()))
        self.init(time: time, rule: rule, priority: priority, output: output, outputFields: outputFields,
                  source: source, tags: tags.sorted(), hostname: hostname,
                  raw: JSONWriter.string(.object(object), sortedKeys: true))
    }

    /// The output without the `<time>: <Priority> ` prefix Falco puts in front of it:
    /// the part a person reads, since time and priority are shown in their own columns.
    public var message: String {
        guard let first = output.utf8.first, first >= 0x30, first <= 0x39,
              let colon = output.firstRange(of: ": ") else { return output }
        let rest = output[colon.upperBound...]
        guard let space = rest.firstIndex(of: " "), Priority(name: rest[..<space]) != nil else { return output }
        return String(rest[rest.index(after: space)...])
    }

    // MARK: - Derived identity

    public func field(_ name: String) -> JSONValue? {
        guard let v = outputFields[name], !v.isNull else { return nil }
        return v
    }

    func text(_ name: String) -> String? {
        guard let v = field(name) else { return nil }
        let s = v.displayText
        return s.isEmpty || s == "<NA>" ? nil : s
    }

    /// Where the alert happened: a container, or the host itself.
    public var container: ContainerRef {
        // Rules that print only the container name still place the alert in that container.
        let id = text("container.id") ?? text("container.name").flatMap { $0 == "host" ? nil : $0 }
        if id == nil || id == "host" {
            return ContainerRef(id: ContainerRef.hostID, name: hostname ?? "host", image: nil)
        }
        var image = text("container.image")
        if let repo = text("container.image.repository") {
            image = text("container.image.tag").map { repo + ":" + $0 } ?? repo
        }
        return ContainerRef(id: id!, name: text("container.name") ?? id!, image: image)
    }

    public var kubernetes: (namespace: String, pod: String)? {
        guard let pod = text("k8s.pod.name") else { return nil }
        return (text("k8s.ns.name") ?? "default", pod)
    }

    public var processName: String? { text("proc.name") }
    public var commandLine: String? { text("proc.cmdline") }
    public var processID: Int64? { field("proc.pid")?.int64Value }
    public var userName: String? { text("user.name") ?? text("user.loginname") }

    /// The connection tuple (`10.0.0.1:4242->1.2.3.4:443`) when the alert is about a socket.
    public var connection: String? {
        if let name = text("fd.name"), name.contains("->") { return name }
        if let sip = text("fd.sip") ?? text("fd.rip") {
            let port = text("fd.sport") ?? text("fd.rport")
            return port.map { "\(sip):\($0)" } ?? sip
        }
        return nil
    }

    /// The file the alert is about, when it is about one.
    public var fileName: String? {
        if let name = text("fd.name"), !name.contains("->") { return name }
        return text("fs.path.name") ?? text("evt.arg.path") ?? text("evt.arg.pathname")
    }
}

/// A container as the console shows it; the host is the pseudo-container `host`.
public struct ContainerRef: Sendable, Hashable {
    public static let hostID = "host"
    public var id: String
    public var name: String
    public var image: String?
    public var isHost: Bool { id == ContainerRef.hostID }

    public init(id: String, name: String, image: String?) {
        self.id = id
        self.name = name
        self.image = image
    }
}
