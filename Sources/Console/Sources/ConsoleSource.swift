import AlertStore

/// Why a running source has nothing to read.
public enum WaitReason: Equatable, Sendable {
    /// A followed file that does not exist (yet).
    case noFileYet
    /// A processor that cannot be reached; the connection's error.
    case reconnecting(String)
    /// A processor that answered with an HTTP error status.
    case answered(status: Int)
    /// The processing step: another process (serve, ingest, another console) holds the
    /// processing of this history and processes what arrives.
    case processedElsewhere

    var label: String {
        switch self {
        case .noFileYet: return "no file yet"
        case .reconnecting(let why): return "reconnecting: \(why)"
        case .answered(let status): return "processor answered \(status)"
        case .processedElsewhere: return "another process processes this history"
        }
    }
}

/// How a source is doing, for the header.
public enum SourceState: Equatable, Sendable {
    case starting
    case running
    /// Running but with nothing to read yet.
    case waiting(WaitReason)
    /// The error that stopped it.
    case failed(String)
    /// A source with a natural end (a file of events, the demo) that reached it.
    case finished
    case stopped
}

/// What a source has taken in and what became of it, counted by the source.
public struct SourceCounters: Equatable, Sendable {
    /// Lines, events or kernel records taken in.
    public var received = 0
    /// Alerts committed to the history.
    public var stored = 0
    /// Refused (bad lines, bad or out-of-order events) and kept in the history's rejects.
    public var rejected = 0
    /// Lost before they could be read (the sensor's ring buffer and read faults).
    public var dropped = 0
    /// `dropped` by reason, for sources that know it (the host sensor).
    public var drops: [DropCount] = []

    public init(received: Int = 0, stored: Int = 0, rejected: Int = 0, dropped: Int = 0, drops: [DropCount] = []) {
        self.received = received
        self.stored = stored
        self.rejected = rejected
        self.dropped = dropped
        self.drops = drops
    }
}

/// Records lost for one reason.
public struct DropCount: Equatable, Sendable {
    public var reason: String
    public var count: Int
    public init(reason: String, count: Int) {
        self.reason = reason
        self.count = count
    }
}

/// A source's name, state and counters, as the header shows them.
public struct SourceStatus: Equatable, Sendable {
    public var name: String
    public var state: SourceState
    public var counters: SourceCounters

    public init(name: String, state: SourceState, counters: SourceCounters = SourceCounters()) {
        self.name = name
        self.state = state
        self.counters = counters
    }

    /// `live`, `waiting: no file yet`, `done: 346 events, 20 alerts`, with what was refused or
    /// lost when anything was.
    public var label: String {
        var text: String
        switch state {
        case .starting: text = "starting"
        case .running: text = "live"
        case .waiting(let why): text = "waiting: \(why.label)"
        case .failed(let why): text = "failed: \(why)"
        case .finished: text = "done: \(counters.received) events, \(counters.stored) alerts"
        case .stopped: text = "stopped"
        }
        var problems: [String] = []
        if counters.rejected > 0 { problems.append("\(counters.rejected) rejected") }
        if counters.dropped > 0 { problems.append("\(counters.dropped) dropped") }
        if !problems.isEmpty { text += " (" + problems.joined(separator: ", ") + ")" }
        return text
    }
}

/// Something that feeds alerts into the history while the console runs (a followed Falco
/// log, raw events through the rule engine, a processor, the demo, the host sensor).
/// Sources only write to the history; the screens read the history. A source runs on its
/// own thread and must never block the caller of ``start(store:)`` or ``stop()``.
/// The composition root (`Assembly`) builds them from `--source` and `sources:`.
public protocol ConsoleSource: AnyObject, Sendable {
    /// `falco-file:/var/log/falco.log`.
    var name: String { get }
    var status: SourceStatus { get }
    func start(store: AlertStore)
    /// Asks the source to stop and waits (briefly) for it to commit what it holds.
    func stop()
}
