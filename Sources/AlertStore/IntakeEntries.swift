import TradsecCore

/// Alerts taken into the intake log (``IntakeLog/append(_:received:)``): each one's accepted
/// line, time and priority, and the whole decoded alert when the caller has one (the writer
/// decodes the others when it moves them, off the thread that answers the request).
public protocol IntakeEntries {
    var count: Int { get }
    func time(at index: Int) -> Timestamp
    func priority(at index: Int) -> Priority
    /// Lends the accepted line, exactly as ``Alert/raw``.
    func withLine<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
    func decoded(at index: Int) -> Alert?
}

extension Array: IntakeEntries where Element == Alert {
    public func time(at index: Int) -> Timestamp { self[index].time }
    public func priority(at index: Int) -> Priority { self[index].priority }
    public func withLine<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var raw = self[index].raw
        return try raw.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
    public func decoded(at index: Int) -> Alert? { self[index] }
}

extension AlertBatch: IntakeEntries {
    public func time(at index: Int) -> Timestamp { entries[index].time }
    public func priority(at index: Int) -> Priority { entries[index].priority }
    public func withLine<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withBytes { try body(entries[index].raw.bytes(in: $0)!) }
    }
    public func decoded(at index: Int) -> Alert? { nil }
}
