#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
import Dispatch
import Foundation
import Processor
import Synchronization
import TradsecCore

/// Runs every history query and write off the UI thread and hands results back through a
/// mailbox the UI loop empties between keys: input handling never waits on SQLite.
///
/// Requests of the same kind coalesce (only the newest filter is queried), and the views
/// marked live are re-queried when the history's newest id moves. The history's files are
/// watched (inotify: every commit, from this process or another, writes the WAL), so a new
/// alert is on screen within milliseconds; re-queries happen at most every
/// `minimumRefreshInterval`, so an alert storm costs a bounded number of queries and frames,
/// and a quiet history costs nothing but a look every `fallbackInterval`.
public final class DataLoader: @unchecked Sendable {
    public enum Request: Sendable, Equatable {
        case overview(ViewFilter)
        case containers(ViewFilter)
        case container(String, ViewFilter)
        case alert(StoredAlert)
        case acknowledge([Int64])
        case silence(Silence.Kind, value: String, label: String, nanoseconds: Int64)
        case unsilence([Int64])
        case incidents(ViewFilter)
        case incident(Int64)
        /// The header's incident counts and response switch (live on every screen).
        case incidentSummary
        /// The response rules' kill switch (`:response on|off`), audited.
        case setResponse(on: Bool)

        var slot: Int {
            switch self {
            case .overview: return 0
            case .containers: return 1
            case .container: return 2
            case .alert: return 3
            case .acknowledge, .silence, .unsilence, .setResponse: return 4
            case .incidents: return 5
            case .incident: return 6
            case .incidentSummary: return 7
            }
        }

        /// Re-queried while shown: alert views when the history grows, incident views on a
        /// timer (the processing step may run in another process, after the alerts landed).
        var isLive: Bool { slot != 3 && slot != 4 }
        var isIncidentView: Bool { slot >= 5 }
    }

    public enum Result: Sendable, Equatable {
        case overview(OverviewData)
        case containers(ViewFilter, [ContainerActivity])
        case container(ViewFilter, ContainerDetailData)
        case alert(AlertDetailData)
        case incidents(IncidentListData)
        /// nil: no such incident (retention took it, or a wrong id).
        case incident(Int64, IncidentDetailData?)
        case incidentSummary(IncidentSummary)
        /// The newest id in the history moved (also while paused: the header counts what waits).
        case newestID(Int64)
        case message(String)
        case failure(String)
    }

    public let store: AlertStore
    public let readOnly: Bool
    public var minimumRefreshInterval: Double = 0.03
    /// Looks at the history this often even without a change notice (filesystems without
    /// inotify; the pane counts catching up after a storm).
    public var fallbackInterval: Double = 0.5
    /// Called (on the loader's queue) whenever a result is ready, so the UI loop can stop
    /// waiting for a key and take it.
    public var onResult: (@Sendable () -> Void)?
    private let queue = DispatchQueue(label: "tradsec.console.data", qos: .userInitiated)
    private let state = Mutex(LoaderState())
    private var watcher: Thread?
    private let watch: FileChangeWatch
    private let watching = Atomic<Bool>(false)
    private let tickScheduled = Atomic<Bool>(false)
    private var lastNewestID: Int64 = -1
    private var lastContainersRefresh = 0.0
    private var lastIncidentsRefresh = 0.0
    /// How often the incident views are re-queried.
    public var incidentsRefreshInterval = 2.0
    /// An incident counts as open while it saw an alert within this (the correlation window).
    public var incidentWindow: Int64 = CorrelationConfig().window
    private var countCache: [(query: AlertQuery, newestID: Int64, count: Int, at: Double)] = []
    /// Counts shown are older than the newest alert (allowed for `countMaxAge` during a storm).
    private var countsStale = false
    /// Pane counts scan an index over the whole history (~50-100 ms at a million alerts): during
    /// a storm they are refreshed at most this often, not at every live refresh.
    public var countMaxAge = 2.0
    private var lastCountCost = 0.0

    private struct LoaderState {
        var pending: [Int: Request] = [:]
        var triage: [Request] = []
        var scheduled = false
        var results: [Result] = []
        var live: [Int: Request] = [:]
        var paused = false
    }

    public init(store: AlertStore, readOnly: Bool) {
        self.store = store
        self.readOnly = readOnly
        watch = FileChangeWatch(paths: [store.path, store.path + "-wal"])
        // The header shows the incident counts on every screen.
        state.withLock { $0.live[Request.incidentSummary.slot] = .incidentSummary }
    }

