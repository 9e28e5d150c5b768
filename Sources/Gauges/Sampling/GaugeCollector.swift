#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import TradsecCore

/// Takes one reading of everything the gauges watch and turns counters into rates. Not
/// thread-safe: one owner calls ``collect()`` (the ``GaugeSampler`` thread, or a command).
public final class GaugeCollector {
    public let config: GaugesConfig
    let proc: ProcSampler
    let cgroup: CgroupSampler
    let docker: DockerStatsSampler
    let probe: FalcoHealthProbe
    let store: AlertStore?
    /// Reads the host sensor running in this process (nil: none runs here).
    let sensor: (() -> SensorReading)?

    /// The previous counter of each rate, and what it was read from (a restarted process or
    /// a recreated container must not yield a negative or a huge rate).
    private var previous: [String: (identity: String, counter: Double, at: Double)] = [:]
    /// Found by name once, then re-checked each tick instead of scanning all of /proc again.
    private var cachedPids: [String: (pid: Int32, start: UInt64)] = [:]
    private var falcoCPU, falcoMemory, botCPU, botMemory, drops: HistoryRing
    private var sensorCPU, sensorMemory, sensorDrops: HistoryRing
    private var lastDropTotal: Double?
    private var lastSensorDropTotal: UInt64?
    /// Per-source newest alerts, re-queried only when the history grew and at most every
    /// `feedRefreshInterval` (a storm grows it every tick); ages are recomputed every tick.
    private var feedCache: (newestID: Int64, at: Double, sources: [SourceFreshness])?
    public var feedRefreshInterval = 10.0
    private var sequence = 0

    /// `sensor` reads the host sensor when one runs in this process (the console's `host` source).
    public init(config: GaugesConfig, store: AlertStore?, sensor: (() -> SensorReading)? = nil) {
        self.config = config
        self.store = store
        self.sensor = sensor
        proc = ProcSampler(root: config.root)
        cgroup = CgroupSampler(root: config.root)
        docker = DockerStatsSampler(socketPath: config.bot.dockerSocket, timeout: min(3, max(1, config.interval)))
        probe = FalcoHealthProbe(healthzURL: config.falco.healthzURL, metricsURL: config.falco.metricsURL,
                                 timeout: min(2, max(0.5, config.interval)))
        let n = config.historyLength
        falcoCPU = HistoryRing(capacity: n); falcoMemory = HistoryRing(capacity: n)
        botCPU = HistoryRing(capacity: n); botMemory = HistoryRing(capacity: n)
        drops = HistoryRing(capacity: n)
        sensorCPU = HistoryRing(capacity: n); sensorMemory = HistoryRing(capacity: n); sensorDrops = HistoryRing(capacity: n)
    }

    /// One tick: every gauge read now.
    public func collect(now: Timestamp = .now()) -> GaugeSnapshot {
        let started = Monotonic.seconds()
        sequence += 1
        let health = collectHealth()
        var falco = collectFalco(metrics: health.metrics)
        var bot = collectBot()
        let t = config.thresholds
        falco.cpuLevel = Thresholds.level(falco.cpuPercent, warn: t.falcoCPUWarn, critical: t.falcoCPUCritical)
        falco.memoryLevel = Thresholds.level(memory: falco.memoryBytes, limit: falco.memoryLimit,
                                             warn: t.falcoMemoryWarn, critical: t.falcoMemoryCritical)
        bot.cpuLevel = Thresholds.level(bot.cpuPercent, warn: t.botCPUWarn, critical: t.botCPUCritical)
        bot.memoryLevel = Thresholds.level(memory: bot.memoryBytes, limit: bot.memoryLimit,
                                           warn: t.botMemoryWarn, critical: t.botMemoryCritical)
        record(&falco, cpu: &falcoCPU, memory: &falcoMemory)
        record(&bot, cpu: &botCPU, memory: &botMemory)
        let sensorGauge = collectSensor()
        let (feeds, feedsError) = collectFeeds(now: now)
        return GaugeSnapshot(sequence: sequence, takenAt: now, interval: config.interval, falco: falco, bot: bot,
                             falcoHealth: health, feeds: feeds, feedsError: feedsError, cost: Monotonic.seconds() - started,
                             sensor: sensorGauge)
    }

    private func record(_ gauge: inout ResourceGauge, cpu: inout HistoryRing, memory: inout HistoryRing) {
        if let c = gauge.cpuPercent { cpu.append(c) }
        if let m = gauge.memoryBytes { memory.append(Double(m)) }
        gauge.cpuHistory = cpu.values
        gauge.memoryHistory = memory.values
    }

    /// Percent of one CPU between the previous reading of `key` and this one.
    private func rate(_ key: String, identity: String, cpuSeconds: Double, at: Double) -> Double? {
        perSecond(key, identity: identity, counter: cpuSeconds, at: at).map { $0 * 100 }
    }

