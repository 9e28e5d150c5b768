#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Testing
import TestSupport
import TradsecCore

/// `tradsec action stop-trading` on a real terminal (tmux): the operator must type the bot's name.
@Suite(.serialized, .timeLimit(.minutes(1)), .enabled(if: TmuxSession.consoleAvailable, "needs tmux and 'tradsec console'"))
struct ActionPromptEndToEndTests {
    @Test func aTypedNameConfirmsAndAWrongOneCallsItOff() throws {
        let h = try Harness()
        let bot = try RecordingHTTPServer { _ in .init(status: 200, body: "halted") }
        defer { bot.stop() }
        let config = h.directory + "/actions.yaml"
        writeFile(config, "actions:\n  stop_trading: {url: \"\(bot.baseURL)/api/emergency/stop\", timeout: 2s, name: alpha-bot}\n")
        let db = h.directory + "/history.sqlite"
        let command = [TmuxSession.binary, "action", "stop-trading", "--db", db, "--config", config]

        let wrongDir = h.directory + "/wrong", rightDir = h.directory + "/right"
        mkdir(wrongDir, 0o700)
        mkdir(rightDir, 0o700)
        // The harness removes a flat directory; these two go first (after their tmux sessions).
        defer { removeTree(wrongDir); removeTree(rightDir) }
        do {
            let tmux = TmuxSession(command: command, directory: wrongDir)
            #expect(waitForFile(wrongDir + "/stderr.txt", containing: "Type alpha-bot to stop-trading it"))
            tmux.type("alpha")
            tmux.send("Enter")
            #expect(tmux.exitStatus() == 2)
            #expect(bot.requests.isEmpty, "a wrong name must not reach the bot")
        }
        do {
            let tmux = TmuxSession(command: command, directory: rightDir)
            #expect(waitForFile(rightDir + "/stderr.txt", containing: "Type alpha-bot"))
            tmux.type("alpha-bot")
            tmux.send("Enter")
            #expect(tmux.exitStatus() == 0)
            #expect(tmux.waitFor("stop-trading alpha-bot: ok"))
            #expect(bot.requests.count == 1)
        }
        let results = try AlertStore(path: db).auditEntries().map(\.result)
        #expect(results == [.ok, .refused])
    }

    @Test func engineTextIsEscapedOnTheTerminal() throws {
        let h = try Harness()
        let hostile = "\u{1B}[2J\u{1B}]0;pwned\u{07} \u{202E}gnp.exe"
        let evil = JSONWriter.string(.string("/evil" + hostile))
        let engine = try RecordingHTTPServer(unixSocket: h.directory + "/engine.sock") { request in
            guard request.path.hasPrefix("/v1.41/containers/json") else { return .init(status: 404) }
            return .init(body: #"[{"Id":"\#(String(repeating: "ab", count: 32))","Names":[\#(evil)],"Image":"x","State":"running"}]"#)
        }
        defer { engine.stop() }
        let config = h.directory + "/actions.yaml"
        writeFile(config, "actions:\n  docker: {socket: \(h.directory)/engine.sock}\n")
        let db = h.directory + "/history.sqlite"
        let actionDir = h.directory + "/action", auditDir = h.directory + "/audit"
        mkdir(actionDir, 0o700)
        mkdir(auditDir, 0o700)
        defer { removeTree(actionDir); removeTree(auditDir) }
        do {
            // On a terminal, isolate asks the engine before the prompt; its refusal goes to stderr.
            let tmux = TmuxSession(command: [TmuxSession.binary, "action", "isolate", "--target", "nope", "--db", db, "--config", config],
                                   directory: actionDir)
            #expect(tmux.exitStatus() == 65)
            let stderr = readFile(actionDir + "/stderr.txt")
            #expect(stderr.contains(#"it lists: evil\x1b[2J\x1b]0;pwned\x07 \u{202e}gnp.exe"#), "\(TerminalSafe.escape(stderr))")
            #expect(!TerminalSafe.needsEscaping(stderr.split(separator: "\n").joined()), "raw engine text on the terminal")
        }
        do {
            // audit --format json on a terminal: what JSON leaves raw is written \uXXXX.
            let tmux = TmuxSession(command: [TmuxSession.binary, "audit", "--db", db, "--format", "json"], width: 400, directory: auditDir)
            #expect(tmux.exitStatus() == 0)
            let output = tmux.output()
            #expect(output.contains(#"pwned\u0007 \u202egnp.exe"#), "\(TerminalSafe.escape(output))")
            #expect(!TerminalSafe.needsEscaping(output.split(separator: "\n").joined()))
        }
        let entry = try #require(try AlertStore(path: db).auditEntries().first)
        #expect(entry.result == .refused && entry.message?.contains(hostile) == true, "the audit log keeps what the engine said")
    }

    func waitForFile(_ path: String, containing text: String, timeout: Double = 10) -> Bool {
        let deadline = now() + timeout
        while now() < deadline {
            if readFile(path).contains(text) { return true }
            usleep(30_000)
        }
        debugLog("\(path): \(readFile(path))")
        return false
    }
}

/// The console binary under tmux, its incident keys wired to an engine (the fake one on a Unix socket).
@Suite(.serialized, .timeLimit(.minutes(1)), .enabled(if: TmuxSession.consoleAvailable, "needs tmux and 'tradsec console'"))
struct ConsoleIncidentEndToEndTests {
    /// One critical alert in a bot container, the console under tmux with its actions wired to
    /// the fake engine; the caller stops the engine's server.
    func launch(readOnly: Bool) throws -> (Harness, FakeEngine, TmuxSession) {
        let h = try Harness()
        let engine = try FakeEngine(directory: h.directory)
        try h.insert([Harness.alert("Terminal shell in container", .critical)])
        let config = h.directory + "/actions.yaml"
        writeFile(config, "actions:\n  docker: {socket: \(engine.socket)}\n")
        let tmux = TmuxSession(command: [TmuxSession.binary, "console"] + (readOnly ? ["--read-only"] : [])
                                   + ["--db", h.directory + "/history.sqlite", "--config", config],
                               width: 160, directory: h.directory)
        return (h, engine, tmux)
    }

    @Test func isolateFromTheContainersScreenThenTheAuditScreen() throws {
        let (h, engine, tmux) = try launch(readOnly: false)
        defer { engine.server.stop(); withExtendedLifetime(h) {} }
        #expect(tmux.waitFor("Terminal shell in container"))
        tmux.type("c")
        #expect(tmux.waitFor("Containers 1"))
        tmux.type("I")
        #expect(tmux.waitFor("ISOLATE — type ai-trading-bot to confirm (Esc cancels)"))
        tmux.type("ai-trading-bot")
        tmux.send("Enter")
        #expect(tmux.waitFor("isolate ai-trading-bot: ok"))
        #expect(engine.disconnects == 1)
        tmux.type("A")
        #expect(tmux.waitFor("Audit log · 1 action(s)"))
        #expect(tmux.screen().contains("console"))
        tmux.type("q")
        #expect(tmux.exitStatus() == 0)
    }

    @Test func readOnlyConsoleRefusesTheKeys() throws {
        let (h, engine, tmux) = try launch(readOnly: true)
        defer { engine.server.stop(); withExtendedLifetime(h) {} }
        #expect(tmux.waitFor("Terminal shell in container"))
        tmux.type("c")
        #expect(tmux.waitFor("Containers 1"))
        tmux.type("I")
        #expect(tmux.waitFor("read-only: incident actions are off"))
        #expect(engine.server.requests.isEmpty)
        tmux.type("q")
        #expect(tmux.exitStatus() == 0)
    }
}
