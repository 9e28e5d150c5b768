import Foundation
import CurlClient
import TradsecCore

/// Sends one message (a group of queued notifications) through a channel and says what came
/// of it. Blocking: the dispatcher calls it on the channel's own thread.
public enum ChannelSender {
    public static func send(_ items: [QueuedNotification], channel: ChannelConfig,
                            environment: [String: String]) -> DeliveryOutcome {
        precondition(!items.isEmpty)
        let context = MessageContext(channel: channel, items: items, environment: environment)
        let outcome: DeliveryOutcome
        do {
            switch try ChannelFormats.request(context) {
            case .http(let request):
                outcome = DeliveryOutcome.classify(try CurlHTTP.send(request))
            case .smtp(let mail):
                try CurlSMTP.send(mail)
                outcome = .delivered(status: 250)
            }
        } catch let error as CurlError {
            outcome = DeliveryOutcome.classify(error)
        } catch let error as NotifyError {
            // A secret missing from the environment: the operator can fix it, nothing is dropped.
            outcome = .retry(reason: error.description, after: nil)
        } catch {
            outcome = .retry(reason: "\(error)", after: nil)
        }
        return redacted(outcome, secrets: channel.secretValues(environment))
    }

    /// The request each format would send, for tests and `notify test --dry-run`.
    public static func request(for items: [QueuedNotification], channel: ChannelConfig,
                               environment: [String: String]) throws -> ChannelRequest {
        try ChannelFormats.request(MessageContext(channel: channel, items: items, environment: environment))
    }

    /// Error texts are stored and printed: a receiver or libcurl echoing a token or a webhook
    /// URL must not put it there.
    static func redacted(_ outcome: DeliveryOutcome, secrets: [String]) -> DeliveryOutcome {
        func scrub(_ s: String) -> String {
            secrets.reduce(s) { $0.replacingOccurrences(of: $1, with: "[secret]") }
        }
        switch outcome {
        case .delivered: return outcome
        case .retry(let reason, let after): return .retry(reason: scrub(reason), after: after)
        case .permanent(let reason): return .permanent(reason: scrub(reason))
        }
    }
}
