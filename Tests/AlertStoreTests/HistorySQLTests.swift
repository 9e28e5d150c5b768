#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import AlertStore
import TradsecCore

/// The read-only SQL connection: typed values, the alerts table and alert_output as the store
/// sees them, refusals, limits and the failures a caller must tell apart.
@Suite struct HistorySQLTests {
    let bot = (id: "3ad7b26ded6d", name: "ai-trading-bot")

    func filled() throws -> TemporaryStore {
        let t = try TemporaryStore()
        // Typed parts: the whole expression at once is too much for the type checker on a busy machine.
        let alerts: [Alert] = (0..<300).map { (i: Int) -> Alert in
            let rule: String = i % 3 == 0 ? "Exchange API key read" : "Shell in container"
            let priority: Priority = i % 5 == 0 ? .critical : .warning
            return makeAlert(Int64(i), rule: rule, priority: priority, container: i % 2 == 0 ? bot : nil, output: "alert \(i) \u{1B}[31m")
        }
        try t.store.insert(alerts, origin: "test")
        return t
    }

    /// Every event of `sql`, or its failure.
    func events(_ sql: String, on history: HistorySQL, limits: SQLLimits = SQLLimits(),
                cancelled: (() -> Bool)? = nil) -> Result<[SQLEvent], SQLFailure> {
        var events: [SQLEvent] = []
        do {
            try history.run(sql, limits: limits, cancelled: cancelled) { events.append($0) }
            return .success(events)
        } catch let failure as SQLFailure {
            return .failure(failure)
        } catch {
            Issue.record("unexpected \(error)")
            return .success([])
        }
    }

    @Test func givesTypedValuesAndColumnNamesStatementByStatement() throws {
        let t = try filled()
        let history = try HistorySQL(path: t.path)
        let got = events("SELECT 1 AS i, 1.5 AS r, 'text' AS t, x'00ff' AS b, NULL AS n; SELECT 2 AS two", on: history)
        #expect(got == .success([
            .columns(["i", "r", "t", "b", "n"]), .row([.integer(1), .real(1.5), .text("text"), .blob([0, 0xFF]), .null]),
            .end(rows: 1, truncated: false),
            .columns(["two"]), .row([.integer(2)]), .end(rows: 1, truncated: false),
        ]))
        // Comments and empty statements are not statements.
        #expect(events("-- nothing\n;;", on: history) == .success([]))
    }

    @Test func readsTheAlertsTableAndOutputAsTheStoreDoes() throws {
        let t = try filled()
        let history = try HistorySQL(path: t.path)
        let stored = try t.store.alerts(AlertQuery(limit: 1000)).sorted { $0.id < $1.id }
        let got = try events("""
            SELECT id, rule, priority, container_id, alert_output(raw_chunk, raw_offset, raw_length) FROM alerts ORDER BY id
            """, on: history).get()
        let rows = got.compactMap { event -> [SQLValue]? in if case .row(let values) = event { return values } else { return nil } }
        #expect(rows.count == 300)
        #expect(rows == stored.map {
            [.integer($0.id), .text($0.alert.rule), .integer(Int64($0.alert.priority.rawValue)), .text($0.alert.container.id),
             .text($0.alert.output)]
        })
    }

    @Test func refusesWhatWouldChangeSomethingBeforeAnythingRuns() throws {
        let t = try filled()
        let history = try HistorySQL(path: t.path)
        for (sql, reason) in [("DELETE FROM alert_rows", "DELETE from alert_rows would change the history"),
                              ("INSERT INTO silences (kind, value, until_ns, created_ns) VALUES ('rule', 'x', 1, 1)", "INSERT into silences"),
                              ("ATTACH ':memory:' AS m", "ATTACH and DETACH"),
                              ("PRAGMA journal_mode = DELETE", "PRAGMA journal_mode = DELETE is not a pragma that only reads"),
                              ("SELECT load_extension('x')", "load_extension() loads code"),
                              ("SELECT 1; DROP TABLE rejects", "DROP rejects would change the schema")] {
            guard case .failure(.refused(let message)) = events(sql, on: history) else {
                Issue.record("not refused: \(sql)")
                continue
            }
            #expect(message.contains(reason), "\(sql): \(message)")
        }
        // The connection is still good, and the history holds what it held.
        #expect(events("SELECT count(*) FROM alerts", on: history)
            == .success([.columns(["count(*)"]), .row([.integer(300)]), .end(rows: 1, truncated: false)]))
    }

    @Test func stopsAtTheRowLimitTheTimeLimitAndWhenCancelled() throws {
        let t = try filled()
        let history = try HistorySQL(path: t.path)
        let limited = try events("SELECT id FROM alerts ORDER BY id", on: history, limits: SQLLimits(maxRows: 2)).get()
        #expect(limited == [.columns(["id"]), .row([.integer(1)]), .row([.integer(2)]), .end(rows: 2, truncated: true)])
        let exact = try events("SELECT id FROM alerts WHERE id <= 2", on: history, limits: SQLLimits(maxRows: 2)).get()
        #expect(exact.last == .end(rows: 2, truncated: false))

        let runaway = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
        #expect(events(runaway, on: history, limits: SQLLimits(seconds: 0.2)) == .failure(.timedOut(seconds: 0.2)))
        var asked = 0
        #expect(events(runaway, on: history, cancelled: { asked += 1; return asked > 3 }) == .failure(.cancelled))
        // Time spent by the caller between rows is not the statement's.
        var rows = 0
        try history.run("SELECT id FROM alerts WHERE id <= 3", limits: SQLLimits(seconds: 0.2)) { event in
            if case .row = event { rows += 1; usleep(150_000) }
        }
        #expect(rows == 3)
    }

    @Test func tellsMissingUnreadableAndInvalidApart() throws {
        let t = try filled()
        #expect(throws: SQLFailure.noHistory(path: t.directory + "/none.sqlite")) { try HistorySQL(path: t.directory + "/none.sqlite") }
        #expect(access(t.directory + "/none.sqlite", F_OK) != 0, "nothing is created")
        let garbage = t.directory + "/garbage.sqlite"
        let fd = open(garbage, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        _ = Array(repeating: UInt8(ascii: "x"), count: 4096).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        defer { unlink(garbage) }
        do {
            _ = try HistorySQL(path: garbage)
            Issue.record("a file that is not a database opened")
        } catch {
            guard case .unreadable(let message) = error else { Issue.record("\(error)"); return }
            #expect(message.contains("not a database"))
        }
        let history = try HistorySQL(path: t.path)
        guard case .failure(.invalid(let message)) = events("SELECT * FROM nowhere", on: history) else {
            Issue.record("an unknown table is not .invalid")
            return
        }
        #expect(message == "no such table: nowhere")
    }

    @Test func tellsWhenAStatementIsComplete() {
        #expect(HistorySQL.isComplete("SELECT 1;"))
        #expect(!HistorySQL.isComplete("SELECT ';"))
        #expect(!HistorySQL.isComplete("SELECT 1 -- ;"))
        #expect(HistorySQL.isComplete("SELECT 1 -- x\n;\n"))
    }
}
