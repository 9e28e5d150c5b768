#if canImport(Glibc)
import Glibc
#endif
import GRDB
import GRDBSQLite
import TradsecCore

/// Everything one write transaction holds: after a crash either all of it is in the history
/// or none of it. Values only: no database handle leaves the store.
public struct CommitPlan: Sendable {
    /// New alerts (duplicates of stored ones are skipped).
    public var alerts: AlertBatch
    /// Which feed brought them (kept with each alert).
    public var origin: String?
    /// A follower's position after these alerts: a restart neither loses nor repeats one.
    public var checkpoint: FollowCheckpoint?
    /// Lines refused on the way (kept for `tradsec rejects`, bounded).
    public var rejects: [AlertStore.RejectRecord]
    /// Index the alerts' text now, or leave it to the backlog (bulk loads).
    public var fullText: FullText
    /// What the processing step derived from alerts already stored, with its new cursor.
    public var processed: ProcessedRecords?
    /// The alerts came from a processor's feed: each one's id there, by batch place (their
    /// mirrored enrichment and incidents find them by it).
    public var remoteIDs: [Int64] = []
    /// A processor's enrichment, incidents and responses, with the mirror's cursor.
    public var mirrored: MirroredProcessing?

    public init(alerts: AlertBatch = AlertBatch(), origin: String? = nil, checkpoint: FollowCheckpoint? = nil,
                rejects: [AlertStore.RejectRecord] = [], fullText: FullText = .inline, processed: ProcessedRecords? = nil) {
        self.alerts = alerts
        self.origin = origin
        self.checkpoint = checkpoint
        self.rejects = rejects
        self.fullText = fullText
        self.processed = processed
    }

    /// The same for alerts as values (the processor, the console's feeds, tests).
    public init(alerts: [Alert], origin: String? = nil, checkpoint: FollowCheckpoint? = nil,
                rejects: [AlertStore.RejectRecord] = [], fullText: FullText = .inline) {
        var batch = AlertBatch()
        for alert in alerts { batch.append(alert.record) }
        self.init(alerts: batch, origin: origin, checkpoint: checkpoint, rejects: rejects, fullText: fullText)
    }
}

/// What a commit did.
public struct CommitResult: Sendable, Equatable {
    public var inserted = 0
    /// Alerts already in the history (same raw JSON at the same time), skipped.
    public var duplicates = 0
    /// The alerts added, in batch order: each one's place in the batch and its id (ids
    /// increase with the place; a duplicate takes none). For a journal-only commit, the
    /// places and journal row ids.
    public var added: [InsertedAlert] = []
    /// The ids of the processing records' audit rows, in their order.
    public var auditIDs: [Int64] = []
    public init() {}

    /// Counts of two commits together (the second's places are its own batch's).
    public static func += (a: inout CommitResult, b: CommitResult) {
        a.inserted += b.inserted
        a.duplicates += b.duplicates
        a.added += b.added
    }
}

/// An alert a commit added: its place in the batch and its id.
public struct InsertedAlert: Sendable, Equatable {
    public var index: Int
    public var id: Int64
    public init(index: Int, id: Int64) {
        self.index = index
        self.id = id
    }
}

extension AlertStore {
    /// Writes `plan` in one transaction.
    @discardableResult
    public func commit(_ plan: CommitPlan) throws -> CommitResult {
        try writeHistory { db in
            var result = CommitResult()
            if !plan.alerts.isEmpty {
                var added: [InsertedAlert] = []
                added.reserveCapacity(plan.alerts.count)
                result = try insertAlerts(plan.alerts, origin: plan.origin, fullText: plan.fullText, db: db,
                                          added: { added.append($0) })
                result.added = added
                if let origin = plan.origin, !plan.remoteIDs.isEmpty {
                    try ProcessingMirror.recordAlertIDs(origin: origin, remoteIDs: plan.remoteIDs, added: added, db: db)
                }
            }
            if let processed = plan.processed { result.auditIDs = try ProcessingStore.write(processed, db: db) }
            if let mirrored = plan.mirrored { try ProcessingMirror.write(mirrored, db: db) }
            for reject in plan.rejects { try record(reject, db: db) }
            // Keep the table bounded (a flood of garbage must not fill the disk); once per
            // batch, not per reject: the trim walks ten thousand rows.
            if !plan.rejects.isEmpty {
                try db.execute(sql: "DELETE FROM rejects WHERE id <= (SELECT id FROM rejects ORDER BY id DESC LIMIT 1 OFFSET 10000)")
            }
            if let checkpoint = plan.checkpoint { try save(checkpoint, db: db) }
            return result
        }
    }

    /// Stores alerts given as values: `commit` of a plan holding only them (and their rejects).
    @discardableResult
    public func insert(_ alerts: [Alert], origin: String? = nil, checkpoint: FollowCheckpoint? = nil,
                       rejects: [RejectRecord] = [], fullText: FullText = .inline) throws -> CommitResult {
        try commit(CommitPlan(alerts: alerts, origin: origin, checkpoint: checkpoint, rejects: rejects, fullText: fullText))
    }

    /// The same for a decoded batch.
    @discardableResult
    public func insert(_ batch: AlertBatch, origin: String? = nil, checkpoint: FollowCheckpoint? = nil,
                       rejects: [RejectRecord] = [], fullText: FullText = .inline) throws -> CommitResult {
        try commit(CommitPlan(alerts: batch, origin: origin, checkpoint: checkpoint, rejects: rejects, fullText: fullText))
    }

