import Foundation
import TradsecCore

/// `tradsec rules match` and `tradsec filter` as library calls: the commands only print.
public enum EventMatching {
    /// A bad events file: `path:line: reason`, escaped for a terminal (both come from input).
    public struct InputError: Error, CustomStringConvertible {
        public var description: String
        init(path: String, line: Int, reason: String) {
            description = TerminalSafe.escape(path) + ":\(line): " + TerminalSafe.escape(reason)
        }
    }

    /// Evaluates every event of `eventsPath` with the engine's enabled rules (Falco's default
    /// `rule_matching: first`, enter events dropped) and emits one alert line per match, in
    /// event order. Batches of lines are decoded and evaluated on `threads` threads.
    /// Returns the number of alerts per rule name (`order`: rules in definition order).
    @discardableResult
    public static func matchAlerts(engine: RulesEngine, eventsPath: String, matching: RuleMatcher.Matching = .first,
                                   formatter: AlertFormatter = AlertFormatter(),
                                   threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                                   emit: ((String) -> Void)?) throws -> (counts: [String: Int], order: [String], events: Int) {
        let parallel = ParallelMatcher(engine: engine, threads: threads, matching: matching, formatter: formatter)
        var counts: [String: Int] = [:]
        var events = 0
        try JSONLinesReader.forEachChunk(path: eventsPath) { firstLine, buffer, lines in
            let result = parallel.process(buffer, lines: lines, formatAlerts: emit != nil)
            for alert in result.alerts {
                counts[alert.rule, default: 0] += 1
                emit?(alert.text)
            }
            if let error = result.firstError {
                // Line numbers count blank lines too: recover the file line of the failing range.
                let fileLine = firstLine + buffer[..<lines[error.line].lowerBound].filter { $0 == 0x0A }.count
                throw InputError(path: eventsPath, line: fileLine, reason: error.message)
            }
            events += lines.count
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
                throw InputError(path: eventsPath, line: lineNumber, reason: "\(error)")
            }
            return true
        }
    }
}
