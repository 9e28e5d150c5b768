import Foundation
import GRDB
import GRDBSQLite
import TradsecCore

/// What the processing step (enrich → correlate → respond → notify) derived from alerts
/// already stored, committed together with its new cursor: after a crash either all of it
/// is in the history, and the cursor says so, or none of it, and the step does it again.
public struct ProcessedRecords: Sendable {
    /// Who did the work: it must still hold the processing lease when this commits.
    public var owner: String
    /// The cursor the work started from; the commit refuses when another process moved it.
    public var from: Int64
    /// Every alert with an id up to this one is processed once this commits.
    public var through: Int64
    /// Each processed alert's additions, in id order.
    public var enrichment: [EnrichedAlert]
    /// Incidents opened or changed (written whole).
    public var incidents: [IncidentRecord]
    /// Notifications to queue.
    public var outbox: [OutboxEntry]
    /// Audit rows of what the response rules proposed or did (written whole, with their result).
    public var audit: [AuditRecord]

    public init(owner: String, from: Int64, through: Int64, enrichment: [EnrichedAlert] = [], incidents: [IncidentRecord] = [],
                outbox: [OutboxEntry] = [], audit: [AuditRecord] = []) {
        self.owner = owner
        self.from = from
        self.through = through
        self.enrichment = enrichment
        self.incidents = incidents
        self.outbox = outbox
        self.audit = audit
    }
}

/// One alert's enrichment, by id.
public struct EnrichedAlert: Sendable, Equatable {
    public var id: Int64
    public var enrichment: AlertEnrichment
    public init(id: Int64, enrichment: AlertEnrichment) {
        self.id = id
        self.enrichment = enrichment
    }
}

/// Where processing stands in a history: its cursor, and who holds the lease to move it.
public struct ProcessingState: Sendable, Equatable {
    /// Every alert with an id up to this one has been processed.
    public var cursor: Int64
    public var owner: String?
    public var leaseUntil: Timestamp
}

/// The processing step's tables: its cursor and lease, and each processed alert's additions,
/// packed many to a row (a row per alert would be an SQL round trip per alert at ingest's
/// rate); an incident's alerts are found through postings terms `i:<incident id>`.
enum ProcessingStore {
    static let migrationName = "v11: processing cursor and lease, enrichment packed, incident postings, intake journal"

