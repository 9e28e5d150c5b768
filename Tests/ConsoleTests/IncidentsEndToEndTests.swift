#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
import TradsecCore

/// The real binary under tmux: an intrusion ingested with `tradsec ingest --config`, or
/// received by `tradsec serve` and followed by the console, becomes an escalated incident,
/// which the console lists and opens.
@Suite(.serialized, .timeLimit(.minutes(2)), .enabled(if: TmuxSession.consoleAvailable, "needs tmux and 'tradsec console'"))
struct IncidentsEndToEndTests {
    @Test func theIncidentsScreenOpensAnEscalatedIntrusion() throws {
        let h = try Harness()
        let dir = h.directory
        let db = dir + "/ingested.sqlite"
        writeFile(dir + "/config.yaml", "enrichment:\n  roles:\n    ai-trading-bot: [ai-trading-bot]\n")
        writeFile(dir + "/intrusion.jsonl", ProcessorIncidentsTests.intrusion().joined(separator: "\n") + "\n")
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

    /// The real `tradsec serve` correlates the intrusion; a console that only follows it shows
    /// the processor's escalated incident (it computes none itself) and opens its timeline.
    @Test func aConsoleFollowingServeShowsItsEscalatedIncidentAndOpensItsTimeline() throws {
        let h = try Harness()
        let dir = h.directory
        let serve = try ProcessorIncidentsTests.Serve(directory: dir)
        defer { serve.stop() }
        for line in ProcessorIncidentsTests.intrusion() { try serve.post(line) }

        let tmux = TmuxSession(command: [TmuxSession.binary, "console", "--db", dir + "/console.sqlite", "--source", "processor=" + serve.base],
                               width: 140, height: 40, directory: dir)
        #expect(tmux.waitFor("Terminal shell in container", timeout: 20))
        #expect(tmux.waitFor("1 incident, 1 ▲", timeout: 20), "the header counts the processor's open, escalated incident")
        tmux.type(":incidents")
        tmux.send("Enter")
        #expect(tmux.waitFor("Incidents 1 · 1 escalated"))
        #expect(tmux.waitFor { $0.contains("ALRT ▲ exec→cred→exfil") && $0.contains("ai-trading-bot: Terminal shell in container (+2 more rules)") })
        tmux.send("Enter")
        #expect(tmux.waitFor("ALERT ▲ ESCALATED"))
        #expect(tmux.waitFor { $0.contains("Timeline (3 alerts)") && $0.contains("bash") && $0.contains("cat") && $0.contains("curl") })
        let screen = tmux.screen()
        #expect(screen.contains("Stages         execution → credential-access → exfiltration"), "\(screen)")
        #expect(screen.contains("From           processor \(serve.base.dropFirst("http://".count)), its incident #1"), "\(screen)")
        #expect(screen.contains("isolate") && screen.contains("PROPOSED"), "the processor's proposal is shown")
        tmux.type("q")
        #expect(tmux.exitStatus() == 0)
        // The console took the processor's incident: one, not one of its own beside it.
        let out = dir + "/incidents.json"
        #expect(TmuxSession.spawn([TmuxSession.binary, "incidents", "--db", dir + "/console.sqlite", "--format", "json"], output: out) == 0)
        #expect(readFile(out).split(separator: "\n").count == 1, "\(readFile(out))")
    }
}
