import Foundation
import TradsecCore

/// `tradsec rules match` and `tradsec filter` as library calls: the commands only print.
public enum EventMatching {
    public struct InputError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Evaluates every event of `eventsPath` with the engine's enabled rules (Falco's default
    /// `rule_matching: first`) and emits one alert line per match, in event order.
    /// Returns the number of alerts per rule name (definition order kept in `order`).
    @discardableResult
    public static func matchAlerts(engine: RulesEngine, eventsPath: String, matching: RuleMatcher.Matching = .first,
                                   formatter: AlertFormatter = AlertFormatter(),
                                   emit: ((String) -> Void)?) throws -> (counts: [String: Int], order: [String], events: Int) {
        let matcher = engine.makeMatcher()
        let decoder = engine.makeDecoder(for: matcher)
        let event = Event(slotCount: engine.slots.count)
        var counts: [String: Int] = [:]
        var hits: [Int] = []
        var events = 0
        try JSONLinesReader.forEachLine(path: eventsPath) { lineNumber, bytes in
            do {
                try decoder.withEvent(line: bytes, event) { event in
                    events += 1
                    // Current Falco drops enter events before the rule engine sees them.
                    if event.isEnter { return }
                    matcher.match(event, matching: matching, into: &hits)
                    for r in hits {
                        let rule = matcher.rule(at: r)
                        counts[rule.name, default: 0] += 1
                        emit?(formatter.line(for: rule, event: event))
                    }
                }
            } catch let error as EventDecoder.DecodeError {
                throw InputError(description: "\(eventsPath):\(lineNumber): \(error)")
            }
            return true
        }
        let order = engine.enabledRules.map(\.name).filter { counts[$0] != nil }
        return (counts, order, events)
    }

    /// `evt.num` of every event the expression selects.
    public static func filter(expression: String, eventsPath: String, emit: (UInt64) -> Void) throws {
        let filter = try FilterExpression.compile(expression)
        let decoder = EventDecoder(slots: filter.slots)
        let event = Event(slotCount: filter.slots.count)
        try JSONLinesReader.forEachLine(path: eventsPath) { lineNumber, bytes in
            do {
                try decoder.withEvent(line: bytes, event) { event in
                    if filter.predicate(event), let n = event.number { emit(n) }
                }
            } catch let error as EventDecoder.DecodeError {
                throw InputError(description: "\(eventsPath):\(lineNumber): \(error)")
            }
            return true
        }
    }
}
