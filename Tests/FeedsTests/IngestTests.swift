#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
import AlertStore
@testable import Feeds
import TradsecCore

/// Every kind of bad input named in the foundation issue: each ends in a clear reason and
/// the valid lines around it are kept.
@Suite struct IngestTests {
    private func ingest(_ ws: Workspace, _ bytes: [UInt8]) throws -> IngestReport {
        ws.write("input.jsonl", bytes, append: false)
        let fd = open(ws.path("input.jsonl"), O_RDONLY)
        defer { close(fd) }
        let ingestor = AlertIngestor(store: ws.store, origin: "test", batchSize: 3)
        try StreamIngest.run(fd: fd, ingestor: ingestor)
        return ingestor.report
    }

    @Test func keepsValidLinesAroundEveryKindOfBadInput() throws {
        let ws = try Workspace()
        var input: [UInt8] = []
        input += Array(line(1).utf8)
        input += Array(#"{"rule":"r","priority":"Warning","time":"2024-01-01T00:00:00Z","output":"#.utf8) + [0x0A]   // truncated JSON
        input += Array("Warning An open was seen (not json)\n".utf8)                                                   // text
        input += Array(#"{"rule":"r"#.utf8) + [0xC3, 0x28] + Array(#"","priority":"Warning","time":"2024-01-01T00:00:00Z"}"#.utf8) + [0x0A]
        input += Array(line(2, priority: "Severe").utf8)                                                               // unknown priority
        input += Array(#"{"priority":"Warning","time":"2024-01-01T00:00:00Z"}"#.utf8) + [0x0A]                         // missing rule
        input += Array(#"{"rule":["r"],"priority":"Warning","time":"2024-01-01T00:00:00Z"}"#.utf8) + [0x0A]            // wrong type
        input += Array("\n   \n".utf8)                                                                                 // empty lines
        input += Array(line(3).dropLast().utf8) + [0x0D, 0x0A]                                                         // CRLF
        input += Array(line(3).utf8)                                                                                   // duplicate
        input += Array(line(4).utf8)
        let report = try ingest(ws, input)
        #expect(report.linesRead == 12)
        #expect(report.blankLines == 2)
        #expect(report.accepted == 4)
        #expect(report.stored == 3)
        #expect(report.duplicates == 1)
        #expect(report.rejectedByCode == [.notJSON: 2, .invalidUTF8: 1, .unknownPriority: 1, .missingKey: 1, .wrongType: 1])
        #expect(report.firstRejects.map(\.lineNumber) == [2, 3, 4, 5, 6, 7])
        #expect(report.firstRejects[0].message.contains("truncated"))
        #expect(report.firstRejects[2].message == "invalid UTF-8 at byte 10")
        #expect(try ws.storedSeconds() == [1, 3, 4])
        #expect(try ws.store.recentRejects().count == 6)
        #expect(report.summary(source: "input.jsonl").contains("line 5: unknown priority \"Severe\""))
    }

    @Test func survivesAFiftyMegabyteLine() throws {
        let ws = try Workspace()
        var input = Array(line(1).utf8)
        input += Array(#"{"rule":"r","output":""#.utf8) + [UInt8](repeating: UInt8(ascii: "A"), count: 50 << 20) + Array("\"}\n".utf8)
        input += Array(line(2).utf8)
        let report = try ingest(ws, input)
        #expect(report.rejectedByCode == [.tooLong: 1])
        #expect(report.firstRejects.first?.lineNumber == 2)
        #expect(report.firstRejects.first?.message.contains("longer than the limit") == true)
        #expect(try ws.storedSeconds() == [1, 2])
    }

    /// Lines up to the reader's 4 MiB limit are accepted, so a batch is bounded by bytes too:
    /// a thousand of them must not be held in memory before a commit.
    @Test func aBatchOfLongLinesIsFullByItsBytes() throws {
        let ws = try Workspace()
        let ingestor = AlertIngestor(store: ws.store, origin: "test", batchSize: 1000)
        let padding = String(repeating: "A", count: 3 << 20)
        var taken = 0
        while !ingestor.batchIsFull && taken < 1000 {
            taken += 1
            let text = #"{"rule":"r","priority":"Warning","time":"2024-01-01T00:00:00.\#(1000 + taken)Z","output":"\#(padding)"}"#
            Array(text.utf8).withUnsafeBytes { ingestor.accept(line: $0, lineNumber: taken) }
        }
        // 64 MiB in lines of 3 MiB and a few bytes: full at the 22nd.
        #expect(taken == 22, "full after \(taken) lines of 3 MiB")
        try ingestor.flush()
        #expect(ingestor.report.stored == taken)
    }

    @Test func takesAFinalLineWithoutNewline() throws {
        let ws = try Workspace()
        let report = try ingest(ws, Array((line(1) + line(2).dropLast()).utf8))
        #expect(report.stored == 2)
    }

    @Test func reingestingTheSameFileStoresNothingNew() throws {
        let ws = try Workspace()
        _ = try ingest(ws, Array(lines(1...10).utf8))
        let again = try ingest(ws, Array(lines(1...12).utf8))
        #expect(again.stored == 2)
        #expect(again.duplicates == 10)
        #expect(try ws.storedSeconds() == Array(1...12))
    }
}
