#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
import TradsecCore

/// `tradsec sql` through the real binary, on histories made by `tradsec ingest`: its answers
/// against `tradsec stats`, the refusals, the formats, standard input, the time limit, and the
/// loadable extension in the real sqlite3 shell against `tradsec sql`.
@Suite(.serialized) struct SqlCommandTests {
    static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    /// Generated alerts over three hosts (one alert in eleven has none), ingested.
    static func ingestGenerated(_ count: Int, into db: String, in dir: String) {
        var generator = AlertGenerator(seed: 7)
        var text = ""
        for i in 0..<count {
            var line = generator.next(index: i)
            if i % 11 == 0 {
                line = line.replacingFirst(#""hostname":"trade-host-01","#, with: "")
            } else if i % 7 == 0 {
                line = line.replacingFirst(#""hostname":"trade-host-01""#, with: #""hostname":"trade-host-02""#)
            }
            text += line + "\n"
        }
        writeFile(dir + "/generated.jsonl", text)
        let (status, _, err) = Child.run(["ingest", "--db", db, dir + "/generated.jsonl"], in: dir)
        #expect(status == 0, "\(err)")
        #expect(err.contains("\(count) stored"), "\(err)")
    }

    /// `tradsec sql --format json`: one object per row.
    static func rows(_ sql: String, db: String, in dir: String) -> [JSONObject] {
        let (status, out, err) = Child.run(["sql", "--db", db, "--format", "json", "--max-rows", "0", sql], in: dir)
        #expect(status == 0, "\(sql): \(err)")
        return out.split(separator: "\n").compactMap { line in
            guard case .object(let object)? = try? JSONParser.parse(String(line)) else {
                Issue.record("not a JSON object: \(line)")
                return nil
            }
            return object
        }
    }

    struct Bucket: Equatable, Comparable, CustomStringConvertible {
        var key: String
        var count: Int64
        var last: String
        static func < (a: Bucket, b: Bucket) -> Bool { (a.key, a.count, a.last) < (b.key, b.count, b.last) }
        var description: String { "\(key)=\(count)@\(last)" }
    }

    static func int(_ value: JSONValue?) -> Int64? {
        if case .int(let v)? = value { return v }
        return nil
    }

    static func time(_ value: JSONValue?) -> String {
        int(value).map { Timestamp(nanoseconds: $0).rfc3339() } ?? "?"
    }

    @Test func answersEqualStatsByPriorityRuleContainerAndHost() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        Self.ingestGenerated(3000, into: db, in: dir)
        // The whole history, then a window that starts inside it (--since is inclusive).
        let middle = 1_763_800_000_000_000_000 + 1_500 * 1_000_000 as Int64
        for since in [nil, middle] {
            var statsArguments = ["stats", "--db", db, "--json", "--top", "1000"]
            var filter = ""
            if let since {
                statsArguments += ["--since", Timestamp(nanoseconds: since).rfc3339()]
                filter = "WHERE a.time_ns >= \(since)"
            }
            let (status, out, err) = Child.run(statsArguments, in: dir)
            #expect(status == 0, "\(err)")
            let stats = try JSONParser.parse(out)

            let totals = Self.rows("SELECT count(*) AS n, min(time_ns) AS oldest, max(time_ns) AS newest FROM alerts a \(filter)",
                                   db: db, in: dir)
            #expect(Self.int(totals.first?["n"]) == Self.int(stats["total"]))
            #expect(Self.int(totals.first?["n"]).map { $0 > 100 } == true, "the window holds alerts")
            #expect(Self.time(totals.first?["oldest"]) == stats["oldest"]?.stringValue)
            #expect(Self.time(totals.first?["newest"]) == stats["newest"]?.stringValue)

            var byPriority: [String: Int64] = [:]
            for row in Self.rows("SELECT priority, count(*) AS n FROM alerts a \(filter) GROUP BY priority", db: db, in: dir) {
                byPriority[Priority(rawValue: Int(Self.int(row["priority"]) ?? -1))?.name ?? "?"] = Self.int(row["n"])
            }
            var statsPriorities: [String: Int64] = [:]
            if case .object(let object)? = stats["by_priority"] {
                for (name, count) in object.pairs { statsPriorities[name] = Self.int(count) }
            }
            #expect(byPriority == statsPriorities)
            #expect(byPriority.count >= 6, "the generated alerts cover most priorities")

            func sqlBuckets(_ key: String, _ from: String, group: String) -> [Bucket] {
                Self.rows("SELECT \(key) AS key, count(*) AS n, max(a.time_ns) AS last FROM \(from) \(filter) GROUP BY \(group)",
                          db: db, in: dir).map {
                    Bucket(key: $0["key"]?.stringValue ?? "?", count: Self.int($0["n"]) ?? -1, last: Self.time($0["last"]))
                }.sorted()
            }
            func statsBuckets(_ name: String) -> [Bucket] {
                guard case .array(let items)? = stats[name] else { return [] }
                return items.map {
                    Bucket(key: $0["key"]?.stringValue ?? "?", count: Self.int($0["count"]) ?? -1, last: $0["last"]?.stringValue ?? "?")
                }.sorted()
            }
            let rules = sqlBuckets("a.rule", "alerts a", group: "a.rule")
            #expect(rules == statsBuckets("by_rule"))
            #expect(rules.count == 16)
            // Containers as stats names them: "name (first 12 of the id)", or host.
            let containers = sqlBuckets("""
                CASE WHEN a.container_id = 'host' THEN 'host' ELSE c.name || ' (' || substr(a.container_id, 1, 12) || ')' END
                """, "alerts a LEFT JOIN containers c ON c.id = a.container_id", group: "a.container_id")
            #expect(containers == statsBuckets("by_container"))
            #expect(containers.count == 51)
            let hosts = sqlBuckets("coalesce(a.hostname, '<none>')", "alerts a", group: "a.hostname")
            #expect(hosts == statsBuckets("by_host"))
            #expect(hosts.map(\.key) == ["<none>", "trade-host-01", "trade-host-02"])
        }
    }

    /// Every way to change something is refused with exit 65 and a message that says what,
    /// nothing of a script with one refused statement runs, and the files are byte for byte
    /// as they were.
    @Test func refusesWritesAndLeavesTheHistoryUnchanged() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        Self.ingestGenerated(300, into: db, in: dir)
        // The -shm file is the WAL index every reader marks; the data is the file and its WAL.
        let before = ["", "-wal"].map { fileBytes(db + $0) }
        let refused: [(String, String)] = [
            ("INSERT INTO rejects (time_ns, code, message, excerpt) VALUES (1, 'x', 'y', 'z')", "INSERT into rejects"),
            ("DELETE FROM alerts", "table alerts may not be modified"),
            ("DELETE FROM alert_rows", "DELETE from alert_rows"),
            ("UPDATE containers SET name = 'x'", "UPDATE of containers"),
            ("DROP TABLE rejects", "DROP rejects"),
            ("CREATE TABLE t (x)", "CREATE t"),
            ("CREATE TEMP TABLE t (x)", "CREATE t"),
            ("ATTACH '\(dir)/other.sqlite' AS other", "ATTACH"),
            ("PRAGMA writable_schema = ON", "PRAGMA writable_schema = ON is not a pragma that only reads"),
            ("PRAGMA user_version = 7", "PRAGMA user_version = 7"),
            ("PRAGMA query_only = OFF", "PRAGMA query_only = OFF"),
            ("SELECT load_extension('\(dir)/evil.so')", "load_extension() loads code"),
            ("VACUUM INTO '\(dir)/copy.sqlite'", "VACUUM would write"),
            ("BEGIN", "transactions are not needed"),
            ("SELECT 'first'; DELETE FROM rejects", "DELETE from rejects"),
        ]
        for (sql, reason) in refused {
            let (status, out, err) = Child.run(["sql", "--db", db, sql], in: dir)
            #expect(status == 65, "\(sql)")
            #expect(err.contains("refused: \(reason)"), "\(sql): \(err)")
            #expect(err.contains("tradsec sql only reads the history"), "\(sql): \(err)")
            #expect(out.isEmpty, "nothing ran: \(sql)")
        }
        #expect(access(dir + "/other.sqlite", F_OK) != 0)
        #expect(access(dir + "/copy.sqlite", F_OK) != 0)
        #expect(["", "-wal"].map { fileBytes(db + $0) } == before)
        // Reading pragmas and the pragma functions are allowed.
        let (status, out, _) = Child.run(["sql", "--db", db, "--format", "csv",
                                          "PRAGMA user_version; SELECT name FROM pragma_table_info('incidents') WHERE cid = 0"], in: dir)
        #expect(status == 0)
        #expect(out == "user_version\r\n0\r\n\r\nname\r\nid\r\n")
    }

