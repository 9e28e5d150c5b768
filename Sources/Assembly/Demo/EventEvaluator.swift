import RuleEngine
import TradsecCore

/// Runs raw events through loaded Falco rules one at a time and gives back the alerts, in
/// Falco's JSON format (rule matching `first`, enter events dropped, as Falco does).
public final class EventEvaluator {
    public enum EvaluationError: Error, CustomStringConvertible {
        case refusedAlert(String)
        public var description: String {
            switch self { case .refusedAlert(let text): return text }
        }
    }

    private let engine: RulesEngine
    private let matcher: RuleMatcher
    private let decoder: EventDecoder
    private let event: Event
    private let formatter: AlertFormatter
    private var matches: [Int] = []

    /// Loads `rulePaths` in order; throws with Falco's messages when any file is invalid.
    public init(rulePaths: [String], hostname: String? = nil) throws(AssemblyError) {
        engine = RulesEngine()
        let results = engine.load(paths: rulePaths)
        guard engine.isValid else {
            let messages = results.filter { !$0.successful }.map { "\($0)" }
            throw .rules("rules do not load:\n" + messages.joined(separator: "\n"))
        }
        matcher = engine.makeMatcher()
        decoder = engine.makeDecoder(for: matcher)
        event = Event(slotCount: engine.slots.count)
        formatter = AlertFormatter(hostname: hostname)
    }

    /// The alerts one event line raises (usually none).
    public func evaluate(line: String) throws -> [Alert] {
        try decoder.decode(line: line, into: event)
        if matcher.isDroppedEnterEvent(event) { return [] }
        matcher.match(event, matching: .first, into: &matches)
        return try matches.map { index in
            let text = formatter.line(for: matcher.rule(at: index), event: event)
            do {
                return try AlertDecoder.decode(line: text)
            } catch {
                throw EvaluationError.refusedAlert("the engine produced an alert the decoder refuses (\(error)): \(text)")
            }
        }
    }
}
