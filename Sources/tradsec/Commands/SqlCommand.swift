#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import ArgumentParser
import Dispatch
import Feeds
import Synchronization
import TradsecCore

struct SqlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run read-only SQL on the history.",
        discussion: """
            Reads the history with SQL: the alerts table and alert_output() as tradsec sees them,
            and every other table. Nothing can be changed: a statement that would write, ATTACH,
            set a pragma or load an extension is refused. docs/history.md lists the tables and
            columns to rely on, with examples.

            Without STATEMENT, reads statements from standard input, each ended by ';' (a prompt
            on a terminal; .help lists the dot commands). A statement that fails does not end
            the session; Ctrl-C stops the running statement.

            Examples:
              tradsec sql "SELECT rule, count(*) FROM alerts GROUP BY rule ORDER BY 2 DESC"
              tradsec sql --format csv "SELECT * FROM incidents" > incidents.csv
              tradsec sql < report.sql

            Exit status: 0 ok; 64 a usage error or a statement SQLite rejects (syntax, unknown
            table or column, a run-time error); 65 a statement refused because it would change
            something; 66 no history at the path; 74 the history cannot be read; 75 a statement
            stopped by --timeout. Reading standard input, the status of the first statement that
            failed (130 when it was stopped with Ctrl-C).
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Output format: table, csv (RFC 4180) or json (JSON Lines: an object per row).",
                               valueName: "format"))
    var format: SQLResultWriter.Format = .table

    @Option(help: ArgumentHelp("Seconds a statement may run (0: no limit).", valueName: "seconds"))
    var timeout: Double = 30

    @Option(name: .customLong("max-rows"), help: ArgumentHelp("Rows printed per statement, at most (0: all).", valueName: "n"))
    var maxRows = 10_000

    @Argument(help: ArgumentHelp("SQL to run; several statements run in order. Standard input when absent.",
                                 valueName: "statement"))
    var statement: String?

    /// A week: anything longer is a mistake, and keeps the deadline arithmetic finite.
    static let longestTimeout = 7 * 86_400.0

    func validate() throws {
        guard timeout.isFinite, timeout >= 0, timeout <= Self.longestTimeout else {
            throw ValidationError("--timeout must be between 0 and \(Int(Self.longestTimeout)) seconds")
        }
        guard maxRows >= 0 else { throw ValidationError("--max-rows must be 0 (all) or more") }
    }

    var limits: SQLLimits { SQLLimits(seconds: timeout > 0 ? timeout : nil, maxRows: maxRows > 0 ? maxRows : nil) }

    func run() throws {
        try reportingErrors {
            let history = try open()
            var writer = SQLResultWriter(format: format, toTerminal: Terminal.stdoutIsTerminal, width: Terminal.width,
                                         write: Terminal.write)
            if let statement {
                if let failure = execute(statement, on: history, writer: &writer, cancelled: nil) {
                    throw Self.error(failure)
                }
                return
            }
            var session = SqlSession(history: history, limits: limits, writer: writer)
            let status = session.run()
            if status != 0 { throw ExitCode(status) }
        }
    }

    private func open() throws -> HistorySQL {
        do {
            return try HistorySQL(path: store.path)
        } catch {
            throw Self.error(error)
        }
    }

    private func execute(_ sql: String, on history: HistorySQL, writer: inout SQLResultWriter,
                         cancelled: (() -> Bool)?) -> SQLFailure? {
        SqlCommand.execute(sql, on: history, limits: limits, writer: &writer, cancelled: cancelled)
    }

    /// Runs `sql`, printing its results; the failure, if any (already printed when not returned
    /// to a one-shot caller).
    static func execute(_ sql: String, on history: HistorySQL, limits: SQLLimits, writer: inout SQLResultWriter,
                        cancelled: (() -> Bool)?) -> SQLFailure? {
        do {
            try history.run(sql, limits: limits, cancelled: cancelled) { event in
                writer.handle(event)
                if case .end(let rows, true) = event {
                    Terminal.printError("tradsec: stopped after \(rows) rows (--max-rows; 0 prints them all)")
                }
            }
            return nil
        } catch let failure as SQLFailure {
            return failure
        } catch {
            return .invalid("\(error)")
        }
    }

    /// The failure as the command reports it: its message and its exit status.
    static func error(_ failure: SQLFailure) -> CLIError {
        let text = message(failure)
        switch failure {
        case .invalid: return .usage(text)
        case .refused: return .badData(text)
        case .noHistory: return .noInput(text)
        case .unreadable: return .ioError(text)
        case .timedOut: return .tempFail(text)
        case .cancelled: return .interrupted(text)
        }
    }

    /// For stderr: messages quote the statement and stored text, so they are escaped.
    static func message(_ failure: SQLFailure) -> String {
        let text: String
        switch failure {
        case .refused(let why): text = "refused: \(why)"
        case .invalid(let why): text = "SQL error: \(why)"
        case .noHistory(let path): text = "no history at \(path) (nothing to read: ingest alerts first, or give --db)"
        default: text = failure.description
        }
        return TerminalSafe.escape(text)
    }
}

extension SQLResultWriter.Format: ExpressibleByArgument {}

/// Statements read from standard input, one after the other; a failure is reported and the
/// session goes on.
struct SqlSession {
    let history: HistorySQL
    var limits: SQLLimits
    var writer: SQLResultWriter

    /// A statement (or the lines gathered for one) longer than this is dropped.
    static let maxStatementBytes = 1 << 20

    static let help = """
        End each statement with ';' (it may span lines). The history is read-only.
          .tables            the tables
          .schema [TABLE]    CREATE statements (of one table)
          .mode table|csv|json
          .help              this text
          .quit              leave (also .exit, Ctrl-D)
        Ctrl-C stops the running statement. docs/history.md describes the tables.

        """

    /// Runs the session to the end of input or .quit; the exit status.
    mutating func run() -> Int32 {
        let interactive = isatty(STDIN_FILENO) == 1
        let interrupt = interactive ? StatementInterrupt.install() : nil
        if interactive {
            Terminal.printError("tradsec sql: \(TerminalSafe.escape(history.path)), read-only. Statements end with ';'; .help for help.")
        }
        var status: Int32 = 0
        var pending = ""
        var quit = false
        func prompt() { if interactive { Terminal.printError(pending.isEmpty ? "sql> " : "...> ", newline: false) } }
        func fail(_ failure: SQLFailure) {
            Terminal.printError("tradsec: " + SqlCommand.message(failure))
            if status == 0 { status = SqlCommand.error(failure).exitCode }
        }
        func usage(_ message: String) {
            Terminal.printError("tradsec: " + TerminalSafe.escape(message))
            if status == 0 { status = ExitStatus.usage }
        }
        func runPending() {
            let sql = pending
            pending = ""
            guard !sql.allSatisfy(\.isWhitespace) else { return }
            interrupt?.begin()
            let failure = SqlCommand.execute(sql, on: history, limits: limits, writer: &writer,
                                             cancelled: interrupt.map { i in { i.isCancelled } })
            interrupt?.end()
            if let failure { fail(failure) }
        }
        prompt()
        let reader = LineReader(maxLineLength: Self.maxStatementBytes)
        // Thrown by .quit: stops the reading (on a terminal there may be no end of input for long).
        struct Quit: Error {}
        func take(_ event: LineReader.Event) throws {
            switch event {
            case .tooLong(let number, let length, _):
                usage("line \(number) is \(length) bytes, longer than \(Self.maxStatementBytes): the statement is dropped")
                pending = ""
            case .line(let bytes, _, _):
                var line = String(decoding: bytes, as: UTF8.self)
                if line.hasSuffix("\r") { line.removeLast() }
                if pending.isEmpty, line.drop(while: \.isWhitespace).hasPrefix(".") {
                    quit = dotCommand(String(line.drop(while: \.isWhitespace)), usage: usage, fail: fail)
                } else {
                    pending += line + "\n"
                    if pending.utf8.count > Self.maxStatementBytes {
                        usage("the statement is longer than \(Self.maxStatementBytes) bytes: dropped")
                        pending = ""
                    } else if HistorySQL.isComplete(pending) {
                        runPending()
                    }
                }
            }
            if quit { throw Quit() }
            prompt()
        }
        var result = LineReader.ReadStatus.endOfData
        do {
            result = try reader.read(from: STDIN_FILENO, take)
            // The last line may have no line feed.
            try reader.finish(take)
        } catch {}
        if case .failed(let code) = result {
            Terminal.printError("tradsec: cannot read standard input: \(String(cString: strerror(code)))")
            if status == 0 { status = ExitStatus.noInput }
        }
        // A last statement without its ';' still runs.
        if !quit { runPending() }
        if interactive && !quit { Terminal.printError("") }
        return status
    }

    /// One dot command; true when it ends the session.
    private mutating func dotCommand(_ line: String, usage: (String) -> Void, fail: (SQLFailure) -> Void) -> Bool {
        let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        let arguments = words.dropFirst()
        switch words.first ?? "" {
        case ".quit", ".exit":
            return true
        case ".help":
            Terminal.printError(Self.help, newline: false)
        case ".mode":
            guard arguments.count == 1, let format = SQLResultWriter.Format(rawValue: arguments.first!) else {
                usage(".mode takes one of: table, csv, json")
                return false
            }
            writer.format = format
        case ".tables":
            list("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name",
                 fail: fail)
        case ".schema":
            guard arguments.count <= 1 else { usage(".schema takes at most one table name"); return false }
            let only = arguments.first.map { " AND name = '" + $0.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'" } ?? ""
            list("SELECT sql || ';' FROM sqlite_schema WHERE sql IS NOT NULL\(only) ORDER BY name", fail: fail)
        default:
            usage("unknown command \(words.first ?? line) (.help lists them)")
        }
        return false
    }

    /// The first column of `sql`'s rows, one a line.
    private func list(_ sql: String, fail: (SQLFailure) -> Void) {
        do {
            try history.run(sql, limits: limits) { event in
                // Line by line: a CREATE statement's own line breaks stay, anything else is escaped.
                if case .row(let values) = event, case .text(let text)? = values.first {
                    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                        Terminal.write(TerminalSafe.escape(String(line)) + "\n")
                    }
                }
            }
        } catch let failure as SQLFailure {
            fail(failure)
        } catch {
            fail(.invalid("\(error)"))
        }
    }
}

/// Ctrl-C in an interactive session: stops the running statement; at the prompt, ends the
/// session (status 130), as it would end any other command.
final class StatementInterrupt: Sendable {
    private let running = Atomic<Bool>(false)
    private let cancelled = Atomic<Bool>(false)
    nonisolated(unsafe) private var source: DispatchSourceSignal?

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    func begin() {
        cancelled.store(false, ordering: .releasing)
        running.store(true, ordering: .releasing)
    }

    func end() { running.store(false, ordering: .releasing) }

    static func install() -> StatementInterrupt {
        let interrupt = StatementInterrupt()
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            if interrupt.running.load(ordering: .acquiring) {
                interrupt.cancelled.store(true, ordering: .releasing)
            } else {
                Terminal.printError("")
                _exit(ExitStatus.interrupted)
            }
        }
        source.resume()
        interrupt.source = source
        return interrupt
    }
}
