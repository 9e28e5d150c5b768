import Config
import TradsecCore

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

        public init(name: String) { self.name = name }
    }

    public var enabled = true
    public var allowAutoStopTrading = false
    public var maxAutoActionsPerHour = 3
    public var maxAlertAge: Int64 = 300_000_000_000
    public var never: [String] = []
    public var rules: [Rule] = []

    public init() {}
}

extension ResponseConfig: ConfigSection {
    public static let key = "response"

    public init(config value: ConfigValue) throws(ConfigError) {
        self.init()
        let m = try value.mapping(known: ["enabled", "allow_auto_stop_trading", "max_auto_actions_per_hour", "max_alert_age", "never", "rules"])
        if let v = m["enabled"] { enabled = try v.bool() }
        if let v = m["allow_auto_stop_trading"] { allowAutoStopTrading = try v.bool() }
        // 0: never act automatically.
        if let v = m["max_auto_actions_per_hour"] { maxAutoActionsPerHour = try v.int(in: 0...Int.max) }
        if let v = m["max_alert_age"] { maxAlertAge = try v.duration() }
        if let v = m["never"] { never = try v.strings() }
        if let v = m["rules"] {
            var seen = Set<String>()
            for item in try v.list() {
                let rule = try Rule(config: item)
                guard seen.insert(rule.name).inserted else { throw item.invalid("a second rule named '\(rule.name)'") }
                rules.append(rule)
            }
        }
    }
}

extension ResponseConfig.Rule {
    init(config value: ConfigValue) throws(ConfigError) {
        let m = try value.mapping(known: ["name", "match", "actions", "mode", "cooldown"])
        self.init(name: try m.require("name").string())
        if let v = m["match"] { match = try ResponseConfig.Match(config: v) }
        if let v = m["actions"] {
            for item in (try? v.list()) ?? [v] { actions.append(try item.name(of: ResponseConfig.ActionName.self)) }
        }
        if let v = m["mode"] { mode = try v.name(of: ResponseConfig.Mode.self) }
        if let v = m["cooldown"] { cooldown = try v.duration() }
        guard !actions.isEmpty else { throw value.invalid("response rule '\(name)' has no actions") }
    }
}

extension ResponseConfig.Match {
    init(config value: ConfigValue) throws(ConfigError) {
        self.init()
        let m = try value.mapping(known: ["containers", "rules", "priority", "tags", "hosts", "stage", "stages", "escalated"])
        if let v = m["containers"] { containers = try v.strings() }
        if let v = m["rules"] { rules = try v.strings() }
        if let v = m["priority"] {
            guard let filter = PriorityFilter(try v.string()) else { throw v.invalid(PriorityFilter.help) }
            priority = filter
        }
        if let v = m["tags"] { tags = try v.strings() }
        if let v = m["hosts"] { hosts = try v.strings() }
        for v in [m["stage"], m["stages"]].compactMap({ $0 }) {
            for item in (try? v.list()) ?? [v] { stages.append(try item.name(in: AttackStage.known)) }
        }
        if let v = m["escalated"] { escalated = try v.bool() }
    }
}
