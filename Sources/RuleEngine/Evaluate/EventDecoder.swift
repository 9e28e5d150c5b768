import TradsecCore

/// Turns one JSON Lines event (`{"source":..., "fields":{...}}`) into an `Event`, converting
/// only the fields some compiled rule reads, each to its catalog type.
public struct EventDecoder {
    public enum DecodeError: Error, CustomStringConvertible {
        case json(JSONParseError)
        case shape(String)
        public var description: String {
            switch self {
            case .json(let e): return "invalid JSON: \(e)"
            case .shape(let s): return s
            }
        }
    }

    let slots: FieldSlotTable
    /// Event type name -> id of the rule index.
    let eventTypeIDs: [String: Int]
    private let scanner: EventFieldScanner

    public init(slots: FieldSlotTable, eventTypeIDs: [String: Int] = [:]) {
        self.slots = slots
        self.eventTypeIDs = eventTypeIDs
        scanner = EventFieldScanner(slots: slots, eventTypeIDs: eventTypeIDs)
    }

    /// Decodes `bytes` into `event` and runs `body` while the line is alive: values are only
    /// converted when a check reads them. Do not keep the event's pending values past `body`.
    @inline(__always)
    public func withEvent<T>(line bytes: UnsafeRawBufferPointer, _ event: Event, _ body: (Event) throws -> T) throws -> T {
        precondition(event.slotCount >= slots.count, "event built for fewer slots than the decoder")
        if !scanner.scan(bytes, into: event) { try decodeStrict(bytes, into: event) }
        defer { event.detach() }
        return try body(event)
    }

    /// Decodes every field a rule reads (the event stays valid after the line is gone).
    public func decode(line bytes: UnsafeRawBufferPointer, into event: Event) throws(DecodeError) {
        precondition(event.slotCount >= slots.count, "event built for fewer slots than the decoder")
        if scanner.scan(bytes, into: event) { event.materialize(); return }
        try decodeStrict(bytes, into: event)
    }

    /// The strict path: the shared JSON parser (exact errors for malformed lines).
    func decodeStrict(_ bytes: UnsafeRawBufferPointer, into event: Event) throws(DecodeError) {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes: bytes) } catch { throw .json(error) }
        try decode(value, into: event)
    }

    public func decode(line: String, into event: Event) throws(DecodeError) {
        let bytes = Array(line.utf8)
        let result = bytes.withUnsafeBytes { buffer -> DecodeError? in
            do throws(DecodeError) { try decode(line: buffer, into: event); return nil } catch { return error }
        }
        if let result { throw result }
    }

    public func decode(_ value: JSONValue, into event: Event) throws(DecodeError) {
        guard case .object(let root) = value else { throw .shape("event is not a JSON object") }
        event.reset(source: root["source"]?.stringValue ?? "syscall")
        guard case .object(let fields)? = root["fields"] else { throw .shape("event has no \"fields\" object") }
        for (key, raw) in fields.pairs {
            switch key {
            case "evt.num": event.number = raw.int64Value.map { UInt64(bitPattern: $0) } ?? { if case .uint(let u) = raw { return u }; return nil }()
            case "evt.rawtime": event.rawTime = raw.int64Value
            case "evt.dir": event.isEnter = raw.stringValue == ">"
            case "evt.type":
                if let t = raw.stringValue { event.eventTypeID = eventTypeIDs[t] ?? -1 }
            default: break
            }
            guard let slot = slots.existingSlot(for: key) else { continue }
            let (type, isList) = slots.types[slot]
            event.set(Self.convert(raw, to: type, isList: isList), at: slot)
        }
    }

    /// JSON value -> typed field value (nil for null or unconvertible values: "no value").
    static func convert(_ raw: JSONValue, to type: FieldType, isList: Bool) -> FieldValue? {
        if case .array(let items) = raw {
            return .list(items.compactMap { convert($0, to: type, isList: false) })
        }
        switch type {
        case .charbuf, .dyn:
            switch raw {
            case .string(let s): return .bytes(Array(s.utf8))
            case .null: return nil
            default: return .bytes(Array(raw.displayText.utf8))
            }
        case .bytebuf:
            // Code points U+0000..U+00FF are the raw bytes (Latin-1), as the dumps write buffers.
            guard case .string(let s) = raw else { return nil }
            return .bytes(s.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        case .bool:
            switch raw {
            case .bool(let b): return .bool(b)
            case .int(let v): return .bool(v != 0)
            case .string(let s): return s == "true" ? .bool(true) : (s == "false" ? .bool(false) : nil)
            default: return nil
            }
        case .int16, .int32, .int64:
            switch raw {
            case .int(let v): return .int(v)
            case .uint(let v): return .int(Int64(bitPattern: v))
            case .double(let d): return NumericConversion.value(d, signedType: true)
            case .string(let s): return Int64(s).map(FieldValue.int)
            default: return nil
            }
        case .uint32, .uint64, .reltime, .abstime, .port:
            switch raw {
            case .int(let v): return .uint(UInt64(bitPattern: v))
            case .uint(let v): return .uint(v)
            case .double(let d): return NumericConversion.value(d, signedType: false)
            case .string(let s): return UInt64(s).map(FieldValue.uint)
            default: return nil
            }
        case .double:
            switch raw {
            case .int(let v): return .double(Double(v))
            case .uint(let v): return .double(Double(v))
            case .double(let d): return NumericConversion.finite(d).map(FieldValue.double)
            default: return nil
            }
        case .ipaddr, .ipnet:
            guard case .string(let s) = raw, let ip = IPAddress.parse(s) else { return nil }
            return .ip(ip)
        }
    }
}
