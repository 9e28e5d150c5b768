import Foundation
import GRDB
import TradsecCore

/// How far a followed file has been read: the file's identity (device and inode, so a
/// rotated-away file is told apart from its successor) and the byte offset just past the
/// last complete line that was stored.
public struct FollowCheckpoint: Sendable, Equatable {
    public var path: String
    public var device: UInt64
    public var inode: UInt64
    public var offset: Int64
    public var lineNumber: Int64
    /// The last bytes before `offset` (up to 64): how the file's rotated copy is recognised.
    public var tail: [UInt8]

    public init(path: String, device: UInt64, inode: UInt64, offset: Int64, lineNumber: Int64, tail: [UInt8] = []) {
        self.path = path
        self.device = device
        self.inode = inode
        self.offset = offset
        self.lineNumber = lineNumber
        self.tail = tail
    }
}

extension AlertStore {
    public func checkpoint(for path: String) throws -> FollowCheckpoint? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT device, inode, offset, line_number, tail FROM follow_checkpoints WHERE path = ?",
                                             arguments: [path]) else { return nil }
            let device: Int64 = try row.decode(atIndex: 0), inode: Int64 = try row.decode(atIndex: 1)
            let tail: Data? = try row.decode(atIndex: 4)
            return FollowCheckpoint(path: path, device: UInt64(bitPattern: device), inode: UInt64(bitPattern: inode),
                                    offset: try row.decode(atIndex: 2), lineNumber: try row.decode(atIndex: 3), tail: tail.map { [UInt8]($0) } ?? [])
        }
    }

    public func saveCheckpoint(_ checkpoint: FollowCheckpoint) throws {
        try pool.write { db in try save(checkpoint, db: db) }
    }

    func save(_ c: FollowCheckpoint, db: Database) throws {
        try db.execute(sql: """
            INSERT INTO follow_checkpoints (path, device, inode, offset, line_number, updated_ns, tail) VALUES (?,?,?,?,?,?,?)
            ON CONFLICT(path) DO UPDATE SET device = excluded.device, inode = excluded.inode, offset = excluded.offset,
                line_number = excluded.line_number, updated_ns = excluded.updated_ns, tail = excluded.tail
            """, arguments: [c.path, Int64(bitPattern: c.device), Int64(bitPattern: c.inode), c.offset, c.lineNumber,
                             Timestamp.now().nanoseconds, Data(c.tail)])
    }
}

