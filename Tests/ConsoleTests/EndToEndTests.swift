#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Testing
import TestSupport
import TradsecCore

/// The real binary under tmux: what an operator types and sees.
@Suite(.serialized, .timeLimit(.minutes(2)), .enabled(if: TmuxSession.consoleAvailable, "needs tmux and 'tradsec console'"))
struct EndToEndTests {
    @Test func startNavigateFilterDrillInAndQuit() throws {
        let h = try Harness()
        try h.insert(ScreenTests.incident())
        let tmux = TmuxSession(command: [TmuxSession.binary, "console", "--db", h.directory + "/history.sqlite"], directory: h.directory)
        #expect(tmux.waitFor("Container escape attempt"))
        #expect(tmux.waitFor("Error/Warning 4"))
        tmux.send("Tab")
        tmux.send("Enter")
        #expect(tmux.waitFor("Same rule (2)"))
        #expect(tmux.screen().contains("Outbound connection"))
        tmux.send("Escape")
        tmux.type("/")
        tmux.type("sensitive")
        #expect(tmux.waitFor { $0.contains("/sensitive") && $0.contains("Read sensitive file") && !$0.contains("Container escape attempt") })
        tmux.send("Enter")
        tmux.type(":")
        tmux.type("clear")
        tmux.send("Enter")
        #expect(tmux.waitFor("Container escape attempt"))
        tmux.type("c")
        #expect(tmux.waitFor("Containers 3"))
        tmux.send("Enter")
        #expect(tmux.waitFor("timeline"))
        tmux.tmux(["resize-window", "-t", tmux.name, "-x", "40", "-y", "12"])
        tmux.type("o")
        #expect(tmux.waitFor("CRIT 2"))
        tmux.type("q")
        #expect(tmux.exitStatus() == 0)
    }

    @Test func stormOfAlertsWhileTyping() throws {
        let h = try Harness()
        let log = h.directory + "/falco.json"
        appendFile(log, "")
        let tmux = TmuxSession(command: [TmuxSession.binary, "console", "--db", h.directory + "/history.sqlite", "--source", "falco-file=" + log],
                               directory: h.directory)
        #expect(tmux.waitFor("falco-file"))
        // A writer appends 3000 alerts in bursts while keys are typed.
        let writer = Thread.detach {
            for burst in 0..<30 {
                var text = ""
                for i in 0..<100 {
                    text += Harness.alert("Storm rule \(i % 7)", i % 10 == 0 ? .critical : .warning, container: "bot\(i % 3)",
                                          id: "c0ffee00000\(i % 3)", secondsAgo: 1, output: "storm \(burst)-\(i)").raw + "\n"
                }
                appendFile(log, text)
                usleep(20_000)
            }
        }
        let started = now()
        tmux.type("/")
        tmux.type("storm")
        #expect(tmux.waitFor("/storm", timeout: 5))
        let typed = now() - started
        #expect(typed < 3, "keys were handled while the storm ran (\(typed) s)")
        tmux.send("Escape")
        writer.join()
        #expect(tmux.waitFor(timeout: 20) { $0.contains("Error/Warning 2700") && $0.contains("Critical+ 300") })
        tmux.type("q")
        #expect(tmux.exitStatus() == 0)
        #expect(try h.store.totalCount() == 3000)
    }

    @Test func escapeSequencesInAlertsNeverReachTheTerminal() throws {
        let h = try Harness()
        try h.insert([Harness.alert("Evil \u{1B}]0;pwned\u{07}rule", .critical, container: "x\u{1B}[2Jy", id: "abcdefabcdef",
                                    output: "cat \u{1B}[31mred /etc/\u{202E}wodahs")])
        let tmux = TmuxSession(command: [TmuxSession.binary, "console", "--db", h.directory + "/history.sqlite"], width: 200, directory: h.directory)
        #expect(tmux.waitFor("Evil \\x1b]0;pwned\\x07rule"))
        #expect(tmux.screen().contains("x\\x1b[2Jy"))
        tmux.send("Enter")
        #expect(tmux.waitFor("\\x1b[31mred /etc/\\u{202e}wodahs"))
        #expect(!tmux.paneTitle.contains("pwned"), "the OSC title sequence was not sent")
        tmux.type("q")
        #expect(tmux.exitStatus() == 0)
    }

