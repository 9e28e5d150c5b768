import Config
import Foundation
import TradsecCore

/// `correlation:`: how alerts become incidents.
public struct CorrelationConfig: Sendable, Equatable {
    /// An alert joins its container's open incident when that incident saw an alert within this.
    public var window: Int64 = 600_000_000_000
    public var sequences: [AttackSequence] = AttackSequence.defaults

    public init() {}

}

extension CorrelationConfig: ConfigSection {
    public static let key = "correlation"

    public init(config value: ConfigValue) throws(ConfigError) {
        self.init()
        let m = try value.mapping(known: ["window", "sequences"])
        if let v = m["window"] { window = try v.duration() }
        if let v = m["sequences"] {
            var sequences: [AttackSequence] = []
            for item in try v.list() { sequences.append(try AttackSequence(config: item)) }
            self.sequences = sequences
        }
    }
}

extension AttackSequence {
    /// `{name: key theft, stages: [execution, credential-access, exfiltration|command-and-control], severity: critical}`
    init(config value: ConfigValue) throws(ConfigError) {
        let m = try value.mapping(known: ["name", "stages", "severity"])
        var stages: [[String]] = []
        if let v = m["stages"] {
            for alternatives in try v.strings() {
                let names = alternatives.split(separator: "|").map { String($0).trimmingCharacters(in: .whitespaces) }
                for stage in names where !AttackStage.known.contains(stage) {
                    let close = KeySuggestion.closest(to: stage, in: AttackStage.known).map { "; did you mean '\($0)'?" } ?? ""
                    throw v.invalid("unknown stage '\(stage)'\(close) (known: \(AttackStage.known.joined(separator: ", ")))")
                }
                stages.append(names)
            }
        }
        guard stages.count >= 2 else { throw value.invalid("a sequence needs at least two stages") }
        var severity = Priority.critical
        if let v = m["severity"] {
            guard let p = Priority(name: (try? v.text()) ?? "") else { throw v.wrongType("a Falco priority (\(Priority.acceptedSpellings))") }
            severity = p
        }
        self.init(name: try m["name"]?.string() ?? "sequence", stages: stages, severity: severity)
    }
}

/// Stages that follow one another in an intrusion; a sequence of them escalates an incident.
public struct AttackSequence: Sendable, Equatable {
    public var name: String
    /// Each step lists alternatives (`exfiltration|command-and-control`).
    public var stages: [[String]]
    public var severity: Priority

    public init(name: String, stages: [[String]], severity: Priority) {
        self.name = name
        self.stages = stages
        self.severity = severity
    }

    /// The seed's example: a shell, then a key read, then an outbound connection.
    public static let defaults: [AttackSequence] = [
        AttackSequence(name: "shell, key read, outbound connection",
                       stages: [["execution"], ["credential-access", "collection"], ["exfiltration", "command-and-control"]],
                       severity: .alert),
        AttackSequence(name: "key read, outbound connection",
                       stages: [["credential-access", "collection"], ["exfiltration", "command-and-control"]],
                       severity: .critical),
        AttackSequence(name: "shell, key read",
                       stages: [["execution"], ["credential-access"]],
                       severity: .error),
    ]

    /// True when the stages, in the order first seen, contain this sequence in order.
    func matches(_ seen: [String]) -> Bool {
        var step = 0
        for stage in seen where step < stages.count && stages[step].contains(stage) { step += 1 }
        return step == stages.count
    }
}

/// An alert's attack stage, from its MITRE ATT&CK tags (Falco's rules and ours carry them)
/// and from what enrichment found.
public enum AttackStage {
    public static let byTag: [String: String] = [
        "mitre_initial_access": "initial-access", "mitre_execution": "execution",
        "mitre_persistence": "persistence", "mitre_privilege_escalation": "privilege-escalation",
        "mitre_defense_evasion": "defense-evasion", "mitre_credential_access": "credential-access",
        "mitre_discovery": "discovery", "mitre_lateral_movement": "lateral-movement",
        "mitre_collection": "collection", "mitre_command_and_control": "command-and-control",
        "mitre_exfiltration": "exfiltration", "mitre_impact": "impact",
    ]
    public static let known: [String] = Array(Set(byTag.values)).sorted()

    /// Stages of one alert, in kill-chain order.
    public static func of(tags: [String], enrichmentTags: [String]) -> [String] {
        var stages = Set<String>()
        for tag in tags { if let stage = byTag[tag.lowercased()] { stages.insert(stage) } }
        if enrichmentTags.contains(where: { $0.hasPrefix("threat-intel:") }) { stages.insert("command-and-control") }
        return order.filter(stages.contains)
    }

    static let order = ["initial-access", "execution", "persistence", "privilege-escalation", "defense-evasion",
                        "credential-access", "discovery", "lateral-movement", "collection", "command-and-control",
                        "exfiltration", "impact"]
}
