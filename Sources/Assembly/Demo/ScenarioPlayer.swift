#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AlertStore
import TradsecCore

/// Plays ``IncidentScenario`` in time: each event is stamped with the moment it is played
/// (or, without pauses, with its place in a scenario that ends now), evaluated, and its
/// alerts stored.
public struct ScenarioPlayer {
    let evaluator: EventEvaluator
    let store: AlertStore
    /// Playback speed, or nil for no pauses.
    let speed: Double?

    public init(evaluator: EventEvaluator, store: AlertStore, speed: Double?) {
        self.evaluator = evaluator
        self.store = store
        self.speed = speed
    }

    public func play(shouldStop: () -> Bool, onAlert: (Alert) -> Void) throws -> (events: Int, alerts: Int) {
        let start = Timestamp.now()
        var events = 0
        var alerts = 0
        for step in IncidentScenario.steps() {
            if shouldStop() { break }
            let scenarioNanos = Int64(step.offset * 1e9)
            // Without pauses the scenario is placed so that it ends now (never in the future).
            var stamp = start.adding(nanoseconds: scenarioNanos - Int64(IncidentScenario.duration * 1e9))
            if let speed {
                let due = start.nanoseconds + Int64(Double(scenarioNanos) / speed)
                while Timestamp.now().nanoseconds < due {
                    if shouldStop() { return (events, alerts) }
                    usleep(UInt32(min(100_000, max(1000, (due - Timestamp.now().nanoseconds) / 1000))))
                }
                stamp = .now()
            }
            let line = JSONWriter.string(Self.stamped(step.event, at: stamp))
            let raised = try evaluator.evaluate(line: line)
            events += 1
            guard !raised.isEmpty else { continue }
            try store.insert(raised, origin: "demo")
            alerts += raised.count
            raised.forEach(onAlert)
        }
        return (events, alerts)
    }

    /// The event with `evt.rawtime` and `evt.time` set to `time`.
    static func stamped(_ event: JSONValue, at time: Timestamp) -> JSONValue {
        guard case .object(var outer) = event, case .object(var fields)? = outer["fields"] else { return event }
        fields["evt.rawtime"] = .int(time.nanoseconds)
        let iso = time.rfc3339()
        fields["evt.time"] = .string(String(iso[iso.index(iso.startIndex, offsetBy: 11)..<iso.index(before: iso.endIndex)]))
        outer["fields"] = .object(fields)
        return .object(outer)
    }
}
