import GRDB
import GRDBSQLite
import TradsecCore

/// What the processor (`tradsec serve`) adds to each alert and to the history: an enrichment
/// row per alert (service role, tags such as `exchange:binance` or `threat-intel:feodo`), and
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

/// Writes inside the insert transaction (see ``AlertStore/insert(_:origin:checkpoint:rejects:within:)``).
public enum ProcessingWriter {
    /// One row per processed alert (its role, tags and incident), bound by hand: this runs for
    /// every alert the processor takes in.
    public static func saveEnrichment(_ enrichment: AlertEnrichment, alertID: Int64, db: Database) throws {
        let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO alert_enrichment (alert_id, role, tags, incident_id) VALUES (?,?,?,?)")
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, alertID)
        bindText(handle, 2, enrichment.role)
        bindText(handle, 3, enrichment.tags.isEmpty ? "[]" : jsonArray(enrichment.tags))
        if let incident = enrichment.incidentID { sqlite3_bind_int64(handle, 4, incident) } else { sqlite3_bind_null(handle, 4) }
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard rc == SQLITE_DONE else { throw StoreError("enrichment insert failed: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))") }
    }

    public static func saveIncident(_ incident: IncidentRecord, db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO incidents (id, container_id, container_name, hostname, role, opened_ns, updated_ns,
                severity, escalated, stages, rules, alert_count, title, reason)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """).execute(arguments: [
                incident.id, incident.containerID, incident.containerName, incident.hostname, incident.role,
                incident.opened.nanoseconds, incident.updated.nanoseconds, Int(incident.severity.rawValue),
                incident.escalated, jsonArray(incident.stages), jsonArray(incident.rules), incident.alertCount,
                incident.title, incident.reason,
            ])
    }

    static func jsonArray(_ strings: [String]) -> String {
        JSONWriter.string(.array(strings.map { .string($0) }))
    }
}

extension AlertStore {
    /// Incidents updated most recently first; `since` limits to those updated after it.
    public func incidents(since: Timestamp? = nil, limit: Int = 100) throws -> [IncidentRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM incidents WHERE updated_ns >= ? ORDER BY updated_ns DESC, id DESC LIMIT ?",
                             arguments: [since?.nanoseconds ?? Int64.min, limit]).map(Self.incident)
        }
    }

    public func incident(id: Int64) throws -> IncidentRecord? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM incidents WHERE id = ?", arguments: [id]).map(Self.incident)
        }
    }

    /// The alerts of an incident in time order (its timeline).
    public func incidentAlerts(id: Int64, limit: Int = 1000) throws -> [StoredAlert] {
        try pool.read { db in
            try Self.storedAlerts(db, sql: """
                SELECT alerts.id, alerts.raw_chunk, alerts.raw_offset, alerts.raw_length
                FROM alert_enrichment JOIN alerts ON alerts.id = alert_enrichment.alert_id
                WHERE alert_enrichment.incident_id = ? ORDER BY alerts.time_ns, alerts.id LIMIT ?
                """, arguments: [id, limit])
        }
    }

    /// The highest incident id (the correlator continues numbering after a restart).
    public func newestIncidentID() throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM incidents") ?? 0 }
    }

    /// Enrichment rows for the given alerts (absent ids had none).
    public func enrichment(for ids: [Int64]) throws -> [Int64: AlertEnrichment] {
        guard !ids.isEmpty else { return [:] }
        return try pool.read { db in
            var out: [Int64: AlertEnrichment] = [:]
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min(ids.count, $0 + 500)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                for row in try Row.fetchAll(db, sql: "SELECT alert_id, role, tags, incident_id FROM alert_enrichment WHERE alert_id IN (\(marks))",
                                            arguments: StatementArguments(chunk)) {
                    out[try row.decode(atIndex: 0)] = AlertEnrichment(role: try row.decode(atIndex: 1), tags: Self.stringArray(try row.decode(atIndex: 2)), incidentID: try row.decode(atIndex: 3))
                }
            }
            return out
        }
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
