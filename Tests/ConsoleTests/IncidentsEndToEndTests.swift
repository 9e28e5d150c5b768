#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
import TradsecCore

/// The real binary under tmux: an intrusion ingested with `tradsec ingest --config` becomes
/// an escalated incident, which the console lists and opens.
@Suite(.serialized, .timeLimit(.minutes(2)), .enabled(if: TmuxSession.consoleAvailable, "needs tmux and 'tradsec console'"))
struct IncidentsEndToEndTests {
    static func line(_ secondsAgo: Int, _ rule: String, _ tag: String, priority: String, process: String) -> String {
        let t = Timestamp.now().adding(nanoseconds: -Int64(secondsAgo) * 1_000_000_000).rfc3339()
        return #"{"time":"\#(t)","rule":"\#(rule)","priority":"\#(priority)","output":"\#(rule) (process=\#(process))","output_fields":{"container.id":"3ad7b26ded6d","container.name":"ai-trading-bot","proc.name":"\#(process)","user.name":"root"},"hostname":"trade-host-1","source":"syscall","tags":["\#(tag)"]}"#
    }

    @Test func theIncidentsScreenOpensAnEscalatedIntrusion() throws {
        let h = try Harness()
        let dir = h.directory
        let db = dir + "/ingested.sqlite"
        writeFile(dir + "/config.yaml", "enrichment:\n  roles:\n    ai-trading-bot: [ai-trading-bot]\n")
        writeFile(dir + "/intrusion.jsonl", [
            Self.line(50, "Terminal shell in container", "mitre_execution", priority: "Notice", process: "bash"),
            Self.line(40, "Read trading API key", "mitre_credential_access", priority: "Warning", process: "cat"),
            Self.line(30, "Outbound connection to unknown host", "mitre_exfiltration", priority: "Notice", process: "curl"),
        ].joined(separator: "\n") + "\n")
        let ingestOutput = dir + "/ingest.txt"
        let status = TmuxSession.spawn([TmuxSession.binary, "ingest", "--db", db, "--config", dir + "/config.yaml", dir + "/intrusion.jsonl"],
                                       output: ingestOutput)
        #expect(status == 0, "\(readFile(ingestOutput))")

        let tmux = TmuxSession(command: [TmuxSession.binary, "console", "--db", db], width: 140, height: 40, directory: dir)
        #expect(tmux.waitFor("Terminal shell in container"))
        #expect(tmux.waitFor("1 incident, 1 ▲"), "the header counts the open, escalated incident")
        tmux.type("i")
        #expect(tmux.waitFor("Incidents 1 · 1 escalated"))
        #expect(tmux.waitFor { $0.contains("ALRT ▲ exec→cred→exfil") && $0.contains("ai-trading-bot: Terminal shell in container (+2 more rules)") })
        tmux.send("Enter")
        #expect(tmux.waitFor("ALERT ▲ ESCALATED"))
        let screen = tmux.screen()
        #expect(screen.contains("Stages         execution → credential-access → exfiltration"))
        #expect(screen.contains("Role           ai-trading-bot"))
        #expect(screen.contains("Timeline (3 alerts)") && screen.contains("bash") && screen.contains("curl"))
        tmux.type("q")
        #expect(tmux.exitStatus() == 0)
    }
}
