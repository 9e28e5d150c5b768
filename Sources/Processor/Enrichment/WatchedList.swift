#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TradsecCore

/// An address list read from a file and read again when the file changes (size, mtime or
/// inode: an editor's save-by-rename counts). A file that vanishes or breaks keeps the last
/// good list, so a half-written update never blinds the processor.
public final class WatchedList: @unchecked Sendable {
    public let path: String
    public let name: String
    private let defaultLabel: String?
    private var signature: (Int64, Int64, UInt64, UInt64)?
    /// Guards `current` and `error`: `refresh()` runs on the writer thread while health
    /// reports and the console read `lastError` from others.
    private let lock = NSLock()
    private var current = AddressList()
    private var error: String?

    public var list: AddressList { lock.withLock { current } }
    public var lastError: String? { lock.withLock { error } }

    public init(path: String, name: String, defaultLabel: String? = nil) {
        self.path = path
        self.name = name
        self.defaultLabel = defaultLabel
        refresh()
    }

    /// Reads the file again if it changed.
    public func refresh() {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let message = "\(path): \(String(cString: strerror(errno)))"
            lock.withLock { error = message }
            return
        }
        let now = (Int64(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                   UInt64(info.st_ino), UInt64(info.st_dev))
        if let signature, signature == now { return }
        guard let text = try? TextFile.read(path) else {
            lock.withLock { error = "\(path): cannot read" }
            return
        }
        let (parsed, errors) = AddressList.parse(text, defaultLabel: defaultLabel)
        signature = now
        let message = errors.isEmpty ? nil : "\(path): \(errors.count) bad line(s), first: \(errors[0])"
        lock.withLock {
            current = parsed
            error = message
        }
    }
}
