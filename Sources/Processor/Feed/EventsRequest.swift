import AlertStore
import TradsecCore

/// The parameters of GET /events and /events/stream: `since` (an event id to continue after,
/// or a time: 15m, 2026-11-22T10:00:00Z), `limit`, `priority`, `rule` (glob), `container`.
struct EventsRequest {
    enum Since: Equatable {
        case id(Int64)
        case time(Timestamp)
    }
    var since: Since?
    var query = AlertQuery(limit: 100)

    struct Invalid: Error, CustomStringConvertible { var description: String }

    init(_ parameters: [String: String]) throws {
        for (key, value) in parameters {
            switch key {
            case "since":
                if !value.isEmpty, value.allSatisfy(\.isASCII), value.allSatisfy(\.isNumber) {
                    guard let id = Int64(value) else { throw Invalid(description: "since: event id too large") }
                    since = .id(id)
                } else if let time = TimeSpec.parse(value) {
                    since = .time(time)
                } else {
                    throw Invalid(description: "since: an event id, or \(TimeSpec.help)")
                }
            case "limit":
                query.limit = try Self.limit(value)
            case "priority":
                guard let filter = PriorityFilter(value) else { throw Invalid(description: "priority: \(PriorityFilter.help)") }
                query.priorities = filter
            case "rule": query.ruleGlob = value
            case "container": query.container = value
            case "host", "hostname": query.hostname = value
            case "last_event_id": continue   // the stream's resume cursor, read by the handler
            default:
                throw Invalid(description: "unknown parameter '\(TerminalSafe.escape(key))' (since, limit, priority, rule, container, host)")
            }
        }
        if case .time(let t)? = since { query.since = t }
    }

    /// `limit`: a positive number, capped at 1000 (shared with GET /incidents).
    static func limit(_ value: String) throws -> Int {
        guard let n = Int(value), n > 0 else { throw Invalid(description: "limit must be a positive number") }
        return min(n, 1000)
    }

    struct Page {
        var total: Int
        var events: [StoredAlert]
        var enrichment: [Int64: AlertEnrichment]
        var nextCursor: Int64
    }

    /// Oldest first after the cursor; without one, the newest `limit` (still oldest first).
    func fetch(_ store: AlertStore) throws -> Page {
        var events: [StoredAlert]
        var countQuery = query
        // Without an id to continue after, an empty page's cursor is the newest id, read
        // before the events: an alert committed between the two reads has a higher id, so a
        // client resuming from the cursor still gets it. Read after, it would be skipped.
        let emptyPageCursor: Int64
        switch since {
        case .id(let id)?:
            events = try store.alerts(after: id, matching: query)
            countQuery.afterID = id
            emptyPageCursor = id
        case .time?:
            emptyPageCursor = try store.newestID()
            events = try store.alerts(after: 0, matching: query)
        case nil:
            emptyPageCursor = try store.newestID()
            events = try store.alerts(query).reversed()
        }
        let total = try store.count(countQuery)
        let enrichment = try store.enrichment(for: events.map(\.id))
        let next = events.map(\.id).max() ?? emptyPageCursor
        return Page(total: total, events: events, enrichment: enrichment, nextCursor: next)
    }
}


/// The parameters of GET /incidents: `since` (a time: 15m, 2026-11-22T10:00:00Z), `limit`
/// (validated like /events), `id`. Anything else is refused, as for /events.
struct IncidentsRequest {
    var since: Timestamp?
    var limit = 100
    var id: String?

    init(_ parameters: [String: String]) throws {
        for (key, value) in parameters {
            switch key {
            case "since":
                guard let time = TimeSpec.parse(value) else { throw EventsRequest.Invalid(description: "since: \(TimeSpec.help)") }
                since = time
            case "limit": limit = try EventsRequest.limit(value)
            case "id": id = value
            default:
                throw EventsRequest.Invalid(description: "unknown parameter '\(TerminalSafe.escape(key))' (since, limit, id)")
            }
        }
    }
}
