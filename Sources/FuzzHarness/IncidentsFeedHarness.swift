import AlertStore
import Processor
import TradsecCore

/// The console's decoder of a processor's `GET /incidents/feed` reply (`processor=URL`
/// source): whatever the bytes, a page keeps within its bounds, its cursor never moves back,
/// every alert it keeps lies in (after, through], and every id is a plausible one.
///
/// Input: one byte for the cursor asked from (0-255), then the reply body.
enum IncidentsFeedHarness {
    static let target = FuzzTarget(
        "incidents-feed",
        "IncidentsFeed.decode: pages within bounds, cursor forward, alert ids in (after, through], ids plausible",
        maxLength: 8192
    ) { bytes in check(bytes) }

    static func check(_ input: UnsafeRawBufferPointer) {
        var reader = ByteReader(input)
        let after = Int64(reader.byte())
        let body = Array(reader.rest())
        guard let page = try? IncidentsFeed.decode(body, after: after) else { return }
        Invariant.require(page.through >= after && page.through <= IncidentsFeed.maxID, "cursor \(page.through) from \(after)")
        Invariant.require(page.alerts.count <= IncidentsFeed.Bounds.alerts && page.incidents.count <= IncidentsFeed.Bounds.incidents,
                          "page over its bounds")
        for a in page.alerts {
            Invariant.require(a.remoteID > after && a.remoteID <= page.through, "alert \(a.remoteID) outside (\(after), \(page.through)]")
            Invariant.require(a.tags.count <= IncidentsFeed.Bounds.listItems, "tags over bounds")
            if let i = a.remoteIncident { Invariant.require(i >= 1 && i <= IncidentsFeed.maxID, "incident id \(i)") }
        }
        for i in page.incidents {
            Invariant.require(i.record.id >= 1 && i.record.id <= IncidentsFeed.maxID, "incident id \(i.record.id)")
            Invariant.require(i.responses.count <= IncidentsFeed.Bounds.responses, "responses over bounds")
            Invariant.require(i.record.title.utf8.count <= IncidentsFeed.Bounds.longText, "title over bounds")
            Invariant.require(i.record.rules.count <= IncidentsFeed.Bounds.listItems && i.record.stages.count <= IncidentsFeed.Bounds.listItems,
                              "lists over bounds")
            // What the console shows goes through the terminal escaping: nothing raw is left.
            Invariant.require(!TerminalSafe.escape(i.record.title).unicodeScalars.contains { TerminalSafe.isUnsafe($0) },
                              "escaped title still unsafe")
        }
    }
}
