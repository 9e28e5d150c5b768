import AlertStore
import TradsecCore

/// What the operator narrowed the view to, with `:priority`, `:since`, `:container`,
/// `:rule` and the `/` live filter. Applies to every screen.
public struct ViewFilter: Equatable, Sendable {
    public var priorities: PriorityFilter?
    /// As typed (`1h`), re-evaluated against the clock at each query.
    public var since: String?
    public var container: String?
    public var ruleGlob: String?
    public var search: String?

    public init(priorities: PriorityFilter? = nil, since: String? = nil, container: String? = nil,
                ruleGlob: String? = nil, search: String? = nil) {
        self.priorities = priorities
        self.since = since
        self.container = container
        self.ruleGlob = ruleGlob
        self.search = search
    }

    public var isEmpty: Bool { self == ViewFilter() }

    /// The history query for this filter; `priorities` further narrows it (a pane's set).
    public func query(within priorities: Set<Priority>? = nil, limit: Int, now: Timestamp = .now()) -> AlertQuery {
        var allowed = self.priorities?.allowed
        if let priorities { allowed = allowed.map { $0.intersection(priorities) } ?? priorities }
        return AlertQuery(since: since.flatMap { TimeSpec.parse($0, now: now) },
                          priorities: allowed.map { PriorityFilter(allowed: $0) },
                          ruleGlob: ruleGlob, container: container,
                          search: search.flatMap { $0.trimmingSpaces.isEmpty ? nil : $0 }, limit: limit)
    }

    /// Short description for the header: `>=error · since 1h · /shadow`.
    public var summary: String {
        var parts: [String] = []
        if let priorities { parts.append("priority \(priorities)") }
        if let since { parts.append("since \(since)") }
        if let container { parts.append("container \(container)") }
        if let ruleGlob { parts.append("rule \(ruleGlob)") }
        if let search, !search.isEmpty { parts.append("/\(search)") }
        return parts.joined(separator: " · ")
    }
}
