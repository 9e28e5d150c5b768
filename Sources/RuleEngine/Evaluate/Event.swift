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

    /// Shared macros whose result an event caches while it is evaluated (``Event/memoized(_:_:)``).
    public private(set) var memoCount = 0

    func newMemoID() -> Int {
        memoCount += 1
        return memoCount - 1
    }
}

/// One event: slot-indexed values plus its source and event type.
///
/// Slots live in manually allocated storage (no array copy-on-write or exclusivity checks on
/// the hot path). The byte scanner only records where a value sits in the line; it is
/// converted the first time a check reads it, so fields no candidate rule reads cost nothing.
public final class Event: @unchecked Sendable {
    struct RawValue {
        var start: Int32 = 0
        var length: Int32 = 0
        var type: FieldType = .charbuf
        var pending = false
        /// Listed in `touched` (each slot at most once, so the list never outgrows the slots).
        var listed = false
    }

    public let slotCount: Int
    private let values: UnsafeMutablePointer<FieldValue?>
    private let raws: UnsafeMutablePointer<RawValue>
    /// Slots written since the last reset (so reset does not sweep every slot).
    private let touched: UnsafeMutablePointer<Int32>
    private var touchedCount = 0
    /// The line pending values point into; only valid inside `EventDecoder.withEvent`.
    var line: UnsafePointer<UInt8>?

    public var source: String
    /// Index of the event's `evt.type` in the rule index (-1: unknown name).
    public var eventTypeID: Int = -1
    /// `evt.num`, kept aside for the filter command and alert ordering.
    public var number: UInt64?
    /// Nanoseconds since the epoch (`evt.rawtime`), for the alert `time`.
    public var rawTime: Int64?
    /// An enter event (`evt.dir` is `>`): current Falco drops these before the rules.
    public var isEnter = false

    /// Results of shared macros for the current evaluation: generation << 1 | result. A new
    /// event or a new evaluation bumps the generation, which forgets them all at once.
    private var memo: UnsafeMutablePointer<UInt64>?
    private var memoCapacity = 0
    private var generation: UInt64 = 1
    /// Shared macros evaluated (not taken from the cache) since the event was made.
    private(set) var memoEvaluations = 0

    public init(slotCount: Int, source: String = "syscall") {
        self.slotCount = slotCount
        values = .allocate(capacity: max(slotCount, 1))
        values.initialize(repeating: nil, count: max(slotCount, 1))
        raws = .allocate(capacity: max(slotCount, 1))
        raws.initialize(repeating: RawValue(), count: max(slotCount, 1))
        touched = .allocate(capacity: max(slotCount, 1))
        self.source = source
    }

    deinit {
        memo?.deallocate()
        values.deinitialize(count: max(slotCount, 1)); values.deallocate()
        raws.deinitialize(count: max(slotCount, 1)); raws.deallocate()
        touched.deallocate()
    }

    @inline(__always) private func touch(_ slot: Int) {
        guard !raws[slot].listed else { return }
        raws[slot].listed = true
        touched[touchedCount] = Int32(slot)
        touchedCount += 1
    }

    /// The value of a slot (nil: the event has no value for that field).
    @inline(__always)
    public func value(at slot: Int) -> FieldValue? {
        if raws[slot].pending { convertPending(slot) }
        return values[slot]
    }

    public func set(_ value: FieldValue?, at slot: Int) {
        touch(slot)
        raws[slot].pending = false
        values[slot] = value
    }

    /// Records where a slot's JSON value is in `line`, to convert it on first read.
    @inline(__always)
    func setPending(slot: Int, start: Int, length: Int, type: FieldType) {
        touch(slot)
        values[slot] = nil
        raws[slot] = RawValue(start: Int32(start), length: Int32(length), type: type, pending: true, listed: true)
    }

    private func convertPending(_ slot: Int) {
        let raw = raws[slot]
        raws[slot].pending = false
        guard let line else { values[slot] = nil; return }
        var cursor = EventFieldScanner.Cursor(p: line + Int(raw.start), end: Int(raw.length))
        values[slot] = cursor.value(type: raw.type, depth: 0) ?? nil
    }

    /// Converts every pending value (so the event outlives its line).
    public func materialize() {
        for k in 0..<touchedCount where raws[Int(touched[k])].pending { convertPending(Int(touched[k])) }
        line = nil
    }

    /// Forgets the line: pending values that were never read become "no value".
    func detach() {
        for k in 0..<touchedCount { raws[Int(touched[k])].pending = false }
        line = nil
    }

    /// Starts a new evaluation of this event: cached macro results are forgotten.
    @inline(__always)
    public func beginEvaluation() {
        generation &+= 1
        if generation >= 1 << 62 {
            generation = 1
            if let memo { memo.update(repeating: 0, count: memoCapacity) }
        }
    }

    /// `body`'s result for this evaluation, computed at most once: a macro shared by many
    /// rules (or named many times by one) costs one evaluation per event.
    @inline(__always)
    func memoized(_ id: Int, _ body: Predicate) -> Bool {
        if id < memoCapacity, let memo {
            let cached = memo[id]
            if cached >> 1 == generation { return cached & 1 != 0 }
        }
        let result = body(self)
        if id >= memoCapacity { growMemo(to: id + 1) }
        memo![id] = generation << 1 | (result ? 1 : 0)
        memoEvaluations &+= 1
        return result
    }

    private func growMemo(to count: Int) {
        let capacity = max(count, memoCapacity * 2, 16)
        let grown = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        grown.initialize(repeating: 0, count: capacity)
        if let memo {
            grown.update(from: memo, count: memoCapacity)
            memo.deallocate()
        }
        memo = grown
        memoCapacity = capacity
    }

    /// Clears values for reuse (no reallocation).
    public func reset(source: String) {
        beginEvaluation()
        for k in 0..<touchedCount {
            let s = Int(touched[k])
            values[s] = nil
            raws[s].pending = false
            raws[s].listed = false
        }
        touchedCount = 0
        line = nil
        self.source = source
        eventTypeID = -1; number = nil; rawTime = nil; isEnter = false
    }
}