    /// Starts re-querying live views when the history grows.
    public func startLiveRefresh() {
        guard !watching.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let t = Thread { [self] in
            var lastTick = 0.0
            while watching.load(ordering: .acquiring) {
                watch.wait(timeout: fallbackInterval)
                guard watching.load(ordering: .acquiring) else { break }
                // A burst of commits becomes one look per interval, not one per commit.
                let early = minimumRefreshInterval - (Monotonic.seconds() - lastTick)
                if early > 0 { usleep(UInt32(early * 1_000_000)) }
                lastTick = Monotonic.seconds()
                if !tickScheduled.exchange(true, ordering: .acquiringAndReleasing) {
                    queue.async { [weak self] in
                        self?.tickScheduled.store(false, ordering: .releasing)
                        self?.tick()
                    }
                }
            }
        }
        t.name = "tradsec.console.watch"
        watcher = t
        t.start()
        request(.incidentSummary)
    }

    public func stop() {
        if watching.exchange(false, ordering: .acquiringAndReleasing) {
            watch.wake()
            while !(watcher?.isFinished ?? true) { usleep(1_000) }
        }
        watcher = nil
        queue.sync {}
    }

    /// Queues `request`; a newer request of the same kind replaces a waiting one. Views
    /// (overview, containers, container) also become the live ones of their kind.
    public func request(_ request: Request) {
        let schedule = state.withLock { s -> Bool in
            switch request {
            case .acknowledge, .silence, .unsilence, .setResponse: s.triage.append(request)
            default:
                s.pending[request.slot] = request
                if request.isLive { s.live[request.slot] = request }
            }
            if s.scheduled { return false }
            s.scheduled = true
            return true
        }
        if schedule { queue.async { [weak self] in self?.drain() } }
    }

    /// Stops live refresh of a view kind the UI left (0 overview, 1 containers, 2 container,
    /// 5 incidents, 6 incident).
    public func leave(slot: Int) { state.withLock { _ = $0.live.removeValue(forKey: slot) } }

    public func setPaused(_ paused: Bool) { state.withLock { $0.paused = paused } }

    /// Everything finished since the last call.
    public func takeResults() -> [Result] {
        state.withLock { s in
            defer { s.results.removeAll(keepingCapacity: true) }
            return s.results
        }
    }

    /// Runs the waiting requests now on the caller's thread (tests, benchmarks).
    public func runPendingSynchronously() {
        queue.sync { drain() }
    }

    // MARK: - Work (on `queue`)

    private func post(_ result: Result) {
        state.withLock { $0.results.append(result) }
        onResult?()
    }

    private func drain() {
        while true {
            let (requests, triage) = state.withLock { s -> ([Request], [Request]) in
                let r = s.pending.keys.sorted().compactMap { s.pending[$0] }
                let t = s.triage
                s.pending.removeAll()
                s.triage.removeAll()
                if r.isEmpty && t.isEmpty { s.scheduled = false }
                return (r, t)
            }
            if requests.isEmpty && triage.isEmpty { return }
            for r in triage + requests { perform(r) }
        }
    }

    private func tick() {
        refreshIncidentViews()
        guard let newest = try? store.newestID() else { return }
        if newest == lastNewestID {
            // Quiet again after a storm: bring the counts up to date once.
            let overview = state.withLock { $0.paused ? nil : $0.live[0] }
            if countsStale, let overview, countCache.allSatisfy({ Monotonic.seconds() - $0.at >= countMaxAge }) {
                countsStale = false
                perform(overview)
            }
            return
        }
        lastNewestID = newest
        post(.newestID(newest))
        let (live, paused) = state.withLock { ($0.live, $0.paused) }
        if paused { return }
        let now = Monotonic.seconds()
        for slot in live.keys.sorted() {
            guard let request = live[slot], !request.isIncidentView else { continue }
            // The container table groups the whole window: refresh it less often.
            if slot == 1 {
                if now - lastContainersRefresh < 2 { continue }
                lastContainersRefresh = now
            }
            perform(request)
        }
    }

    /// The incident views on their own clock: incidents change when alerts are processed,
    /// which need not be when they arrive.
    private func refreshIncidentViews() {
        let now = Monotonic.seconds()
        guard now - lastIncidentsRefresh >= incidentsRefreshInterval else { return }
        lastIncidentsRefresh = now
        let (live, paused) = state.withLock { ($0.live, $0.paused) }
        for slot in live.keys.sorted() {
            guard let request = live[slot], request.isIncidentView else { continue }
            // Paused: the header still counts, the lists stay as they are.
            if paused && request != .incidentSummary { continue }
            perform(request)
        }
    }

