/// One value of a row that ``HistorySQL`` read: SQLite's five storage classes.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    /// Text that is not valid UTF-8 (SQLite stores whatever it is given) has U+FFFD in the
    /// place of each invalid sequence.
    case text(String)
    case blob([UInt8])
}

/// What ``HistorySQL/run(_:limits:cancelled:_:)`` reports, in order, for each statement.
public enum SQLEvent: Sendable, Equatable {
    /// A statement starts: its result columns (none for a statement that returns no rows).
    case columns([String])
    case row([SQLValue])
    /// The statement ended; `truncated` when it had more rows than ``SQLLimits/maxRows``.
    case end(rows: Int, truncated: Bool)
}

/// What one statement may use.
public struct SQLLimits: Sendable, Equatable {
    /// Wall-clock seconds per statement; nil for none.
    public var seconds: Double?
    /// Rows returned per statement (the rest are not read); nil for all.
    public var maxRows: Int?

    public init(seconds: Double? = nil, maxRows: Int? = nil) {
        self.seconds = seconds
        self.maxRows = maxRows
    }
}

/// Why user SQL did not run, or stopped. Each case is a different answer for the user (and a
/// different exit status of `tradsec sql`).
public enum SQLFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// There is no history at that path.
    case noHistory(path: String)
    /// The history cannot be opened or read: not a database, an I/O error, a damaged row.
    case unreadable(String)
    /// The statement would change the history or the connection (a write, ATTACH, a pragma
    /// that sets something, load_extension, a transaction): nothing ran.
    case refused(String)
    /// SQLite could not compile or run the statement (syntax, an unknown table or column, a
    /// run-time error such as an integer overflow in sum()).
    case invalid(String)
    /// The statement ran longer than ``SQLLimits/seconds`` and was stopped.
    case timedOut(seconds: Double)
    /// The caller's `cancelled` said so (Ctrl-C in an interactive session).
    case cancelled

    public var description: String {
        switch self {
        case .noHistory(let path): return "no history at \(path)"
        case .unreadable(let message): return message
        case .refused(let message): return message
        case .invalid(let message): return message
        case .timedOut(let seconds):
            return "stopped after \(SQLFailure.format(seconds)) s (the time limit; --timeout SECONDS changes it, 0 for none)"
        case .cancelled: return "cancelled"
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int64(seconds)) : String(seconds)
    }
}
