/// Interns the event keys the compiled rules read into Int slots, so evaluation indexes
/// an array instead of hashing field names. Shared by the compiler and the decoder.
public final class FieldSlotTable: @unchecked Sendable {
    public private(set) var keys: [String] = []
    /// Type used to decode the JSON value of each slot (and whether it is a list).
    public private(set) var types: [(FieldType, Bool)] = []
    private var indexByKey: [String: Int] = [:]

    public init() {}

    public var count: Int { keys.count }

    public func slot(for key: String, type: FieldType, isList: Bool = false) -> Int {
        if let s = indexByKey[key] { return s }
        let s = keys.count
        keys.append(key)
        types.append((type, isList))
        indexByKey[key] = s
        return s
    }

    public func existingSlot(for key: String) -> Int? { indexByKey[key] }
}

/// One decoded event: slot-indexed values plus its source and event type.
public final class Event: @unchecked Sendable {
    public var values: [FieldValue?]
    public var source: String
    /// `evt.type` as text (also kept in its slot when a rule reads it).
    public var eventType: String?
    /// Index of `eventType` in the rule index (-1: unknown name).
    public var eventTypeID: Int = -1
    /// `evt.num`, kept aside for the filter command and alert ordering.
    public var number: UInt64?
    /// Nanoseconds since the epoch (`evt.rawtime`), for the alert `time`.
    public var rawTime: Int64?
    /// An enter event (`evt.dir` is `>`): current Falco drops these before the rules.
    public var isEnter = false

    public init(slotCount: Int, source: String = "syscall") {
        values = Array(repeating: nil, count: slotCount)
        self.source = source
    }

    /// Clears values for reuse (no reallocation).
    public func reset(source: String) {
        for i in values.indices { values[i] = nil }
        self.source = source
        eventType = nil; eventTypeID = -1; number = nil; rawTime = nil; isEnter = false
    }
}
