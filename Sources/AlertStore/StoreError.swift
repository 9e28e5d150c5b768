/// Why the history could not be opened, read or written.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// Which of the history's files a file error is about (for the message).
    public enum FileRole: Sendable {
        /// The database or its `-wal`/`-shm`.
        case history
        /// The lock beside the history that serialises opening it.
        case lock
        /// The append-only log `serve` takes alerts into.
        case intakeLog
    }

    case cannotCreate(path: String, role: FileRole, reason: String)
    case cannotOpen(path: String, role: FileRole, reason: String)
    case cannotStat(path: String, reason: String)
    case cannotRead(path: String, role: FileRole, reason: String)
    case cannotWrite(path: String, role: FileRole, reason: String)
    case cannotLock(path: String, role: FileRole, reason: String)
    /// A torn record at the end of the intake log could not be cut off.
    case cannotCutTornEnd(path: String, reason: String)
    /// A symbolic link where one of the history's files must be (never followed).
    case symbolicLink(path: String, role: FileRole)
    case notRegularFile(path: String, role: FileRole)
    /// Another process already takes alerts into this history's intake log.
    case intakeLogTaken(path: String)
    /// The intake log holds a record that cannot be read at `position`, so it cannot be moved on.
    case intakeLogDamaged(path: String, position: Int64)
    /// An alert longer than an intake log record can hold.
    case alertTooLongForIntake(bytes: Int)
    /// The history holds something it cannot have written: `place` names the table and row.
    case damaged(place: String, problem: String)
    /// SQLite failed at something the history asked of it (`operation`, for the message).
    case sqlite(operation: String, message: String)
    /// A text id outside what a packed row can hold.
    case textIDOutOfRange(Int64)
    /// Asked to pack a row of no alerts (a caller's mistake).
    case emptyAlertRow
    /// The raw chunk being filled was changed under this writer.
    case chunkChanged(Int64)
    /// An alert id no block of the full-text index covers.
    case noBlockHolds(alert: Int64)
    /// The processing lease is someone else's, or the cursor is not where the commit started.
    case processingMovedOn(holder: String?)
    case processingCursorBack
    /// An incident id a mirrored processor's incident took since the correlator counted.
    case incidentIsMirrored(Int64)
    case processedOutOfOrder(at: Int64)

    static let damagePrefix = "history is damaged"

    public var description: String {
        switch self {
        case .cannotCreate(let path, .history, let reason): "cannot create history \(path): \(reason)"
        case .cannotCreate(let path, let role, let reason): "cannot create \(role.named(path)): \(reason)"
        case .cannotOpen(let path, let role, let reason): "cannot open \(role.named(path)): \(reason)"
        case .cannotStat(let path, let reason): "cannot stat \(path): \(reason)"
        case .cannotRead(let path, let role, let reason): "cannot read \(role.named(path)): \(reason)"
        case .cannotWrite(let path, let role, let reason): "\(role.named(path)) could not be written: \(reason)"
        case .cannotLock(let path, let role, let reason): "cannot lock \(role.named(path)): \(reason)"
        case .cannotCutTornEnd(let path, let reason): "cannot cut the torn end of \(path): \(reason)"
        case .symbolicLink(let path, .history): "\(path) is a symbolic link; the history's files must be regular files"
        case .symbolicLink(let path, let role): "\(path) is a symbolic link; refusing to use it as \(role.name)"
        case .notRegularFile(let path, .history): "\(path) is not a regular file"
        case .notRegularFile(let path, let role): "\(path) is not a regular file; refusing to use it as \(role.name)"
        case .intakeLogTaken(let path): "cannot lock the intake log \(path): another tradsec process is taking alerts into this history"
        case .intakeLogDamaged(let path, let position): "the intake log \(path) is damaged at byte \(position): it cannot be moved"
        case .alertTooLongForIntake(let bytes): "an alert of \(bytes) bytes is over the intake log's record limit"
        case .damaged("", let problem): "\(Self.damagePrefix): \(problem)"
        case .damaged(let place, let problem): "\(Self.damagePrefix) (\(place)): \(problem)"
        case .sqlite(let operation, let message): "history: \(operation) failed: \(message)"
        case .textIDOutOfRange(let id): "history: text id \(id) out of range"
        case .emptyAlertRow: "history: an alert row must hold an alert"
        case .chunkChanged(let id): "history: raw chunk \(id) changed while it was open"
        case .noBlockHolds(let id): "history: no block holds alert \(id)"
        case .processingMovedOn(let holder):
            "processing moved on: another process (\(holder ?? "none")) holds the processing of this history"
        case .processingCursorBack: "processing cannot move its cursor back"
        case .incidentIsMirrored(let id): "processing: incident \(id) is a processor's; numbering again from the history"
        case .processedOutOfOrder(let id): "processing: alert ids out of order at \(id)"
        }
    }

    /// The same text (kept for callers that read it as a message).
    public var message: String { description }

    /// The error for a damage message SQLite passed up from the `alerts` table or
    /// `alert_output` ("history is damaged (PLACE): PROBLEM", as ``description`` writes it).
    static func damage(reported message: String) -> StoreError? {
        guard message.hasPrefix(damagePrefix) else { return nil }
        let rest = message.dropFirst(damagePrefix.count)
        if rest.hasPrefix(" ("), let close = rest.range(of: "): ") {
            return .damaged(place: String(rest[rest.index(rest.startIndex, offsetBy: 2)..<close.lowerBound]),
                            problem: String(rest[close.upperBound...]))
        }
        return .damaged(place: "", problem: String(rest.drop { $0 == ":" || $0 == " " }))
    }
}

extension StoreError.FileRole {
    /// What the file is, for "refusing to use it as …".
    var name: String {
        switch self {
        case .history: "the history"
        case .lock: "the history's lock"
        case .intakeLog: "the intake log"
        }
    }

    /// The path, introduced by what it is.
    func named(_ path: String) -> String {
        switch self {
        case .history: "history \(path)"
        case .lock: path
        case .intakeLog: "the intake log \(path)"
        }
    }
}