    /// How fast a counter grew between the previous reading of `key` and this one.
    private func perSecond(_ key: String, identity: String, counter: Double, at: Double) -> Double? {
        defer { previous[key] = (identity, counter, at) }
        guard let p = previous[key], p.identity == identity, at > p.at, counter >= p.counter else { return nil }
        return (counter - p.counter) / (at - p.at)
    }

    // MARK: - Processes

    /// A live gauge of process `target`, or why there is none. Found by name, the process must
    /// run as `uid` when one is given.
    private func processGauge(_ name: String, _ target: GaugesConfig.ProcessTarget, uid: UInt32? = nil) -> ResourceGauge {
        let pid: Int32
        let r: ProcSampler.Reading
        switch target {
        case .pid(let p):
            guard let reading = proc.read(pid: p) else { return ResourceGauge(name: name, state: .notFound("no process \(p)")) }
            (pid, r) = (p, reading)
        case .name(let n):
            switch findCached(n, uid: uid) {
            case .found(let p, let reading): (pid, r) = (p, reading)
            case .missing: return ResourceGauge(name: name, state: .notFound("no process named \(n)"))
            case .untrusted(let p, let other):
                return ResourceGauge(name: name, state: .notFound("process \(p) named \(n) runs as uid \(other.map(String.init) ?? "?"), not \(uid.map(String.init) ?? "?"): not trusted (gauges.falco.process_uid)"))
            }
        }
        var g = ResourceGauge(name: name, state: .live, source: "pid \(pid) (\(r.stat.comm)), /proc")
        g.cpuPercent = rate(name, identity: "\(pid)/\(r.stat.startTicks)", cpuSeconds: r.cpuSeconds, at: r.at)
        g.memoryBytes = r.residentBytes
        return g
    }

    enum Lookup {
        case found(Int32, ProcSampler.Reading)
        case missing
        /// Only processes running as another user have the name (the oldest one).
        case untrusted(Int32, uid: UInt32?)
    }

    /// The process named `name` (running as `uid`, when given) and its reading. A miss is
    /// remembered for a few seconds: finding a name reads every process's comm and cmdline,
    /// too much for every tick while Falco is away (or in a container, where it reports itself).
    private func findCached(_ name: String, uid: UInt32?) -> Lookup {
        if let c = cachedPids[name], let r = proc.read(pid: c.pid), r.stat.startTicks == c.start { return .found(c.pid, r) }
        cachedPids[name] = nil
        let now = Monotonic.seconds()
        if let miss = missed[name], now < miss.until { return miss.lookup }
        let candidates = proc.find(named: name)
        guard let pid = candidates.first(where: { uid == nil || proc.uid(pid: $0) == uid }), let r = proc.read(pid: pid) else {
            let lookup: Lookup = candidates.first.map { .untrusted($0, uid: proc.uid(pid: $0)) } ?? .missing
            missed[name] = (now + Self.missBackoff, lookup)
            return lookup
        }
        missed[name] = nil
        cachedPids[name] = (pid, r.stat.startTicks)
        return .found(pid, r)
    }

    static let missBackoff = 10.0
    private var missed: [String: (until: Double, lookup: Lookup)] = [:]

    private func collectFalco(metrics: FalcoMetrics?) -> ResourceGauge {
        var gauge = config.falco.process.map { processGauge("falco", $0, uid: config.falco.processUID) }
            ?? ResourceGauge(name: "falco", state: .notConfigured)
        // Falco in another pid namespace (a container) is invisible in our /proc, but reports itself.
        if gauge.state != .live, let m = metrics, m.memoryRSSBytes != nil || m.cpuRatio != nil {
            gauge = ResourceGauge(name: "falco", state: .live, source: "Falco's own metrics")
            gauge.cpuPercent = m.cpuRatio.map { $0 * 100 }
            gauge.memoryBytes = m.memoryRSSBytes.map { UInt64(saturating: $0) }
        }
        return gauge
    }

    // MARK: - The bot

    private func collectBot() -> ResourceGauge {
        let bot = config.bot
        if let container = bot.container {
            do {
                let (stats, at) = try docker.read(container: container)
                var g = ResourceGauge(name: "bot", state: .live, source: "container \(container), Docker API \(bot.dockerSocket)")
                let own = rate("bot", identity: stats.id.isEmpty ? container : stats.id,
                               cpuSeconds: Double(stats.cpuTotal) / 1e9, at: at)
                g.cpuPercent = stats.cpuPercentFromPreRead ?? own
                g.memoryBytes = stats.memoryBytes
                g.memoryLimit = stats.memoryLimit
                return g
            } catch {
                return ResourceGauge(name: "bot", state: error.notFound ? .notFound(error.description) : .failed(error.description))
            }
        }
        if let target = bot.process { return processGauge("bot", target) }
        if let path = bot.cgroupPath {
            guard let r = cgroup.read(path: path) else {
                return ResourceGauge(name: "bot", state: .notFound("no cgroup \(path)"))
            }
            var g = ResourceGauge(name: "bot", state: .live, source: "cgroup \(r.path) (\(r.layout.rawValue))")
            if let ns = r.cpuNanoseconds { g.cpuPercent = rate("bot", identity: path, cpuSeconds: Double(ns) / 1e9, at: r.at) }
            g.memoryBytes = r.memoryBytes
            g.memoryLimit = r.memoryLimit
            return g
        }
        return ResourceGauge(name: "bot", state: .notConfigured)
    }