    func insertAlerts(_ batch: AlertBatch, origin: String?, fullText: FullText, db: Database,
                      added: (InsertedAlert) -> Void) throws -> CommitResult {
        let fts = try db.cachedStatement(sql: "INSERT INTO alerts_fts(rowid, output) VALUES (?, ?)").sqliteStatement
        defer { sqlite3_reset(fts) }
        let now = Timestamp.now().nanoseconds
        var result = CommitResult()
        // Per container (by its postings slot): the batch's last alert naming it, first and last time.
        var containers: [(last: Int, first: Int64, newest: Int64)?] = []
        var chunks = try RawChunkWriter(db: db)
        var postings = PostingWriter()
        var packed = PackedRowWriter()
        // Ids are given explicitly and never reused, even after retention deleted the newest
        // rows: postings blocks and live-feed cursors rely on ids only growing. The newest
        // block outlives retention, so its last id is the high-water mark.
        var nextID = try Int64.fetchOne(db, sql: """
            SELECT max(coalesce((SELECT last_id FROM alert_rows ORDER BY first_id DESC LIMIT 1), 0), coalesce((SELECT max(last_id) FROM alert_blocks), 0)) + 1
            """) ?? 1
        // Read from the file: ids must stay positive and far from overflowing as batches add to them.
        guard nextID > 0, nextID < Int64.max - (1 << 40) else {
            throw StoreError.damaged(place: "alert_rows/alert_blocks", problem: "the next alert id would be \(nextID)")
        }
        let originBytes = origin.map { Array($0.utf8) } ?? []
        try originBytes.withUnsafeBytes { originBytes in
        try batch.withBytes { bytes in
        try batch.entries.withUnsafeBufferPointer { entries in
            @inline(__always) func text(_ span: AlertBatch.Span) -> UnsafeRawBufferPointer? { span.bytes(in: bytes) }
            // The same raw line at the same time is stored once (a re-read file, a replaying feed).
            let fingerprints = entries.map { Fingerprint.hash(text($0.raw)!) }
            var seen = SeenAlerts(times: entries.map(\.time.nanoseconds), fingerprints: fingerprints)
            try seen.loadStored(db: db)
            for index in 0..<entries.count {
                let alert = entries[index]
                let time = alert.time.nanoseconds
                let raw = text(alert.raw)!
                let fingerprint = fingerprints[index]
                guard !seen.isDuplicate[index] else {
                    result.duplicates += 1
                    continue
                }
                result.inserted += 1
                let rowID = nextID
                nextID += 1
                var location = chunks.next
                location.length = raw.count
                try chunks.append(raw, db: db)
                let rule = text(alert.rule)!, container = text(alert.containerID)!, hostname = text(alert.hostname)
                let record = packed.add(id: rowID, time: time, fingerprint: fingerprint, ingested: now, location: location,
                                        priority: alert.priority.rawValue,
                                        texts: AlertTexts(rule: rule, source: text(alert.source), hostname: hostname, container: container,
                                                          proc: text(alert.processName), user: text(alert.userName),
                                                          origin: origin == nil ? nil : originBytes))
                added(InsertedAlert(index: index, id: rowID))
                let slot = try postings.add(id: rowID, time: time, priority: alert.priority.rawValue,
                                            rule: (record.rule, rule), container: (record.container, container),
                                            host: hostname.map { (record.hostname, $0) }, db: db)
                if fullText == .inline {
                    sqlite3_reset(fts)
                    sqlite3_bind_int64(fts, 1, rowID)
                    bindText(fts, 2, text(alert.output)!)
                    guard sqlite3_step(fts) == SQLITE_DONE else {
                        throw StoreError.sqlite(operation: "full-text insert", message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                    }
                }
                if slot >= containers.count { containers.append(contentsOf: repeatElement(nil, count: slot - containers.count + 1)) }
                if let seen = containers[slot] {
                    containers[slot] = (index, min(seen.first, time), max(seen.newest, time))
                } else {
                    containers[slot] = (index, time, time)
                }
            }
        }
        }
        }
        try packed.write(db: db)
        try chunks.flush(db: db)
        try postings.write(db: db)
        // The ids this batch added are consecutive (a duplicate takes none).
        if fullText == .deferred, result.inserted > 0 {
            try Self.deferFullText(nextID - Int64(result.inserted), nextID - 1, db: db)
        }
        // One upsert per container per batch rather than per alert.
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO containers (id, name, image, hostname, first_seen_ns, last_seen_ns) VALUES (?,?,?,?,?,?)
            ON CONFLICT(id) DO UPDATE SET
                name = CASE WHEN excluded.last_seen_ns >= containers.last_seen_ns THEN excluded.name ELSE containers.name END,
                image = COALESCE(CASE WHEN excluded.last_seen_ns >= containers.last_seen_ns THEN excluded.image END, containers.image),
                hostname = COALESCE(excluded.hostname, containers.hostname),
                first_seen_ns = MIN(containers.first_seen_ns, excluded.first_seen_ns),
                last_seen_ns = MAX(containers.last_seen_ns, excluded.last_seen_ns)
            """)
        for case let (last, first, newest)? in containers {
            let alert = batch.entries[last]
            try upsert.execute(arguments: [batch.string(alert.containerID), batch.string(alert.containerName),
                                           batch.string(alert.containerImage), batch.string(alert.hostname), first, newest])
        }
        return result
    }

}
