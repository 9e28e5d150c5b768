import Console
import TradsecCore

/// The console's Server-Sent Events parser (`processor=URL` source): the events it emits do
/// not depend on how the stream was cut into reads, and each event's data goes through what
/// the source does with it (JSON, then the alert inside).
///
/// Input: one byte of cut sizes seed, then the stream.
enum SSEHarness {
    static let target = FuzzTarget(
        "sse",
        "EventStreamParser: the same events whatever the read sizes; each event's data parsed as the console source does",
        maxLength: 4096
    ) { bytes in check(bytes) }

    static func check(_ input: UnsafeRawBufferPointer) {
        var reader = ByteReader(input)
        var seed = UInt64(reader.byte()) | 1
        let stream = Array(reader.rest())

        let whole = events(stream, cuts: [stream.count])
        var cuts: [Int] = []
        var total = 0
        while total < stream.count {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let size = Int(seed >> 59) + 1   // 1...32 bytes a read
            cuts.append(size)
            total += size
        }
        let pieces = events(stream, cuts: cuts)
        Invariant.require(whole.count == pieces.count && zip(whole, pieces).allSatisfy { $0.0 == $1.0 && $0.1.utf8.elementsEqual($1.1.utf8) },
                          "events depend on read sizes: \(whole.count) whole, \(pieces.count) in pieces")
        for (_, data) in whole {
            // ProcessorSource's EventWriter: the event JSON, then the alert it carries.
            guard let event = try? JSONParser.parse(data), let alert = event["alert"] else { continue }
            _ = try? AlertDecoder.decode(value: alert, raw: JSONWriter.string(alert))
        }
    }

    static func events(_ stream: [UInt8], cuts: [Int]) -> [(Int64, String)] {
        let parser = EventStreamParser()
        var out: [(Int64, String)] = []
        var start = 0
        stream.withUnsafeBytes { all in
            for size in cuts where start < all.count {
                let end = min(all.count, start + size)
                parser.feed(UnsafeRawBufferPointer(rebasing: all[start..<end])) { output in
                    if case .event(let id, let data) = output { out.append((id, data)) }
                }
                start = end
            }
        }
        return out
    }
}