    @Test func exitStatusSaysWhatWentWrong() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        Self.ingestGenerated(50, into: db, in: dir)

        var (status, out, err) = Child.run(["sql", "--db", db, "SELEC 1"], in: dir)
        #expect(status == 64 && err.contains(#"SQL error: near "SELEC": syntax error"#), "\(err)")
        (status, _, err) = Child.run(["sql", "--db", db, "SELECT x FROM nowhere"], in: dir)
        #expect(status == 64 && err.contains("no such table: nowhere"), "\(err)")
        (status, _, err) = Child.run(["sql", "--db", db, "--timeout", "-1", "SELECT 1"], in: dir)
        #expect(status == 64 && err.contains("--timeout"), "\(err)")
        (status, _, err) = Child.run(["sql", "--db", db, "--format", "xml", "SELECT 1"], in: dir)
        #expect(status == 64, "\(err)")

        // No history: nothing is created.
        (status, _, err) = Child.run(["sql", "--db", dir + "/none.sqlite", "SELECT 1"], in: dir)
        #expect(status == 66 && err.contains("no history at \(dir)/none.sqlite"), "\(err)")
        #expect(access(dir + "/none.sqlite", F_OK) != 0)
        // Not a database; a directory.
        writeFile(dir + "/garbage.sqlite", String(repeating: "not a database\n", count: 300))
        (status, _, err) = Child.run(["sql", "--db", dir + "/garbage.sqlite", "SELECT 1"], in: dir)
        #expect(status == 74 && err.contains("cannot read history") && err.contains("not a database"), "\(err)")
        mkdir(dir + "/sub", 0o700)
        defer { rmdir(dir + "/sub") }
        (status, _, err) = Child.run(["sql", "--db", dir + "/sub", "SELECT 1"], in: dir)
        #expect(status == 74 && err.contains("not a regular file"), "\(err)")