    // MARK: - The host sensor

    /// The sensor's cost (its consumer thread, its kernel programs when the kernel counts their
    /// time, the process's memory) and its drops. CPU levels use Falco's thresholds: the
    /// sensor does Falco's job. Memory is the whole process's, so it gets no level.
    private func collectSensor() -> SensorGauge? {
        guard let read = sensor?() else { return nil }
        if let failure = read.failure {
            return SensorGauge(resource: ResourceGauge(name: "sensor", state: .failed(failure)), reading: read)
        }
        let at = Monotonic.seconds()
        let source = "pid \(getpid()): consumer thread" + (read.kernelRunSeconds == nil ? "" : " + kernel")
        var resource = ResourceGauge(name: "sensor", state: .live, source: source)
        var gauge = SensorGauge(resource: resource, reading: read)
        gauge.consumerCPUPercent = rate("sensor", identity: "consumer", cpuSeconds: read.consumerCPUSeconds, at: at)
        gauge.kernelCPUPercent = read.kernelRunSeconds.flatMap { rate("sensor kernel", identity: "kernel", cpuSeconds: $0, at: at) }
        gauge.eventsPerSecond = perSecond("sensor events", identity: "records", counter: Double(read.recordsRead), at: at)
        resource.cpuPercent = gauge.consumerCPUPercent.map { $0 + (gauge.kernelCPUPercent ?? 0) }
        resource.memoryBytes = read.residentBytes
        resource.cpuLevel = Thresholds.level(resource.cpuPercent, warn: config.thresholds.falcoCPUWarn, critical: config.thresholds.falcoCPUCritical)
        record(&resource, cpu: &sensorCPU, memory: &sensorMemory)
        gauge.resource = resource
        let total = read.totalDrops
        if let last = lastSensorDropTotal, total >= last { gauge.newDrops = total - last }
        lastSensorDropTotal = total
        sensorDrops.append(Double(gauge.newDrops ?? 0))
        gauge.dropsHistory = sensorDrops.values
        return gauge
    }

    // MARK: - Falco's health and the feeds

    private func collectHealth() -> FalcoHealthGauge {
        var g = FalcoHealthGauge()
        guard config.falco.healthzURL != nil || config.falco.metricsURL != nil else { return g }
        let reading = probe.probe()
        g.health = reading.health
        g.metrics = reading.metrics
        g.metricsError = reading.metricsError
        if let total = reading.metrics?.totalDrops {
            // A smaller total means Falco restarted and its counters began again.
            if let last = lastDropTotal, total >= last { g.newDrops = total - last }
            lastDropTotal = total
            drops.append(g.newDrops ?? 0)
        }
        g.dropsHistory = drops.values
        switch reading.health {
        case .down: g.level = .critical
        case .unhealthy: g.level = .warning
        case .up, .notConfigured: g.level = .ok
        }
        // Drops happening now are events Falco never saw: a blind spot, not a performance note.
        if let new = g.newDrops, new > 0 { g.level = .critical }
        return g
    }

    private func collectFeeds(now: Timestamp) -> ([FeedGauge], String?) {
        guard let store else { return ([], "no alert history open") }
        do {
            let t = config.thresholds
            let newestID = try store.newestID()
            let clock = Monotonic.seconds()
            var sources: [SourceFreshness]
            // An empty cache is refreshed as soon as alerts arrive: "no alerts yet" must not
            // linger for the refresh interval while a feed has started.
            if let cache = feedCache,
               cache.newestID == newestID || (clock - cache.at < feedRefreshInterval && !cache.sources.isEmpty) {
                sources = cache.sources
            } else {
                sources = try store.newestBySource()
                // A source that went quiet while another floods drops out of the newest alerts
                // scanned; it must stay listed, ageing into red, not vanish.
                for known in feedCache?.sources ?? [] where !sources.contains(where: { $0.source == known.source }) {
                    sources.append(known)
                }
                feedCache = (newestID, clock, sources)
            }
            return (sources.map {
                let age = max(0, Double(now.nanoseconds - $0.newestAlert.nanoseconds) / 1e9)
                return FeedGauge(source: $0.source, newestAlert: $0.newestAlert, ageSeconds: age, origin: $0.origin,
                                 level: Thresholds.level(age, warn: t.feedStaleWarnSeconds, critical: t.feedStaleCriticalSeconds))
            }, nil)
        } catch {
            return ([], "history: \(error)")
        }
    }
}
