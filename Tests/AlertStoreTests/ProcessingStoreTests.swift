import AlertStore
import Testing
import TradsecCore

/// The processing step's records: committed with a cursor that only its lease holder moves,
/// each alert's additions read back, an incident's alerts found, retention taking them along.
@Suite struct ProcessingStoreTests {
    func incident(_ id: Int64, alerts: Int = 1) -> IncidentRecord {
        let t = Timestamp(nanoseconds: 1_763_800_000_000_000_000)
        return IncidentRecord(id: id, containerID: "3ad7b26ded6d", containerName: "bot", hostname: "h", role: "ai-trading-bot",
                              opened: t, updated: t, severity: .critical, escalated: true, stages: ["execution"],
                              rules: ["R"], alertCount: alerts, title: "bot: R", reason: "why")
    }

    @Test func onlyTheLeaseHolderMovesTheCursorAndOnlyFromWhereItIs() throws {
        let t = try TemporaryStore()
        let added = try t.store.insert((1...3).map { makeAlert($0) }).added
        #expect(try t.store.processingState().cursor == 0)
        #expect(try t.store.claimProcessing(owner: "a", lease: 60_000_000_000) == 0)
        // Another process does not get a live lease, and cannot commit under it.
        #expect(try t.store.claimProcessing(owner: "b", lease: 60_000_000_000) == nil)
        #expect { try t.store.commit(CommitPlan(processed: ProcessedRecords(owner: "b", from: 0, through: added[2].id))) } throws: {
            guard case .processingMovedOn(holder: "a")? = $0 as? StoreError else { return false }
            return "\($0)" == "processing moved on: another process (a) holds the processing of this history"
        }
        // The holder must start from the cursor as it stands.
        #expect { try t.store.commit(CommitPlan(processed: ProcessedRecords(owner: "a", from: 1, through: added[2].id))) } throws: {
            guard case .processingMovedOn(holder: "a")? = $0 as? StoreError else { return false }
            return true
        }
        try t.store.commit(CommitPlan(processed: ProcessedRecords(owner: "a", from: 0, through: added[2].id)))
        #expect(try t.store.processingState().cursor == added[2].id)
        // An expired lease goes to whoever asks; a released one at once.
        #expect(try t.store.claimProcessing(owner: "b", lease: 1, now: Timestamp.now().adding(nanoseconds: 120_000_000_000)) == added[2].id)
        try t.store.releaseProcessing(owner: "b")
        #expect(try t.store.claimProcessing(owner: "a", lease: 60_000_000_000) == added[2].id)
    }

    @Test func additionsAreReadBackPerAlertAndAnIncidentFindsItsAlerts() throws {
        let t = try TemporaryStore()
        let container = (id: "3ad7b26ded6d", name: "bot")
        let added = try t.store.insert((1...6).map { makeAlert($0, rule: "R\($0)", container: container) }).added
        _ = try t.store.claimProcessing(owner: "p", lease: 60_000_000_000)
        let enriched = added.enumerated().map { i, a in
            EnrichedAlert(id: a.id, enrichment: AlertEnrichment(role: i % 2 == 0 ? "ai-trading-bot" : nil,
                                                                tags: i == 3 ? ["threat-intel:feodo", "exchange:binance"] : [],
                                                                incidentID: i < 4 ? 1 : 2))
        }
        // Two commits, as the step makes them: the second continues the first's rows.
        try t.store.commit(CommitPlan(processed: ProcessedRecords(owner: "p", from: 0, through: added[2].id,
                                                                   enrichment: Array(enriched.prefix(3)), incidents: [incident(1, alerts: 3)])))
        try t.store.commit(CommitPlan(processed: ProcessedRecords(owner: "p", from: added[2].id, through: added[5].id,
                                                                   enrichment: Array(enriched.dropFirst(3)),
                                                                   incidents: [incident(1, alerts: 4), incident(2, alerts: 2)])))
        let read = try t.store.enrichment(for: added.map(\.id).reversed())
        #expect(read.count == 6)
        for e in enriched { #expect(read[e.id] == e.enrichment) }
        #expect(try t.store.incidentAlerts(id: 1).map(\.alert.rule) == ["R1", "R2", "R3", "R4"])
        #expect(try t.store.incidentAlerts(id: 2).map(\.alert.rule) == ["R5", "R6"])
        #expect(try t.store.incident(id: 1)?.alertCount == 4)
        // An incident filter works on every path: counts, and alerts after an id.
        var q = AlertQuery(limit: 10)
        q.incident = 2
        #expect(try t.store.count(q) == 2)
        #expect(try t.store.alerts(after: 0, matching: q).map(\.alert.rule) == ["R5", "R6"])

        // Retention deletes an alert's additions with it.
        _ = try t.store.applyRetention(RetentionPolicy(maxRows: 2))
        let left = try t.store.enrichment(for: added.map(\.id))
        #expect(Set(left.keys) == Set(added.suffix(2).map(\.id)))
        #expect(try t.store.incidentAlerts(id: 1).isEmpty)
    }
}
