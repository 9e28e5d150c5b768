#if canImport(Glibc)
import Glibc
#endif
import GRDB
import Testing
import TestSupport
import TradsecCore

/// Issue 15, through the real binary: the history's files and the socket are owner-only, a
/// damaged history is exit 74 with a message, the socket listener's memory stays bounded
/// under garbage, and `query` output is safe on a terminal and in a spreadsheet.
@Suite struct HostileInputTests {
    func mode(_ path: String) -> mode_t? {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & 0o7777 : nil
    }

    func connect(_ path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() { raw[i] = b }
        }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(rc == 0, "connect \(path): \(String(cString: strerror(errno)))")
        return fd
    }

    func send(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }

    func storedCount(_ db: String, in dir: String) -> Int {
        let (_, out, _) = Child.run(["stats", "--db", db, "--json"], in: dir)
        guard let range = out.range(of: #""total":"#) else { return -1 }
        return Int(out[range.upperBound...].prefix(while: \.isNumber)) ?? -1
    }

    /// The peak resident memory of a process, in KiB.
    func peakResidentKiB(_ pid: pid_t) -> Int {
        let status = readFile("/proc/\(pid)/status")
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return -1 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? -1
    }

    // MARK: - Files (item 9)

    @Test func historyWALSHMLockAndSocketAreOwnerOnlyUnderUmask022() throws {
        let old = umask(0o022)
        defer { umask(old) }
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite", sock = dir + "/alerts.sock"
        let listener = Child.start(["ingest", "--db", db, "--socket", sock], in: dir)
        #expect(waitFor(30) { mode(sock) != nil }, "\(listener.stderr)")
        let writer = connect(sock)
        send(writer, Array((alertLine(1) + "\n").utf8))
        close(writer)
        #expect(waitFor(30) { storedCount(db, in: dir) == 1 })
        for path in [db, db + "-wal", db + "-shm", db + ".open-lock", sock] {
            #expect(mode(path) == 0o600, "\(path): \(mode(path).map { String($0, radix: 8) } ?? "missing")")
        }
        kill(listener.pid, SIGTERM)
        #expect(listener.wait() == 0)
        #expect(mode(sock) == nil, "the socket is removed on exit")
    }

    @Test func aHistoryOpenToOthersIsTightenedAndTheUserIsTold() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        writeFile(dir + "/a.jsonl", alertLine(1) + "\n")
        _ = Child.run(["ingest", "--db", db, dir + "/a.jsonl"], in: dir)
        chmod(db, 0o644)
        let (status, _, err) = Child.run(["stats", "--db", db], in: dir)
        #expect(status == 0)
        #expect(err.contains("h.sqlite was accessible to others (mode 0644); restricted to its owner (0600)"), "\(err)")
        #expect(mode(db) == 0o600)
    }

    @Test func theDemoHistoryIsInAPrivateDirectory() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let runtime = dir + "/run"
        mkdir(runtime, 0o700)
        let (status, _, err) = Child.run(["demo", "--instant", "--print"], environment: ["XDG_RUNTIME_DIR": runtime], in: dir)
        #expect(status == 0, "\(err)")
        // "playing the incident into PATH": a new directory under $XDG_RUNTIME_DIR, 0700.
        let path = err.split(separator: "\n").first { $0.contains("playing the incident into") }.map {
            String($0.split(separator: " ").first { $0.hasPrefix("/") } ?? "")
        } ?? ""
        #expect(path.hasPrefix(runtime + "/tradsec-demo-") && path.hasSuffix("/history.sqlite"), "\(err)")
        let parent = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
        #expect(mode(parent) == 0o700 && mode(path) == 0o600)
        for name in ["history.sqlite", "history.sqlite-wal", "history.sqlite-shm", "history.sqlite.open-lock"] { unlink(parent + "/" + name) }
        rmdir(parent)
        rmdir(runtime)
    }

    // MARK: - A damaged history (item 10)

    /// A copy of one history per damage, each written with SQL: `query` and `stats` end with
    /// exit 74 and a message naming the table and row, never a trap.
    @Test(arguments: [
        ("UPDATE alert_postings SET ids = x'80808080808080808001' WHERE term = 'p:4'", "alert_postings block 1", true),
        ("UPDATE alert_chunks SET size = 3000000000 WHERE id = 1", "alert_chunks row 1", false),
        ("UPDATE alert_rows SET records = substr(records, 1, length(records) - 5)", "alert_rows row", true),
        ("UPDATE alert_blocks SET last_id = 9223372036854775807", "alert_blocks row 1", true),
    ])
    func aDamagedHistoryIsExit74WithAMessage(damage: String, place: String, statsReadsIt: Bool) throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        writeFile(dir + "/a.jsonl", (1...300).map { alertLine($0, priority: $0 % 3 == 0 ? "Error" : "Warning") }.joined(separator: "\n") + "\n")
        #expect(Child.run(["ingest", "--db", db, dir + "/a.jsonl"], in: dir).0 == 0)
        try DatabaseQueue(path: db).write { try $0.execute(sql: damage) }

        var (status, out, err) = Child.run(["query", "--db", db, "--priority", "warning", "--limit", "1000"], in: dir)
        #expect(status == 74, "\(err)")
        #expect(err.contains("history is damaged (\(place)"), "\(err)")
        #expect(out.isEmpty)
        (status, _, err) = Child.run(["stats", "--db", db, "--priority", "warning"], in: dir)
        #expect(statsReadsIt ? status == 74 && err.contains("history is damaged") : status == 0, "\(status) \(err)")
    }

    // MARK: - The socket listener under garbage (item 11)

    /// One writer sends 24 MiB of nothing but rejects (and over-long lines); the listener's
    /// peak memory grows by far less than that, every line is counted, and the alerts another
    /// writer sends afterwards are stored.
    @Test func garbageOnTheSocketLeavesMemoryBoundedAndAlertsStored() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite", sock = dir + "/alerts.sock"
        let listener = Child.start(["ingest", "--db", db, "--socket", sock, "--json"], in: dir)
        #expect(waitFor(30) { mode(sock) != nil }, "\(listener.stderr)")
        let first = connect(sock)
        send(first, Array((alertLine(1) + "\n").utf8))
        #expect(waitFor(30) { storedCount(db, in: dir) == 1 })
        let before = peakResidentKiB(listener.pid)

        let garbage = connect(sock)
        let chunk = Array((String(repeating: "not an alert, only noise\n", count: 40_000)).utf8)   // 1 MiB, 40,000 lines
        for _ in 0..<24 { send(garbage, chunk) }
        send(garbage, Array((String(repeating: "z", count: 3 << 20) + "\n").utf8))           // over the 1 MiB line limit
        close(garbage)
        for n in 2...11 { send(first, Array((alertLine(n) + "\n").utf8)) }
        close(first)
        #expect(waitFor(120) { storedCount(db, in: dir) == 11 })
        let after = peakResidentKiB(listener.pid)
        kill(listener.pid, SIGTERM)
        #expect(listener.wait() == 0)
        #expect(before > 0 && after - before < 12 << 10, "peak resident \(before) KiB before, \(after) KiB after 24 MiB of rejects")
        #expect(listener.stdout.contains(#""rejected":960001"#), "\(listener.stdout)")
        #expect(listener.stdout.contains(#""too_long":1"#) && listener.stdout.contains(#""stored":11"#), "\(listener.stdout)")
        // The rejects table keeps the newest ten thousand or so, not all of them.
        let (_, out, _) = Child.run(["rejects", "--db", db, "--limit", "100000"], in: dir)
        let kept = out.split(separator: "\n").filter { !$0.hasPrefix("    ") }.count
        #expect(kept > 9_000 && kept < 12_000, "\(kept)")
    }

    // MARK: - Output for a terminal and a spreadsheet (item 8)

    /// An alert whose output holds a C1 control (U+0085, NEL) and a bidi override (U+202E) as
    /// raw UTF-8, which JSON allows inside strings.
    static let hostileLine = alertLine(1, rule: "Read \u{202E}yek.ipa", output: "cat \u{85}/etc/shadow \u{202E}txt.exe")

    @Test func queryJSONIsByteForBytePipedAndEscapedOnATerminal() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        writeFile(dir + "/a.jsonl", Self.hostileLine + "\n")
        _ = Child.run(["ingest", "--db", db, dir + "/a.jsonl"], in: dir)

        // Piped: Falco's bytes exactly.
        let (status, out, _) = Child.run(["query", "--db", db, "--format", "json"], in: dir)
        #expect(status == 0)
        #expect(Array(out.utf8) == Array((Self.hostileLine + "\n").utf8))

        // On a terminal (a pty in raw mode, so the bytes arrive as written).
        // posix_openpt and friends are not in Swift's Glibc module: the same through /dev/ptmx
        // and its two ioctls (TIOCSPTLCK to unlock, TIOCGPTN for the number; Linux values).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: Int32 = 0, number: UInt32 = 0
        try #require(master >= 0 && ioctl(master, 0x4004_5431, &unlock) == 0 && ioctl(master, 0x8004_5430, &number) == 0)
        defer { close(master) }
        let pts = "/dev/pts/\(number)"
        let slave = open(pts, O_RDWR | O_NOCTTY | O_CLOEXEC)
        var mode = termios()
        tcgetattr(slave, &mode)
        cfmakeraw(&mode)
        tcsetattr(slave, TCSANOW, &mode)
        let child = ChildProcess.start([ChildProcess.tradsec, "query", "--db", db, "--format", "json"],
                                       stdoutPath: pts, stderrPath: dir + "/err", environment: ["PATH=/usr/bin:/bin", "HOME=" + dir])!
        #expect(child.wait() == 0, "\(child.stderr)")
        close(slave)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        while true {
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        let shown = String(decoding: bytes, as: UTF8.self)
        #expect(shown.contains(#"cat \u0085/etc/shadow \u202etxt.exe"#) && shown.contains(#"Read \u202eyek.ipa"#), "\(shown)")
        #expect(!shown.unicodeScalars.contains { TerminalSafe.isUnsafe($0) && $0 != "\n" }, "nothing unsafe reaches the terminal")
        // Still the same JSON.
        let line = String(shown.dropLast())
        #expect(try JSONParser.parse(line) == JSONParser.parse(Self.hostileLine))
    }

    @Test func csvCellsThatASpreadsheetWouldRunAreNeutralised() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let db = dir + "/h.sqlite"
        writeFile(dir + "/a.jsonl", [
            alertLine(1, rule: "=HYPERLINK(\\\"http://x\\\")", output: "+1+cmd|' /C calc'!A0"),
            alertLine(2, rule: "@SUM(1,2)", output: "-2+3"),
            alertLine(3, rule: "\\tTab", output: "\\r=1"),
            alertLine(4, rule: "plain rule", output: "a \\\"quoted\\\" word, with a comma"),
        ].joined(separator: "\n") + "\n")
        _ = Child.run(["ingest", "--db", db, dir + "/a.jsonl"], in: dir)
        let (status, out, _) = Child.run(["query", "--db", db, "--format", "csv"], in: dir)
        #expect(status == 0)
        let rows = out.split(separator: "\r\n").map(String.init)
        #expect(rows.count == 5)
        #expect(rows.contains { $0.contains(#",Warning,"'=HYPERLINK(""http://x"")","#) && $0.hasSuffix(",'+1+cmd|' /C calc'!A0") }, "\(out)")
        #expect(rows.contains { $0.contains(",\"'@SUM(1,2)\",") && $0.hasSuffix(",'-2+3") }, "\(out)")
        #expect(rows.contains { $0.contains(",'\tTab,") && $0.hasSuffix(",\"'\r=1\"") }, "\(out)")
        #expect(rows.contains { $0.hasSuffix(#","a ""quoted"" word, with a comma""#) }, "\(out)")
        // No cell starts with a formula character.
        for row in rows.dropFirst() {
            #expect(!row.contains(",=") && !row.contains(",+") && !row.contains(",-") && !row.contains(",@") && !row.contains(",\"="), "\(row)")
        }
    }
}
