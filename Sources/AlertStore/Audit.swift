import GRDB
import TradsecCore

/// Who did something: the login behind the action, as far as the process can tell.
public struct AuditIdentity: Sendable, Equatable {
    public var user: String
    /// The user who ran `sudo`, when tradsec runs under it.
    public var sudoUser: String?
    /// "address port" of the SSH client, from SSH_CLIENT / SSH_CONNECTION.
    public var sshClient: String?

    public init(user: String, sudoUser: String? = nil, sshClient: String? = nil) {
        self.user = user
        self.sudoUser = sudoUser
        self.sshClient = sshClient
    }

    /// One short line: `alice (sudo from bob, ssh 10.0.0.5 50312)`.
    public var summary: String {
        var parts: [String] = []
        if let sudoUser { parts.append("sudo from \(sudoUser)") }
        if let sshClient { parts.append("ssh \(sshClient)") }
        return parts.isEmpty ? user : "\(user) (\(parts.joined(separator: ", ")))"
    }
}

/// One incident action as the audit log keeps it.
public struct AuditEntry: Sendable, Equatable {
    /// `started` until the attempt ends; a row left `started` means the process died mid-action.
    public enum Result: String, Sendable, CaseIterable {
        case started, ok, failed, dryRun = "dry-run", refused
        /// A response rule proposed the action; the operator approves it (or not) in the console.
        case proposed
        /// A response rule's automatic action completed.
        case done
    }
    public var id: Int64
    public var started: Timestamp
    public var finished: Timestamp?
    public var action: String
    public var target: String?
    public var result: Result
    /// What happened, or the error text.
    public var message: String?
    public var latencyMilliseconds: Double?
    public var who: AuditIdentity
    /// Where the action was asked for: `cli` or `console`.
    public var via: String
    /// Action-specific JSON (networks disconnected, archive path and digest, …).
    public var detail: String?
    /// The incident the action was for (a response rule's proposal or action, or an operator
    /// acting from the incident's screen).
    public var incident: Int64?

    public init(id: Int64, started: Timestamp, finished: Timestamp?, action: String, target: String?, result: Result, message: String?,
                latencyMilliseconds: Double?, who: AuditIdentity, via: String, detail: String?, incident: Int64?) {
        self.id = id
        self.started = started
        self.finished = finished
        self.action = action
        self.target = target
        self.result = result
        self.message = message
        self.latencyMilliseconds = latencyMilliseconds
        self.who = who
        self.via = via
        self.detail = detail
        self.incident = incident
    }
}

/// What a container was connected to before tradsec isolated it: kept until restore, in the
/// history, so it survives a restart of tradsec (or of the host).
public struct IsolationRecord: Sendable, Equatable {
    public var containerID: String
    public var containerName: String
    /// JSON array of the endpoints (network, aliases, addresses), as the Actions module wrote it.
    public var networks: String
    public var isolated: Timestamp
    public var auditID: Int64?

    public init(containerID: String, containerName: String, networks: String, isolated: Timestamp, auditID: Int64?) {
        self.containerID = containerID
        self.containerName = containerName
        self.networks = networks
        self.isolated = isolated
        self.auditID = auditID
    }
}

/// A whole audit row written in one go (a response rule's proposal or automatic action,
/// committed with the processing that caused it).
public struct AuditRecord: Sendable, Equatable {
    public var started: Timestamp
    public var finished: Timestamp?
    public var action: String
    public var target: String?
    public var result: AuditEntry.Result
    public var message: String?
    public var latencyMilliseconds: Double?
    public var who: AuditIdentity
    public var via: String
    public var detail: String?
    public var incident: Int64?

    public init(started: Timestamp, finished: Timestamp?, action: String, target: String?, result: AuditEntry.Result,
                message: String?, latencyMilliseconds: Double? = nil, who: AuditIdentity, via: String, detail: String? = nil,
                incident: Int64? = nil) {
        self.incident = incident
        self.started = started
        self.finished = finished
        self.action = action
        self.target = target
        self.result = result
        self.message = message
        self.latencyMilliseconds = latencyMilliseconds
        self.who = who
        self.via = via
        self.detail = detail
    }
}

enum Audit {
    /// Results the table accepts (the CHECK constraint, rebuilt by migrations that add one).
    static var resultCheck: String { AuditEntry.Result.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ") }

    static func insert(_ r: AuditRecord, db: Database) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (started_ns, finished_ns, action, target, result, message, latency_ms, user_name, sudo_user,
                ssh_client, via, detail, incident_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
            """).execute(arguments: [r.started.nanoseconds, r.finished?.nanoseconds, r.action, r.target, r.result.rawValue, r.message,
                                     r.latencyMilliseconds, r.who.user, r.who.sudoUser, r.who.sshClient, r.via, r.detail, r.incident])
        return db.lastInsertedRowID
    }

    /// v11: the audit log takes the response rules' results (`proposed`, `done`) and names
    /// the incident an action was for.
    static func widenResults(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE audit_log_v11 (
                id INTEGER PRIMARY KEY,
                started_ns INTEGER NOT NULL,
                finished_ns INTEGER,
                action TEXT NOT NULL,
                target TEXT,
                result TEXT NOT NULL CHECK (result IN (\(resultCheck))),
                message TEXT,
                latency_ms REAL,
                user_name TEXT NOT NULL,
                sudo_user TEXT,
                ssh_client TEXT,
                via TEXT NOT NULL,
                detail TEXT,
                incident_id INTEGER
            );
            INSERT INTO audit_log_v11 (id, started_ns, finished_ns, action, target, result, message, latency_ms, user_name,
                sudo_user, ssh_client, via, detail)
                SELECT id, started_ns, finished_ns, action, target, result, message, latency_ms, user_name, sudo_user,
                    ssh_client, via, detail FROM audit_log;
            DROP TABLE audit_log;
            ALTER TABLE audit_log_v11 RENAME TO audit_log;
            CREATE INDEX audit_log_started ON audit_log(started_ns);
            CREATE INDEX audit_log_incident ON audit_log(incident_id) WHERE incident_id IS NOT NULL;
            """)
    }

