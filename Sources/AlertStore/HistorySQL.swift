#if canImport(Glibc)
import Glibc
#endif
import GRDBSQLite
import TradsecCore

/// SQL from a user, on the history, read-only: what `tradsec sql` runs.
///
/// A connection of its own, not one of the store's pool: opened read-only
/// (`SQLITE_OPEN_READONLY`, `PRAGMA query_only`), with an authorizer that refuses anything but
/// reads, with a clear reason (``SQLReadPolicy``), and with the history's `alerts` table and
/// `alert_output` function registered as on the store's own connections. A statement is
/// stopped when it has used its time (a progress handler), and rows past the limit are not
/// read. Values come out typed; the connection never leaves this object.
public final class HistorySQL {
    public let path: String
    private let connection: OpaquePointer
    private let state: State

    /// What the connection's callbacks share with the statement being run.
    private final class State {
        /// Why the authorizer refused the statement being compiled.
        var refusal: String?
        /// When the statement must stop (monotonic seconds), and the caller's wish to stop.
        var deadline = Double.infinity
        var cancelled: (() -> Bool)?
        /// Why the progress handler interrupted the statement.
        var stopped: SQLFailure?
    }

    /// The longest string or blob a statement may make, and the longest statement text: the
    /// history's own values are far below both (a raw chunk is ~64 KiB).
    static let maxValueBytes: Int32 = 64 << 20
    static let maxStatementBytes: Int32 = 1 << 20
    /// Virtual-machine steps between checks of the time limit.
    static let progressInterval: Int32 = 1000

