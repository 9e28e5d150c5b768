#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level extractor for event lines: walks `{"source":..,"fields":{..}}` once and converts
/// only the keys some compiled rule reads, skipping every other value without allocating.
///
/// Why not the general `JSONParser`: it builds a tree with a String per key and value (dozens
/// per captured event), which dominated end-to-end evaluation; rules read a few fields per
/// event. Anything unusual (escaped keys, malformed text) makes `scan`
/// return false and the caller falls back to the strict parser for the exact error.
struct EventFieldScanner {
    @inline(__always)
    static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2D || b == 0x2E || b == 0x45 || b == 0x65
    }

    static let roleNumber: UInt8 = 1, roleRawTime: UInt8 = 2, roleType: UInt8 = 4, roleDirection: UInt8 = 8

    let keys: KeyTable
    let typeIDs: KeyTable
    let slotTypes: [(FieldType, Bool)]

    init(slots: FieldSlotTable, eventTypeIDs: [String: Int]) {
        var k: [(String, Int32, UInt8)] = slots.keys.enumerated().map { ($0.element, Int32($0.offset), 0) }
        k += [("evt.num", -1, Self.roleNumber), ("evt.rawtime", -1, Self.roleRawTime),
              ("evt.type", -1, Self.roleType), ("evt.dir", -1, Self.roleDirection)]
        keys = KeyTable(keys: k)
        typeIDs = KeyTable(keys: eventTypeIDs.map { ($0.key, Int32($0.value), 0) })
        slotTypes = slots.types
    }

    /// Fills `event` from `line`; false when the line needs the strict parser.
    func scan(_ line: UnsafeRawBufferPointer, into event: Event) -> Bool {
        // Pending values keep 32-bit offsets into the line; longer lines take the strict path.
        guard line.count <= Int(Int32.max), let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        var c = Cursor(p: base, end: line.count)
        event.reset(source: "syscall")
        event.line = base
        var sawFields = false, sawSource = false
        c.skipWS()
        guard c.take(UInt8(ascii: "{")) else { return false }
        c.skipWS()
        if c.take(UInt8(ascii: "}")) { return false }
        while true {
            guard let key = c.rawKey() else { return false }
            c.skipWS()
            guard c.take(UInt8(ascii: ":")) else { return false }
            c.skipWS()
            // A second `source` or `fields` goes to the strict parser, which reads the first
            // (the scanner would merge them: the same line would mean two different events).
            if key.count == 6 && memcmp(key.baseAddress!, "source", 6) == 0 {
                guard !sawSource, let s = c.rawString() else { return false }
                sawSource = true
                event.source = s.count == 7 && memcmp(s.baseAddress!, "syscall", 7) == 0 ? "syscall" : String(decoding: s, as: UTF8.self)
            } else if key.count == 6 && memcmp(key.baseAddress!, "fields", 6) == 0 {
                guard !sawFields, scanFields(&c, event) else { return false }
                sawFields = true
            } else {
                guard c.skipValue(depth: 0) else { return false }
            }
            c.skipWS()
            if c.take(UInt8(ascii: ",")) { c.skipWS(); continue }
            guard c.take(UInt8(ascii: "}")) else { return false }
            break
        }
        c.skipWS()
        return sawFields && c.i == c.end
    }

    /// `evt.rawtime` when it fits an Int64 (the strict parser's `int64Value`), else no time.
    static func nanoseconds(_ v: (negative: Bool, magnitude: UInt64)) -> Int64? {
        if !v.negative { return v.magnitude <= UInt64(Int64.max) ? Int64(v.magnitude) : nil }
        return v.magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- v.magnitude) : nil
    }

    /// Whether the header field at `c` (`evt.num`, `evt.rawtime`, `evt.type`, `evt.dir`) is
    /// one the scanner reads exactly as the strict parser does: a string without escapes, a
    /// whole number that is not negative (and fits an Int64 for `evt.rawtime`), or a value
    /// that is neither. Anything else (`1.5e9`, `-3`, `"exec\u0076e"`) and a field given twice
    /// go to the strict parser; the scanner used to read them differently (no time, no type).
    static func readsLikeStrictParser(_ c: Cursor, role: UInt8) -> Bool {
        var probe = c
        switch c.current {
        case UInt8(ascii: "\""):
            let close = probe.quoteOrBackslash(from: probe.i + 1)
            return close < probe.end && probe.p[close] == UInt8(ascii: "\"")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard role & (roleNumber | roleRawTime) != 0 else { return true }
            guard let v = probe.integer(), !v.negative else { return false }
            return role & roleRawTime == 0 || v.magnitude <= UInt64(Int64.max)
        default:
            return true
        }
    }

    private func scanFields(_ c: inout Cursor, _ event: Event) -> Bool {
        var seenRoles: UInt8 = 0
        guard c.take(UInt8(ascii: "{")) else { return false }
        c.skipWS()
        if c.take(UInt8(ascii: "}")) { return true }
        while true {
            guard let key = c.rawKey() else { return false }
            c.skipWS()
            guard c.take(UInt8(ascii: ":")) else { return false }
            c.skipWS()
            if let entry = keys.lookup(key) {
                if entry.role != 0 {
                    guard seenRoles & entry.role == 0, Self.readsLikeStrictParser(c, role: entry.role) else { return false }
                    seenRoles |= entry.role
                }
                if entry.role != 0 {
                    let start = c.i
                    if entry.role & Self.roleNumber != 0, let v = c.integer() { event.number = v.negative ? nil : v.magnitude }
                    else if entry.role & Self.roleRawTime != 0, let v = c.integer() { event.rawTime = Self.nanoseconds(v) }
                    else if entry.role & Self.roleType != 0, let s = c.rawString() { event.eventTypeID = typeIDs.lookup(s).map { Int($0.slot) } ?? -1 }
                    else if entry.role & Self.roleDirection != 0, let s = c.rawString() { event.isEnter = s.count == 1 && s[0] == UInt8(ascii: ">") }
                    c.i = start
                }
                if entry.slot >= 0 {
                    // Only note where the value is; it is converted if a check reads it.
                    let start = c.i
                    guard c.skipValue(depth: 0) else { return false }
                    event.setPending(slot: Int(entry.slot), start: start, length: c.i - start, type: slotTypes[Int(entry.slot)].0)
                } else {
                    guard c.skipValue(depth: 0) else { return false }
                }
            } else {
                guard c.skipValue(depth: 0) else { return false }
            }
            c.skipWS()
            if c.take(UInt8(ascii: ",")) { c.skipWS(); continue }
            return c.take(UInt8(ascii: "}"))
        }
    }
}
