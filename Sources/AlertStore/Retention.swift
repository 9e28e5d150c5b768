import GRDB
import TradsecCore

/// How much history to keep. Both limits are optional; with neither, everything is kept.
public struct RetentionPolicy: Sendable, Equatable {
    /// Alerts older than this (by alert time) are deleted.
    public var maxAge: Int64?
    /// Only the newest this many alerts (by ingest order) are kept.
    public var maxRows: Int?

    public init(maxAge: Int64? = nil, maxRows: Int? = nil) {
        self.maxAge = maxAge
        self.maxRows = maxRows
    }

    public var isUnlimited: Bool { maxAge == nil && maxRows == nil }
}

extension AlertStore {
    /// Deletes what the policy no longer keeps, in small transactions so that a feed
    /// writing at the same time is never held up for long. Returns how many were deleted.
    @discardableResult
    public func applyRetention(_ policy: RetentionPolicy, now: Timestamp = .now(), chunk: Int = 5000) throws -> Int {
        var deleted = 0
        if let maxAge = policy.maxAge {
            let cutoff = now.nanoseconds - maxAge
            while true {
                let n = try pool.write { db -> Int in
                    try db.execute(sql: "DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE time_ns < ? LIMIT ?)",
                                   arguments: [cutoff, chunk])
                    return db.changesCount
                }
                deleted += n
                if n < chunk { break }
            }
        }
        if let maxRows = policy.maxRows {
            while true {
                let n = try pool.write { db -> Int in
                    guard let boundary = try Int64.fetchOne(db, sql: "SELECT id FROM alerts ORDER BY id DESC LIMIT 1 OFFSET ?",
                                                            arguments: [maxRows]) else { return 0 }
                    try db.execute(sql: "DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE id <= ? ORDER BY id LIMIT ?)",
                                   arguments: [boundary, chunk])
                    return db.changesCount
                }
                deleted += n
                if n < chunk { break }
            }
        }
        if deleted > 0 {
            // Containers with no alerts left are forgotten too.
            try pool.write { db in
                try db.execute(sql: "DELETE FROM containers WHERE NOT EXISTS (SELECT 1 FROM alerts WHERE alerts.container_id = containers.id)")
            }
        }
        return deleted
    }
}
