import Foundation
import TradsecCore

/// `tradsec rules match` and `tradsec filter` as library calls: the commands only print.
public enum EventMatching {
    /// A bad events file: `path:line: reason`, escaped for a terminal (both come from input).
    public enum InputError: Error, CustomStringConvertible {
        /// A line the engine could not evaluate (its events file, its line number, why).
        case badEvent(path: String, line: Int, reason: String)
        /// A line that is not an event (malformed JSON, not the event shape).
        case undecodable(path: String, line: Int, EventDecoder.DecodeError)

        public var description: String {
            switch self {
            case .badEvent(let path, let line, let reason): return Self.located(path, line, reason)
            case .undecodable(let path, let line, let error): return Self.located(path, line, "\(error)")
            }
        }

        private static func located(_ path: String, _ line: Int, _ reason: String) -> String {
            TerminalSafe.escape(path) + ":\(line): " + TerminalSafe.escape(reason)
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
                throw InputError.badEvent(path: eventsPath, line: fileLine, reason: error.message)
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
                throw InputError.undecodable(path: eventsPath, line: lineNumber, error)
            }
            return true
        }
    }
}
