/// What the history stores for one alert line: the indexed fields and the raw JSON.
///
/// ``AlertDecoder/decodeRecord(line:)`` reads it straight from the line's bytes, without
/// building a whole ``Alert``; for every line it gives exactly
/// `try AlertDecoder.decode(line:).record` (or the same ``AlertRejection``).
public struct AlertRecord: Sendable, Equatable {
    public var time: Timestamp
    public var rule: String
    public var priority: Priority
    public var output: String
    public var source: String?
    public var hostname: String?
    /// Exactly ``Alert/container``.
    public var container: ContainerRef
    /// Exactly ``Alert/processName``.
    public var processName: String?
    /// Exactly ``Alert/userName``.
    public var userName: String?
    /// Exactly ``Alert/raw``.
    public var raw: String

    public init(time: Timestamp, rule: String, priority: Priority, output: String, source: String?, hostname: String?,
                container: ContainerRef, processName: String?, userName: String?, raw: String) {
        self.time = time
        self.rule = rule
        self.priority = priority
        self.output = output
        self.source = source
        self.hostname = hostname
        self.container = container
        self.processName = processName
        self.userName = userName
        self.raw = raw
    }
}

extension Alert {
    /// The part of this alert the history stores.
    public var record: AlertRecord {
        AlertRecord(time: time, rule: rule, priority: priority, output: output, source: source, hostname: hostname,
                    container: container, processName: processName, userName: userName, raw: raw)
    }
}

extension AlertDecoder {
    /// Decodes only what the history stores, into `batch` (see ``AlertBatch``). The batch
    /// gains exactly `try decode(line: line).record` (or nothing, and the same rejection),
    /// at a fraction of its cost on ordinary Falco lines: one pass over the bytes validates
    /// the JSON and picks out the needed values, without building a tree or a `String`.
    /// Anything out of the ordinary (non-ASCII bytes, line breaks, escaped keys, duplicate
    /// keys, deep nesting, a value of an unexpected type, any JSON error) goes to
    /// ``decode(line:)`` itself, which then also gives the exact rejection.
    public static func decodeRecord(line: UnsafeRawBufferPointer, into batch: inout AlertBatch) throws(AlertRejection) {
        if scanRecord(line: line, into: &batch) { return }
        batch.append(try decode(line: line).record)
    }

    /// The same as one ``AlertRecord``.
    public static func decodeRecord(line: UnsafeRawBufferPointer) throws(AlertRejection) -> AlertRecord {
        var batch = AlertBatch()
        try decodeRecord(line: line, into: &batch)
        return batch.record(at: 0)
    }

    /// The one-pass scan alone: false (and the batch untouched) when the line needs the full
    /// decoder, which a caller that already has a fallback need not run twice.
    public static func scanRecord(line: UnsafeRawBufferPointer, into batch: inout AlertBatch) -> Bool {
        var count = line.count
        if count > 0, line[count - 1] == 0x0D { count -= 1 }   // as decode(line:) does
        guard count > 0, let base = line.baseAddress else { return false }
        var scanner = RecordScanner(base: base, count: count)
        return scanner.scan(into: &batch)
    }

    /// The fast path's record, or nil when the line needs the full decoder.
    static func scanRecord(line: UnsafeRawBufferPointer) -> AlertRecord? {
        var batch = AlertBatch()
        return scanRecord(line: line, into: &batch) ? batch.record(at: 0) : nil
    }

    public static func decodeRecord(line: String) throws(AlertRejection) -> AlertRecord {
        var line = line
        let result: Result<AlertRecord, AlertRejection> = line.withUTF8 { buffer in
            do throws(AlertRejection) { return .success(try decodeRecord(line: UnsafeRawBufferPointer(buffer))) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
