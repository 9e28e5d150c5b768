import Foundation
import GRDB
import GRDBSQLite
import TradsecCore

/// What a console following a processor (`processor=URL`) takes from it instead of computing
/// it: each alert's enrichment and incident, the incidents themselves and the responses the
/// processor's rules proposed or took. Everything arrives under the processor's ids; the store
/// maps them to its own (alerts by the mapping their commit recorded, incidents to local ids
/// handed out here), so several processors and the console's own processing never collide.
/// Committed with the follower's cursor: a restarted console continues without a gap or a
/// duplicate.
public struct MirroredProcessing: Sendable {
    /// The processor (`processor:URL`, the key its alerts were stored under).
    public var origin: String
    /// The processor's cursor: every alert up to this processor alert id is covered.
    public var through: Int64
    /// The processor's additions to its alerts, by the processor's alert ids.
    public var alerts: [MirroredAlert]
    /// Incidents opened or changed, whole, by the processor's incident ids; each with the
    /// responses recorded for it.
    public var incidents: [MirroredIncident]

    public init(origin: String, through: Int64, alerts: [MirroredAlert] = [], incidents: [MirroredIncident] = []) {
        self.origin = origin
        self.through = through
        self.alerts = alerts
        self.incidents = incidents
    }

    /// What the alerts a processor's feed stored are kept under: `processor:URL`.
    public static func origin(url: String) -> String { originPrefix + url }
    public static let originPrefix = "processor:"

    /// The follow-checkpoint key of the mirror's cursor for `origin`.
    public static func checkpointKey(origin: String) -> String { "incidents:" + origin }
}

/// One alert's enrichment as the processor recorded it (its ids).
public struct MirroredAlert: Sendable, Equatable {
    public var remoteID: Int64
    public var role: String?
    public var tags: [String]
    public var remoteIncident: Int64?
    public init(remoteID: Int64, role: String?, tags: [String], remoteIncident: Int64?) {
        self.remoteID = remoteID
        self.role = role
        self.tags = tags
        self.remoteIncident = remoteIncident
    }
}

/// An incident as the processor has it (`record.id` is the processor's), with its responses
/// (audit rows naming it there, their `id` the processor's, `incident` ignored).
public struct MirroredIncident: Sendable, Equatable {
    public var record: IncidentRecord
    public var responses: [AuditEntry]
    public init(record: IncidentRecord, responses: [AuditEntry]) {
        self.record = record
        self.responses = responses
    }
}

