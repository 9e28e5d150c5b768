import Foundation

/// Streams a JSON Lines file in large chunks and hands out each non-empty line as raw bytes
/// (no String per line), so end-to-end evaluation is not bound by line splitting.
public struct JSONLinesReader {
    public static let chunkSize = 1 << 20
    /// Longest event line: an event is a few KiB; the limit keeps one line without a newline
    /// from taking the memory (the alert feeds use the same).
    public static let maxLineLength = 4 << 20

    public struct LineTooLong: Error, CustomStringConvertible {
        public var path: String
        public var lineNumber: Int
        public var description: String { "\(path):\(lineNumber): line longer than \(JSONLinesReader.maxLineLength) bytes" }
    }

    /// Calls `body(lineNumber, bytes)` for every non-blank line; `body` returns false to stop.
    public static func forEachLine(path: String, _ body: (Int, UnsafeRawBufferPointer) throws -> Bool) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var lineNumber = 0
        while true {
            let chunk = handle.readData(ofLength: chunkSize)
            if chunk.isEmpty { break }
            // What is pending has no newline: look for one in the new bytes only.
            let searchFrom = pending.count
            pending.append(contentsOf: chunk)
            var consumed = 0
            let keepGoing = try pending.withUnsafeBytes { buffer -> Bool in
                var start = 0
                var from = searchFrom
                while let nl = buffer[from...].firstIndex(of: 0x0A) {
                    lineNumber += 1
                    if nl > start, !isBlank(UnsafeRawBufferPointer(rebasing: buffer[start..<nl])) {
                        if try !body(lineNumber, UnsafeRawBufferPointer(rebasing: buffer[start..<nl])) { return false }
                    }
                    start = nl + 1
                    from = start
                }
                consumed = start
                return true
            }
            if !keepGoing { return }
            pending.removeFirst(consumed)
            if pending.count > maxLineLength { throw LineTooLong(path: path, lineNumber: lineNumber + 1) }
        }
        if !pending.isEmpty {
            lineNumber += 1
            try pending.withUnsafeBytes { buffer in
                if !isBlank(buffer) { _ = try body(lineNumber, buffer) }
            }
        }
    }

    /// Calls `body(firstLineNumber, buffer, lineRanges)` once per chunk of complete lines
    /// (blank lines left out), so a chunk can be processed in parallel.
    public static func forEachChunk(path: String, _ body: (Int, UnsafeRawBufferPointer, [Range<Int>]) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var lineNumber = 0
        var atEnd = false
        while !atEnd {
            let chunk = handle.readData(ofLength: chunkSize)
            let searchFrom = pending.count
            if chunk.isEmpty { atEnd = true; if pending.isEmpty { break }; pending.append(0x0A) } else { pending.append(contentsOf: chunk) }
            var consumed = 0
            try pending.withUnsafeBytes { buffer in
                var ranges: [Range<Int>] = []
                var start = 0
                var from = searchFrom
                let first = lineNumber + 1
                while let nl = buffer[from...].firstIndex(of: 0x0A) {
                    lineNumber += 1
                    if nl > start, !isBlank(UnsafeRawBufferPointer(rebasing: buffer[start..<nl])) { ranges.append(start..<nl) }
                    start = nl + 1
                    from = start
                }
                consumed = start
                if !ranges.isEmpty { try body(first, buffer, ranges) }
            }
            pending.removeFirst(consumed)
            if pending.count > maxLineLength { throw LineTooLong(path: path, lineNumber: lineNumber + 1) }
        }
    }

    /// All lines of a file, in memory (benchmarks, tests).
    public static func lines(path: String) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        try forEachLine(path: path) { _, bytes in out.append(Array(bytes)); return true }
        return out
    }

    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
