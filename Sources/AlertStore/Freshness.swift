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
    /// The newest alert per source among the `scanLimit` alerts stored last. Bounded so a tick
    /// costs the same on a history of any size (the newest ids are read first); a source with
    /// nothing among them has been quiet for longer than those alerts span.
    public func newestBySource(scanLimit: Int = 10_000) throws -> [SourceFreshness] {
        try pool.read { db in
            // SQLite's bare-column rule: with a single max(), `origin` comes from the row holding
            // it (with two, from either); the newest ingest time is therefore asked separately.
            try Row.fetchAll(db, sql: """
                WITH recent AS (SELECT coalesce(source, 'unknown') AS src, time_ns, ingested_ns, origin
                                FROM alerts ORDER BY id DESC LIMIT ?)
                SELECT src, max(time_ns), (SELECT max(ingested_ns) FROM recent r WHERE r.src = recent.src), origin
                FROM recent GROUP BY src ORDER BY 2 DESC
                """, arguments: [scanLimit]).map {
                SourceFreshness(source: try $0.decode(atIndex: 0), newestAlert: Timestamp(nanoseconds: try $0.decode(atIndex: 1)),
                                newestIngest: Timestamp(nanoseconds: try $0.decode(atIndex: 2)), origin: try $0.decode(atIndex: 3))
            }
        }
    }
}
