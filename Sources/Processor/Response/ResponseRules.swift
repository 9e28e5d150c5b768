import AlertStore
import TradsecCore

/// What a response rule decided for one processed alert: an action, and whether it is only
/// proposed (the operator approves it in the console), done automatically, or described
/// (dry-run). A decision that wanted to act on its own but was held back by a guard becomes
/// a proposal, with `note` saying which guard.
public struct ResponseDecision: Sendable, Equatable {
    public var rule: String
    public var action: ResponseConfig.ActionName
    public var mode: ResponseConfig.Mode
    public var alertID: Int64
    public var incidentID: Int64
    /// The container acted on, as the alert names it: an action resolves it on the engine by
    /// its id only, never by a name taken from alert text.
    public var container: ContainerRef?
    public var reason: String
    public var note: String?

    /// The audit row the decision is recorded as (completed later for an automatic action).
    func auditRecord(who: AuditIdentity, now: Timestamp) -> AuditRecord {
        var detail = JSONObject([("rule", .string(rule)), ("mode", .string(mode.rawValue)), ("alert_id", .int(alertID))])
        if let container {
            detail.append("container_id", .string(container.id))
            detail.append("container_name", .string(container.name))
        }
        if let note { detail.append("note", .string(note)) }
        let target = container.map { "\($0.name) (\($0.id))" }
        let result: AuditEntry.Result
        let message: String
        switch mode {
        case .propose:
            result = .proposed
            message = "proposed by response rule '\(rule)': \(reason)" + (note.map { " (\($0))" } ?? "")
        case .dryRun:
            result = .dryRun
            message = "would \(action.rawValue)\(target.map { " " + $0 } ?? "") (response rule '\(rule)', dry-run): \(reason)"
        case .auto:
            result = .started
            message = "response rule '\(rule)': \(reason)"
        }
        return AuditRecord(started: now, finished: mode == .auto ? nil : now, action: action.rawValue, target: target,
                           result: result, message: message, who: who, via: "response",
                           detail: JSONWriter.string(.object(detail)), incident: incidentID)
    }
}

/// Applies the response rules to processed alerts, with their guards: the kill switch,
/// cooldowns, the hourly cap on automatic actions, the containers never acted on
/// automatically, automatic stop-trading only when allowed, and no automatic action on an
/// old alert (a catch-up after an outage proposes instead). A value type, kept by the
/// processing step like the correlator: a copy is worked on and kept only when the
/// processing commits.
public struct ResponseRules: Sendable {
    public let config: ResponseConfig
    /// When each (rule, container) last fired.
    private var lastFired: [String: Timestamp] = [:]
    /// When automatic actions were taken in the last hour.
    private var autoTimes: [Timestamp] = []

    public init(config: ResponseConfig) { self.config = config }

    /// Continues from the audit log after a restart: cooldowns and the hourly cap count what
    /// earlier runs proposed and did.
    public static func resume(store: AlertStore, config: ResponseConfig, now: Timestamp = .now()) throws -> ResponseRules {
        var rules = ResponseRules(config: config)
        guard config.enabled, !config.rules.isEmpty else { return rules }
        let longest = max(3_600_000_000_000, config.rules.map(\.cooldown).max() ?? 0)
        for entry in try store.auditEntries(since: now.adding(nanoseconds: -longest), limit: 10_000).reversed() where entry.via == "response" {
            guard let detail = entry.detail.flatMap({ try? JSONParser.parse($0) }), let rule = detail["rule"]?.stringValue else { continue }
            rules.lastFired[key(rule, detail["container_id"]?.stringValue)] = entry.started
            if detail["mode"]?.stringValue == ResponseConfig.Mode.auto.rawValue && entry.result != .proposed {
                rules.autoTimes.append(entry.started)
            }
        }
        return rules
    }

    static func key(_ rule: String, _ container: String?) -> String { rule + "\u{0}" + (container ?? "") }

    /// The decisions for one processed alert (usually none). `switchedOn`: the console's
    /// `:response` switch, read from the history for each batch.
    public mutating func decide(alertID: Int64, alert: Alert, container: ContainerRef, enrichment: AlertEnrichment,
                                incident: IncidentRecord, switchedOn: Bool, now: Timestamp) -> [ResponseDecision] {
        guard config.enabled, switchedOn, !config.rules.isEmpty else { return [] }
        autoTimes.removeAll { now.nanoseconds &- $0.nanoseconds > 3_600_000_000_000 }
        var out: [ResponseDecision] = []
        for rule in config.rules where matches(rule.match, alert: alert, container: container, enrichment: enrichment, incident: incident) {
            let target: ContainerRef? = container.isHost ? nil : container
            let k = Self.key(rule.name, target?.id)
            if let last = lastFired[k], now.nanoseconds &- last.nanoseconds < rule.cooldown { continue }
            var fired = false
            for action in rule.actions {
                if action.needsContainer && target == nil { continue }   // never the host
                var mode = rule.mode
                var note: String?
                if mode == .auto {
                    note = holdBack(action, target: target, alert: alert, now: now)
                    if note != nil { mode = .propose } else { autoTimes.append(now) }
                }
                let reason = "incident #\(incident.id) \(incident.escalated ? "escalated " : "")(\(incident.severity.name)), alert '\(alert.rule)'"
                out.append(ResponseDecision(rule: rule.name, action: action, mode: mode, alertID: alertID, incidentID: incident.id,
                                            container: action.needsContainer || action == .notify ? target : nil,
                                            reason: reason, note: note))
                fired = true
            }
            if fired { lastFired[k] = now }
        }
        return out
    }

    /// Why an automatic action must be proposed instead (nil: it may go ahead).
    private func holdBack(_ action: ResponseConfig.ActionName, target: ContainerRef?, alert: Alert, now: Timestamp) -> String? {
        if action == .stopTrading && !config.allowAutoStopTrading {
            return "automatic stop-trading is not allowed (response.allow_auto_stop_trading)"
        }
        if let target, config.never.contains(where: { Glob.matches($0, target.name) || Glob.matches($0, target.id) }) {
            return "\(target.name) is never acted on automatically (response.never)"
        }
        if autoTimes.count >= config.maxAutoActionsPerHour {
            return "the cap of \(config.maxAutoActionsPerHour) automatic actions per hour is reached"
        }
        let age = now.nanoseconds &- alert.time.nanoseconds
        if age > config.maxAlertAge {
            return "the alert is \(Duration.describe(nanoseconds: age)) old (response.max_alert_age)"
        }
        return nil
    }

    func matches(_ m: ResponseConfig.Match, alert: Alert, container: ContainerRef, enrichment: AlertEnrichment,
                 incident: IncidentRecord) -> Bool {
        if !m.containers.isEmpty,
           !m.containers.contains(where: { Glob.matches($0, container.name) || (!container.isHost && Glob.matches($0, container.id)) }) {
            return false
        }
        if !m.rules.isEmpty, !m.rules.contains(where: { Glob.matches($0, alert.rule) }) { return false }
        if let priority = m.priority, !priority.contains(alert.priority) { return false }
        if !m.tags.isEmpty {
            let tags = alert.tags + enrichment.tags
            guard m.tags.contains(where: { pattern in tags.contains { Glob.matches(pattern, $0) } }) else { return false }
        }
        if !m.hosts.isEmpty, !m.hosts.contains(where: { Glob.matches($0, alert.hostname ?? "") }) { return false }
        if !m.stages.isEmpty, !m.stages.contains(where: incident.stages.contains) { return false }
        if let escalated = m.escalated, incident.escalated != escalated { return false }
        return true
    }
}
