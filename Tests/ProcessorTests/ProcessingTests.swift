import AlertStore
import Foundation
@testable import Processor
import Testing
import TestSupport
import TradsecCore

/// The processing step follows its cursor in the history: whatever stored an alert, it is
/// processed once, after a restart too, by whichever process holds the lease.
@Suite(.serialized) struct ProcessingTests {
    func alerts(_ rules: [(String, String)], container: String = "bot-1", id: String = "0123456789ab", start: Int = 0) throws -> [Alert] {
        let base = Timestamp.now()
        return try rules.enumerated().map { i, r in
            try AlertDecoder.decode(line: falcoAlert(rule: r.0, time: base.adding(nanoseconds: Int64(start + i) * 1_000_000_000).rfc3339(),
                                                     container: container, containerID: id, tags: [r.1]))
        }
    }

    func processor(_ store: AlertStore, owner: String, maxQueued: Int = 100_000) -> AlertProcessor {
        AlertProcessor(store: store, enricher: Enricher(config: EnrichmentConfig()), correlation: CorrelationConfig(),
                       owner: owner, lease: 2_000_000_000, maxQueued: maxQueued, batchLimit: 3)
    }

    @Test func alertsStoredWithoutProcessingAreProcessedWhenItStarts() throws {
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        let store = try AlertStore(path: directory + "/history.sqlite")
        // An intrusion stored by something that did not process (a crash right after the commit).
        let chain = try alerts([("Terminal shell in container", "mitre_execution"), ("Read trading API key", "mitre_credential_access"),
                                ("Outbound connection to unknown host", "mitre_exfiltration"), ("Other", "x")])
        let added = try store.insert(chain).added
        let p = processor(store, owner: "late")
        p.start()
        defer { p.stop() }
        #expect(p.waitUntilProcessed(through: added.last!.id, timeout: 10))
        let incidents = try store.incidents()
        #expect(incidents.count == 1)
        #expect(incidents.first?.alertCount == 4)
        #expect(incidents.first?.escalated == true)
        #expect(try store.enrichment(for: added.map(\.id)).values.allSatisfy { $0.incidentID == incidents.first?.id })
    }

    @Test func oneProcessAtATimeAndNoAlertTwice() throws {
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        let store = try AlertStore(path: directory + "/history.sqlite")
        let first = processor(store, owner: "first")
        let second = processor(store, owner: "second")
        first.start()
        // Give the first the lease before the second asks.
        let firstBatch = try store.insert(try alerts([("A", "x"), ("B", "x")])).added
        first.submit(firstBatch.map { StoredAlert(id: $0.id, alert: try! store.alerts(after: $0.id - 1, matching: AlertQuery(limit: 1))[0].alert) })
        #expect(first.waitUntilProcessed(through: firstBatch.last!.id, timeout: 10))
        second.start()
        let more = try store.insert(try alerts([("C", "x"), ("D", "x"), ("E", "x")], start: 10)).added
        #expect(first.waitUntilProcessed(through: more.last!.id, timeout: 10))
        #expect(!second.status.holdsLease)
        #expect(second.status.processed == 0)
        // The first stops (gives the lease up): the second takes over and continues after it.
        first.stop()
        let last = try store.insert(try alerts([("F", "x")], start: 20)).added
        #expect(second.waitUntilProcessed(through: last.last!.id, timeout: 15, awaitingLease: true))
        second.stop()
        #expect(first.status.processed + second.status.processed == 6)
        #expect(second.status.processed == 1)
        #expect(try store.incidents().map(\.alertCount).reduce(0, +) == 6)
    }

    @Test func handOversDroppedWhenTheQueueIsFullAreReadBackFromTheHistory() throws {
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        let store = try AlertStore(path: directory + "/history.sqlite")
        let p = processor(store, owner: "small", maxQueued: 2)
        p.start()
        defer { p.stop() }
        let chain = try alerts((0..<7).map { ("R\($0)", "x") })
        let added = try store.insert(chain).added
        p.submit(zip(added, chain).map { StoredAlert(id: $0.id, alert: $1) })   // 7 > 2: dropped
        #expect(p.waitUntilProcessed(through: added.last!.id, timeout: 10))
        #expect(p.status.droppedHandOvers == 7)
        #expect(try store.incidents().first?.alertCount == 7)
    }
}
