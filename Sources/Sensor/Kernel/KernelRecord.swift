import CSensor

/// One record from the ring buffer, checked and split into its header and strings. The record
/// only lives during the ring buffer's callback: strings are copied out as they are read.
struct KernelRecord {
    static let headerSize = MemoryLayout<tsr_record>.size

    let header: tsr_record
    private let base: UnsafeRawPointer
    private var starts: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)

    /// nil when the record is shorter than its header says (a record userspace cannot trust).
    init?(_ data: UnsafeRawPointer, size: Int) {
        guard size >= Self.headerSize else { return nil }
        let header = data.loadUnaligned(as: tsr_record.self)
        guard Int(header.size) <= size else { return nil }
        self.header = header
        base = data
        let l = header.len
        let s0 = Self.headerSize
        let s1 = s0 + Int(l.0), s2 = s1 + Int(l.1), s3 = s2 + Int(l.2), s4 = s3 + Int(l.3), s5 = s4 + Int(l.4)
        guard s5 + Int(l.5) <= Int(header.size) else { return nil }
        starts = (s0, s1, s2, s3, s4, s5)
    }

    static func length(_ header: tsr_record, _ index: Int) -> UInt16 {
        switch index {
        case 0: return header.len.0
        case 1: return header.len.1
        case 2: return header.len.2
        case 3: return header.len.3
        case 4: return header.len.4
        default: return header.len.5
        }
    }

    private func start(_ index: Int) -> Int {
        switch index {
        case 0: return starts.0
        case 1: return starts.1
        case 2: return starts.2
        case 3: return starts.3
        case 4: return starts.4
        default: return starts.5
        }
    }

    func bytes(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + start(index), count: Int(Self.length(header, index)))
    }

    func has(_ index: Int) -> Bool { Self.length(header, index) > 0 }

    /// The string as text (invalid UTF-8 repaired, as Falco shows raw bytes it cannot print).
    func text(_ index: Int) -> String { String(decoding: bytes(index), as: UTF8.self) }

    /// A path the kernel side sent leaf first, put back together ("/" + root-first components).
    func kernelPath(_ index: Int) -> String? {
        let raw = bytes(index)
        guard !raw.isEmpty else { return nil }
        if raw.count == 1 && raw[0] == UInt8(ascii: "/") { return "/" }
        var components: [Substring] = []
        let text = String(decoding: raw, as: UTF8.self)
        components = text.split(separator: "\u{0}", omittingEmptySubsequences: true)
        var path = ""
        for component in components.reversed() {
            path += "/"
            path += component
        }
        // A name outside any mount (a pipe, a memfd) is shown as the kernel names it.
        return components.count == 1 && (components[0].contains(":") || components[0].hasPrefix("/")) ? String(components[0]) : path
    }

    /// argv as the kernel side sent it: the arguments separated by zero bytes.
    func arguments(_ index: Int) -> [String] {
        let raw = bytes(index)
        guard !raw.isEmpty else { return [] }
        return raw.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    var kind: Int { Int(header.kind) }
    var flags: UInt32 { header.flags }
    func argument(_ i: Int) -> Int64 {
        switch i {
        case 0: return header.arg.0
        case 1: return header.arg.1
        case 2: return header.arg.2
        default: return header.arg.3
        }
    }
}

/// Paths as Falco shows them: relative ones joined to their directory, "." and ".." removed
/// lexically (the file may not exist any more; symbolic links are not followed).
enum PathText {
    static func resolve(_ path: String, against base: String?) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        guard let base, !base.isEmpty else { return path }
        return normalize(base + "/" + path)
    }

    static func normalize(_ path: String) -> String {
        guard path.hasPrefix("/") else { return path }
        if isNormal(path) { return path }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// No empty, "." or ".." component and no trailing '/' (most paths programs open): nothing to do.
    static func isNormal(_ path: String) -> Bool {
        path.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            var previous = UInt8(ascii: "/")
            var dots = 0   // dots since the last '/' (-1: the component has other characters)
            for (i, c) in bytes.enumerated() where i > 0 {
                if c == UInt8(ascii: "/") {
                    if previous == UInt8(ascii: "/") || dots == 1 || dots == 2 { return false }
                    dots = 0
                } else if c == UInt8(ascii: ".") {
                    if dots >= 0 { dots += 1 }
                } else {
                    dots = -1
                }
                previous = c
            }
            return previous != UInt8(ascii: "/") && dots != 1 && dots != 2
        } ?? false
    }

    /// `fd.directory` and `fd.filename` of a path (Falco: the part before and after the last '/').
    static func split(_ path: String) -> (directory: String, file: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        let directory = slash == path.startIndex ? "/" : String(path[..<slash])
        return (directory, String(path[path.index(after: slash)...]))
    }
}