    @Test func refusesATerminalThatCannotMoveTheCursor() throws {
        let h = try Harness()
        let tmux = TmuxSession(command: [TmuxSession.binary, "console", "--db", h.directory + "/history.sqlite"],
                               directory: h.directory, environment: ["TERM=dumb"])
        #expect(tmux.exitStatus() == 2)
        #expect(readFile(h.directory + "/stderr.txt").contains("cannot show a full-screen console"))
    }

    @Test func sigtermRestoresTheTerminalAndExits() throws {
        let h = try Harness()
        try h.insert(ScreenTests.incident())
        let tmux = TmuxSession(command: [TmuxSession.binary, "console", "--db", h.directory + "/history.sqlite"], directory: h.directory)
        #expect(tmux.waitFor("Container escape attempt"))
        let pid = Int32(tmux.tmux(["display-message", "-p", "-t", tmux.name, "#{pane_pid}"]).trimmingCharacters()) ?? 0
        // The pane runs a shell that runs the console: signal the console, the shell's child.
        let children = readFile("/proc/\(pid)/task/\(pid)/children").split(separator: " ").compactMap { Int32($0.trimmingCharacters()) }
        for child in children { kill(child, SIGTERM) }
        #expect(!children.isEmpty)
        #expect(tmux.exitStatus() == 0)
        #expect(!tmux.screen().contains("Container escape attempt"), "the console's screen is gone (terminal restored)")
    }

    @Test func refusesWhenStdoutIsNotATerminal() throws {
        let h = try Harness()
        let out = h.directory + "/out.txt"
        let status = TmuxSession.spawn([TmuxSession.binary, "console", "--db", h.directory + "/history.sqlite"], output: out)
        #expect(status == 2)
        #expect(readFile(out).contains("needs a terminal"))
        unlink(out)
    }
}

/// A plain thread for test writers (Foundation-free).
final class Thread: @unchecked Sendable {
    private var handle = pthread_t()
    private let body: () -> Void

    private init(_ body: @escaping () -> Void) { self.body = body }

    static func detach(_ body: @escaping () -> Void) -> Thread {
        let t = Thread(body)
        let box = Unmanaged.passRetained(t).toOpaque()
        pthread_create(&t.handle, nil, { raw in
            let t = Unmanaged<Thread>.fromOpaque(raw!).takeRetainedValue()
            t.body()
            return nil
        }, box)
        return t
    }

    func join() { pthread_join(handle, nil) }
}

/// `--source events=PATH --rules FILE`: raw events through the embedded engine into the history.
@Suite(.serialized, .timeLimit(.minutes(1)), .enabled(if: TmuxSession.consoleAvailable, "needs tmux and 'tradsec console'"))
struct EventsSourceTests {
    @Test func rawEventsBecomeAlertsOnScreen() throws {
        let h = try Harness()
        let root = #filePath.components(separatedBy: "/Tests/")[0]
        let events = root + "/Tests/Fixtures/trading-rules/dns-tunnel.fire.jsonl"
        let tmux = TmuxSession(command: [TmuxSession.binary, "console", "--db", h.directory + "/history.sqlite",
                                         "--source", "events=" + events, "--rules", root + "/rules/trading_rules.yaml"],
                               width: 200, directory: h.directory)
        #expect(tmux.waitFor("done: "))
        let stored = try h.store.alerts(AlertQuery(limit: 100))
        #expect(!stored.isEmpty)
        if let rule = stored.first?.alert.rule { #expect(tmux.waitFor(String(rule.prefix(20)))) }
        tmux.type("q")
        #expect(tmux.exitStatus() == 0)
    }
}
