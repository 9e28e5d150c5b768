import TradsecCore

/// Alert lines: the one-pass scanner the history uses (`decodeRecord`, into an `AlertBatch`)
/// and the full decoder (`decode(line:).record`) must give the same record, byte for byte, or
/// the same rejection; an accepted line's `raw` is one line that decodes to the same record.
enum AlertLineHarness {
    static let target = FuzzTarget(
        "alert-line",
        "one Falco alert line: fast scanner (decodeRecord, AlertBatch) == full decoder (decode(line:).record), raw re-decodes",
        maxLength: 8192
    ) { bytes in check(bytes) }

    /// An alert already in the batch: decoding another line must leave it as it was.
    static let neighbour = Array(#"{"hostname":"h1","output":"x \"y\"","output_fields":{"container.id":"0123456789ab","container.name":"bot","container.image.repository":"ghcr.io/a/b","container.image.tag":"1","proc.name":"bash","user.name":"root"},"priority":"Notice","rule":"Neighbour","source":"syscall","tags":["a"],"time":"2026-11-22T10:00:00.000000001Z"}"#.utf8)

    static func check(_ line: UnsafeRawBufferPointer) {
        let full = Result { () throws(AlertRejection) -> AlertRecord in try AlertDecoder.decode(line: line).record }
        let fast = Result { () throws(AlertRejection) -> AlertRecord in try AlertDecoder.decodeRecord(line: line) }
        switch (full, fast) {
        case (.success(let a), .success(let b)):
            Invariant.require(sameRecord(a, b), "scanner and decoder disagree:\n full \(a)\n fast \(b)")
        case (.failure(let a), .failure(let b)):
            Invariant.require(a == b, "different rejections: full \(a.code) \(a.message) / fast \(b.code) \(b.message)")
        default:
            Invariant.require(false, "one decoder accepts what the other refuses: full \(full) / fast \(fast)")
        }

        // Into a batch that already holds an alert (the ingest path): the new entry reads its own
        // bytes and the old one is untouched, also after the batch is emptied and reused.
        var batch = AlertBatch()
        neighbour.withUnsafeBytes { try! AlertDecoder.decodeRecord(line: $0, into: &batch) }
        let before = batch.record(at: 0)
        for round in 0..<2 {
            let outcome = Result { () throws(AlertRejection) in try AlertDecoder.decodeRecord(line: line, into: &batch) }
            switch (outcome, fast) {
            case (.success, .success(let record)):
                Invariant.require(batch.count == 2, "batch holds \(batch.count) alerts after one more")
                Invariant.require(sameRecord(batch.record(at: 1), record), "batch entry differs from decodeRecord (round \(round))")
                checkSpans(batch)
            case (.failure(let e), .failure(let expected)):
                Invariant.require(e == expected && batch.count == 1, "a refused line changed the batch")
            default:
                Invariant.require(false, "batch decoding differs from decodeRecord")
            }
            Invariant.require(sameRecord(batch.record(at: 0), before), "decoding a line changed the alert before it")
            batch.removeAll()
            neighbour.withUnsafeBytes { try! AlertDecoder.decodeRecord(line: $0, into: &batch) }
        }

        // What the history keeps is one line, and reading it back gives the same alert.
        if case .success(let record) = fast {
            Invariant.require(!record.raw.utf8.contains(0x0A) && !record.raw.utf8.contains(0x0D), "raw holds a line break")
            let again = Result { () throws(AlertRejection) -> AlertRecord in try AlertDecoder.decodeRecord(line: record.raw) }
            guard case .success(let reread) = again else {
                Invariant.require(false, "the stored raw line is refused: \(again)")
                return
            }
            Invariant.require(sameRecord(reread, record), "the stored raw line decodes differently")
            _ = TerminalSafe.escape(record.output)
        }
    }

    /// Every span lies inside the buffer (a wrong one would read a neighbour's bytes).
    static func checkSpans(_ batch: AlertBatch) {
        let size = batch.byteCount
        for e in batch.entries {
            for s in [e.raw, e.rule, e.output, e.source, e.hostname, e.containerID, e.containerName, e.containerImage,
                      e.processName, e.userName] where s.isPresent {
                Invariant.require(s.start >= 0 && s.start + s.count <= size, "span \(s) outside the batch's \(size) bytes")
            }
        }
    }

    /// Equal byte for byte (String's == compares canonical equivalence, which would hide a
    /// decoder that normalises or swaps equivalent text).
    static func sameRecord(_ a: AlertRecord, _ b: AlertRecord) -> Bool {
        func eq(_ x: String?, _ y: String?) -> Bool {
            switch (x, y) {
            case (nil, nil): return true
            case (let x?, let y?): return x.utf8.elementsEqual(y.utf8)
            default: return false
            }
        }
        return a.time == b.time && a.priority == b.priority && eq(a.rule, b.rule) && eq(a.output, b.output)
            && eq(a.source, b.source) && eq(a.hostname, b.hostname) && eq(a.container.id, b.container.id)
            && eq(a.container.name, b.container.name) && eq(a.container.image, b.container.image)
            && eq(a.processName, b.processName) && eq(a.userName, b.userName) && eq(a.raw, b.raw)
    }
}