    /// Bytes per packed record: id delta (u32), role text id (u32), tags text id (u32),
    /// reserved (u32), incident id (i64). Text ids are `alert_texts` ids, 0 for none.
    static let recordSize = 24
    static let rowTarget = 4096

    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE processing_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                cursor INTEGER NOT NULL,                -- every alert id up to this is processed
                owner TEXT,                             -- who processes, while its lease lasts
                lease_until_ns INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE alert_processing (
                first_id INTEGER PRIMARY KEY,
                last_id INTEGER NOT NULL,
                records BLOB NOT NULL
            );
            CREATE INDEX alert_processing_last ON alert_processing(last_id);
            -- Switches operators flip at run time, shared by every process on the history
            -- (the response rules' kill switch: `:response off` in the console).
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_ns INTEGER NOT NULL,
                who TEXT
            ) WITHOUT ROWID;
            -- An incident's alerts, in whatever blocks they are.
            CREATE INDEX alert_postings_incident ON alert_postings(term) WHERE term >= 'i:' AND term < 'i;';
            """)
        // What the old processor enriched moves over; alerts ingested without it (files,
        // followers) are not processed after the fact: their notifications would all go out
        // at once. Processing starts after the newest alert.
        let newest = try Int64.fetchOne(db, sql: "SELECT coalesce(max(last_id), 0) FROM alert_rows") ?? 0
        try db.execute(sql: "INSERT INTO processing_state (id, cursor) VALUES (1, ?)", arguments: [newest])
        var enriched: [EnrichedAlert] = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT e.alert_id, e.role, e.tags, e.incident_id FROM alert_enrichment e
            WHERE EXISTS (SELECT 1 FROM alerts a WHERE a.id = e.alert_id) ORDER BY e.alert_id
            """)
        while let row = try rows.next() {
            enriched.append(EnrichedAlert(id: row[0], enrichment: AlertEnrichment(role: row[1], tags: AlertStore.stringArray(row[2]),
                                                                                  incidentID: row[3])))
            if enriched.count == rowTarget {
                try writeEnrichment(enriched, db: db)
                enriched.removeAll(keepingCapacity: true)
            }
        }
        try writeEnrichment(enriched, db: db)
        try db.execute(sql: "DROP INDEX alert_enrichment_incident; DROP TABLE alert_enrichment")
        try Audit.widenResults(db)
        try Intake.createTables(db)
    }

    // MARK: - Writing

    /// Writes the records; the ids of the audit rows, in order.
    static func write(_ processed: ProcessedRecords, db: Database) throws -> [Int64] {
        let state = try self.state(db)
        guard state.owner == processed.owner, state.cursor == processed.from else {
            throw StoreError.processingMovedOn(holder: state.owner)
        }
        guard processed.through >= processed.from else { throw StoreError.processingCursorBack }
        try writeEnrichment(processed.enrichment, db: db)
        for incident in processed.incidents {
            // A processor's incident taken into this history since the correlator counted its
            // ids: refused, so processing starts again from the history, past that id.
            if try Int64.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM mirrored_incidents WHERE local_id = ?"), arguments: [incident.id]) != nil {
                throw StoreError.incidentIsMirrored(incident.id)
            }
            try save(incident, db: db)
        }
        try AlertStore.enqueueNotifications(processed.outbox, db: db)
        let auditIDs = try processed.audit.map { try Audit.insert($0, db: db) }
        try db.execute(sql: "UPDATE processing_state SET cursor = ? WHERE id = 1", arguments: [processed.through])
        return auditIDs
    }

    static func state(_ db: Database) throws -> ProcessingState {
        guard let row = try Row.fetchOne(db, sql: "SELECT cursor, owner, lease_until_ns FROM processing_state WHERE id = 1") else {
            return ProcessingState(cursor: 0, owner: nil, leaseUntil: Timestamp(nanoseconds: 0))
        }
        return ProcessingState(cursor: try row.integer(0, "processing_state"), owner: row[1],
                               leaseUntil: Timestamp(nanoseconds: try row.integer(2, "processing_state")))
    }

    static func save(_ incident: IncidentRecord, db: Database) throws {
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

    static func incidentTerm(_ id: Int64) -> String { "i:\(id)" }

    /// Packs `enriched` (in id order) into rows, and lists each alert under its incident's term.
    static func writeEnrichment(_ enriched: [EnrichedAlert], db: Database) throws {
        guard !enriched.isEmpty else { return }
        var texts: [String: UInt32] = [:]
        var newest: [String: Int64] = [:]
        for e in enriched {
            if let role = e.enrichment.role { newest[role] = e.id }
            if !e.enrichment.tags.isEmpty { newest[jsonArray(e.enrichment.tags)] = e.id }
        }
        for (text, id) in newest { texts[text] = try TextIDs.id(for: text, newestAlert: id, db: db) }
        var start = 0
        while start < enriched.count {
            let first = enriched[start].id
            var end = start
            var bytes: [UInt8] = []
            bytes.reserveCapacity(min(rowTarget, enriched.count - start) * recordSize)
            while end < enriched.count, end - start < rowTarget {
                let e = enriched[end]
                let (delta, overflow) = e.id.subtractingReportingOverflow(first)
                guard !overflow, delta >= 0, delta <= Int64(UInt32.max) else { break }
                var record = [UInt8](repeating: 0, count: recordSize)
                record.withUnsafeMutableBytes { p in
                    p.storeBytes(of: UInt32(delta).littleEndian, toByteOffset: 0, as: UInt32.self)
                    p.storeBytes(of: (e.enrichment.role.flatMap { texts[$0] } ?? 0).littleEndian, toByteOffset: 4, as: UInt32.self)
                    let tags = e.enrichment.tags.isEmpty ? 0 : texts[jsonArray(e.enrichment.tags)] ?? 0
                    p.storeBytes(of: tags.littleEndian, toByteOffset: 8, as: UInt32.self)
                    p.storeBytes(of: (e.enrichment.incidentID ?? 0).littleEndian, toByteOffset: 16, as: Int64.self)
                }
                bytes += record
                end += 1
            }
            guard end > start else { throw StoreError.processedOutOfOrder(at: enriched[start].id) }
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO alert_processing (first_id, last_id, records) VALUES (?, ?, ?)")
                .execute(arguments: [first, enriched[end - 1].id, Data(bytes)])
            start = end
        }
        var byIncident: [Int64: [Int64]] = [:]
        for e in enriched { if let incident = e.enrichment.incidentID { byIncident[incident, default: []].append(e.id) } }
        for (incident, ids) in byIncident { try Postings.append(term: incidentTerm(incident), ids: ids, db: db) }
    }

    // MARK: - Reading

    /// The enrichment of each of `ids` that has some.
    static func enrichment(for ids: [Int64], db: Database) throws -> [Int64: AlertEnrichment] {
        var out: [Int64: AlertEnrichment] = [:]
        var row: (first: Int64, last: Int64, records: [UInt8])?
        var textCache: [UInt32: String] = [:]
        func text(_ id: UInt32) throws -> String? {
            guard id > 0 else { return nil }
            if let known = textCache[id] { return known }
            let value = try String.fetchOne(db, sql: "SELECT text FROM alert_texts WHERE id = ?", arguments: [Int64(id)])
            textCache[id] = value
            return value
        }
        let find = try db.cachedStatement(sql: "SELECT first_id, last_id, records FROM alert_processing WHERE first_id <= ? ORDER BY first_id DESC LIMIT 1")
        for id in ids.sorted() {
            if row == nil || id > row!.last || id < row!.first {
                guard let r = try Row.fetchOne(find, arguments: [id]) else { row = nil; continue }
                let first = try r.integer(0, "alert_processing")
                let place = "alert_processing row \(first)"
                let records = try r.blob(2, place)
                guard records.count % recordSize == 0 else { throw StoreError.damaged(place: place, problem: "its records are not whole") }
                row = (first, try r.integer(1, place), records)
            }
            guard let current = row, id <= current.last else { continue }
            // Records are in id order: a binary search by delta.
            let count = current.records.count / recordSize
            let target = id - current.first
            var lo = 0, hi = count
            try current.records.withUnsafeBytes { p in
                while lo < hi {
                    let mid = (lo + hi) / 2
                    let delta = Int64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: mid * recordSize, as: UInt32.self)))
                    if delta < target { lo = mid + 1 } else { hi = mid }
                }
                guard lo < count,
                      Int64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: lo * recordSize, as: UInt32.self))) == target else { return }
                let base = lo * recordSize
                let role = try text(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: base + 4, as: UInt32.self)))
                let tags = try text(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: base + 8, as: UInt32.self)))
                let incident = Int64(littleEndian: p.loadUnaligned(fromByteOffset: base + 16, as: Int64.self))
                out[id] = AlertEnrichment(role: role, tags: AlertStore.stringArray(tags), incidentID: incident == 0 ? nil : incident)
            }
        }
        return out
    }

    // MARK: - Retention

    /// Drops the records of deleted alerts (sorted ids), rewriting the rows they were in.
    static func remove(_ ids: [Int64], db: Database) throws {
        guard let low = ids.first, let high = ids.last else { return }
        let deleted = Set(ids)
        for r in try Row.fetchAll(db, sql: "SELECT first_id, last_id, records FROM alert_processing WHERE last_id >= ? AND first_id <= ?",
                                  arguments: [low, high]) {
            let first = try r.integer(0, "alert_processing")
            let records = try r.blob(2, "alert_processing row \(first)")
            guard records.count % recordSize == 0 else { throw StoreError.damaged(place: "alert_processing row \(first)", problem: "its records are not whole") }
            var kept: [UInt8] = []
            var lastKept: Int64?
            records.withUnsafeBytes { p in
                for i in 0..<(records.count / recordSize) {
                    let id = first + Int64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i * recordSize, as: UInt32.self)))
                    guard !deleted.contains(id) else { continue }
                    kept += records[(i * recordSize)..<((i + 1) * recordSize)]
                    lastKept = id
                }
            }
            if let lastKept {
                try db.execute(sql: "UPDATE alert_processing SET last_id = ?, records = ? WHERE first_id = ?",
                               arguments: [lastKept, Data(kept), first])
            } else {
                try db.execute(sql: "DELETE FROM alert_processing WHERE first_id = ?", arguments: [first])
            }
        }
    }
}

