import Foundation
import GRDB

/// Reading values back from the history file, which may have been damaged (a disk error, a
/// hand edit, a hostile copy): every value read is checked before it is used as a size, an
/// offset or an id, and a value that cannot be right is an error that names where it is,
/// never a trap (GRDB's subscripts stop the process on a value of the wrong type).
extension Row {
    /// Integer column `index` of a row from `place` (a table and row, for the message).
    func integer(_ index: Int, _ place: @autoclosure () -> String) throws -> Int64 {
        let value = self[index] as DatabaseValue
        guard case .int64(let v) = value.storage else {
            throw StoreError.damaged(place: place(), problem: "\(Array(columnNames)[index]) is \(value.kind), not an integer")
        }
        return v
    }

    /// The same as an `Int` (equal on the 64-bit platforms tradsec runs on).
    func int(_ index: Int, _ place: @autoclosure () -> String) throws -> Int {
        Int(truncatingIfNeeded: try integer(index, place()))
    }

    /// Blob column `index` of a row from `place`.
    func blob(_ index: Int, _ place: @autoclosure () -> String) throws -> [UInt8] {
        let value = self[index] as DatabaseValue
        switch value.storage {
        case .blob(let data): return [UInt8](data)
        default: throw StoreError.damaged(place: place(), problem: "\(Array(columnNames)[index]) is \(value.kind), not a blob")
        }
    }
}

extension DatabaseValue {
    /// Its type, for a message (the value itself may be long, or text an attacker chose).
    var kind: String {
        switch storage {
        case .null: return "NULL"
        case .int64: return "an integer"
        case .double: return "a real number"
        case .string: return "text"
        case .blob: return "a blob"
        }
    }
}

extension AlertStore {
    /// `pool.read` for what reads alerts: SQLite's error for a damaged row (raised by the
    /// `alerts` module or by `alert_output`, with the row in its message) becomes the same
    /// ``StoreError`` the Swift readers throw.
    func readHistory<T>(_ body: (Database) throws -> T) throws -> T {
        try StoreError.fromDamage { try pool.read(body) }
    }

    /// The same for writes (inserts, retention, indexing read packed rows and chunks too).
    func writeHistory<T>(_ body: (Database) throws -> T) throws -> T {
        try StoreError.fromDamage { try pool.write(body) }
    }
}

extension StoreError {
    static func fromDamage<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            guard let message = error.message, let damage = damage(reported: message) else { throw error }
            throw damage
        }
    }
}