    private func perform(_ request: Request) {
        do {
            switch request {
            case .overview(let filter):
                let (data, needsCounts) = try OverviewQuery.load(store, filter: filter, cachedCounts: { self.cachedCount($0, newestID: $1) })
                post(.overview(data))
                if needsCounts {
                    var counted = data
                    for i in counted.panes.indices where counted.panes[i].total == nil {
                        let q = filter.query(within: counted.panes[i].kind.priorities, limit: 0)
                        counted.panes[i].total = try count(q, newestID: data.newestID)
                    }
                    post(.overview(counted))
                }
            case .containers(let filter):
                lastContainersRefresh = Monotonic.seconds()
                post(.containers(filter, try store.containerActivity(filter.query(limit: 0))))
            case .container(let id, let filter):
                post(.container(filter, try ContainerQuery.load(store, id: id, filter: filter)))
            case .alert(let stored):
                post(.alert(try AlertDetailQuery.load(store, stored: stored)))
            case .acknowledge(let ids):
                guard !readOnly else { post(.failure("read-only: acknowledgements are not stored")); return }
                try store.acknowledge(ids, who: Self.operatorName)
                post(.message("acknowledged \(ids.count) alert\(ids.count == 1 ? "" : "s")"))
                requeueLiveViews()
            case .silence(let kind, let value, let label, let nanoseconds):
                guard !readOnly else { post(.failure("read-only: silences are not stored")); return }
                let until = Timestamp.now().adding(nanoseconds: nanoseconds)
                try store.addSilence(kind, value: value, until: until, who: Self.operatorName)
                post(.message("silenced \(kind.rawValue) \(label) for \(Duration.describe(nanoseconds: nanoseconds))"))
                requeueLiveViews()
            case .unsilence(let ids):
                guard !readOnly else { post(.failure("read-only: silences are not changed")); return }
                for id in ids { try store.removeSilence(id: id) }
                post(.message("removed \(ids.count) silence\(ids.count == 1 ? "" : "s")"))
                requeueLiveViews()
            case .incidents(let filter):
                post(.incidents(try IncidentListQuery.load(store, filter: filter)))
            case .incident(let id):
                post(.incident(id, try IncidentDetailQuery.load(store, id: id)))
            case .incidentSummary:
                post(.incidentSummary(try IncidentSummaryQuery.load(store, window: incidentWindow)))
            case .setResponse(let on):
                guard !readOnly else { post(.failure("read-only: the response switch is not changed")); return }
                try store.setResponseSwitch(on: on, who: OperatorIdentity.current(), via: "console")
                post(.message(on ? "response rules switched on" : "response rules switched off: nothing is proposed or done automatically"))
                perform(.incidentSummary)
            }
        } catch {
            post(.failure("\(error)"))
        }
    }

    private func requeueLiveViews() {
        let live = state.withLock { $0.live }
        for slot in live.keys.sorted() { if let r = live[slot] { perform(r) } }
    }

    private func cachedCount(_ q: AlertQuery, newestID: Int64) -> Int? {
        guard let hit = countCache.first(where: { $0.query == q }) else { return nil }
        if hit.newestID == newestID { return hit.count }
        // Stale counts only when counting is expensive (a big history in a storm).
        if lastCountCost > 0.02, Monotonic.seconds() - hit.at < countMaxAge {
            countsStale = true
            return hit.count
        }
        return nil
    }

    private func count(_ q: AlertQuery, newestID: Int64) throws -> Int {
        if let hit = countCache.first(where: { $0.query == q && $0.newestID == newestID }) { return hit.count }
        // Alerts only arrived since the last count: count just those (a few ms, not a scan of
        // the history). A full recount every `countMaxAge * 15` s catches retention deletes.
        if let hit = countCache.first(where: { $0.query == q }), hit.newestID < newestID,
           Monotonic.seconds() - hit.at < countMaxAge * 15 {
            let n = hit.count + (try store.countAdded(q, after: hit.newestID, upTo: newestID))
            countCache.removeAll { $0.query == q }
            countCache.append((q, newestID, n, hit.at))
            return n
        }
        let started = Monotonic.seconds()
        let n = try store.count(q)
        lastCountCost = Monotonic.seconds() - started
        countCache.removeAll { $0.query == q }
        if countCache.count > 16 { countCache.removeFirst() }
        countCache.append((q, newestID, n, Monotonic.seconds()))
        return n
    }

    static var operatorName: String? { Paths.environment("SUDO_USER") ?? Paths.environment("USER") ?? Paths.environment("LOGNAME") }
}

