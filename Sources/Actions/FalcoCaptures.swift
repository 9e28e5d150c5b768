#if canImport(Glibc)
import Glibc
#endif
import TradsecCore

/// Falco's capture files (`capture:` in falco.yaml, Falco 0.42+) that hold an incident's alerts,
/// copied into a forensics bundle.
///
/// Which captures: Falco opens a capture at the event that fired a capturing rule and names it
/// `<path_prefix>_<that event's time, ns, 20 digits>_<its event number, 20 digits>.scap`. It keeps
/// one capture open at a time, and closes it at the first event past its deadline: the trigger's
/// time plus the rule's `capture_duration` (or `default_duration`), pushed to `t + duration` by
/// every rule that matches at `t` while it is open (falco's process_events.cpp; the documented
/// "at least" semantics). A size cap (`max_file_size_mb`) may end it earlier. So capture k covers
/// an alert at `t` when `start_k <= t < start_k+1` (captures never overlap) and the deadline,
/// replayed over the history's alerts from `start_k`, has not passed at `t`. The replay uses the
/// configured `duration` (the longest in use) and every alert of the incident's hosts, so it errs
/// toward including a capture, never toward leaving one out (bar a size-capped one, which Falco
/// ended early: then it is included though the alert fell after its end). The gzip'd contents are
/// not read: the names and the history are enough, and an attacker-reachable decompressor is not.
struct FalcoCaptures {
    let config: ActionsConfig.Forensics.Captures

    /// One file whose name is exactly one Falco writes under the prefix.
    struct File: Equatable {
        var name: String
        var start: Int64
        var eventNumber: UInt64
    }

    /// What went into the bundle, and `#` lines for the manifest (sha256sum ignores them).
    struct Collected {
        var files: [(name: String, sha256: String)] = []
        var notes: [String] = []
    }

    /// The directory and the file name prefix (`capture` of `/var/lib/falco/captures/capture`).
    var location: (directory: String, prefix: String)? {
        guard let path = config.pathPrefix, let slash = path.lastIndex(of: "/") else { return nil }
        let prefix = String(path[path.index(after: slash)...])
        guard !prefix.isEmpty else { return nil }
        return (slash == path.startIndex ? "/" : String(path[..<slash]), prefix)
    }

    /// `name` as a capture under `prefix`, or nil: `<prefix>_<20 digits>_<20 digits>.scap` exactly,
    /// with a time an alert could carry.
    static func parse(_ name: String, prefix: String) -> File? {
        let bytes = Array(name.utf8), head = Array(prefix.utf8) + [UInt8(ascii: "_")]
        let suffix = Array(".scap".utf8)
        guard bytes.count == head.count + 20 + 1 + 20 + suffix.count,
              bytes.starts(with: head), bytes.suffix(suffix.count).elementsEqual(suffix),
              bytes[head.count + 20] == UInt8(ascii: "_") else { return nil }
        func number(_ at: Int) -> UInt64? {
            let digits = bytes[at..<(at + 20)]
            guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return UInt64(String(decoding: digits, as: UTF8.self))   // nil past UInt64.max
        }
        guard let time = number(head.count), let event = number(head.count + 21),
              time <= UInt64(Int64.max) else { return nil }
        return File(name: name, start: Int64(time), eventNumber: event)
    }

    /// The indices of `captures` (sorted by start, then event number) that cover at least one of
    /// `incident` (alert times, sorted), replaying Falco's deadline over `history` (alert times,
    /// sorted; the incident's own are counted whether or not they are in it).
    static func covering(_ captures: [File], incident: [Int64], history: [Int64], duration: Int64) -> [Int] {
        var events = (incident.map { ($0, true) } + history.map { ($0, false) })
        events.sort { $0.0 != $1.0 ? $0.0 < $1.0 : ($0.1 && !$1.1) }
        var chosen: [Int] = []
        for k in captures.indices {
            let start = captures[k].start
            // The next capture's start (exclusive): Falco had closed this one by then.
            let end: Int64? = k + 1 < captures.count ? captures[k + 1].start : nil
            var deadline = saturatingAdd(start, duration)
            var i = firstIndex(in: events, atOrAfter: start)
            while i < events.count, end.map({ events[i].0 < $0 }) ?? true {
                let (time, isIncident) = events[i]
                if time > deadline { break }
                if isIncident { chosen.append(k); break }
                deadline = max(deadline, saturatingAdd(time, duration))
                i += 1
            }
        }
        return chosen
    }

