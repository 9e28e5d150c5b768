#if canImport(Glibc)
import Glibc
#endif
import TradsecCore

/// `user.name` and `group.name` from the host's /etc/passwd and /etc/group, re-read when they
/// change (checked at most every few seconds). Not getpwuid: NSS modules may block or call out
/// over the network, and the consumer thread must never wait.
final class AccountNames {
    private let passwdPath: String
    private let groupPath: String
    private var users: [UInt32: String] = [:]
    private var groups: [UInt32: String] = [:]
    private var passwdStamp = FileStamp()
    private var groupStamp = FileStamp()
    private var checkedAt: Double = -.infinity

    init(passwd: String = "/etc/passwd", group: String = "/etc/group") {
        passwdPath = passwd
        groupPath = group
        refresh(now: Monotonic.seconds())
    }

    func user(_ uid: UInt32, now: Double) -> String? {
        refresh(now: now)
        return users[uid]
    }

    func group(_ gid: UInt32, now: Double) -> String? {
        refresh(now: now)
        return groups[gid]
    }

    private func refresh(now: Double) {
        guard now - checkedAt >= 5 else { return }
        checkedAt = now
        let passwd = FileStamp(path: passwdPath)
        if passwd != passwdStamp { passwdStamp = passwd; users = Self.parse(path: passwdPath) }
        let group = FileStamp(path: groupPath)
        if group != groupStamp { groupStamp = group; groups = Self.parse(path: groupPath) }
    }

    /// `name:x:id:...` lines; the first name wins for an id listed twice.
    static func parse(path: String) -> [UInt32: String] {
        guard let text = try? TextFile.read(path, limit: 16 << 20) else { return [:] }
        var names: [UInt32: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count >= 3, !fields[0].isEmpty, let id = UInt32(fields[2]), names[id] == nil else { continue }
            names[id] = String(fields[0])
        }
        return names
    }

    private struct FileStamp: Equatable {
        var inode: UInt64 = 0
        var size: Int64 = -1
        var modified: Int64 = 0
        init() {}
        init(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return }
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = Int64(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_mtim.tv_nsec)
        }
    }
}
