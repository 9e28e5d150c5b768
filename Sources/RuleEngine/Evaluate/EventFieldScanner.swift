import TradsecCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level extractor for event lines: walks `{"source":..,"fields":{..}}` once and converts
/// only the keys some compiled rule reads, skipping every other value without allocating.
/// The bytes are read by ``JSONByteScanner``.
///
/// Why not the general `JSONParser`: it builds a tree with a String per key and value (dozens
/// per captured event), which dominated end-to-end evaluation; rules read a few fields per
/// event. Anything unusual (escaped keys, malformed text) makes `scan`
/// return false and the caller falls back to the strict parser for the exact error.
struct EventFieldScanner {
    static let roleNumber: UInt8 = 1, roleRawTime: UInt8 = 2, roleType: UInt8 = 4, roleDirection: UInt8 = 8
    /// Containers nested in one field value; deeper goes to the strict parser.
    static let maxDepth = 63

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
        var json = JSONByteScanner(base: base, count: line.count)
        event.reset(source: "syscall")
        event.line = base
        do throws(JSONParseError) {
            return try scanTop(&json, event)
        } catch {
            return false
        }
    }

    @inline(__always)
    private static func key(_ key: JSONByteScanner.StringExtent, in json: JSONByteScanner, is literal: StaticString) -> Bool {
        key.count == literal.utf8CodeUnitCount && memcmp(json.base + key.start, literal.utf8Start, key.count) == 0
    }

    private func scanTop(_ json: inout JSONByteScanner, _ event: Event) throws(JSONParseError) -> Bool {
        var sawFields = false, sawSource = false
        json.skipWhitespace()
        guard json.current == UInt8(ascii: "{"), try json.openContainer(depth: 1, maxDepth: Self.maxDepth) else { return false }
        repeat {
            let key = try json.memberKey()
            guard !key.hasEscapes else { return false }
            // A second `source` or `fields` goes to the strict parser, which reads the first
            // (the scanner would merge them: the same line would mean two different events).
            if Self.key(key, in: json, is: "source") {
                var value = Cursor(json)
                guard !sawSource, let s = value.rawString() else { return false }
                json = value.json
                sawSource = true
                event.source = s.count == 7 && memcmp(s.baseAddress!, "syscall", 7) == 0 ? "syscall" : String(decoding: s, as: UTF8.self)
            } else if Self.key(key, in: json, is: "fields") {
                guard !sawFields, try scanFields(&json, event) else { return false }
                sawFields = true
            } else {
                try json.skipValue(depth: 0, maxDepth: Self.maxDepth)
            }
        } while try json.nextElement(closing: UInt8(ascii: "}"))
        json.skipWhitespace()
        return sawFields && json.isAtEnd
    }

    /// `evt.rawtime` when it fits an Int64 (the strict parser's `int64Value`), else no time.
    static func nanoseconds(_ v: (negative: Bool, magnitude: UInt64)) -> Int64? {
        if !v.negative { return v.magnitude <= UInt64(Int64.max) ? Int64(v.magnitude) : nil }
        return v.magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- v.magnitude) : nil
    }

    /// Whether the header field at `json` (`evt.num`, `evt.rawtime`, `evt.type`, `evt.dir`) is
    /// one the scanner reads exactly as the strict parser does: a string without escapes, a
    /// whole number that is not negative (and fits an Int64 for `evt.rawtime`), or a value
    /// that is neither. Anything else (`1.5e9`, `-3`, `"exec\u0076e"`) and a field given twice
    /// go to the strict parser; the scanner used to read them differently (no time, no type).
    static func readsLikeStrictParser(_ json: JSONByteScanner, role: UInt8) -> Bool {
        var probe = Cursor(json)
        switch json.current {
        case UInt8(ascii: "\""):
            return probe.rawString() != nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard role & (roleNumber | roleRawTime) != 0 else { return true }
            guard let v = probe.integer(), !v.negative else { return false }
            return role & roleRawTime == 0 || v.magnitude <= UInt64(Int64.max)
        default:
            return true
        }
    }

    private func scanFields(_ json: inout JSONByteScanner, _ event: Event) throws(JSONParseError) -> Bool {
        var seenRoles: UInt8 = 0
        guard json.current == UInt8(ascii: "{") else { return false }
        guard try json.openContainer(depth: 1, maxDepth: Self.maxDepth) else { return true }
        repeat {
            let key = try json.memberKey()
            guard !key.hasEscapes else { return false }
            if let entry = keys.lookup(UnsafeRawBufferPointer(start: json.base + key.start, count: key.count)) {
                if entry.role != 0 {
                    guard seenRoles & entry.role == 0, Self.readsLikeStrictParser(json, role: entry.role) else { return false }
                    seenRoles |= entry.role
                    var value = Cursor(json)
                    if entry.role & Self.roleNumber != 0, let v = value.integer() { event.number = v.negative ? nil : v.magnitude }
                    else if entry.role & Self.roleRawTime != 0, let v = value.integer() { event.rawTime = Self.nanoseconds(v) }
                    else if entry.role & Self.roleType != 0, let s = value.rawString() { event.eventTypeID = typeIDs.lookup(s).map { Int($0.slot) } ?? -1 }
                    else if entry.role & Self.roleDirection != 0, let s = value.rawString() { event.isEnter = s.count == 1 && s[0] == UInt8(ascii: ">") }
                }
                // Only note where the value is; it is converted if a check reads it.
                let start = json.position
                try json.skipValue(depth: 0, maxDepth: Self.maxDepth)
                if entry.slot >= 0 {
                    event.setPending(slot: Int(entry.slot), start: start, length: json.position - start, type: slotTypes[Int(entry.slot)].0)
                }
            } else {
                try json.skipValue(depth: 0, maxDepth: Self.maxDepth)
            }
        } while try json.nextElement(closing: UInt8(ascii: "}"))
        return true
    }
}