/// The mirror's tables (v12).
enum ProcessingMirror {
    static let migrationName = "v12: incidents taken from processors"

    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            -- The processor's alert id of each alert stored from its feed, kept until the
            -- mirror has taken that alert's enrichment (then deleted).
            CREATE TABLE mirrored_alerts (
                origin TEXT NOT NULL,
                remote_id INTEGER NOT NULL,
                local_id INTEGER NOT NULL,
                PRIMARY KEY (origin, remote_id)
            ) WITHOUT ROWID;
            -- Which local incidents are a processor's, and under which of its ids.
            CREATE TABLE mirrored_incidents (
                origin TEXT NOT NULL,
                remote_id INTEGER NOT NULL,
                local_id INTEGER NOT NULL UNIQUE,
                PRIMARY KEY (origin, remote_id)
            ) WITHOUT ROWID;
            -- The responses a processor recorded for its incidents (its audit rows), shown with
            -- the incident; they never enter this history's own audit log.
            CREATE TABLE mirrored_responses (
                origin TEXT NOT NULL,
                remote_id INTEGER NOT NULL,
                incident_id INTEGER NOT NULL,    -- incidents.id (local)
                started_ns INTEGER NOT NULL,
                finished_ns INTEGER,
                action TEXT NOT NULL,
                target TEXT,
                result TEXT NOT NULL,
                message TEXT,
                user_name TEXT,
                via TEXT NOT NULL,
                detail TEXT,
                PRIMARY KEY (origin, remote_id)
            ) WITHOUT ROWID;
            CREATE INDEX mirrored_responses_incident ON mirrored_responses(incident_id);
            """)
    }

    /// Records the processor's ids of the alerts a commit added (`remoteIDs` by batch place).
    static func recordAlertIDs(origin: String, remoteIDs: [Int64], added: [InsertedAlert], db: Database) throws {
        let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO mirrored_alerts (origin, remote_id, local_id) VALUES (?, ?, ?)")
        for a in added where a.index < remoteIDs.count {
            try insert.execute(arguments: [origin, remoteIDs[a.index], a.id])
        }
    }

    static func write(_ m: MirroredProcessing, db: Database) throws {
        // Incidents first: the alerts name them.
        var localIncident: [Int64: Int64] = [:]
        let find = try db.cachedStatement(sql: "SELECT local_id FROM mirrored_incidents WHERE origin = ? AND remote_id = ?")
        for incident in m.incidents {
            let remote = incident.record.id
            var local = try Int64.fetchOne(find, arguments: [m.origin, remote])
            if local == nil {
                // A fresh local id, past any incident this history has (its own included).
                let next = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM incidents") ?? 1)
                try db.cachedStatement(sql: "INSERT INTO mirrored_incidents (origin, remote_id, local_id) VALUES (?, ?, ?)")
                    .execute(arguments: [m.origin, remote, next])
                local = next
            }
            var record = incident.record
            record.id = local!
            try ProcessingStore.save(record, db: db)
            localIncident[remote] = local!
            let upsert = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO mirrored_responses (origin, remote_id, incident_id, started_ns, finished_ns, action, target,
                    result, message, user_name, via, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
                """)
            for r in incident.responses {
                try upsert.execute(arguments: [m.origin, r.id, local!, r.started.nanoseconds, r.finished?.nanoseconds, r.action, r.target,
                                               r.result.rawValue, r.message, r.who.user, r.via, r.detail])
            }
        }
        // Alerts: only those this history stored from the processor's feed (their mapping).
        let mapped = try db.cachedStatement(sql: "SELECT local_id FROM mirrored_alerts WHERE origin = ? AND remote_id = ?")
        var enriched: [EnrichedAlert] = []
        for a in m.alerts {
            guard let local = try Int64.fetchOne(mapped, arguments: [m.origin, a.remoteID]) else { continue }
            var incident: Int64?
            if let remote = a.remoteIncident {
                incident = try localIncident[remote] ?? Int64.fetchOne(find, arguments: [m.origin, remote])
            }
            enriched.append(EnrichedAlert(id: local, enrichment: AlertEnrichment(role: a.role, tags: a.tags, incidentID: incident)))
        }
        enriched.sort { $0.id < $1.id }
        // Packed rows must not overlap another writer's (a second processor's alerts sit between
        // these ids): one row per run of consecutive ids.
        var start = 0
        for i in enriched.indices where i == enriched.count - 1 || enriched[i + 1].id != enriched[i].id + 1 {
            let run = Array(enriched[start...i])
            let taken = try Int64.fetchOne(db, sql: "SELECT 1 FROM alert_processing WHERE first_id <= ? AND last_id >= ? LIMIT 1",
                                           arguments: [run.last!.id, run[0].id])
            // Alerts this history already processed itself keep that.
            if taken == nil { try ProcessingStore.writeEnrichment(run, db: db) }
            start = i + 1
        }
        try db.execute(sql: "DELETE FROM mirrored_alerts WHERE origin = ? AND remote_id <= ?", arguments: [m.origin, m.through])
    }
}

extension AlertStore {
    /// The processor an incident was taken from (`processor:URL`), nil for this history's own.
    public func incidentOrigin(id: Int64) throws -> String? { try mirroredIncident(id: id)?.origin }

    /// The processor an incident was taken from, and the incident's id there; nil for this
    /// history's own.
    public func mirroredIncident(id: Int64) throws -> (origin: String, remoteID: Int64)? {
        try readHistory { db in
            try Row.fetchOne(db, sql: "SELECT origin, remote_id FROM mirrored_incidents WHERE local_id = ?", arguments: [id])
                .map { ($0[0], $0[1]) }
        }
    }

