#if canImport(Glibc)
import Glibc
#endif

/// Notices commits that other writers make to the same history (a `tradsec ingest --follow`
/// beside the service), once for every stream: each commit changes the WAL file, so one
/// `stat` of it a second, while streams are open, replaces a history read per stream per
/// second. A change only tells the ``FeedHub`` to look again; a spurious one (a checkpoint)
/// costs one read per stream and loses nothing.
final class HistoryWatcher: @unchecked Sendable {
    private let paths: [String]
    private let hub: FeedHub
    private var last: [FileState?]

    struct FileState: Equatable {
        var inode: UInt64
        var size: Int64
        var modified: timespec
        static func == (a: FileState, b: FileState) -> Bool {
            a.inode == b.inode && a.size == b.size && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
        }
    }

    init(historyPath: String, hub: FeedHub) {
        paths = [historyPath + "-wal", historyPath]
        self.hub = hub
        last = paths.map(Self.state)
    }

    /// Called from one timer only (not thread-safe by design).
    func check() {
        let now = paths.map(Self.state)
        guard now != last else { return }
        last = now
        if hub.count > 0 { hub.signal() }
    }

    static func state(_ path: String) -> FileState? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileState(inode: UInt64(st.st_ino), size: Int64(st.st_size), modified: st.st_mtim)
    }
}
