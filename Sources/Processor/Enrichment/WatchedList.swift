#if canImport(Glibc)
import Glibc
#endif
import TradsecCore

/// An address list read from a file and read again when the file changes (size, mtime or
/// inode: an editor's save-by-rename counts). A file that vanishes or breaks keeps the last
/// good list, so a half-written update never blinds the processor.
public final class WatchedList: @unchecked Sendable {
    public let path: String
    public let name: String
    private let defaultLabel: String?
    private var signature: (Int64, Int64, UInt64, UInt64)?
    public private(set) var list = AddressList()
    public private(set) var lastError: String?
    public private(set) var reloads = 0

    public init(path: String, name: String, defaultLabel: String? = nil) {
        self.path = path
        self.name = name
        self.defaultLabel = defaultLabel
        _ = refresh()
    }

    /// Reads the file again if it changed; returns true when the list was replaced.
    @discardableResult
    public func refresh() -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else {
            lastError = "\(path): \(String(cString: strerror(errno)))"
            return false
        }
        let now = (Int64(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                   UInt64(info.st_ino), UInt64(info.st_dev))
        if let signature, signature == now { return false }
        guard let text = try? TextFile.read(path) else {
            lastError = "\(path): cannot read"
            return false
        }
        let (parsed, errors) = AddressList.parse(text, defaultLabel: defaultLabel)
        list = parsed
        signature = now
        reloads += 1
        lastError = errors.isEmpty ? nil : "\(path): \(errors.count) bad line(s), first: \(errors[0])"
        return true
    }
}
