import AlertStore

extension ConsoleState {
    /// Takes in what the loader produced. Results for a filter that is no longer the current
    /// one are dropped (a newer query is on its way).
    public mutating func apply(_ result: DataLoader.Result) {
        switch result {
        case .overview(let data):
            guard data.filter == filter else { return }
            let previous = overview
            overview = data
            latestID = max(latestID, data.newestID)
            if unseenWatermark == nil { unseenWatermark = data.newestID }
            keepSelections(from: previous)
        case .containers(let f, let list):
            guard f == filter else { return }
            let selectedID = screen == .containers ? sortedContainers[safe: top.selection]?.container.ref.id : nil
            containers = list
            if screen == .containers {
                if let selectedID, let i = sortedContainers.firstIndex(where: { $0.container.ref.id == selectedID }) { top.selection = i }
                top.selection = clamp(top.selection, list.count)
            }
        case .container(let f, let data):
            guard f == filter, case .container(let id) = screen, id == data.containerID else { return }
            containerDetail = data
            top.selection = clamp(top.selection, data.recent.count)
        case .alert(let data):
            guard case .alert(let stored) = screen, stored.id == data.stored.id else { return }
            alertDetail = data
        case .incidents(let data):
            guard data.filter == filter else { return }
            let selectedID = screen == .incidents ? incidentList?.incidents[safe: top.selection]?.id : nil
            incidentList = data
            if screen == .incidents {
                // Updates reorder the list: the cursor stays on the incident it was on.
                if let selectedID, let i = data.incidents.firstIndex(where: { $0.id == selectedID }) { top.selection = i }
                top.selection = clamp(top.selection, data.incidents.count)
            }
        case .incident(let id, let data):
            guard case .incident(let shown) = screen, shown == id else { return }
            incidentDetail = data
            incidentMissing = data == nil ? id : nil
            top.selection = clamp(top.selection, itemCount)
        case .incidentSummary(let summary):
            incidentSummary = summary
        case .newestID(let id):
            latestID = max(latestID, id)
        case .message(let text):
            setMessage(text)
        case .failure(let text):
            setMessage(text, error: true)
        }
    }

    /// Live updates insert rows above the cursor: keep it on the same group unless it was at the top.
    mutating func keepSelections(from previous: OverviewData?) {
        guard let panes = overview?.panes else { return }
        for (i, pane) in panes.enumerated() where i < 3 {
            let selected = paneSelection[i]
            if selected > 0, let old = previous?.panes[safe: i]?.rows[safe: selected],
               let moved = pane.rows.firstIndex(where: { $0.key == old.key }) {
                paneSelection[i] = moved
            }
            paneSelection[i] = clamp(paneSelection[i], pane.rows.count)
        }
    }
}
