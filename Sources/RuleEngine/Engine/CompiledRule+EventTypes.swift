/// The rule index's event-type analysis, for code that produces events (the host sensor): it
/// asks which event types a rule can match, to produce only those.
extension CompiledRule {
    /// Whether an event of type `name` (`evt.type`) can match this rule. Rules of sources other
    /// than `syscall`, and conditions that do not narrow `evt.type`, can match any type.
    public func canMatch(eventType name: String) -> Bool {
        guard let codes = eventCodes else { return true }
        return EventTypeTable.shared.codes(for: name).contains(where: codes.contains)
    }
}
