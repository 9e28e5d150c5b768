import GRDB
import TradsecCore

/// The newest alert of one Falco source (syscall, k8s_audit, a plugin…): a feed gone quiet
/// shows as an old newest alert.
public struct SourceFreshness: Equatable, Sendable {
    public var source: String
    /// The newest alert's own time, and when it was stored.
    public var newestAlert: Timestamp
    public var newestIngest: Timestamp
    /// Which feed brought that alert (a followed file, a socket…), when recorded.
    public var origin: String?
}

extension AlertStore {
    /// The newest alert per source among the most recent `scanLimit` alerts. Bounded so a tick
    /// costs the same on a history of any size (the time index gives the newest rows first); a
    /// source with nothing among them has been quiet for longer than those alerts span.
    public func newestBySource(scanLimit: Int = 10_000) throws -> [SourceFreshness] {
        try pool.read { db in
            // SQLite's bare-column rule: with max(), `origin` comes from the row holding the max.
            try Row.fetchAll(db, sql: """
                SELECT coalesce(source, 'unknown'), max(time_ns), max(ingested_ns), origin
                FROM (SELECT source, time_ns, ingested_ns, origin FROM alerts ORDER BY time_ns DESC LIMIT ?)
                GROUP BY 1 ORDER BY 2 DESC
                """, arguments: [scanLimit]).map {
                SourceFreshness(source: $0[0], newestAlert: Timestamp(nanoseconds: $0[1]),
                                newestIngest: Timestamp(nanoseconds: $0[2]), origin: $0[3])
            }
        }
    }
}
