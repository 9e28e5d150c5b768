import Config
import Processor
import TradsecCore

/// What the demo's incident is processed with when the config says nothing else: a
/// correlation that escalates the intrusion into the trading bot, and a response rule that
/// proposes (never does) its isolation, so the demo shows one escalated incident and one
/// proposal waiting for the operator.
public enum DemoProcessing {
    public static let correlation: CorrelationConfig = {
        var c = CorrelationConfig()
        c.window = 600_000_000_000
        c.sequences = [
            AttackSequence(name: "shell, key read, outbound connection",
                           stages: [["execution"], ["credential-access", "collection"], ["exfiltration", "command-and-control"]],
                           severity: .critical),
        ]
        return c
    }()

    public static let response: ResponseConfig = {
        var r = ResponseConfig()
        var rule = ResponseConfig.Rule(name: "isolate the bot on an escalated intrusion")
        rule.match.containers = ["ai-trading-bot"]
        rule.match.escalated = true
        rule.actions = [.isolate]
        rule.mode = .propose
        r.rules = [rule]
        return r
    }()

    /// The demo's sections where the config has none of its own.
    public static func overrides(config: DecodedConfig) -> ProcessingStep.Overrides {
        ProcessingStep.Overrides(correlation: config.contains(CorrelationConfig.self) ? nil : correlation,
                                 response: config.contains(ResponseConfig.self) ? nil : response)
    }
}