    /// Opens the history at `path` for reading; ``SQLFailure/noHistory(path:)`` when there is
    /// none (it is never created), ``SQLFailure/unreadable(_:)`` when it cannot be read.
    public init(path: String) throws(SQLFailure) {
        self.path = path
        var st = stat()
        guard stat(path, &st) == 0 else {
            if errno == ENOENT { throw .noHistory(path: path) }
            throw .unreadable("cannot open history \(path): \(String(cString: strerror(errno)))")
        }
        // A FIFO or a device at the path must not hang or feed the open.
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .unreadable("cannot open history \(path): not a regular file") }
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let handle else {
            let reason = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(handle)
            throw .unreadable("cannot open history \(path): \(reason)")
        }
        connection = handle
        state = State()
        do {
            try configure()
        } catch {
            sqlite3_close_v2(handle)
            throw error
        }
    }

    deinit {
        // Before `state` goes: the callbacks hold it unretained.
        sqlite3_close_v2(connection)
    }

    private func configure() throws(SQLFailure) {
        sqlite3_extended_result_codes(connection, 1)
        // Waits out a writer's WAL restart rather than failing at once (as the store's readers do).
        sqlite3_busy_timeout(connection, 10_000)
        sqlite3_limit(connection, SQLITE_LIMIT_ATTACHED, 0)
        sqlite3_limit(connection, SQLITE_LIMIT_LENGTH, Self.maxValueBytes)
        sqlite3_limit(connection, SQLITE_LIMIT_SQL_LENGTH, Self.maxStatementBytes)
        // query_only also refuses what a read-only file would let through (a temporary table);
        // trusted_schema off: functions and tables with side effects cannot hide in the schema.
        for pragma in ["PRAGMA query_only = ON", "PRAGMA trusted_schema = OFF"] {
            let rc = sqlite3_exec(connection, pragma, nil, nil, nil)
            guard rc == SQLITE_OK else { throw classify(rc) }
        }
        do {
            try OutputFromChunks.register(on: connection)
            try AlertRows.register(on: connection)
        } catch {
            throw .unreadable("\(error)")
        }
        // A file that is not a history (or not a database) says so now, not at the first query.
        let rc = sqlite3_exec(connection, "SELECT count(*) FROM sqlite_schema", nil, nil, nil)
        guard rc == SQLITE_OK else {
            throw .unreadable("cannot read history \(path): \(String(cString: sqlite3_errmsg(connection)))")
        }
        let context = Unmanaged.passUnretained(state).toOpaque()
        sqlite3_set_authorizer(connection, { context, action, first, second, _, _ in
            guard let context else { return SQLITE_DENY }
            let state = Unmanaged<State>.fromOpaque(context).takeUnretainedValue()
            guard let refusal = SQLReadPolicy.refusal(action: action, first.map { String(cString: $0) },
                                                      second.map { String(cString: $0) }) else { return SQLITE_OK }
            if state.refusal == nil { state.refusal = refusal }
            return SQLITE_DENY
        }, context)
        sqlite3_progress_handler(connection, Self.progressInterval, { context in
            guard let context else { return 1 }
            let state = Unmanaged<State>.fromOpaque(context).takeUnretainedValue()
            if state.cancelled?() == true {
                state.stopped = .cancelled
                return 1
            }
            if Monotonic.seconds() > state.deadline {
                state.stopped = .timedOut(seconds: 0)
                return 1
            }
            return 0
        }, context)
    }

    /// True when `text` ends with a complete statement (a `;` outside strings, comments and
    /// trigger bodies): what an interactive reader waits for before it runs what it has.
    public static func isComplete(_ text: String) -> Bool {
        sqlite3_complete(text) != 0
    }

    /// Runs the statements of `sql` in order, reporting each one's columns, rows and end to
    /// `handle`. Every statement is compiled before the first runs, so a script with one
    /// statement that is refused or wrong runs none. `cancelled` is asked while a statement
    /// runs. The time limit counts the statement's own time, not the time `handle` takes
    /// (a slow terminal or a pager does not use it up).
    public func run(_ sql: String, limits: SQLLimits = SQLLimits(), cancelled: (() -> Bool)? = nil,
                    _ handle: (SQLEvent) throws -> Void) throws {
        let statements = try compile(sql)
        defer { for statement in statements { sqlite3_finalize(statement) } }
        for statement in statements {
            try execute(statement, limits: limits, cancelled: cancelled, handle)
        }
    }

    private func compile(_ sql: String) throws(SQLFailure) -> [OpaquePointer] {
        var bytes = Array(sql.utf8)
        guard !bytes.contains(0) else { throw .invalid("the SQL text holds a NUL byte") }
        bytes.append(0)
        var statements: [OpaquePointer] = []
        var failure: SQLFailure?
        bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
                var next: UnsafePointer<CChar>? = base
                while let start = next, start.pointee != 0 {
                    var statement: OpaquePointer?
                    var tail: UnsafePointer<CChar>?
                    state.refusal = nil
                    let rc = sqlite3_prepare_v2(connection, start, -1, &statement, &tail)
                    guard rc == SQLITE_OK else {
                        sqlite3_finalize(statement)
                        failure = classify(rc)
                        return
                    }
                    if let statement {
                        statements.append(statement)
                        // What no authorizer action names (VACUUM INTO writes a new file).
                        guard sqlite3_stmt_readonly(statement) != 0 else {
                            failure = .refused("\(Self.firstWord(of: statement)) would write: \(SQLReadPolicy.onlyReads)")
                            return
                        }
                    }
                    guard let tail, tail != start else { return }
                    next = tail
                }
            }
        }
        if let failure {
            for statement in statements { sqlite3_finalize(statement) }
            throw failure
        }
        return statements
    }

    private func execute(_ statement: OpaquePointer, limits: SQLLimits, cancelled: (() -> Bool)?,
                         _ handle: (SQLEvent) throws -> Void) throws {
        defer {
            sqlite3_reset(statement)
            state.cancelled = nil
            state.deadline = .infinity
        }
        let count = sqlite3_column_count(statement)
        try handle(.columns((0..<count).map { sqlite3_column_name(statement, $0).map { String(cString: $0) } ?? "" }))
        var remaining = limits.seconds ?? .infinity
        var rows = 0
        var truncated = false
        state.cancelled = cancelled
        state.stopped = nil
        while true {
            let started = Monotonic.seconds()
            state.deadline = started + remaining
            let rc = sqlite3_step(statement)
            remaining -= Monotonic.seconds() - started
            state.deadline = .infinity
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                if case .timedOut? = state.stopped { throw SQLFailure.timedOut(seconds: limits.seconds ?? 0) }
                throw classify(rc)
            }
            if let max = limits.maxRows, rows >= max {
                truncated = true
                break
            }
            try handle(.row((0..<count).map { value(statement, $0) }))
            rows += 1
        }
        try handle(.end(rows: rows, truncated: truncated))
    }

    private func value(_ statement: OpaquePointer, _ column: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(statement, column) else { return .null }
            let count = Int(sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let blob = sqlite3_column_blob(statement, column), count > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default:
            return .null
        }
    }

    /// The failure behind result code `rc` on this connection.
    private func classify(_ rc: Int32) -> SQLFailure {
        let message = String(cString: sqlite3_errmsg(connection))
        // A function the authorizer denied fails as a plain error ("not authorized to use function").
        if let refusal = state.refusal { return .refused(refusal) }
        switch rc & 0xFF {
        case SQLITE_AUTH:
            return .refused(state.refusal ?? message)
        case SQLITE_READONLY:
            return .refused("\(message): \(SQLReadPolicy.onlyReads)")
        case SQLITE_INTERRUPT:
            return state.stopped ?? .cancelled
        case SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM, SQLITE_PROTOCOL:
            return .unreadable("cannot read history \(path): \(message)")
        default:
            // A damaged row found by the alerts table or alert_output names itself.
            if message.hasPrefix(StoreError.damagePrefix) { return .unreadable(message) }
            // SQLite's own refusal of a write to the schema table or to a read-only virtual table.
            if message.hasSuffix("may not be modified") { return .refused("\(message): \(SQLReadPolicy.onlyReads)") }
            return .invalid(message)
        }
    }

    private static func firstWord(of statement: OpaquePointer) -> String {
        let text = sqlite3_sql(statement).map { String(cString: $0) } ?? ""
        let word = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).first ?? "the statement"
        return word.uppercased()
    }
}