/// `alert_texts` ids for texts outside the packed alert rows (a role, a set of tags).
enum TextIDs {
    /// The id of `text`, inserted when new; its newest alert moves up to `newestAlert`.
    static func id(for text: String, newestAlert: Int64, db: Database) throws -> UInt32 {
        let id: Int64
        if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, newest_id FROM alert_texts WHERE text = ?"), arguments: [text]) {
            id = try row.integer(0, "alert_texts")
            if try row.integer(1, "alert_texts row \(id)") < newestAlert {
                try db.cachedStatement(sql: "UPDATE alert_texts SET newest_id = ? WHERE id = ?").execute(arguments: [newestAlert, id])
            }
        } else {
            try db.cachedStatement(sql: "INSERT INTO alert_texts (text, newest_id) VALUES (?, ?)").execute(arguments: [text, newestAlert])
            id = db.lastInsertedRowID
        }
        guard id > 0, id <= Int64(UInt32.max) else { throw StoreError.textIDOutOfRange(id) }
        return UInt32(id)
    }
}

extension AlertStore {
    /// Where processing stands.
    public func processingState() throws -> ProcessingState {
        try pool.read { db in try ProcessingStore.state(db) }
    }

    /// Takes (or renews) the processing lease for `owner` until `now + lease`, when nobody
    /// else holds a live one; the cursor to continue from, or nil when another process has it.
    public func claimProcessing(owner: String, lease: Int64, now: Timestamp = .now()) throws -> Int64? {
        try pool.write { db in
            let state = try ProcessingStore.state(db)
            if let holder = state.owner, holder != owner, state.leaseUntil > now { return nil }
            try db.execute(sql: "INSERT OR IGNORE INTO processing_state (id, cursor) VALUES (1, 0)")
            try db.execute(sql: "UPDATE processing_state SET owner = ?, lease_until_ns = ? WHERE id = 1",
                           arguments: [owner, now.adding(nanoseconds: lease).nanoseconds])
            return state.cursor
        }
    }

