#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TradsecCore

/// The intake log: an append-only file beside the history (`<history>-intake`) where alerts
/// taken one or a few at a time are written before their request is answered.
///
/// Falco's `http_output` posts one alert per request and waits for the reply before the next,
/// so what one request costs bounds Falco's rate. Storing one alert in the packed history
/// rewrites a packed row, a chunk and a block's postings; even a row in a SQLite journal
/// means a transaction and a hand-over to the single writer thread. Here the request's own
/// thread appends the alert with one `write(2)` and answers: once `write` returns, the bytes
/// are the kernel's and outlive a crash of this process, the same guarantee as the history's
/// WAL with `synchronous=NORMAL`. The writer moves the log into the history in batches, with
/// the log's position committed in the same transaction (a `FollowCheckpoint` on the log's
/// path), so after a crash each alert is moved exactly once; a move that is repeated anyway
/// (a rotated log) is absorbed by the history's duplicate check.
///
/// A record: magic (4 bytes), payload length (4), the time received (8, ns), a 64-bit hash
/// of the payload (8), then the alert's line. Appends are serialised, so only the last record
/// can be torn (by a crash in the middle of a `write`); it was never acknowledged, and opening
/// the log cuts it off. Once everything is moved and the file has grown past
/// a few megabytes, the writer replaces it with an empty one: the new inode tells a restart
/// that the checkpoint's offsets belong to the old file.
public final class IntakeLog: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var fd: Int32
    private var device: UInt64
    private var inode: UInt64
    /// Bytes of complete records in the file.
    private var end: Int64
    /// Bytes moved into the history (committed there).
    private var moved: Int64
    /// Records not yet moved, and the decoded alerts of those appended by this process with
    /// one (in order; the others, and records recovered from a previous run, are decoded when
    /// moved).
    private var pending = 0
    private var waiting: [(offset: Int64, alert: Alert)] = []
    private var waitingHead = 0
    private var firstPendingUptime: UInt64 = 0
    private var lastAppendUptime: UInt64 = 0
    private var recent: RecentAlerts

    static let magic: UInt32 = 0x3149_5354   // "TSI1"
    static let headerBytes = 24
    /// A record larger than this is damage, not an alert (serve's bodies are far smaller).
    static let maxPayloadBytes = 16 << 20
    /// Once everything is moved and the file is this large, it is replaced by an empty one.
    let rotateAtBytes: Int64

    /// What opening found: records waiting from an earlier run, and a torn tail cut off.
    public struct Recovery: Sendable, Equatable {
        public var waiting = 0
        public var cutBytes: Int64 = 0
    }
    public private(set) var recovery = Recovery()

    /// Opens (creating owner-only) the log at `path`, resuming after `checkpoint` when it names
    /// this file. `recentCapacity` bounds the set of recently taken alerts that answers
    /// "duplicate" for a resend.
    init(path: String, checkpoint: FollowCheckpoint?, recentCapacity: Int = 65_536, rotateAtBytes: Int64 = 8 << 20) throws {
        self.path = path
        self.rotateAtBytes = rotateAtBytes
        recent = RecentAlerts(capacity: recentCapacity)
        fd = try Self.openFile(path)
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw StoreError.cannotStat(path: path, reason: String(cString: strerror(errno)))
        }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        let size = Int64(st.st_size)
        var start: Int64 = 0
        if let checkpoint, checkpoint.device == device, checkpoint.inode == inode, checkpoint.offset <= size {
            start = max(0, checkpoint.offset)
        }
        moved = start
        end = start
        let (valid, count) = try scan(from: start, to: size)
        end = valid
        pending = count
        recovery = Recovery(waiting: count, cutBytes: size - valid)
        if valid < size {
            guard ftruncate(fd, off_t(valid)) == 0 else {
                close(fd)
                throw StoreError.cannotCutTornEnd(path: path, reason: String(cString: strerror(errno)))
            }
        }
        if count > 0 { firstPendingUptime = 1 }   // left by an earlier run: due at once
    }

    deinit { close(fd) }

    private static func openFile(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == ELOOP { throw StoreError.symbolicLink(path: path, role: .intakeLog) }
            throw StoreError.cannotOpen(path: path, role: .intakeLog, reason: String(cString: strerror(errno)))
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw StoreError.notRegularFile(path: path, role: .intakeLog)
        }
        if st.st_mode & 0o077 != 0 { _ = fchmod(fd, 0o600) }
        // One process appends: a second `serve` on the same history would interleave records
        // it does not account for.
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let error = errno == EWOULDBLOCK ? StoreError.intakeLogTaken(path: path)
                                             : StoreError.cannotLock(path: path, role: .intakeLog, reason: String(cString: strerror(errno)))
            close(fd)
            throw error
        }
        return fd
    }

    // MARK: - Appending (any thread)

    /// What an append did.
    public struct Appended: Sendable {
        /// Alerts written.
        public var accepted = 0
        /// Alerts this log took recently (the same line at the same time): not written again.
        public var duplicates = 0
        /// The log held nothing waiting before: the writer should be told.
        public var wasEmpty = false
    }

    /// Writes `entries` in one `write(2)`; when it returns they survive a crash of this process.
    /// Throws (nothing written) when the file cannot take them: the caller answers with an
    /// error and the sender retries.
    public func append<Entries: IntakeEntries>(_ entries: Entries, received: Int64) throws -> Appended {
        var result = Appended()
        var keys: [RecentAlerts.Key] = []
        keys.reserveCapacity(entries.count)
        var payloadBytes = 0
        for index in 0..<entries.count {
            let fingerprint = try entries.withLine(at: index) { line in
                guard line.count <= Self.maxPayloadBytes else { throw StoreError.alertTooLongForIntake(bytes: line.count) }
                payloadBytes += line.count
                return Fingerprint.hash(line)
            }
            keys.append(RecentAlerts.Key(time: entries.time(at: index).nanoseconds, fingerprint: fingerprint))
        }
        lock.lock()
        defer { lock.unlock() }
        // Taken recently (a resend after a lost reply, or twice in one request): answered as a
        // duplicate and not written again.
        var fresh: [Int] = []
        var seen = Set<RecentAlerts.Key>()
        for (index, key) in keys.enumerated() {
            if recent.contains(key) || (entries.count > 1 && !seen.insert(key).inserted) {
                result.duplicates += 1
            } else {
                fresh.append(index)
            }
        }
        guard !fresh.isEmpty else { return result }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(payloadBytes + fresh.count * Self.headerBytes)
        var offsets: [Int64] = []
        for index in fresh {
            offsets.append(end + Int64(bytes.count))
            entries.withLine(at: index) { line in
                Self.appendHeader(to: &bytes, length: line.count, received: received, check: keys[index].fingerprint)
                bytes.append(contentsOf: line)
            }
        }
        try writeAll(bytes)
        for (i, index) in fresh.enumerated() {
            recent.insert(keys[index])
            if let alert = entries.decoded(at: index) { waiting.append((offsets[i], alert)) }
        }
        let now = DispatchTime.now().uptimeNanoseconds
        result.wasEmpty = pending == 0
        if pending == 0 { firstPendingUptime = now }
        pending += fresh.count
        lastAppendUptime = now
        end += Int64(bytes.count)
        result.accepted = fresh.count
        return result
    }

    /// One `write` of `bytes` at the end (the lock held); a short or failed write is cut off
    /// again, so the file never keeps half a record that was not acknowledged.
    private func writeAll(_ bytes: [UInt8]) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n > 0 { done += n; continue }
            if n < 0 && errno == EINTR { continue }
            let reason = n < 0 ? String(cString: strerror(errno)) : "no progress"
            _ = ftruncate(fd, off_t(end))
            throw StoreError.cannotWrite(path: path, role: .intakeLog, reason: reason)
        }
    }

    static func appendHeader(to record: inout [UInt8], length: Int, received: Int64, check: Int64) {
        withUnsafeBytes(of: magic.littleEndian) { record.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(length).littleEndian) { record.append(contentsOf: $0) }
        withUnsafeBytes(of: received.littleEndian) { record.append(contentsOf: $0) }
        withUnsafeBytes(of: check.littleEndian) { record.append(contentsOf: $0) }
    }

    // MARK: - Moving (the writer thread)

    /// The log's state the writer schedules its moves by.
    public struct State: Sendable {
        public var pending: Int
        /// Uptime (ns) when the oldest waiting record came (1 for records from an earlier run).
        public var oldestUptime: UInt64
        public var lastAppendUptime: UInt64
    }

    public var state: State {
        lock.lock()
        defer { lock.unlock() }
        return State(pending: pending, oldestUptime: firstPendingUptime, lastAppendUptime: lastAppendUptime)
    }

    /// Up to `limit` waiting alerts (oldest first) and the checkpoint to commit with them.
    public struct Batch: Sendable {
        public var alerts: [Alert]
        /// Records the batch covers, including any that no longer decode (dropped).
        public var records: Int
        public var undecodable: Int
        public var checkpoint: FollowCheckpoint
    }

    /// The next batch to move, nil when nothing waits. Records appended with their decoded
    /// alerts come with them; the others are read back and decoded.
    public func nextBatch(limit: Int) throws -> Batch? {
        lock.lock()
        let (from, to, device, inode) = (moved, end, self.device, self.inode)
        let hasWaiting = pending > 0
        lock.unlock()
        guard hasWaiting, from < to else { return nil }
        var alerts: [Alert] = []
        var records = 0, undecodable = 0
        var position = from
        // Read in slices: a backlog from a long outage is not read into memory at once.
        let sliceBytes = 4 << 20
        while records < limit && position < to {
            let length = Int(min(Int64(sliceBytes), to - position))
            var buffer = [UInt8](repeating: 0, count: max(length, Self.headerBytes))
            let got = try readFully(&buffer, count: length, at: position)
            var cursor = 0
            while records < limit {
                guard let (payloadLength, _) = Self.header(buffer, at: cursor, available: got) else { break }
                let size = Self.headerBytes + payloadLength
                if cursor + size > got {
                    // A record larger than the slice: read it whole.
                    if cursor == 0 {
                        buffer = [UInt8](repeating: 0, count: size)
                        _ = try readFully(&buffer, count: size, at: position)
                    } else { break }
                }
                let recordOffset = position + Int64(cursor)
                if let alert = takeWaiting(at: recordOffset) {
                    alerts.append(alert)
                } else {
                    let decoded = buffer.withUnsafeBytes { bytes in
                        try? AlertDecoder.decode(line: UnsafeRawBufferPointer(rebasing: bytes[(cursor + Self.headerBytes)..<(cursor + size)]))
                    }
                    if let decoded { alerts.append(decoded) } else { undecodable += 1 }
                }
                records += 1
                cursor += size
            }
            guard cursor > 0 else {
                throw StoreError.intakeLogDamaged(path: path, position: position)
            }
            position += Int64(cursor)
        }
        guard records > 0 else { return nil }
        return Batch(alerts: alerts, records: records, undecodable: undecodable,
                     checkpoint: FollowCheckpoint(path: path, device: device, inode: inode, offset: position, lineNumber: 0))
    }

    /// The decoded alert appended at `offset`, when this process appended it.
    private func takeWaiting(at offset: Int64) -> Alert? {
        lock.lock()
        defer { lock.unlock() }
        while waitingHead < waiting.count && waiting[waitingHead].offset < offset { waitingHead += 1 }
        guard waitingHead < waiting.count, waiting[waitingHead].offset == offset else { return nil }
        let alert = waiting[waitingHead].alert
        waitingHead += 1
        if waitingHead > 1024 && waitingHead * 2 > waiting.count {
            waiting.removeFirst(waitingHead)
            waitingHead = 0
        }
        return alert
    }

    /// Called once `batch` is committed with its checkpoint. When everything is moved and the
    /// file is large, replaces it with an empty file (a new inode: see the type's comment).
    public func moved(_ batch: Batch) {
        lock.lock()
        defer { lock.unlock() }
        moved = batch.checkpoint.offset
        pending = max(0, pending - batch.records)
        if pending == 0 {
            firstPendingUptime = 0
            waiting.removeAll(keepingCapacity: waiting.count < 4096)
            waitingHead = 0
        } else {
            firstPendingUptime = DispatchTime.now().uptimeNanoseconds
        }
        if pending == 0 && moved == end && end >= rotateAtBytes { rotate() }
    }

    /// A new empty file renamed over the log (the lock held). On failure the old file stays in
    /// use: it only grows until the next try.
    private func rotate() {
        let next = path + ".next"
        unlink(next)
        guard let newFD = try? Self.openFile(next) else { return }
        var st = stat()
        guard fstat(newFD, &st) == 0, rename(next, path) == 0 else {
            close(newFD)
            unlink(next)
            return
        }
        close(fd)
        fd = newFD
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        end = 0
        moved = 0
    }

    // MARK: - Reading records

    /// The payload length at `offset` of `bytes` when a whole valid header is there.
    static func header(_ bytes: [UInt8], at offset: Int, available: Int) -> (length: Int, check: Int64)? {
        guard available - offset >= headerBytes else { return nil }
        return bytes.withUnsafeBytes { raw in
            let magic = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
            let check = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 16, as: Int64.self))
            guard magic == Self.magic, length <= maxPayloadBytes else { return nil }
            return (length, check)
        }
    }

    /// Walks the records from `start` to `size`: the end of the last whole, intact record and
    /// how many there are.
    private func scan(from start: Int64, to size: Int64) throws -> (Int64, Int) {
        var position = start, count = 0
        var head = [UInt8](repeating: 0, count: Self.headerBytes)
        var payload: [UInt8] = []
        while size - position >= Int64(Self.headerBytes) {
            guard try readFully(&head, count: Self.headerBytes, at: position) == Self.headerBytes,
                  let (length, check) = Self.header(head, at: 0, available: Self.headerBytes),
                  size - position - Int64(Self.headerBytes) >= Int64(length) else { break }
            if payload.count < length { payload = [UInt8](repeating: 0, count: length) }
            guard try readFully(&payload, count: length, at: position + Int64(Self.headerBytes)) == length else { break }
            let hash = payload.withUnsafeBytes { Fingerprint.hash(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
            guard hash == check else { break }
            position += Int64(Self.headerBytes + length)
            count += 1
        }
        return (position, count)
    }

    private func readFully(_ buffer: inout [UInt8], count: Int, at offset: Int64) throws -> Int {
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if n > 0 { done += n; continue }
            if n == 0 { break }
            if errno == EINTR { continue }
            throw StoreError.cannotRead(path: path, role: .intakeLog, reason: String(cString: strerror(errno)))
        }
        return done
    }
}

/// The alerts an intake log took most recently, by time and fingerprint: a resend of one of
/// them (the sender did not see the reply) is answered as a duplicate. Bounded: the oldest
/// are forgotten first; the history's own duplicate check stays the authority.
struct RecentAlerts {
    struct Key: Hashable {
        var time: Int64
        var fingerprint: Int64
    }
    private var members: Set<Key> = []
    private var order: [Key] = []
    private var next = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        members.reserveCapacity(self.capacity)
    }

    func contains(_ key: Key) -> Bool { members.contains(key) }

    mutating func insert(_ key: Key) {
        guard members.insert(key).inserted else { return }
        if order.count < capacity {
            order.append(key)
        } else {
            members.remove(order[next])
            order[next] = key
            next = (next + 1) % capacity
        }
    }
}

extension AlertStore {
    /// Opens the history's intake log (`<history>-intake`), resuming where the last move
    /// committed. One process at a time: a second one is refused.
    public func openIntakeLog() throws -> IntakeLog {
        let logPath = path + "-intake"
        return try IntakeLog(path: logPath, checkpoint: checkpoint(for: logPath))
    }
}
