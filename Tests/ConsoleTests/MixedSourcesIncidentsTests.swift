#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Assembly
@testable import Console
import Foundation
import Testing
import TestSupport
import TradsecCore

/// A console with a source of its own (a followed Falco file) that also follows a processor
/// (the real `tradsec serve`): its own alerts go through its processing step, the processor's
/// arrive with the processor's incidents, and every alert is counted in exactly one incident,
/// across a restart of the console too.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct MixedSourcesIncidentsTests {
    static let bluefin = (id: "9f8e7d6c5b4a", name: "bluefin-svc")

    /// `tradsec console --config FILE --source SPEC...` on `db`, as the command builds it.
    func services(_ specs: [String], db: String, config: String) throws -> ConsoleServices {
        var flags = ConsoleFlags(databasePath: db)
        flags.sources = specs
        return try ConsoleAssembly.services(try ConsoleAssembly.plan(flags, config: TradsecConfig.load(flag: config), environment: [:]))
    }


    /// Every alert of the history is in one incident: the incidents' counts add up to the
    /// alerts, their timelines do not overlap and cover every alert, and each alert's
    /// enrichment names the incident whose timeline holds it.
    func expectEachAlertCountedOnce(_ store: AlertStore, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let incidents = try store.incidents()
        let all = Set(try store.alerts(AlertQuery(limit: 1000)).map(\.id))
        #expect(incidents.reduce(0) { $0 + $1.alertCount } == all.count, "\(incidents.map { ($0.id, $0.alertCount) })",
                sourceLocation: sourceLocation)
        var seen: [Int64: Int64] = [:]
        for incident in incidents {
            for alert in try store.incidentAlerts(id: incident.id) {
                #expect(seen[alert.id] == nil, "alert \(alert.id) is in incidents \(seen[alert.id] ?? 0) and \(incident.id)",
                        sourceLocation: sourceLocation)
                seen[alert.id] = incident.id
            }
        }
        #expect(Set(seen.keys) == all, sourceLocation: sourceLocation)
        let enrichment = try store.enrichment(for: Array(all))
        #expect(all.allSatisfy { enrichment[$0]?.incidentID == seen[$0] }, sourceLocation: sourceLocation)
    }

    /// The console's processing step has gone past every alert stored, without an error.
    func processedEverything(_ services: ConsoleServices) throws -> Bool {
        guard let newest = try services.store.alerts(AlertQuery(limit: 1)).first?.id else { return false }
        let status = services.sources.first { $0.name == "processing" }?.status
        if case .failed = status?.state { return false }
        return try services.store.processingState().cursor >= newest
    }

    @Test func eachAlertIsCountedInOneIncidentWhenTheConsoleHasItsOwnSourceAndFollowsAProcessor() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let serve = try ProcessorIncidentsTests.Serve(directory: dir)
        defer { serve.stop() }
        for line in ProcessorIncidentsTests.intrusion() { try serve.post(line) }
        // The console's own file: an intrusion on another container.
        writeFile(dir + "/console.yaml", "enrichment:\n  roles:\n    bluefin-service: [bluefin*]\ncorrelation:\n  window: 10m\n")
        writeFile(dir + "/falco.json", ProcessorIncidentsTests.intrusion(container: Self.bluefin).joined(separator: "\n") + "\n")
        let specs = ["falco-file=\(dir)/falco.json", "processor=\(serve.base)"]
        let first = try services(specs, db: dir + "/console.sqlite", config: dir + "/console.yaml")
        #expect(first.sources.map(\.name).contains("processing"), "the console's own source has its processing step")
        for source in first.sources { source.start(store: first.store) }
        let store = first.store

        // Both incidents arrive: the local one from the file, the processor's through its feed.
        #expect(try waitFor(30) { try store.totalCount() == 6 && processedEverything(first) })
        #expect(try waitFor(30) { try store.incidents().contains { (try store.incidentOrigin(id: $0.id)) != nil && $0.alertCount == 3 } })
        let settled = try waitFor(30) { try store.incidents().count == 2 && store.incidents().allSatisfy { try store.incidentAlerts(id: $0.id).count == 3 } }
        let seen = try store.incidents().map { ($0.id, $0.containerName ?? "", $0.alertCount) }
        #expect(settled, "\(seen)")
        usleep(1_500_000)   // more polls of the feed and the processing step: nothing counted again
        let incidents = try store.incidents()
        #expect(incidents.count == 2)
        let mirrored = try #require(try incidents.first { try store.incidentOrigin(id: $0.id) == "processor:" + serve.base })
        let local = try #require(try incidents.first { try store.incidentOrigin(id: $0.id) == nil })
        #expect(mirrored.containerName == "ai-trading-bot" && mirrored.escalated && mirrored.alertCount == 3)
        #expect(local.containerName == Self.bluefin.name && local.escalated && local.alertCount == 3 && local.role == "bluefin-service")
        // The processor's alerts carry the processor's enrichment (its role), not this console's.
        let botAlerts = try store.incidentAlerts(id: mirrored.id).map(\.id)
        #expect(try store.enrichment(for: botAlerts).values.allSatisfy { $0.role == "ai-trading-bot" && $0.incidentID == mirrored.id })
        try expectEachAlertCountedOnce(store)
        for source in first.sources { source.stop() }

        // A restart: the console's processing resumes beside the processor's incident. A new
        // local alert on the bot's container is the console's own (it opens a local incident,
        // the processor's is not touched); a new processor alert joins the processor's incident.
        appendFile(dir + "/falco.json", ProcessorIncidentsTests.line(5, "Launch package manager in container", "mitre_execution",
                                                                     priority: "Error", process: "apt") + "\n")
        try serve.post(ProcessorIncidentsTests.line(4, "Terminal shell in container", "mitre_execution", priority: "Notice", process: "sh"))
        let again = try services(specs, db: dir + "/console.sqlite", config: dir + "/console.yaml")
        for source in again.sources { source.start(store: again.store) }
        defer { for source in again.sources { source.stop() } }
        #expect(try waitFor(30) { try again.store.totalCount() == 8 && processedEverything(again) },
                "processing: \(again.sources.first { $0.name == "processing" }?.status.state as Any)")
        #expect(try waitFor(30) { try again.store.incident(id: mirrored.id)?.alertCount == 4 && again.store.incidentAlerts(id: mirrored.id).count == 4 })
        #expect(try waitFor(30) { try again.store.incidents().count == 3 })
        usleep(1_500_000)
        let newest = try #require(try again.store.incidents().first { $0.id != mirrored.id && $0.id != local.id })
        #expect(try again.store.incidentOrigin(id: newest.id) == nil)
        #expect(newest.containerName == "ai-trading-bot" && newest.alertCount == 1 && newest.rules == ["Launch package manager in container"])
        try expectEachAlertCountedOnce(again.store)
    }
}