        // A runaway statement is stopped by the time limit (a recursive CTE never ends).
        let runaway = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
        let child = Child.start(["sql", "--db", db, "--timeout", "0.5", runaway], in: dir)
        status = waitWithin(child, seconds: 120) ?? -1
        #expect(status == 75)
        #expect(child.stderr.contains("stopped after 0.5 s (the time limit; --timeout SECONDS changes it, 0 for none)"), "\(child.stderr)")

        // The row limit: the first rows, and a note.
        (status, out, err) = Child.run(["sql", "--db", db, "--format", "csv", "--max-rows", "3", "SELECT id FROM alerts ORDER BY id"], in: dir)
        #expect(status == 0)
        #expect(out == "id\r\n1\r\n2\r\n3\r\n")
        #expect(err.contains("stopped after 3 rows (--max-rows; 0 prints them all)"))
    }

    /// Attacker-controlled alert text in each format: tables escape it, CSV neutralises
    /// formulas and quotes per RFC 4180, JSON Lines is valid and keeps the text exactly
    /// when piped.
    @Test func formatsEscapeNeutraliseAndStayValid() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        writeFile(dir + "/hostile.jsonl", [
            alertLine(1, rule: #"=HYPERLINK(\"http://evil.example\")"#, output: #"clear \u001b[2J and \u202egnp.exe, \"quoted\""#),
            alertLine(2, rule: "-2+3", output: "plain"),
        ].joined(separator: "\n") + "\n")
        #expect(Child.run(["ingest", "--db", db, dir + "/hostile.jsonl"], in: dir).0 == 0)
        let select = "SELECT id, rule, alert_output(raw_chunk, raw_offset, raw_length) AS output FROM alerts ORDER BY id"

        var (status, out, _) = Child.run(["sql", "--db", db, select], in: dir)
        #expect(status == 0)
        #expect(!out.utf8.contains(0x1B) && !out.unicodeScalars.contains("\u{202E}"))
        #expect(out.contains(#"clear \x1b[2J and \u{202e}gnp.exe, "quoted""#), "\(out)")
        #expect(out.hasPrefix("id  rule"))

        (status, out, _) = Child.run(["sql", "--db", db, "--format", "csv",
                                      select + "; SELECT -5 AS n, '-5' AS t, 1.5 AS r, NULL AS z, x'00ff' AS b"], in: dir)
        #expect(status == 0)
        #expect(out == "id,rule,output\r\n"
                + #"1,"'=HYPERLINK(""http://evil.example"")","clear \#u{1B}[2J and \#u{202E}gnp.exe, ""quoted""""# + "\r\n"
                + "2,'-2+3,plain\r\n"
                + "\r\nn,t,r,z,b\r\n-5,'-5,1.5,,00ff\r\n")

        (status, out, _) = Child.run(["sql", "--db", db, "--format", "json",
                                      select + "; SELECT 1 AS n, 2 AS n, x'00ff' AS b, 1.5 AS r, NULL AS z"], in: dir)
        #expect(status == 0)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let first = try JSONParser.parse(lines[0])
        #expect(first["rule"]?.stringValue == #"=HYPERLINK("http://evil.example")"#)
        #expect(first["output"]?.stringValue == "clear \u{1B}[2J and \u{202E}gnp.exe, \"quoted\"")
        #expect(lines[2] == #"{"n":1,"n_2":2,"b":"00ff","r":1.5,"z":null}"#)
    }

    @Test func readsStatementsFromStandardInput() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        Self.ingestGenerated(40, into: db, in: dir)
        writeFile(dir + "/script.sql", """
            SELECT count(*) AS n
              FROM alerts;
            SELEC 1;
            .mode json
            SELECT 'a;b' AS s; SELECT 2 AS two;
            .tables
            .schema containers
            .nope
            SELECT 3 AS three
            """)
        var (status, out, err) = Child.run(["sql", "--db", db], stdin: dir + "/script.sql", in: dir)
        // Every statement ran; the status is the first failure's.
        #expect(status == 64)
        #expect(out.hasPrefix("n\n40\n"), "\(out)")
        #expect(out.contains("{\"s\":\"a;b\"}\n{\"two\":2}\n"))
        #expect(out.contains("\nalerts\n") && out.contains("\nincidents\n") && out.contains("\nnotification_outbox\n"))
        #expect(out.contains("CREATE TABLE containers ("))
        #expect(out.hasSuffix("{\"three\":3}\n"), "the last statement needs no ';': \(out)")
        #expect(err.contains(#"SQL error: near "SELEC": syntax error"#) && err.contains("unknown command .nope"), "\(err)")
        #expect(!err.contains("sql> "), "no prompt when standard input is not a terminal")

        writeFile(dir + "/quit.sql", "SELECT 1 AS one;\n.quit\nSELECT 2 AS two;\n")
        (status, out, _) = Child.run(["sql", "--db", db], stdin: dir + "/quit.sql", in: dir)
        #expect(status == 0)
        #expect(out == "one\n1\n")
    }

    /// Every query in docs/history.md runs.
    @Test func documentedQueriesRun() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        Self.ingestGenerated(200, into: db, in: dir)
        let doc = readFile(Self.root + "/docs/history.md")
        var queries: [String] = []
        var current: String?
        for line in doc.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```sql" { current = ""; continue }
            if current != nil, line == "```" { queries.append(current!); current = nil; continue }
            if current != nil { current! += line + "\n" }
        }
        #expect(queries.count >= 5)
        for query in queries {
            let (status, out, err) = Child.run(["sql", "--db", db, query], in: dir)
            #expect(status == 0, "\(query): \(err)")
            #expect(!out.isEmpty, "\(query)")
        }
    }

    // MARK: - The loadable extension in the sqlite3 shell

    static let sqlite3 = "/usr/bin/sqlite3"

    /// Builds .build/tradsec_alerts.so from the current sources (a no-op when it is up to date).
    static func buildExtension(in dir: String) -> String {
        let log = dir + "/make.log"
        let child = ChildProcess.start(["/usr/bin/make", "--no-print-directory", "-C", root, "sqlite-extension"],
                                       stdoutPath: log, environment: ChildProcess.inheritedEnvironment)
        #expect(child?.wait() == 0, "make sqlite-extension: \(readFile(log))")
        return root + "/.build/tradsec_alerts"
    }

    /// A value as text both tools print alike in CSV: its type, then its bytes in hex (NULL
    /// told apart from '', every byte kept; quote() would stop at a NUL).
    static func literal(_ expression: String) -> String {
        "(CASE typeof(\(expression)) WHEN 'null' THEN 'NULL' WHEN 'text' THEN 'T' || hex(\(expression)) "
            + "ELSE upper(substr(typeof(\(expression)), 1, 1)) || hex(\(expression)) END)"
    }

    /// The sqlite3 shell, read-only, with the extension loaded; CSV out.
    static func shell(_ sql: String, db: String, library: String, in dir: String) -> (Int32, String, String) {
        let tag = UInt32.random(in: 0...UInt32.max)
        guard let child = ChildProcess.start([sqlite3, "-readonly", "-csv", "-bail", db, ".load \(library)", sql],
                                             stdoutPath: dir + "/shell-out-\(tag)", stderrPath: dir + "/shell-err-\(tag)",
                                             environment: ["PATH=/usr/bin:/bin", "HOME=" + dir, "LANG=C.UTF-8"]) else {
            Issue.record("cannot start \(sqlite3)")
            return (-1, "", "")
        }
        let status = child.wait()
        return (status, child.stdout, child.stderr)
    }

    /// The same through `tradsec sql` (CSV, without its header and CR).
    static func tradsec(_ sql: String, db: String, in dir: String) -> (Int32, String, String) {
        let (status, out, err) = Child.run(["sql", "--db", db, "--format", "csv", "--max-rows", "0", sql], in: dir)
        let body = out.split(separator: "\r\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
        return (status, body, err)
    }

    @Test func theSqlite3ShellReadsAlertsThroughTheExtensionAsTradsecDoes() throws {
        try #require(access(Self.sqlite3, X_OK) == 0, "the sqlite3 shell is missing: make test-deps installs it")
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let library = Self.buildExtension(in: dir)
        let db = dir + "/h.sqlite"
        Self.ingestGenerated(2000, into: db, in: dir)

        // Without the extension the shell cannot read alerts (why it exists).
        let bare = ChildProcess.start([Self.sqlite3, "-readonly", db, "SELECT count(*) FROM alerts"],
                                      stdoutPath: dir + "/bare-out", stderrPath: dir + "/bare-err")
        #expect(bare?.wait() != 0)
        #expect(readFile(dir + "/bare-err").contains("no such module: tradsec_alerts"))

        // Every column of every alert, and the output text, as hex of SQL literals: the same
        // bytes in both tools' CSV, NULL told apart from ''.
        let columns = ["id", "time_ns", "priority", "rule", "source", "hostname", "container_id", "proc_name", "user_name",
                       "fingerprint", "ingested_ns", "origin", "raw_chunk", "raw_offset", "raw_length",
                       "alert_output(raw_chunk, raw_offset, raw_length)"]
        let everything = "SELECT " + columns.map(Self.literal).joined(separator: " || '|' || ") + " FROM alerts ORDER BY id"
        let (shellStatus, shellOut, shellErr) = Self.shell(everything, db: db, library: library, in: dir)
        #expect(shellStatus == 0, "\(shellErr)")
        let (status, out, err) = Self.tradsec(everything, db: db, in: dir)
        #expect(status == 0, "\(err)")
        #expect(shellOut.split(separator: "\n").count == 2000)
        #expect(shellOut == out)

        // Lookups, ranges both ways, time bounds and counts go through the module's plans.
        for sql in ["SELECT count(*), sum(priority), max(time_ns) FROM alerts",
                    "SELECT id FROM alerts WHERE id IN (5, 17, 1999) ORDER BY id DESC",
                    "SELECT id FROM alerts WHERE id BETWEEN 100 AND 110 ORDER BY id DESC",
                    "SELECT count(*) FROM alerts WHERE time_ns >= 1763800001000000000 AND time_ns < 1763800001500000000",
                    "SELECT hex(rule), count(*) FROM alerts GROUP BY rule ORDER BY 2 DESC, 1"] {
            let shell = Self.shell(sql, db: db, library: library, in: dir)
            let ours = Self.tradsec(sql, db: db, in: dir)
            #expect(shell.0 == 0 && ours.0 == 0, "\(sql): \(shell.2) \(ours.2)")
            #expect(shell.1 == ours.1, "\(sql)")
        }
    }

    /// The C alert_output of the extension against the Swift one on lines that exercise the
    /// decoder: escapes, surrogate pairs, NUL, duplicate keys, null and absent output, odd
    /// priority spellings and time zones, and objects nested inside an alert read as alerts of
    /// their own (some valid, some not), at shifted offsets and lengths.
    @Test func extensionAlertOutputEqualsTradsecs() throws {
        try #require(access(Self.sqlite3, X_OK) == 0, "the sqlite3 shell is missing: make test-deps installs it")
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let library = Self.buildExtension(in: dir)
        let db = dir + "/h.sqlite"
        let t = #""time":"2025-11-22T10:00:0"#
        func nested(_ body: String) -> String {
            #"{"output":"outer","priority":"Warning","rule":"r","time":"2025-11-22T10:00:00Z","output_fields":{"inner":\#(body)}}"#
        }
        let inners = [
            #"{"output":"inner \u00e9","priority":"Error","rule":"r","time":"2025-01-01T00:00:00Z"}"#,
            #"{"output":"bad priority","priority":"Severe","rule":"r","time":"2025-01-01T00:00:00Z"}"#,
            #"{"output":"before the epoch","priority":"Error","rule":"r","time":"1969-12-31T23:59:59Z"}"#,
            #"{"output":"tags not strings","priority":"Error","rule":"r","time":"2025-01-01T00:00:00Z","tags":[1]}"#,
            #"{"output":"no rule","priority":"Error","time":"2025-01-01T00:00:00Z"}"#,
            #"{"output":"leap second","priority":"INFO","rule":"r","time":"2016-12-31T23:59:60.5+01:30"}"#,
            #"{"output":"bad date","priority":"info","rule":"r","time":"2025-02-29T00:00:00Z"}"#,
        ]
        let lines = [
            #"{"output":"esc \u001b nul \u0000 slash \/ quote \" pair \ud83d\ude00 tab\t","priority":"wARNING","rule":"r",\#(t)1Z"}"#,
            #"{"output":"first","output":"second","priority":"Notice","rule":"r",\#(t)2+02:00"}"#,
            #"{"output":null,"priority":"Debug","rule":"r",\#(t)3.123456789123z"}"#,
            #"{"priority":"Emergency","rule":"r",\#(t)4","tags":["a","b"],"source":null}"#,
            #"{"outp\u0075t":"escaped key","priority":"Alert","rule":"r",\#(t)5"}"#,
            #"  {"output":"\u00fcber 日本","priority":"Critical","rule":"r","time":"2025-11-22 10:00:06Z", "hostname":"h"}  "#,
        ] + inners.map(nested)
        writeFile(dir + "/crafted.jsonl", lines.joined(separator: "\n") + "\n")
        let (ingested, _, ingestErr) = Child.run(["ingest", "--db", db, dir + "/crafted.jsonl"], in: dir)
        #expect(ingested == 0)
        #expect(ingestErr.contains("\(lines.count) stored"), "\(ingestErr)")

        // Each alert's own line, shifted in and cut short.
        let shifted = """
            SELECT a.id || ':' || k.v || ':' || l.v || ':' || \(Self.literal("alert_output(raw_chunk, raw_offset + k.v, raw_length - k.v - l.v)"))
            FROM alerts a, (SELECT 0 v UNION SELECT 1 UNION SELECT 2) k, (SELECT 0 v UNION SELECT 1) l ORDER BY a.id, k.v, l.v
            """
        let shell = Self.shell(shifted, db: db, library: library, in: dir)
        let ours = Self.tradsec(shifted, db: db, in: dir)
        #expect(shell.0 == 0 && ours.0 == 0, "\(shell.2) \(ours.2)")
        #expect(shell.1 == ours.1)
        #expect(shell.1.split(separator: "\n").count == lines.count * 6)

        // The nested objects at their own place in their line (the line is stored verbatim).
        var places: [String] = []
        for (n, inner) in inners.enumerated() {
            let id = 7 + n
            let start = Array(nested(inner).utf8).firstRange(of: Array(inner.utf8))!.lowerBound
            places.append("SELECT '\(n):' || \(Self.literal("alert_output(raw_chunk, raw_offset + \(start), \(inner.utf8.count))")) FROM alerts WHERE id = \(id)")
        }
        /// ``literal(_:)`` of a text, or of NULL.
        func hexQuoted(_ bytes: [UInt8]?) -> String {
            bytes.map { "T" + $0.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined() } ?? "NULL"
        }
        let inside = places.joined(separator: " UNION ALL ")
        let shellInside = Self.shell(inside, db: db, library: library, in: dir)
        let oursInside = Self.tradsec(inside, db: db, in: dir)
        #expect(shellInside.0 == 0 && oursInside.0 == 0, "\(shellInside.2) \(oursInside.2)")
        #expect(shellInside.1 == oursInside.1)
        let null = hexQuoted(nil)
        #expect(shellInside.1 == "0:\(hexQuoted(Array("inner é".utf8)))\n1:\(null)\n2:\(null)\n3:\(null)\n4:\(null)\n"
                + "5:\(hexQuoted(Array("leap second".utf8)))\n6:\(null)\n", "\(shellInside.1)")

        // What the decoder makes of the crafted lines, so both are right and not only equal.
        let outputs = "SELECT \(Self.literal("alert_output(raw_chunk, raw_offset, raw_length)")) FROM alerts WHERE id <= 6 ORDER BY id"
        let shellOutputs = Self.shell(outputs, db: db, library: library, in: dir).1.split(separator: "\n").map(String.init)
        #expect(shellOutputs == [
            hexQuoted(Array("esc \u{1B} nul ".utf8) + [0] + Array(" slash / quote \" pair 😀 tab\t".utf8)),
            hexQuoted(Array("first".utf8)), hexQuoted([]), hexQuoted([]), hexQuoted(Array("escaped key".utf8)),
            hexQuoted(Array("über 日本".utf8)),
        ])
    }
}

/// A file's bytes (empty when it cannot be read).
func fileBytes(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "r") else { return [] }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return bytes
}

/// The child's exit status, or nil (and the child killed) when it has not ended in `seconds`.
func waitWithin(_ child: Child, seconds: Double) -> Int32? {
    let deadline = Monotonic.seconds() + seconds
    var status: Int32 = 0
    while Monotonic.seconds() < deadline {
        let pid = waitpid(child.pid, &status, WNOHANG)
        if pid == child.pid { return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F) }
        if pid < 0 && errno != EINTR { return nil }
        usleep(20_000)
    }
    kill(child.pid, SIGKILL)
    _ = child.wait()
    return nil
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        replacing(target, with: replacement, maxReplacements: 1)
    }
}
