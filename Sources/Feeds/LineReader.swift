#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream read from a file descriptor into lines, with bounded memory.
///
/// A line longer than `maxLineLength` is not buffered: its bytes are skipped up to the next
/// newline and it is reported as ``Event/tooLong(lineNumber:length:endOffset:)``, so one
/// 50 MB line cannot exhaust memory or stall the lines after it.
public final class LineReader {
    public enum Event {
        /// A complete line without its `\n` (a trailing `\r` is left to the decoder).
        /// `bytes` is valid only inside the callback.
        case line(bytes: UnsafeRawBufferPointer, lineNumber: Int, endOffset: Int64)
        case tooLong(lineNumber: Int, length: Int, endOffset: Int64)
    }

    public enum ReadStatus: Equatable {
        /// The end of what is there now (end of file; a followed file may grow later, a
        /// socket or pipe has been closed by the writer).
        case endOfData
        /// A non-blocking descriptor has nothing more for now, but is still open.
        case wouldBlock
        case failed(errno: Int32)
    }

    public let maxLineLength: Int
    /// What the buffer starts at and shrinks back to; it grows (up to a line's limit) only
    /// while a line longer than that is being assembled.
    private let initialCapacity: Int
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var discarding = false
    private var discardedLength = 0
    /// Absolute offset in the stream of `buffer[start]`.
    public private(set) var offset: Int64
    public private(set) var lineNumber: Int

    /// `initialCapacity` (default: room for the longest line at once, which a file read in
    /// bulk wants) is smaller where many readers are alive at once (a socket's writers):
    /// each then holds only that much until one of its lines is longer.
    public init(maxLineLength: Int = 4 << 20, initialCapacity: Int? = nil, startOffset: Int64 = 0, startLineNumber: Int = 0) {
        self.maxLineLength = maxLineLength
        self.initialCapacity = min(max(maxLineLength + 1, 1 << 16), max(initialCapacity ?? .max, 4096))
        buffer = .allocate(byteCount: self.initialCapacity, alignment: 16)
        offset = startOffset
        lineNumber = startLineNumber
    }

    deinit { buffer.deallocate() }

    /// Bytes read but not yet part of a complete line.
    public var pendingByteCount: Int { discarding ? discardedLength : end - start }

    /// Bytes of memory the reader holds now (its buffer).
    public var bufferCapacity: Int { buffer.count }

    /// Reads everything available from `fd` (or about `budget` bytes, then returns
    /// ``ReadStatus/wouldBlock`` so that one busy writer cannot keep the caller from the
    /// others), calling `handle` for each complete line.
    public func read(from fd: Int32, budget: Int = .max, _ handle: (Event) throws -> Void) rethrows -> ReadStatus {
        var taken = 0
        while true {
            if taken >= budget { return .wouldBlock }
            compact()
            let n = Glibc.read(fd, buffer.baseAddress! + end, buffer.count - end)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return .wouldBlock }
                return .failed(errno: errno)
            }
            if n == 0 { return .endOfData }
            end += n
            taken += n
            try scan(handle)
        }
    }

    /// Feeds bytes that came from somewhere other than a file descriptor (tests, sockets).
    public func feed(_ bytes: UnsafeRawBufferPointer, _ handle: (Event) throws -> Void) rethrows {
        var consumed = 0
        while consumed < bytes.count {
            compact()
            let n = min(buffer.count - end, bytes.count - consumed)
            (buffer.baseAddress! + end).copyMemory(from: bytes.baseAddress! + consumed, byteCount: n)
            end += n
            consumed += n
            try scan(handle)
        }
    }

    /// Emits a final line that has no terminating newline (end of a file that will not grow).
    public func finish(_ handle: (Event) throws -> Void) rethrows {
        if discarding {
            lineNumber += 1
            offset += Int64(discardedLength)
            let length = discardedLength
            discarding = false
            discardedLength = 0
            try handle(.tooLong(lineNumber: lineNumber, length: length, endOffset: offset))
        } else if end > start {
            lineNumber += 1
            let length = end - start
            offset += Int64(length)
            let bytes = UnsafeRawBufferPointer(start: buffer.baseAddress! + start, count: length)
            start = end
            try handle(.line(bytes: bytes, lineNumber: lineNumber, endOffset: offset))
        }
    }

    private func compact() {
        if start == end {
            start = 0
            end = 0
            // A long line grew the buffer: give the memory back once it is done.
            if buffer.count > initialCapacity { resize(to: initialCapacity) }
        } else if end == buffer.count && start > 0 {
            let count = end - start
            buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: count)
            start = 0
            end = count
        }
        // Still full: a line longer than the buffer, which may grow to hold one line of the
        // limit and its newline (past that, scan() discards the line).
        if end == buffer.count && buffer.count < maxLineLength + 1 {
            resize(to: min(maxLineLength + 1, buffer.count * 2))
        }
    }

    private func resize(to capacity: Int) {
        let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        if end > start { grown.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: end - start) }
        end -= start
        start = 0
        buffer.deallocate()
        buffer = grown
    }

    private func scan(_ handle: (Event) throws -> Void) rethrows {
        let base = buffer.baseAddress!
        while start < end {
            let found = memchr(base + start, 0x0A, end - start)
            if discarding {
                guard let found else {
                    discardedLength += end - start
                    start = end
                    return
                }
                let upto = base.distance(to: UnsafeMutableRawPointer(found)) + 1
                discardedLength += upto - start
                start = upto
                offset += Int64(discardedLength)
                lineNumber += 1
                let length = discardedLength - 1
                discarding = false
                discardedLength = 0
                try handle(.tooLong(lineNumber: lineNumber, length: length, endOffset: offset))
                continue
            }
            guard let found else {
                if end - start > maxLineLength {
                    discarding = true
                    discardedLength = end - start
                    start = end
                }
                return
            }
            let newline = base.distance(to: UnsafeMutableRawPointer(found))
            let length = newline - start
            offset += Int64(length + 1)
            lineNumber += 1
            let lineStart = start
            start = newline + 1
            if length > maxLineLength {
                try handle(.tooLong(lineNumber: lineNumber, length: length, endOffset: offset))
            } else {
                try handle(.line(bytes: UnsafeRawBufferPointer(start: base + lineStart, count: length),
                                 lineNumber: lineNumber, endOffset: offset))
            }
        }
    }
}