    private static func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    private static func firstIndex(in events: [(Int64, Bool)], atOrAfter time: Int64) -> Int {
        var low = 0, high = events.count
        while low < high {
            let mid = (low + high) / 2
            if events[mid].0 < time { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The capture files in the directory, sorted; nil with a note when it cannot be read.
    /// Only names are read here: what each entry is, is checked on the descriptor that copies it.
    func list() -> (files: [File], note: String?) {
        guard let (directory, prefix) = location else { return ([], nil) }
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return ([], "captures: cannot read \(directory): \(FileOps.errorText())") }
        var files: [File] = []
        var note: String?
        let listed = DirectoryEntries.visit(ofOpen: fd) { name in
            guard let file = Self.parse(name, prefix: prefix) else { return true }
            guard files.count < Self.maxFiles else {
                note = "captures: more than \(Self.maxFiles) files in \(directory); the rest were not considered"
                return false
            }
            files.append(file)
            return true
        }
        guard listed else { return ([], "captures: cannot read \(directory): \(FileOps.errorText())") }
        files.sort { ($0.start, $0.eventNumber) < ($1.start, $1.eventNumber) }
        return (files, note)
    }

    /// A bound on the names kept from one directory listing.
    static let maxFiles = 100_000

    /// Copies the captures covering `incident` into `bundle`, at most `maxTotalBytes` in all.
    /// `history(since, until)` gives the alert times that may have pushed a deadline.
    func collect(incident: [Int64], history: (Int64, Int64) -> [Int64], into bundle: String) -> Collected {
        var out = Collected()
        guard let (directory, _) = location, let first = incident.first, let last = incident.last else { return out }
        let (files, listNote) = list()
        if let listNote { out.notes.append(listNote) }
        // Only captures that start by the last alert can cover one; the history before the
        // earliest of them cannot move a deadline that matters.
        var candidates = files.filter { $0.start <= last }
        guard !candidates.isEmpty else { return out }
        let since = candidates.last(where: { $0.start <= first })?.start ?? candidates[0].start
        candidates.removeAll { $0.start < since }
        let chosen = Self.covering(candidates, incident: incident, history: history(since, last), duration: config.durationNanoseconds)
        var budget = config.maxTotalBytes
        for k in chosen {
            let name = candidates[k].name
            switch copy(name, from: directory, into: bundle, budget: budget) {
            case .copied(let sha256, let size):
                out.files.append((name, sha256))
                budget -= size
            case .skipped(let why):
                out.notes.append("capture \(name) not included: \(why)")
            }
        }
        return out
    }

    enum CopyResult {
        case copied(sha256: String, size: Int64)
        case skipped(String)
    }

    /// Streams one capture into the bundle (0600, hashed while written) when it is a regular
    /// file of at most `budget` bytes. The name is never followed if it is a link, and a FIFO
    /// cannot hold the open; only the bytes present when it was opened are copied (Falco may
    /// still be writing the newest one).
    func copy(_ name: String, from directory: String, into bundle: String, budget: Int64) -> CopyResult {
        let source = open(directory + "/" + name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard source >= 0 else {
            return .skipped(errno == ELOOP ? "a symbolic link, not followed" : "cannot open: \(FileOps.errorText())")
        }
        defer { close(source) }
        var st = stat()
        guard fstat(source, &st) == 0 else { return .skipped("cannot stat: \(FileOps.errorText())") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .skipped("not a regular file") }
        let size = Int64(st.st_size)
        guard size <= budget else {
            return .skipped("\(size) bytes, over what is left of max_total_mb (\(max(0, budget)) bytes)")
        }
        let target = bundle + "/" + name
        let destination: Int32
        do { destination = try FileOps.create(target) } catch { return .skipped(error.message) }
        defer { close(destination) }
        let digest = SHA256Digest()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var copied: Int64 = 0
        while copied < size {
            let want = Int(min(Int64(buffer.count), size - copied))
            let n = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, want) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                let text = FileOps.errorText()
                _ = digest.finish()
                unlink(target)
                return .skipped("cannot read: \(text)")
            }
            if n == 0 { break }   // truncated while copied: what was there is kept
            let wrote = buffer.withUnsafeBytes { FileOps.writeAll(destination, UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            guard wrote else {
                let text = FileOps.errorText()
                _ = digest.finish()
                unlink(target)
                return .skipped("cannot write \(target): \(text)")
            }
            buffer.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            copied += Int64(n)
        }
        guard fsync(destination) == 0 else {
            let text = FileOps.errorText()
            _ = digest.finish()
            unlink(target)
            return .skipped("cannot fsync \(target): \(text)")
        }
        return .copied(sha256: digest.finish(), size: copied)
    }
}
