import TradsecCore
import Yams

/// `response:`: what the processing step proposes or does on its own when alerts match, in
/// the shape users of falco-talon know (a rule: a match, actions, a mode, a cooldown).
///
/// ```yaml
/// response:
///   enabled: true                     # the kill switch (also `:response off` in the console)
///   allow_auto_stop_trading: false    # auto stop-trading only when this says so
///   max_auto_actions_per_hour: 3      # past it, automatic actions become proposals
///   max_alert_age: 5m                 # older alerts (a catch-up) only ever give proposals
///   never: [postgres*, exchange-gateway]   # containers never acted on automatically
///   rules:
///     - name: isolate the bot on an escalated intrusion
///       match: {containers: [ai-trading-bot], escalated: true}   # also rules, priority, tags, hosts, stages
///       actions: [isolate]                # isolate, stop-trading, forensics, backup, notify
///       mode: propose                     # propose (default) | auto | dry-run
///       cooldown: 10m
/// ```
public struct ResponseConfig: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        case propose, auto
        case dryRun = "dry-run"
    }

    public enum ActionName: String, Sendable, CaseIterable {
        case isolate
        case stopTrading = "stop-trading"
        case forensics, backup, notify

        /// Acts on the alert's container (never on the host).
        public var needsContainer: Bool { self == .isolate || self == .forensics }
    }

    /// Every field given must hold (an empty list: no condition); within a list, any item.
    public struct Match: Sendable, Equatable {
        /// Container name or id globs.
        public var containers: [String] = []
        /// Rule name globs.
        public var rules: [String] = []
        /// The alert's priority.
        public var priority: PriorityFilter?
        /// Alert tags (Falco's) or enrichment tags (`threat-intel:*`, `exchange:*`), globs.
        public var tags: [String] = []
        public var hosts: [String] = []
        /// Attack stages the incident has reached.
        public var stages: [String] = []
        /// The incident is escalated (true) or not (false).
        public var escalated: Bool?
        public init() {}
    }

    public struct Rule: Sendable, Equatable {
        public var name: String
        public var match = Match()
        public var actions: [ActionName] = []
        public var mode = Mode.propose
        /// The same rule acts on the same container at most once per this many nanoseconds.
        public var cooldown: Int64 = 600_000_000_000
    }

    public var enabled = true
    public var allowAutoStopTrading = false
    public var maxAutoActionsPerHour = 3
    public var maxAlertAge: Int64 = 300_000_000_000
    public var never: [String] = []
    public var rules: [Rule] = []

    public init() {}

    static func parse(_ node: Node, _ r: ConfigReader) throws -> ResponseConfig {
        var c = ResponseConfig()
        for (key, value) in try r.mapping(node, "response") {
            switch key.string {
            case "enabled": c.enabled = try r.bool(value, "response.enabled")
            case "allow_auto_stop_trading": c.allowAutoStopTrading = try r.bool(value, "response.allow_auto_stop_trading")
            case "max_auto_actions_per_hour":
                guard let text = value.string, let n = Int(text), n >= 0 else {
                    throw r.error(value, "response.max_auto_actions_per_hour must be a whole number (0: never act automatically)")
                }
                c.maxAutoActionsPerHour = n
            case "max_alert_age": c.maxAlertAge = try r.duration(value, "response.max_alert_age")
            case "never": c.never = try r.strings(value, "response.never")
            case "rules":
                guard let items = value.sequence else { throw r.error(value, "response.rules must be a list") }
                c.rules = try items.map { try rule($0, r) }
                var seen = Set<String>()
                for (item, rule) in zip(items, c.rules) where !seen.insert(rule.name).inserted {
                    throw r.error(item, "response.rules: a second rule named '\(TerminalSafe.escape(rule.name))'")
                }
            default:
                throw r.unknown(key, "response", ["enabled", "allow_auto_stop_trading", "max_auto_actions_per_hour", "max_alert_age", "never", "rules"])
            }
        }
        return c
    }

    private static func rule(_ node: Node, _ r: ConfigReader) throws -> Rule {
        var rule = Rule(name: "")
        for (key, value) in try r.mapping(node, "a response rule") {
            switch key.string {
            case "name": rule.name = try r.string(value, "response rule name")
            case "match": rule.match = try match(value, r)
            case "actions":
                rule.actions = try r.strings(value, "response rule actions").map { text in
                    guard let action = ActionName(rawValue: text) else {
                        throw r.error(value, "unknown action '\(TerminalSafe.escape(text))' (\(ActionName.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    return action
                }
            case "mode":
                let text = try r.string(value, "response rule mode")
                guard let mode = Mode(rawValue: text) else {
                    throw r.error(value, "unknown mode '\(TerminalSafe.escape(text))' (propose, auto, dry-run)")
                }
                rule.mode = mode
            case "cooldown": rule.cooldown = try r.duration(value, "response rule cooldown")
            default: throw r.unknown(key, "response.rules", ["name", "match", "actions", "mode", "cooldown"])
            }
        }
        guard !rule.name.isEmpty else { throw r.error(node, "a response rule needs a name") }
        guard !rule.actions.isEmpty else { throw r.error(node, "response rule '\(TerminalSafe.escape(rule.name))' has no actions") }
        return rule
    }

    private static func match(_ node: Node, _ r: ConfigReader) throws -> Match {
        var m = Match()
        for (key, value) in try r.mapping(node, "match") {
            switch key.string {
            case "containers": m.containers = try r.strings(value, "match.containers")
            case "rules": m.rules = try r.strings(value, "match.rules")
            case "priority":
                let text = try r.string(value, "match.priority")
                guard let filter = PriorityFilter(text) else { throw r.error(value, "match.priority: \(PriorityFilter.help)") }
                m.priority = filter
            case "tags": m.tags = try r.strings(value, "match.tags")
            case "hosts": m.hosts = try r.strings(value, "match.hosts")
            case "stage", "stages":
                m.stages = try r.strings(value, "match.stages")
                for stage in m.stages where !AttackStage.known.contains(stage) {
                    throw r.error(value, "unknown stage '\(TerminalSafe.escape(stage))' (\(AttackStage.known.joined(separator: ", ")))")
                }
            case "escalated": m.escalated = try r.bool(value, "match.escalated")
            default: throw r.unknown(key, "match", ["containers", "rules", "priority", "tags", "hosts", "stages", "escalated"])
            }
        }
        return m
    }
}
