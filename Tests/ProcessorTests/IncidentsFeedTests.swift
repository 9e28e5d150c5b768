import AlertStore
import Foundation
@testable import Processor
import TestSupport
import Testing
import TradsecCore

/// GET /incidents/feed: what a console following this processor takes instead of computing
/// it, and the console's decoder of it (the reply is untrusted there).
@Suite struct IncidentsFeedTests {
    func intrusion(_ harness: ServerHarness) throws {
        for (rule, tag, priority) in [("Terminal shell in container", "mitre_execution", "Notice"),
                                      ("Read trading API key", "mitre_credential_access", "Warning"),
                                      ("Outbound connection to unknown host", "mitre_exfiltration", "Notice")] {
            #expect(try harness.post(falcoAlert(rule: rule, priority: priority, tags: [tag])).status == 200)
        }
    }

    @Test func aPageCarriesTheProcessedAlertsTheirIncidentAndItsResponsesUpToTheCursor() throws {
        let harness = try ServerHarness()
        defer { harness.stop() }
        try intrusion(harness)
        let newest = try harness.settled.newestID()
        let reply = try harness.get("/incidents/feed?after=0")
        #expect(reply.status == 200)
        let page = try IncidentsFeed.decode(reply.body, after: 0)
        #expect(page.through == newest && page.dropped == 0)
        #expect(page.alerts.map(\.remoteID) == [newest - 2, newest - 1, newest])
        let incident = try #require(page.incidents.first)
        #expect(page.incidents.count == 1 && page.alerts.allSatisfy { $0.remoteIncident == incident.record.id })
        #expect(incident.record.escalated && incident.record.stages == ["execution", "credential-access", "exfiltration"])
        #expect(incident.record == (try harness.store.incident(id: incident.record.id)).map { var r = $0; r.opened = incident.record.opened; r.updated = incident.record.updated; return r })

        // `until` keeps the page to what the console stored; `limit` pages; `refresh` resends.
        let capped = try IncidentsFeed.decode(try harness.get("/incidents/feed?after=0&until=\(newest - 1)&limit=1").body, after: 0)
        #expect(capped.through == newest - 2 && capped.alerts.count == 1)
        let refreshed = try IncidentsFeed.decode(try harness.get("/incidents/feed?after=\(newest)&refresh=\(incident.record.id)").body, after: newest)
        #expect(refreshed.through == newest && refreshed.alerts.isEmpty && refreshed.incidents.map(\.record.id) == [incident.record.id])
        for bad in ["", "?after=-1", "?after=1&refresh=x", "?after=1&colour=red", "?after=1&refresh=" + (1...101).map(String.init).joined(separator: ",")] {
            #expect(try harness.get("/incidents/feed" + bad).status == 400, "\(bad)")
        }
    }

    @Test func aHostileReplyLosesOnlyItsBadItemsAndNeverMovesTheCursorBack() throws {
        func page(_ json: String, after: Int64 = 5) throws -> IncidentsFeed.Page { try IncidentsFeed.decode(Array(json.utf8), after: after) }
        #expect(throws: IncidentsFeed.Invalid.self) { try page(#"{"through":4,"alerts":[]}"#) }          // behind the cursor
        #expect(throws: IncidentsFeed.Invalid.self) { try page(#"{"through":9007199254740993}"#) }     // not an id
        #expect(throws: IncidentsFeed.Invalid.self) { try page("not json") }
        let incident = #"{"id":3,"title":"T","severity":"Alert","escalated":true,"container_id":"c","opened":"2026-11-22T10:00:00Z","updated":"2026-11-22T10:00:01Z","alert_count":2,"rules":["r"],"stages":["execution"]}"#
        let long = String(repeating: "x", count: IncidentsFeed.Bounds.longText + 1)
        let p = try page(#"{"through":9,"alerts":[{"id":6,"tags":[]},{"id":5,"tags":[]},{"id":10,"tags":[]},{"id":7,"tags":[1]},{"id":8,"incident_id":0,"tags":[]}],"incidents":[\#(incident),\#(incident.replacingOccurrences(of: #""title":"T""#, with: "\"title\":\"\(long)\"")),\#(incident.replacingOccurrences(of: "Alert", with: "Loud"))]}"#)
        #expect(p.through == 9 && p.alerts.map(\.remoteID) == [6])   // before, after and beyond the page, a bad tag, a bad incident id
        #expect(p.incidents.map(\.record.title) == ["T"] && p.dropped == 6)
    }
}
