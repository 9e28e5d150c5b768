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
