import TradsecCore

/// What goes out to people: one alert, one incident, or a channel test. Independent of any
/// channel; each channel's format turns a group of these into its own payload. Every text
/// field may carry attacker-controlled alert text: formats escape it, the model never does.
public struct Notification: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case alert, incident, test }

    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var kind: Kind
    public var priority: Priority
    public var rule: String
    /// Container name ("host" outside containers) and id.
    public var container: String
    public var containerID: String
    public var host: String
    public var title: String
    public var text: String
    public var fields: [Field]
    /// Where to look further (the lead's console or a dashboard); optional.
    public var link: String?
    public var time: Timestamp
    public var alertID: Int64?
    public var incidentID: String?

    public init(kind: Kind = .alert, priority: Priority, rule: String, container: String = "host",
                containerID: String = ContainerRef.hostID, host: String, title: String, text: String,
                fields: [Field] = [], link: String? = nil, time: Timestamp = .now(),
                alertID: Int64? = nil, incidentID: String? = nil) {
        self.kind = kind
        self.priority = priority
        self.rule = rule
        self.container = container
        self.containerID = containerID
        self.host = host
        self.title = title
        self.text = text
        self.fields = fields
        self.link = link
        self.time = time
        self.alertID = alertID
        self.incidentID = incidentID
    }

    /// A stored Falco alert, with the fields an on-call engineer asks for first.
    public init(alert: Alert, id: Int64? = nil, link: String? = nil) {
        let container = alert.container
        var fields: [Field] = []
        fields.append(Field("container", container.isHost ? "host" : "\(container.name) (\(container.id))"))
        if let image = container.image { fields.append(Field("image", image)) }
        if let process = alert.processName { fields.append(Field("process", process)) }
        if let command = alert.commandLine { fields.append(Field("command", command)) }
        if let user = alert.userName { fields.append(Field("user", user)) }
        if let file = alert.fileName { fields.append(Field("file", file)) }
        if let connection = alert.connection { fields.append(Field("connection", connection)) }
        self.init(kind: .alert, priority: alert.priority, rule: alert.rule, container: container.name,
                  containerID: container.id, host: alert.hostname ?? "unknown-host",
                  title: "\(alert.priority.name): \(alert.rule)", text: alert.message, fields: fields,
                  link: link, time: alert.time, alertID: id)
    }

    /// Notifications of one channel with the same key, inside its grouping window, go out as one
    /// message: the same rule in the same container, or the same incident.
    public var groupKey: String {
        switch kind {
        case .incident: "incident|\(incidentID ?? title)"
        case .alert: "alert|\(rule)|\(containerID)"
        case .test: "test|\(time.nanoseconds)"
        }
    }

    // MARK: - Stored form (the outbox's payload column)

    public var json: String {
        var o = JSONObject()
        o.append("kind", .string(kind.rawValue))
        o.append("priority", .string(priority.name))
        o.append("rule", .string(rule))
        o.append("container", .string(container))
        o.append("container_id", .string(containerID))
        o.append("host", .string(host))
        o.append("title", .string(title))
        o.append("text", .string(text))
        o.append("fields", .array(fields.map { .array([.string($0.name), .string($0.value)]) }))
        if let link { o.append("link", .string(link)) }
        o.append("time_ns", .int(time.nanoseconds))
        if let alertID { o.append("alert_id", .int(alertID)) }
        if let incidentID { o.append("incident_id", .string(incidentID)) }
        return JSONWriter.string(.object(o))
    }

    public init(json text: String) throws {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch { throw NotifyError.badStoredNotification(problem: "is not JSON: \(error)") }
        func string(_ key: String) throws -> String {
            guard let s = value[key]?.stringValue else { throw NotifyError.badStoredNotification(problem: "has no '\(key)'") }
            return s
        }
        guard let kind = Kind(rawValue: try string("kind")) else { throw NotifyError.badStoredNotification(problem: "has an unknown kind") }
        guard let priority = Priority(name: try string("priority")) else { throw NotifyError.badStoredNotification(problem: "has an unknown priority") }
        let fields = (value["fields"]?.arrayValue ?? []).compactMap { pair -> Field? in
            guard let items = pair.arrayValue, items.count == 2, let n = items[0].stringValue, let v = items[1].stringValue else { return nil }
            return Field(n, v)
        }
        self.init(kind: kind, priority: priority, rule: try string("rule"), container: try string("container"),
                  containerID: try string("container_id"), host: try string("host"), title: try string("title"),
                  text: try string("text"), fields: fields, link: value["link"]?.stringValue,
                  time: Timestamp(nanoseconds: value["time_ns"]?.int64Value ?? 0),
                  alertID: value["alert_id"]?.int64Value, incidentID: value["incident_id"]?.stringValue)
    }
}

/// A notification as it sits in the outbox: its row id is the idempotency key's seed.
public struct QueuedNotification: Sendable, Equatable {
    public var rowID: Int64
    public var notification: Notification
    public init(rowID: Int64, notification: Notification) {
        self.rowID = rowID
        self.notification = notification
    }
}

/// A notification error the operator reads (configuration, stored data, a refused send).
public enum NotifyError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A secret the channel names in the environment is missing or empty.
    case missingSecret(variable: String)
    /// A channel lacks something it needs to send (`problem` reads "has no chat_id"…).
    case channelConfig(channel: String, problem: String)
    /// A notification in the history cannot be read back (`problem` says what is wrong with it).
    case badStoredNotification(problem: String)
    /// The dispatcher's lock file cannot be opened.
    case cannotOpenLock(path: String, reason: String)
    /// Another dispatcher holds the lock on this history: two would send everything twice.
    case alreadyDispatching(store: String)

    public var description: String {
        switch self {
        case .missingSecret(let variable): "environment variable \(variable) is not set"
        case .channelConfig(let channel, let problem): "channel '\(channel)' \(problem)"
        case .badStoredNotification(let problem): "stored notification \(problem)"
        case .cannotOpenLock(let path, let reason): "cannot open \(path): \(reason)"
        case .alreadyDispatching(let store): "another dispatcher is already delivering notifications from \(store)"
        }
    }
}
