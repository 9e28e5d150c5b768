#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
@testable import Feeds

@Suite struct LineReaderTests {
    private func collect(_ chunks: [String], maxLineLength: Int = 64) -> [String] {
        let reader = LineReader(maxLineLength: maxLineLength)
        var out: [String] = []
        let handle: (LineReader.Event) -> Void = { event in
            switch event {
            case .line(let bytes, let n, let end): out.append("\(n):\(String(decoding: bytes, as: UTF8.self))@\(end)")
            case .tooLong(let n, let length, let end): out.append("\(n):TOO LONG \(length)@\(end)")
            }
        }
        for chunk in chunks { Array(chunk.utf8).withUnsafeBytes { reader.feed($0, handle) } }
        reader.finish(handle)
        return out
    }

    @Test func splitsLinesAcrossChunkBoundaries() {
        #expect(collect(["ab", "c\nde", "f\n\ng"]) == ["1:abc@4", "2:def@8", "3:@9", "4:g@10"])
    }

    @Test func keepsCarriageReturnsForTheDecoder() {
        #expect(collect(["a\r\nb\r\n"]) == ["1:a\r@3", "2:b\r@6"])
    }

    @Test func skipsOverlongLinesWithoutBufferingThem() {
        let long = String(repeating: "x", count: 200)
        #expect(collect(["ok\n", long, long, "\nafter\n"], maxLineLength: 64) == ["1:ok@3", "2:TOO LONG 400@404", "3:after@410"])
        #expect(collect(["ok\n" + long], maxLineLength: 64) == ["1:ok@3", "2:TOO LONG 200@203"])
    }

    @Test func readsFromAFileDescriptorInOneGo() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let payload = Array("one\ntwo\nthr".utf8)
        payload.withUnsafeBytes { _ = write(fds[1], $0.baseAddress, $0.count) }
        close(fds[1])
        let reader = LineReader()
        var got: [String] = []
        let status = reader.read(from: fds[0]) { event in
            if case .line(let bytes, _, _) = event { got.append(String(decoding: bytes, as: UTF8.self)) }
        }
        close(fds[0])
        #expect(status == .endOfData)
        #expect(got == ["one", "two"])
        #expect(reader.pendingByteCount == 3)
    }
}
