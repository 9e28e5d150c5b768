#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Testing
import TestSupport
import TradsecCore

/// `tradsec demo` on a terminal: the incident plays into the console as a source.
@Suite(.serialized, .timeLimit(.minutes(1)), .enabled(if: TmuxSession.consoleAvailable, "needs tmux and 'tradsec console'"))
struct DemoEndToEndTests {
    @Test func theIncidentPlaysIntoTheConsole() throws {
        let h = try Harness()
        let db = h.directory + "/demo.sqlite"
        let tmux = TmuxSession(command: [TmuxSession.binary, "demo", "--instant", "--db", db], width: 220, height: 45,
                               directory: h.directory)
        #expect(tmux.waitFor("demo done: 346 events, 20 alerts"))
        #expect(tmux.waitFor { $0.contains("Critical+ 9") && $0.contains("Error/Warning 11") })
        #expect(tmux.screen().contains("Falco Stopped or Reconfigured"))
        #expect(tmux.screen().contains("\\x1b]0;owned"), "the alert carrying escape sequences is shown escaped")
        tmux.type("q")
        #expect(tmux.exitStatus() == 0)
        #expect(try AlertStore(path: db).totalCount() == 20, "the history is kept after the console closes")
    }
}

/// The end-to-end suites skip themselves without tmux or the console; that must not pass
/// unnoticed where `make test` runs (it installs tmux).
@Suite struct EndToEndPrerequisitesTests {
    @Test func tmuxAndTheConsoleAreThereSoEndToEndTestsRun() {
        #expect(TmuxSession.tmuxPath != nil, "tmux is missing: the console's end-to-end tests were skipped (make test installs it)")
        #expect(TmuxSession.consoleAvailable, "'tradsec console --help' failed: the console's end-to-end tests were skipped")
    }
}
