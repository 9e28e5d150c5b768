import AlertStore
import Assembly
import Console
import Foundation
@testable import Processor
import TestSupport
import Testing
import TradsecCore

/// The console side: `--source processor=URL` fills the console's history from a processor's
/// live feed and resumes exactly where it stopped.
@Suite struct ProcessorSourceTests {
    @Test func followsTheFeedAndResumesWithoutGapOrDuplicate() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        let local = try AlertStore(path: directory + "/console.sqlite")
        for i in 0..<30 { try harness.post(falcoAlert(rule: "before \(i)", hostname: "trading-host-1")) }

        let source = ProcessorSource(url: harness.base, token: nil)
        #expect(source.name == "processor:127.0.0.1:\(harness.server.boundPort)")
        source.start(store: local)
        #expect(try waitFor { try local.totalCount() == 30 })   // the backfill
        for i in 0..<20 { try harness.post(falcoAlert(rule: "live \(i)")) }
        #expect(try waitFor { try local.totalCount() == 50 })
        #expect(source.status.state == .running)
        let stopping = Date()
        source.stop()
        #expect(Date().timeIntervalSince(stopping) < 2)   // a quiet stream does not hold it up
        #expect(source.status.state == .stopped)
        // The store drops duplicates by fingerprint, so count what the feed delivered, and
        // check the committed cursor: exactly the 50 events, up to the newest id.
        #expect(source.eventsReceived == 50)
        let checkpointKey = "processor:" + harness.base
        #expect(try local.checkpoint(for: checkpointKey)?.offset == harness.settled.newestID())

        // While the console is closed, more alerts arrive; on restart it gets exactly those.
        for i in 0..<15 { try harness.post(falcoAlert(rule: "while away \(i)")) }
        let again = ProcessorSource(url: harness.base, token: nil)
        again.start(store: local)
        #expect(try waitFor { try local.totalCount() == 65 })
        usleep(300_000)
        again.stop()
        #expect(try local.totalCount() == 65)
        // Resumed after the cursor: only the 15 new events came over the wire, none again.
        #expect(again.eventsReceived == 15)
        #expect(try local.checkpoint(for: checkpointKey)?.offset == harness.settled.newestID())
        let rules = try local.alerts(AlertQuery(limit: 100)).map(\.alert.rule)
        #expect(Set(rules).count == 65)
        #expect(rules.contains("while away 14"))
    }

    @Test func reconnectsWhenTheProcessorComesBack() throws {
        let serverDirectory = makeTemporaryDirectory()
        var harness: ServerHarness? = try ServerHarness(directory: serverDirectory)
        let port = harness!.server.boundPort
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory); removeTree(serverDirectory) }
        let local = try AlertStore(path: directory + "/console.sqlite")
        try harness!.post(falcoAlert(rule: "first"))
        let source = ProcessorSource(url: "http://127.0.0.1:\(port)", token: nil)
        source.start(store: local)
        defer { source.stop() }
        #expect(try waitFor(30) { try local.totalCount() == 1 })

        harness!.stop(removingFiles: false)
        harness = nil
        #expect(waitFor { if case .waiting = source.status.state { return true } else { return false } })

        // The processor restarts on the same port and history; what it took meanwhile arrives.
        var settings = ServeSettings()
        settings.listen = "127.0.0.1:\(port)"
        // The port is in the ephemeral range: until the listener is back, a client socket of
        // this or another test can hold it as its own local port for a moment (bind then fails
        // with EADDRINUSE, as a restarted serve would, and would be retried).
        var restarted: ServerHarness?
        var bindError: Error?
        waitFor(10) {
            do { restarted = try ServerHarness(settings: settings, directory: serverDirectory) } catch { bindError = error }
            return restarted != nil
        }
        let back = try #require(restarted, "could not listen again on \(port): \(String(describing: bindError))")
        defer { back.stop(removingFiles: false) }
        try back.post(falcoAlert(rule: "after restart"))
        // The source retries with a backoff of up to 10 s, so under a loaded machine the next
        // attempt can come ~10 s after the restart; 15 s left too little room (failed once in a full run).
        #expect(try waitFor(30) { try local.totalCount() == 2 })
        #expect(try local.alerts(AlertQuery(limit: 5)).first?.alert.rule == "after restart")
    }

    @Test func aBadSpecSaysWhatItExpects() throws {
        #expect { _ = try SourceSpec.parse(flag: "processor=localhost:8080") } throws: { error in
            "\(error)".contains("expected processor=http://HOST:PORT") && (error as? AssemblyError)?.exitCode == 64
        }
        let spec = try SourceSpec.parse(flag: "processor=http://127.0.0.1:8080")
        #expect(spec == .processor("http://127.0.0.1:8080"))
        let config = TradsecConfig.decode(yaml: "")
        #expect(try ConsoleAssembly.source(spec, flags: ConsoleFlags(databasePath: "/nonexistent"), config: config) is ProcessorSource)
    }
}