    static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            -- Every incident action attempt: written when it starts, completed when it ends.
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY,
                started_ns INTEGER NOT NULL,
                finished_ns INTEGER,
                action TEXT NOT NULL,
                target TEXT,
                result TEXT NOT NULL CHECK (result IN ('started', 'ok', 'failed', 'dry-run', 'refused')),
                message TEXT,
                latency_ms REAL,
                user_name TEXT NOT NULL,
                sudo_user TEXT,
                ssh_client TEXT,
                via TEXT NOT NULL,
                detail TEXT
            );
            CREATE INDEX audit_log_started ON audit_log(started_ns);
            -- Containers tradsec cut off, and what they were connected to (restore puts it back).
            CREATE TABLE isolations (
                container_id TEXT PRIMARY KEY,
                container_name TEXT NOT NULL,
                networks TEXT NOT NULL,
                isolated_ns INTEGER NOT NULL,
                audit_id INTEGER
            ) WITHOUT ROWID;
            """)
    }

    static let columns = "id, started_ns, finished_ns, action, target, result, message, latency_ms, user_name, sudo_user, ssh_client, via, detail, incident_id"

    static func entry(_ row: Row) throws -> AuditEntry {
        let finished: Int64? = try row.decode(atIndex: 2)
        return AuditEntry(id: try row.decode(atIndex: 0), started: Timestamp(nanoseconds: try row.decode(atIndex: 1)), finished: finished.map(Timestamp.init(nanoseconds:)),
                          action: try row.decode(atIndex: 3), target: try row.decode(atIndex: 4), result: AuditEntry.Result(rawValue: try row.decode(atIndex: 5)) ?? .failed,
                          message: try row.decode(atIndex: 6), latencyMilliseconds: try row.decode(atIndex: 7),
                          who: AuditIdentity(user: try row.decode(atIndex: 8), sudoUser: try row.decode(atIndex: 9), sshClient: try row.decode(atIndex: 10)), via: try row.decode(atIndex: 11), detail: try row.decode(atIndex: 12),
                          incident: try row.decode(atIndex: 13))
    }
}

/// The audit log and the isolation records.
extension AlertStore {
    /// Writes the `started` row before anything is done, so even an attempt that never
    /// finishes (killed, crashed) is on record. Returns its id for ``finishAudit``.
    public func beginAudit(action: String, target: String?, who: AuditIdentity, via: String, detail: String? = nil,
                           incident: Int64? = nil, at time: Timestamp = .now()) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO audit_log (started_ns, action, target, result, user_name, sudo_user, ssh_client, via, detail, incident_id)
                VALUES (?, ?, ?, 'started', ?, ?, ?, ?, ?, ?)
                """, arguments: [time.nanoseconds, action, target, who.user, who.sudoUser, who.sshClient, via, detail, incident])
            return db.lastInsertedRowID
        }
    }

    /// Completes an attempt; `detail` and `target` (when given: the target as the engine
    /// resolved it) replace the ones written at the start.
    public func finishAudit(id: Int64, result: AuditEntry.Result, message: String?, latencyMilliseconds: Double?,
                            detail: String? = nil, target: String? = nil, at time: Timestamp = .now()) throws {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE audit_log SET finished_ns = ?, result = ?, message = ?, latency_ms = ?, detail = coalesce(?, detail),
                    target = coalesce(?, target)
                WHERE id = ?
                """, arguments: [time.nanoseconds, result.rawValue, message, latencyMilliseconds, detail, target, id])
        }
    }

    /// Audit entries newest first, optionally only those started at or after `since`.
    public func auditEntries(since: Timestamp? = nil, limit: Int = 1000) throws -> [AuditEntry] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Audit.columns) FROM audit_log WHERE started_ns >= ? ORDER BY id DESC LIMIT ?",
                             arguments: [since?.nanoseconds ?? Int64.min, limit]).map(Audit.entry)
        }
    }

    /// What was proposed or done for an incident, oldest first.
    public func auditEntries(incident: Int64, limit: Int = 1000) throws -> [AuditEntry] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Audit.columns) FROM audit_log WHERE incident_id = ? ORDER BY id LIMIT ?",
                             arguments: [incident, limit]).map(Audit.entry)
        }
    }

    public func auditEntry(id: Int64) throws -> AuditEntry? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Audit.columns) FROM audit_log WHERE id = ?", arguments: [id]).map(Audit.entry)
        }
    }

    /// Records (or replaces) what an isolated container was connected to.
    public func saveIsolation(_ record: IsolationRecord) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO isolations (container_id, container_name, networks, isolated_ns, audit_id)
                VALUES (?, ?, ?, ?, ?)
                """, arguments: [record.containerID, record.containerName, record.networks, record.isolated.nanoseconds, record.auditID])
        }
    }

    public func isolation(containerID: String) throws -> IsolationRecord? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT container_id, container_name, networks, isolated_ns, audit_id FROM isolations WHERE container_id = ?",
                             arguments: [containerID]).map {
                IsolationRecord(containerID: try $0.decode(atIndex: 0), containerName: try $0.decode(atIndex: 1), networks: try $0.decode(atIndex: 2), isolated: Timestamp(nanoseconds: try $0.decode(atIndex: 3)), auditID: try $0.decode(atIndex: 4))
            }
        }
    }

    public func removeIsolation(containerID: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM isolations WHERE container_id = ?", arguments: [containerID]) }
    }
}
