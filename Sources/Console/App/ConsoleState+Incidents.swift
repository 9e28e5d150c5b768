import Actions
import AlertStore
import TradsecCore

/// The incident screen's cursor, the approval of response proposals, and the response switch.
extension ConsoleState {
    /// The incident screen's cursor runs over its pending proposals, then its timeline.
    var selectedProposal: AuditEntry? {
        guard case .incident = screen, let detail = incidentDetail else { return nil }
        return detail.pendingProposals[safe: top.selection]
    }

    var selectedIncidentAlert: StoredAlert? {
        guard case .incident = screen, let detail = incidentDetail else { return nil }
        return detail.timeline[safe: top.selection - detail.pendingProposals.count]?.stored
    }

    /// `Y`: runs a response rule's proposal as the operator's action, through the same
    /// confirmation as its key (the engine resolves the container by id, then its name is
    /// typed). Audited via `response` with the incident's id, as `done` or `failed`.
    mutating func approveProposal() -> [Effect] {
        // A processor's proposal lives in the processor's history, which `serve` offers no way
        // to approve through (its rules' decisions, cooldowns and audit are there): approval
        // happens in a console on that history. On this host the keys still act on the incident.
        if case .incident(let id) = screen, let processor = incidentDetail?.processor, incidentDetail?.record.id == id {
            let keys = [Action.isolate, .restore, .forensics, .stopTrading, .backup].compactMap { keyMap.keys(for: $0).first?.label }.joined(separator: "/")
            setMessage("incident #\(id) is \(processor.label): approve its proposals in a console on serve's history "
                       + (processor.isOnThisHost ? "(tradsec console --db SERVE-HISTORY); \(keys) act on it from here"
                                                 : "on that host (tradsec console --db SERVE-HISTORY there)"), error: true)
            return []
        }
        guard actionsReady(), let incident else { return [] }
        guard case .incident(let id) = screen, let detail = incidentDetail, detail.record.id == id else {
            setMessage("open an incident (i: incidents) to approve its proposals", error: true)
            return []
        }
        let pending = detail.pendingProposals
        guard let proposal = selectedProposal ?? (pending.count == 1 ? pending[0] : nil) else {
            setMessage(pending.isEmpty ? "incident #\(id) has no proposal waiting" : "select the proposal to approve (↑/↓)", error: true)
            return []
        }
        guard let kind = ActionKind(rawValue: proposal.action) else { return [] }
        let facts = proposal.detail.flatMap { try? JSONParser.parse($0) }
        var reason = "approves proposal #\(proposal.id)"
        if let rule = facts?["rule"]?.stringValue { reason += " of response rule '\(rule)'" }
        let request = ActionRequest(kind: kind, dryRun: incident.dryRun, reason: reason, incident: String(id),
                                    via: ActionRequest.responseVia)
        guard kind.needsContainer else { return submit(request, on: nil) }
        // The container the rule decided on (the incident's), by its id: the engine says what it is.
        let containerID = facts?["container_id"]?.stringValue ?? detail.record.containerID
        let name = facts?["container_name"]?.stringValue ?? detail.record.containerName ?? containerID
        guard containerID != ContainerRef.hostID, !containerID.isEmpty else {
            setMessage("proposal #\(proposal.id) names no container to \(kind.rawValue)", error: true)
            return []
        }
        return submit(request, on: ContainerRef(id: containerID, name: name, image: nil))
    }

    /// `:response off|on`: the response rules' kill switch, for every process on the history.
    mutating func switchResponse(_ argument: String) -> [Effect] {
        switch argument {
        case "":
            guard let summary = incidentSummary else {
                setMessage("response: give on or off")
                return []
            }
            setMessage("response rules are \(summary.responseOn ? "on" : "OFF")" + (summary.responseSwitchedBy.map { " (switched by \($0))" } ?? "")
                       + "; :response off stops them, :response on restarts them")
            return []
        case "on", "off":
            guard !readOnly else {
                setMessage("read-only: the response switch is not changed", error: true)
                return []
            }
            return [.load(.setResponse(on: argument == "on"))]
        default:
            setMessage("response: '\(argument)' is not on or off", error: true)
            return []
        }
    }
}
