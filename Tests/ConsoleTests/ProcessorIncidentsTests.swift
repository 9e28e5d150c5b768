#if canImport(Glibc)
import Glibc
#endif
import AlertStore
@testable import Console
import CurlClient
import Foundation
import Processor
import Testing
import TestSupport
import TradsecCore

/// A console following a processor (`processor=URL`) takes the processor's incidents: the real
/// `tradsec serve` correlates an intrusion, the console's source follows it, and the incidents
/// screen, the incident's screen and the header show the processor's incident, with nothing
/// duplicated after the console restarts.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ProcessorIncidentsTests {
    /// The real binary on a free loopback port; its base URL, once it listens.
    final class Serve {
        let process: ChildProcess
        let base: String
        init(directory: String) throws {
            writeFile(directory + "/config.yaml", """
                enrichment:
                  roles:
                    ai-trading-bot: [ai-trading-bot]
                correlation:
                  window: 10m
                response:
                  rules:
                    - name: isolate the bot on an escalated intrusion
                      match: {containers: [ai-trading-bot], escalated: true}
                      actions: [isolate]
                """)
            guard let p = ChildProcess.start([ChildProcess.tradsec, "serve", "--db", directory + "/serve.sqlite", "--listen", "127.0.0.1:0",
                                              "--config", directory + "/config.yaml"],
                                             stdoutPath: directory + "/serve.out", stderrPath: directory + "/serve.err",
                                             environment: ["PATH=/usr/bin:/bin", "HOME=" + directory, "LANG=C.UTF-8"]) else {
                throw Failure(description: "cannot start tradsec serve")
            }
            process = p
            var found = ""
            let end = Date().addingTimeInterval(15)
            while found.isEmpty && Date() < end {
                if let range = p.stderr.range(of: "listening on http://127.0.0.1:") {
                    found = "http://127.0.0.1:" + p.stderr[range.upperBound...].prefix(while: \.isNumber)
                }
                usleep(20_000)
            }
            base = found
            if found.isEmpty { stop(); throw Failure(description: "serve did not start: \(p.stderr)") }
        }

        func post(_ line: String) throws {
            let reply = try CurlHTTP.send(.postJSON(base + "/falco", body: Array(line.utf8)))
            guard reply.status == 200 else { throw Failure(description: "POST /falco answered \(reply.status)") }
        }

        func stop() {
            kill(process.pid, SIGTERM)
            _ = process.wait()
        }
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    static func line(_ secondsAgo: Int, _ rule: String, _ tag: String, priority: String, process: String,
                     container: (id: String, name: String) = ("3ad7b26ded6d", "ai-trading-bot")) -> String {
        let t = Timestamp.now().adding(nanoseconds: -Int64(secondsAgo) * 1_000_000_000).rfc3339()
        return #"{"time":"\#(t)","rule":"\#(rule)","priority":"\#(priority)","output":"\#(rule) (process=\#(process))","output_fields":{"container.id":"\#(container.id)","container.name":"\#(container.name)","proc.name":"\#(process)","user.name":"root"},"hostname":"trade-host-1","source":"syscall","tags":["\#(tag)"]}"#
    }

    /// Shell, key read, outbound connection: the sequence that escalates to Alert.
    static func intrusion(secondsAgo: Int = 50, container: (id: String, name: String) = ("3ad7b26ded6d", "ai-trading-bot")) -> [String] {
        [line(secondsAgo, "Terminal shell in container", "mitre_execution", priority: "Notice", process: "bash", container: container),
         line(secondsAgo - 10, "Read trading API key", "mitre_credential_access", priority: "Warning", process: "cat", container: container),
         line(secondsAgo - 20, "Outbound connection to unknown host", "mitre_exfiltration", priority: "Notice", process: "curl", container: container)]
    }


    func screenText(_ h: Harness, width: Int = 160, height: Int = 50) -> String {
        let grid = h.render(width: width, height: height)
        return (0..<grid.height).map { grid.row($0) }.joined(separator: "\n")
    }

    @Test func theConsoleShowsTheProcessorsEscalatedIncidentAndKeepsItOnceAcrossARestart() throws {
        let h = try Harness()
        let serve = try Serve(directory: h.directory)
        defer { serve.stop() }
        for line in Self.intrusion() { try serve.post(line) }

        let source = ProcessorSource(url: serve.base, token: nil)
        source.start(store: h.store)
        #expect(try waitFor { try h.store.incidents().first.map { $0.escalated && $0.alertCount == 3 } == true })
        #expect(try waitFor { try h.store.incidentAlerts(id: h.store.incidents().first?.id ?? 0).count == 3 })
        let incident = try #require(try h.store.incidents().first)
        #expect(try h.store.incidentOrigin(id: incident.id) == "processor:" + serve.base)
        #expect(incident.stages == ["execution", "credential-access", "exfiltration"] && incident.role == "ai-trading-bot")
        // The processor's enrichment reached the alerts themselves.
        let ids = try h.store.incidentAlerts(id: incident.id).map(\.id)
        #expect(try h.store.enrichment(for: ids).values.allSatisfy { $0.role == "ai-trading-bot" && $0.incidentID == incident.id })
        #expect(try waitFor { try h.store.mirroredResponses(incident: incident.id).contains { $0.result == .proposed && $0.action == "isolate" } })

        // The header counts it, the incidents screen lists it, Enter opens it.
        h.load()
        h.run([.load(.incidentSummary)])
        #expect(screenText(h).contains("1 incident, 1 ▲"), "\(screenText(h))")
        h.press(.character("i"))
        var text = screenText(h)
        #expect(text.contains("Incidents 1 · 1 escalated"), "\(text)")
        let row = try #require(text.split(separator: "\n").first { $0.contains("ALRT") }, "\(text)")
        #expect(row.contains("▲") && row.contains("exec→cred→exfil") && row.contains("ai-trading-bot: Terminal shell in container (+2 more rules)"))
        h.press(.enter)
        text = screenText(h)
        #expect(text.contains("ALERT ▲ ESCALATED"), "\(text)")
        #expect(text.contains("Stages         execution → credential-access → exfiltration"))
        #expect(text.contains("Timeline (3 alerts)") && text.contains("bash") && text.contains("curl"))
        #expect(text.contains("From") && text.contains("processor 127.0.0.1:"))
        #expect(text.contains("isolate") && text.contains("approve them in a console on the processor's history"))
        // Approval is for a console on the processor's history: Y says so and starts nothing
        // (ProcessorIncidentKeysTests has every key).
        let effects = h.press(.character("Y"))
        #expect(h.state.message?.contains("approve its proposals in a console on serve's history") == true, "\(h.state.message ?? "")")
        #expect(!effects.contains { if case .load = $0 { return false } else { return true } })
        source.stop()

        // A restart: the same console history, a new source; one more alert joins the incident.
        try serve.post(Self.line(20, "Terminal shell in container", "mitre_execution", priority: "Notice", process: "sh"))
        let again = ProcessorSource(url: serve.base, token: nil)
        again.start(store: h.store)
        defer { again.stop() }
        #expect(try waitFor { try h.store.incidents().first?.alertCount == 4 })
        #expect(try waitFor { try h.store.incidentAlerts(id: incident.id).count == 4 })
        usleep(1_500_000)   // a refresh poll too: it must not add anything again
        #expect(try h.store.incidents().count == 1)
        #expect(try h.store.totalCount() == 4)
        #expect(try h.store.mirroredResponses(incident: incident.id).filter { $0.result == .proposed }.count == 1)
        h.press(.escape)
        h.load()
        #expect(screenText(h).contains("Incidents 1 · 1 escalated"))
    }
}