    /// Whether the response rules may act (the kill switch; on unless someone turned it off).
    public func responseSwitch() throws -> (on: Bool, who: String?, since: Timestamp?) {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT value, who, updated_ns FROM settings WHERE key = 'response'") else {
                return (true, nil, nil)
            }
            return ((row[0] as String?) != "off", row[1], Timestamp(nanoseconds: try row.integer(2, "settings")))
        }
    }

    /// Turns the response rules on or off for every process on this history, and audits it.
    public func setResponseSwitch(on: Bool, who: AuditIdentity, via: String, now: Timestamp = .now()) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO settings (key, value, updated_ns, who) VALUES ('response', ?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_ns = excluded.updated_ns, who = excluded.who
                """, arguments: [on ? "on" : "off", now.nanoseconds, who.summary])
            _ = try Audit.insert(AuditRecord(started: now, finished: now, action: on ? "response-on" : "response-off", target: nil,
                                             result: .ok, message: on ? "response rules switched on" : "response rules switched off",
                                             who: who, via: via), db: db)
        }
    }

    /// Automatic response actions recorded as started that no process finished (it stopped
    /// first) are marked failed: they are not run again by surprise later.
    @discardableResult
    public func failInterruptedResponses(now: Timestamp = .now()) throws -> Int {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE audit_log SET result = 'failed', finished_ns = ?,
                    message = coalesce(message, '') || ' (interrupted: tradsec stopped before the action ran; not retried)'
                WHERE via = 'response' AND result = 'started'
                """, arguments: [now.nanoseconds])
            return db.changesCount
        }
    }

    /// Gives the lease up (a clean shutdown), so another process can take over at once.
    public func releaseProcessing(owner: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE processing_state SET owner = NULL, lease_until_ns = 0 WHERE id = 1 AND owner = ?",
                           arguments: [owner])
        }
    }
}
