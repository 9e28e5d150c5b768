#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import CurlClient
import Foundation
import Processor
import Synchronization
import TradsecCore

/// Takes a processor's incidents into the console's history (the other half of a
/// `processor=URL` source): pages of `GET /incidents/feed` (each alert's role, tags and
/// incident, the incidents they touched, their responses), committed with the page's cursor,
/// so a restarted console continues where it stopped. It asks only for alerts the console has
/// already stored (`until` = the event stream's committed cursor): the store maps the
/// processor's ids to its own through what that stream recorded.
///
/// The processor's replies are untrusted: bounded in bytes (``maxReplyBytes``), decoded by
/// ``IncidentsFeed/decode(_:after:)`` (items out of bounds dropped and counted in the rejects),
/// and the cursor only moves forward.
final class ProcessorIncidents: @unchecked Sendable {
    let url: String
    let token: String?
    let store: AlertStore
    /// The processor's key in the history (`processor:URL`): its alerts' origin.
    let origin: String
    /// Seconds between polls when the processor has nothing new.
    static let interval = 1.0
    /// Incidents sent again every ``refreshEvery`` polls (their responses change later).
    static let refreshCount = 20
    static let refreshEvery = 5
    /// Generous for 1,000 alerts and 1,100 incidents with their responses.
    static let maxReplyBytes = 32 << 20

    private let lastProblem = Mutex<String?>(nil)
    private let pages = Atomic<Int>(0)

    init(url: String, token: String?, store: AlertStore, origin: String) {
        self.url = url
        self.token = token
        self.store = store
        self.origin = origin
    }

    var checkpointKey: String { MirroredProcessing.checkpointKey(origin: origin) }

    /// Why the last poll failed (nil once one succeeds): an older processor without the feed,
    /// a bad reply, an unreachable host.
    var problem: String? { lastProblem.withLock { $0 } }

    /// Pages committed since start.
    var pagesTaken: Int { pages.load(ordering: .acquiring) }

    func run(shouldStop: () -> Bool) {
        var polls = 0
        while !shouldStop() {
            var more = false
            do {
                more = try poll(refresh: polls % Self.refreshEvery == 0)
                lastProblem.withLock { $0 = nil }
            } catch {
                lastProblem.withLock { $0 = "\(error)" }
            }
            polls &+= 1
            if more { continue }
            let end = Date().addingTimeInterval(Self.interval)
            while !shouldStop() && Date() < end { usleep(50_000) }
        }
    }

    /// Why a page of the incidents feed was not taken (the next poll tries again).
    enum Problem: Error, CustomStringConvertible {
        /// GET /incidents/feed answered with a status other than 2xx.
        case answered(status: Int)

        var description: String {
            switch self {
            case .answered(let status): "GET \(IncidentsFeed.path) answered \(status)"
            }
        }
    }

    /// One page: fetched, decoded and committed. True when the page was full (more waits).
    @discardableResult
    func poll(refresh: Bool = true) throws -> Bool {
        // Only what the event stream stored: the processor's ids it recorded map to ours.
        guard let until = try store.checkpoint(for: origin)?.offset, until > 0 else { return false }
        let after: Int64
        if let cursor = try store.checkpoint(for: checkpointKey)?.offset {
            after = cursor
        } else {
            // First contact: from the oldest alert the stream stored (its backfill).
            after = max(0, (try store.oldestMirroredAlert(origin: origin) ?? until) - 1)
        }
        guard until > after || refresh else { return false }
        var query = "\(IncidentsFeed.path)?after=\(after)&until=\(max(after, until))&limit=\(IncidentsFeed.maxLimit)"
        let refreshIDs = refresh ? try store.mirroredIncidentIDs(origin: origin, limit: Self.refreshCount) : []
        if !refreshIDs.isEmpty { query += "&refresh=" + refreshIDs.map(String.init).joined(separator: ",") }
        var headers: [(name: String, value: String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let response = try CurlHTTP.send(HTTPRequest(url: url + query, headers: headers, timeout: 15, maxResponseBytes: Self.maxReplyBytes))
        guard response.isSuccess else { throw Problem.answered(status: response.status) }
        let page = try IncidentsFeed.decode(response.body, after: after)
        guard page.through > after || !page.incidents.isEmpty || page.dropped > 0 else { return false }
        let through = min(page.through, max(after, until))
        var plan = CommitPlan(checkpoint: FollowCheckpoint(path: checkpointKey, device: 0, inode: 0, offset: through, lineNumber: through))
        plan.mirrored = MirroredProcessing(origin: origin, through: through, alerts: page.alerts.filter { $0.remoteID <= through },
                                           incidents: page.incidents)
        if page.dropped > 0 {
            plan.rejects = [AlertStore.RejectRecord(origin: origin, lineNumber: nil, code: "incident_feed_item",
                                                    message: "\(page.dropped) items of the processor's incidents feed were not valid and were dropped",
                                                    excerpt: "")]
        }
        try store.commit(plan)
        pages.add(1, ordering: .releasing)
        return page.alerts.count >= IncidentsFeed.maxLimit
    }
}
