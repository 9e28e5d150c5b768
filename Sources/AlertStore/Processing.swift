import GRDB
import GRDBSQLite
import TradsecCore

/// The first form of what the processing step adds to each alert and to the history (v6): an
/// enrichment row per alert (service role, tags such as `exchange:binance` or `threat-intel:feodo`), and
/// incidents that group alerts of one container, with their timeline.
enum ProcessingSchema {
    static let migrationName = "v6: enrichment and incidents"

    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE alert_enrichment (
                alert_id INTEGER PRIMARY KEY,    -- alerts.id
                role TEXT,                       -- the container's service role, from the config
                tags TEXT NOT NULL,              -- JSON array of strings
                incident_id INTEGER              -- incidents.id, when correlated
            );
            CREATE TABLE incidents (
                id INTEGER PRIMARY KEY,
                container_id TEXT NOT NULL,
                container_name TEXT,
                hostname TEXT,
                role TEXT,
                opened_ns INTEGER NOT NULL,
                updated_ns INTEGER NOT NULL,
                severity INTEGER NOT NULL,       -- Falco priority order, 0 Emergency ... 7 Debug
                escalated INTEGER NOT NULL DEFAULT 0,
                stages TEXT NOT NULL,            -- JSON array: attack stages in the order first seen
                rules TEXT NOT NULL,             -- JSON array: distinct rules in the order first seen
                alert_count INTEGER NOT NULL,
                title TEXT NOT NULL,
                reason TEXT                      -- why it was escalated, in words
            );
            CREATE INDEX incidents_updated ON incidents(updated_ns);
            CREATE INDEX incidents_container ON incidents(container_id, updated_ns);
            -- An incident's timeline: its alerts, through their enrichment rows.
            CREATE INDEX alert_enrichment_incident ON alert_enrichment(incident_id, alert_id);
            CREATE TRIGGER alerts_enrichment_delete AFTER DELETE ON alerts BEGIN
                DELETE FROM alert_enrichment WHERE alert_id = old.id;
            END;
            """)
    }
}

/// An incident: alerts of one container grouped within a window, with a severity that
/// rises when distinct attack stages follow one another.
public struct IncidentRecord: Sendable, Equatable {
    public var id: Int64
    public var containerID: String
    public var containerName: String?
    public var hostname: String?
    public var role: String?
    public var opened: Timestamp
    public var updated: Timestamp
    public var severity: Priority
    public var escalated: Bool
    public var stages: [String]
    public var rules: [String]
    public var alertCount: Int
    public var title: String
    public var reason: String?

    public init(id: Int64, containerID: String, containerName: String?, hostname: String?, role: String?,
                opened: Timestamp, updated: Timestamp, severity: Priority, escalated: Bool,
                stages: [String], rules: [String], alertCount: Int, title: String, reason: String?) {
        self.id = id
        self.containerID = containerID
        self.containerName = containerName
        self.hostname = hostname
        self.role = role
        self.opened = opened
        self.updated = updated
        self.severity = severity
        self.escalated = escalated
        self.stages = stages
        self.rules = rules
        self.alertCount = alertCount
        self.title = title
        self.reason = reason
    }
}

/// The processor's additions to one alert.
public struct AlertEnrichment: Sendable, Equatable {
    public var role: String?
    public var tags: [String]
    public var incidentID: Int64?
    public init(role: String?, tags: [String], incidentID: Int64?) {
        self.role = role
        self.tags = tags
        self.incidentID = incidentID
    }
    public var isEmpty: Bool { role == nil && tags.isEmpty && incidentID == nil }
}

extension AlertStore {
    /// Incidents updated most recently first; `since` limits to those updated after it.
    /// `mirrored: false` leaves out the incidents taken from processors (this history's own
    /// processing resumes only its own).
    public func incidents(since: Timestamp? = nil, limit: Int = 100, mirrored: Bool = true) throws -> [IncidentRecord] {
        let own = mirrored ? "" : " AND id NOT IN (SELECT local_id FROM mirrored_incidents)"
        return try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM incidents WHERE updated_ns >= ?\(own) ORDER BY updated_ns DESC, id DESC LIMIT ?",
                             arguments: [since?.nanoseconds ?? Int64.min, limit]).map(Self.incident)
        }
    }

    public func incident(id: Int64) throws -> IncidentRecord? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM incidents WHERE id = ?", arguments: [id]).map(Self.incident)
        }
    }

    /// The alerts of an incident in time order (its timeline): the newest `limit` of them.
    public func incidentAlerts(id: Int64, limit: Int = 1000) throws -> [StoredAlert] {
        var query = AlertQuery(limit: limit)
        query.incident = id
        return try alerts(query).sorted { ($0.alert.time, $0.id) < ($1.alert.time, $1.id) }
    }

    /// The highest incident id (the correlator continues numbering after a restart).
    public func newestIncidentID() throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM incidents") ?? 0 }
    }

    /// The processing step's additions to the given alerts (absent ids had none).
    public func enrichment(for ids: [Int64]) throws -> [Int64: AlertEnrichment] {
        guard !ids.isEmpty else { return [:] }
        return try readHistory { db in try ProcessingStore.enrichment(for: ids, db: db) }
    }

    static func incident(_ row: Row) throws -> IncidentRecord {
        IncidentRecord(id: try row.decode(forColumn: "id"), containerID: try row.decode(forColumn: "container_id"), containerName: try row.decode(forColumn: "container_name"),
                       hostname: try row.decode(forColumn: "hostname"), role: try row.decode(forColumn: "role"),
                       opened: Timestamp(nanoseconds: try row.decode(forColumn: "opened_ns")), updated: Timestamp(nanoseconds: try row.decode(forColumn: "updated_ns")),
                       severity: Priority(rawValue: try row.decode(Int.self, forColumn: "severity")) ?? .notice,
                       escalated: try row.decode(forColumn: "escalated"), stages: stringArray(try row.decode(forColumn: "stages")), rules: stringArray(try row.decode(forColumn: "rules")),
                       alertCount: try row.decode(forColumn: "alert_count"), title: try row.decode(forColumn: "title"), reason: try row.decode(forColumn: "reason"))
    }

    static func stringArray(_ json: String?) -> [String] {
        guard let json, let value = try? JSONParser.parse(json), let items = value.arrayValue else { return [] }
        return items.compactMap(\.stringValue)
    }

}