    /// The alerts in `(after, through]` stored from a processor's feed. Their enrichment and
    /// incidents are the processor's (the mirror takes them), so this history's processing
    /// step passes them by: an alert is processed once, where it first arrived.
    public func alertsFromProcessors(after: Int64, through: Int64) throws -> Set<Int64> {
        guard through > after else { return [] }
        // ';' follows ':': the range holds exactly the texts that start with the prefix.
        let low = MirroredProcessing.originPrefix, high = String(low.dropLast()) + ";"
        return try readHistory { db in
            // A history that never followed a processor has no such origin: nothing is scanned.
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM alert_texts WHERE text >= ? AND text < ?)",
                                    arguments: [low, high]) == true else { return [] }
            return Set(try Int64.fetchAll(db, sql: "SELECT id FROM alerts WHERE id > ? AND id <= ? AND origin >= ? AND origin < ?",
                                          arguments: [after, through, low, high]))
        }
    }

    /// The oldest processor alert id whose enrichment the mirror has yet to take.
    public func oldestMirroredAlert(origin: String) throws -> Int64? {
        try readHistory { db in
            try Int64.fetchOne(db, sql: "SELECT min(remote_id) FROM mirrored_alerts WHERE origin = ?", arguments: [origin])
        }
    }

    /// The processor's incident ids this history holds for `origin`, the most recent first.
    public func mirroredIncidentIDs(origin: String, limit: Int) throws -> [Int64] {
        try readHistory { db in
            try Int64.fetchAll(db, sql: "SELECT remote_id FROM mirrored_incidents WHERE origin = ? ORDER BY local_id DESC LIMIT ?",
                               arguments: [origin, limit])
        }
    }

    /// The responses a processor recorded for a local incident taken from it, oldest first
    /// (ids and `via` as the processor has them, `incident` the local id).
    public func mirroredResponses(incident: Int64, limit: Int = 1000) throws -> [AuditEntry] {
        try readHistory { db in
            try Row.fetchAll(db, sql: """
                SELECT remote_id, started_ns, finished_ns, action, target, result, message, user_name, via, detail
                FROM mirrored_responses WHERE incident_id = ? ORDER BY remote_id LIMIT ?
                """, arguments: [incident, limit]).map { row in
                let finished: Int64? = row[2]
                return AuditEntry(id: row[0], started: Timestamp(nanoseconds: row[1]), finished: finished.map(Timestamp.init(nanoseconds:)),
                                  action: row[3], target: row[4], result: AuditEntry.Result(rawValue: row[5]) ?? .failed, message: row[6],
                                  latencyMilliseconds: nil, who: AuditIdentity(user: row[7] ?? "processor"), via: row[8], detail: row[9],
                                  incident: incident)
            }
        }
    }

    /// The processing step's additions to the alerts after `after` up to `through` (the
    /// processor's side of the mirror), in id order, at most `limit`.
    public func enrichment(after: Int64, through: Int64, limit: Int) throws -> [EnrichedAlert] {
        guard through > after, limit > 0 else { return [] }
        return try readHistory { db in
            var out: [EnrichedAlert] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT first_id, records FROM alert_processing WHERE last_id > ? AND first_id <= ? ORDER BY first_id
                """, arguments: [after, through])
            var ids: [Int64] = []
            while ids.count < limit, let row = try rows.next() {
                let first: Int64 = row[0]
                guard let records = row[1] as Data?, records.count % ProcessingStore.recordSize == 0 else { continue }
                records.withUnsafeBytes { p in
                    for i in 0..<(records.count / ProcessingStore.recordSize) where ids.count < limit {
                        let id = first &+ Int64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i * ProcessingStore.recordSize, as: UInt32.self)))
                        if id > after && id <= through { ids.append(id) }
                    }
                }
            }
            let found = try ProcessingStore.enrichment(for: ids, db: db)
            for id in ids { if let e = found[id] { out.append(EnrichedAlert(id: id, enrichment: e)) } }
            return out
        }
    }
}
