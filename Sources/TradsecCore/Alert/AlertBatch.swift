/// Alerts decoded for the history, many to one byte buffer: each alert's raw line and its
/// indexed fields as byte ranges into the buffer, not one `String` per field.
///
/// An ``AlertRecord`` costs four to six allocations per alert (the raw line, the output, the
/// rule, the image…) and as many releases when the batch is dropped, a large share of a bulk
/// ingest's time. A batch keeps one growing buffer, reused from batch to batch. ``AlertDecoder/decodeRecord(line:into:)`` fills it; ``record(at:)`` gives the
/// same ``AlertRecord`` the decoder would have built.
public struct AlertBatch: Sendable {
    /// A field's bytes in ``bytes``, or no value (nil) when `count < 0`.
    public struct Span: Sendable, Equatable {
        public var start: Int
        public var count: Int
        public static let none = Span(start: 0, count: -1)
        public var isPresent: Bool { count >= 0 }

        /// The span's bytes inside `buffer` (what ``AlertBatch/withBytes(_:)`` lends); nil when absent.
        @inline(__always)
        public func bytes(in buffer: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
            isPresent ? UnsafeRawBufferPointer(rebasing: buffer[start..<(start + count)]) : nil
        }
        init(start: Int, count: Int) {
            self.start = start
            self.count = count
        }
    }

    /// One alert: the fields ``AlertRecord`` has, as spans.
    public struct Entry: Sendable {
        public var time: Timestamp
        public var priority: Priority
        /// The accepted line, exactly as ``AlertRecord/raw``.
        public var raw: Span
        public var rule: Span
        /// Never absent: an alert without output has an empty one, as ``AlertRecord/output``.
        public var output: Span
        public var source: Span
        public var hostname: Span
        public var containerID: Span
        public var containerName: Span
        public var containerImage: Span
        public var processName: Span
        public var userName: Span
    }

    /// Raw lines and decoded texts. It starts with the constant texts below, so that spans
    /// can name them without copying them for every alert.
    public private(set) var bytes: [UInt8]
    public private(set) var entries: [Entry] = []

    static let constants = Array("host".utf8)
    /// `host`: ``ContainerRef/hostID``, and the container name of a host alert without a hostname.
    static let hostText = Span(start: 0, count: 4)

    public init() {
        bytes = Self.constants
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    /// Bytes held (what a caller bounds, besides the count).
    public var byteCount: Int { bytes.count }

    /// Above this many bytes of capacity, emptying the batch gives its buffer back: a burst of
    /// long lines must not stay resident in a follower that runs for months.
    public static let keptCapacity = 16 << 20

    /// Empties the batch, keeping its memory for the next one (up to ``keptCapacity``).
    public mutating func removeAll() {
        entries.removeAll(keepingCapacity: entries.capacity * MemoryLayout<Entry>.stride <= Self.keptCapacity)
        if bytes.capacity > Self.keptCapacity {
            bytes = Self.constants
        } else {
            bytes.removeSubrange(Self.constants.count...)
        }
    }

    // MARK: - Reading

    /// The buffer the spans point into, for reading many fields without copies.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    /// A span's text; nil for an absent span.
    public func string(_ span: Span) -> String? {
        withBytes { buffer in span.bytes(in: buffer).map { String(decoding: $0, as: UTF8.self) } }
    }

    /// The alert at `index` as a record (the same one ``AlertDecoder/decodeRecord(line:)`` gives).
    public func record(at index: Int) -> AlertRecord {
        let e = entries[index]
        return AlertRecord(time: e.time, rule: string(e.rule)!, priority: e.priority, output: string(e.output)!,
                           source: string(e.source), hostname: string(e.hostname),
                           container: ContainerRef(id: string(e.containerID)!, name: string(e.containerName)!,
                                                   image: string(e.containerImage)),
                           processName: string(e.processName), userName: string(e.userName), raw: string(e.raw)!)
    }

    // MARK: - Writing

    /// Appends a record given as strings (alerts built by the full decoder, the processor's,
    /// tests'; ``Alert/record`` gives one).
    public mutating func append(_ r: AlertRecord) {
        entries.append(Entry(time: r.time, priority: r.priority, raw: text(r.raw), rule: text(r.rule), output: text(r.output),
                             source: text(r.source), hostname: text(r.hostname), containerID: text(r.container.id),
                             containerName: text(r.container.name), containerImage: text(r.container.image),
                             processName: text(r.processName), userName: text(r.userName)))
    }

    private mutating func text(_ value: String?) -> Span {
        guard let value else { return .none }
        let start = bytes.count
        bytes.append(contentsOf: value.utf8)
        return Span(start: start, count: bytes.count - start)
    }

    // For the decoder: it copies the line first, then adds entries whose spans point into it
    // or into texts it appends after it.

    /// Copies `count` bytes; returns where they start.
    mutating func appendBytes(_ source: UnsafePointer<UInt8>, count: Int) -> Int {
        let start = bytes.count
        bytes.append(contentsOf: UnsafeBufferPointer(start: source, count: count))
        return start
    }

    /// Appends up to `capacity` bytes written by `body`, which returns how many it wrote.
    mutating func appendBytes(capacity: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) -> Span {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: capacity))
        let written = bytes.withUnsafeMutableBufferPointer { body($0.baseAddress! + start) }
        bytes.removeLast(capacity - written)
        return Span(start: start, count: written)
    }

    mutating func append(_ entry: Entry) { entries.append(entry) }

    /// Whether a span holds exactly `literal`.
    func span(_ span: Span, is literal: StaticString) -> Bool {
        guard span.count == literal.utf8CodeUnitCount else { return false }
        return bytes.withUnsafeBufferPointer { b in
            (0..<span.count).allSatisfy { b[span.start + $0] == literal.utf8Start[$0] }
        }
    }
}
