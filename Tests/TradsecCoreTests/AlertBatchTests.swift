import Testing
@testable import TradsecCore

/// Many alerts decoded into one ``AlertBatch`` must each read back as the record the full
/// decoder gives for that line alone; a refused line must leave the batch as it was.
@Suite struct AlertBatchTests {
    static func lines() -> [(String, [UInt8])] {
        var generator = AlertGenerator(seed: 5)
        var lines = AlertRecordTests.unusualLines
        for index in 0..<500 { lines.append(("generated \(index)", Array(generator.next(index: index).utf8))) }
        return lines
    }

    /// Decodes every line into `batch`; checks each against the full decoder as it goes.
    static func fill(_ batch: inout AlertBatch, with lines: [(String, [UInt8])]) -> (accepted: Int, rejected: Int) {
        var accepted = 0, rejected = 0
        for (label, line) in lines {
            let before = (batch.count, batch.byteCount)
            let outcome: AlertRecordTests.Outcome = line.withUnsafeBytes { raw in
                do throws(AlertRejection) {
                    try AlertDecoder.decodeRecord(line: raw, into: &batch)
                    return .record(batch.record(at: batch.count - 1))
                } catch {
                    return .rejected(error)
                }
            }
            #expect(outcome == AlertRecordTests.viaDecode(line), "\(label)")
            switch outcome {
            case .record:
                accepted += 1
                #expect(batch.count == before.0 + 1, "\(label): one entry per accepted line")
            case .rejected:
                rejected += 1
                #expect(batch.count == before.0 && batch.byteCount == before.1, "\(label): a refused line left bytes or an entry behind")
            }
        }
        return (accepted, rejected)
    }

    @Test func manyAlertsInOneBatchEachReadBackAsDecodedAlone() {
        let lines = Self.lines()
        var batch = AlertBatch()
        let (accepted, rejected) = Self.fill(&batch, with: lines)
        #expect(accepted > 550 && rejected > 300, "accepted \(accepted), rejected \(rejected)")
        // Reading back after the whole batch is built (later lines must not disturb earlier spans).
        var k = 0
        for (label, line) in lines {
            guard case .record(let expected) = AlertRecordTests.viaDecode(line) else { continue }
            #expect(batch.record(at: k) == expected, "\(label) read back after the batch was filled")
            k += 1
        }
        #expect(k == batch.count)
    }

    @Test func anEmptiedBatchIsReusedAndGivesTheSameRecords() {
        let lines = Array(Self.lines().prefix(300))
        var batch = AlertBatch()
        _ = Self.fill(&batch, with: lines)
        let first = (0..<batch.count).map { batch.record(at: $0) }
        let emptySize = AlertBatch().byteCount
        batch.removeAll()
        #expect(batch.isEmpty && batch.byteCount == emptySize)
        _ = Self.fill(&batch, with: lines)
        #expect((0..<batch.count).map { batch.record(at: $0) } == first)
    }

    @Test func anEmptiedBatchGivesBackAnOutsizedBuffer() throws {
        var batch = AlertBatch()
        let long = #"{"rule":"r","priority":"Warning","time":"2024-01-01T00:00:00Z","output":"\#(String(repeating: "x", count: 3 << 20))"}"#
        for _ in 0..<8 { try Array(long.utf8).withUnsafeBytes { try AlertDecoder.decodeRecord(line: $0, into: &batch) } }
        #expect(batch.bytes.capacity > AlertBatch.keptCapacity)
        batch.removeAll()
        #expect(batch.isEmpty && batch.bytes.capacity < 1 << 20)
        // An ordinary batch keeps its buffer.
        try Array(long.utf8).withUnsafeBytes { try AlertDecoder.decodeRecord(line: $0, into: &batch) }
        let capacity = batch.bytes.capacity
        batch.removeAll()
        #expect(batch.bytes.capacity == capacity)
        try Array(long.utf8).withUnsafeBytes { try AlertDecoder.decodeRecord(line: $0, into: &batch) }
        #expect(batch.record(at: 0).output.count == 3 << 20)
    }

    @Test func recordsAppendedAsStringsReadBackUnchanged() throws {
        var generator = AlertGenerator(seed: 8)
        let alerts = try (0..<200).map { try AlertDecoder.decode(line: generator.next(index: $0)) }
        var batch = AlertBatch()
        for alert in alerts { batch.append(alert.record) }
        #expect((0..<batch.count).map { batch.record(at: $0) } == alerts.map(\.record))
        let hostAlert = try #require(alerts.first { $0.container.isHost })
        let entry = batch.entries[try #require(alerts.firstIndex { $0.container.isHost })]
        #expect(batch.string(entry.containerID) == ContainerRef.hostID && batch.string(entry.hostname) == hostAlert.hostname)
        #expect(batch.string(.none) == nil)
    }
}
