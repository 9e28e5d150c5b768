import TradsecCore

/// The strict JSON parser and the writer: whatever the parser accepts is valid UTF-8, and
/// writing it gives one line that parses again to the same value and writes the same text
/// (doubles may become integers once: `1.0` is written `1`, a fixed point after one round).
enum JSONHarness {
    static let target = FuzzTarget(
        "json",
        "JSONParser on any bytes; accepted values write (JSONWriter, sorted or not) to one line that parses back to the same value, stable",
        maxLength: 16384
    ) { bytes in check(bytes) }

    static func check(_ bytes: UnsafeRawBufferPointer) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes: bytes)
        } catch {
            Invariant.require(error.offset >= 0 && error.offset <= bytes.count, "error offset \(error.offset) outside the input")
            _ = error.description
            return
        }
        Invariant.require(String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) != nil, "accepted invalid UTF-8")
        _ = value.displayText
        _ = value.int64Value
        for sorted in [false, true] {
            let once = JSONWriter.string(value, sortedKeys: sorted)
            Invariant.require(!once.utf8.contains(0x0A) && !once.utf8.contains(0x0D), "written JSON holds a line break")
            let reparsed: JSONValue
            do { reparsed = try JSONParser.parse(once) } catch {
                Invariant.require(false, "written JSON does not parse: \(error)\n\(once)")
                return
            }
            Invariant.require(same(value, reparsed, sorted: sorted), "round trip changed the value:\n\(once)")
            let twice = JSONWriter.string(reparsed, sortedKeys: sorted)
            Invariant.require(once.utf8.elementsEqual(twice.utf8), "writing is not stable:\n\(once)\n\(twice)")
        }
    }

    /// The same value: strings byte for byte, numbers by value (an integral double may come
    /// back as an integer), object members in order (sorted: in byte order of their keys).
    static func same(_ a: JSONValue, _ b: JSONValue, sorted: Bool) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1, sorted: sorted) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            var order = Array(x.keys.indices)
            if sorted { order.sort { x.keys[$0].utf8.lexicographicallyPrecedes(x.keys[$1].utf8) } }
            return zip(order, y.keys.indices).allSatisfy { i, j in
                x.keys[i].utf8.elementsEqual(y.keys[j].utf8) && same(x.values[i], y.values[j], sorted: sorted)
            }
        default:
            guard let x = number(a), let y = number(b) else { return false }
            return x == y || (x.isNaN && y.isNaN)
        }
    }

    static func number(_ v: JSONValue) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .uint(let u): return Double(u)
        case .double(let d): return d
        default: return nil
        }
    }
}
