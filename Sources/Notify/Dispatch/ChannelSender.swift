import Foundation
import CurlClient
import TradsecCore

/// Sends one message (a group of queued notifications) through a channel and says what came
/// of it. Blocking: the dispatcher calls it on the channel's own thread.
public enum ChannelSender {
    /// What one send came to, and whether the receiver refused the markup on the way.
    public struct Delivery: Sendable, Equatable {
        public var outcome: DeliveryOutcome
        /// Set when the receiver refused the message's markup and it went again as plain
        /// text (whose result is `outcome`): the refusal, as the receiver put it.
        public var markupRefused: String?
    }

    public static func send(_ items: [QueuedNotification], channel: ChannelConfig,
                            environment: [String: String]) -> DeliveryOutcome {
        deliver(items, channel: channel, environment: environment).outcome
    }

    /// ``send(_:channel:environment:)``, saying also whether a plain-text resend was needed.
    public static func deliver(_ items: [QueuedNotification], channel: ChannelConfig,
                               environment: [String: String]) -> Delivery {
        precondition(!items.isEmpty)
        let context = MessageContext(channel: channel, items: items, environment: environment)
        var delivery = Delivery(outcome: .retry(reason: "not sent", after: nil))
        do {
            switch try ChannelFormats.request(context) {
            case .http(let request):
                let response = try CurlHTTP.send(request)
                if let refusal = MarkupRefusal.reason(channel.kind, status: response.status, body: response.body),
                   let plain = try ChannelFormats.plainRequest(context) {
                    delivery.markupRefused = refusal
                    delivery.outcome = resent(try CurlHTTP.send(plain), refusal: refusal)
                } else {
                    delivery.outcome = DeliveryOutcome.classify(response)
                }
            case .smtp(let mail):
                try CurlSMTP.send(mail)
                delivery.outcome = .delivered(status: 250)
            }
        } catch let error as CurlError {
            delivery.outcome = DeliveryOutcome.classify(error)
        } catch let error as NotifyError {
            // A secret missing from the environment: the operator can fix it, nothing is dropped.
            delivery.outcome = .retry(reason: error.description, after: nil)
        } catch {
            delivery.outcome = .retry(reason: "\(error)", after: nil)
        }
        let secrets = channel.secretValues(environment)
        delivery.outcome = redacted(delivery.outcome, secrets: secrets)
        delivery.markupRefused = delivery.markupRefused.map { scrub($0, secrets) }
        return delivery
    }

    /// The plain-text resend's outcome; a failure says both what was refused and why the resend failed.
    static func resent(_ response: HTTPResponse, refusal: String) -> DeliveryOutcome {
        switch DeliveryOutcome.classify(response) {
        case .delivered(let status): .delivered(status: status)
        case .retry(let reason, let after): .retry(reason: "markup refused (\(refusal)); plain text: \(reason)", after: after)
        case .permanent(let reason): .permanent(reason: "markup refused (\(refusal)); plain text: \(reason)")
        }
    }

    /// The request each format would send, for tests and `notify test --dry-run`.
    public static func request(for items: [QueuedNotification], channel: ChannelConfig,
                               environment: [String: String]) throws -> ChannelRequest {
        try ChannelFormats.request(MessageContext(channel: channel, items: items, environment: environment))
    }

    /// The markup-free request sent after a markup refusal; nil for services without markup.
    public static func plainRequest(for items: [QueuedNotification], channel: ChannelConfig,
                                    environment: [String: String]) throws -> HTTPRequest? {
        try ChannelFormats.plainRequest(MessageContext(channel: channel, items: items, environment: environment))
    }

    /// Error texts are stored and printed: a receiver or libcurl echoing a token or a webhook
    /// URL must not put it there.
    static func redacted(_ outcome: DeliveryOutcome, secrets: [String]) -> DeliveryOutcome {
        switch outcome {
        case .delivered: return outcome
        case .retry(let reason, let after): return .retry(reason: scrub(reason, secrets), after: after)
        case .permanent(let reason): return .permanent(reason: scrub(reason, secrets))
        }
    }

    /// Compares UTF-8 bytes, not characters: a combining mark echoed right after a secret
    /// would otherwise make it a different `Character` sequence and let it through.
    static func scrub(_ s: String, _ secrets: [String]) -> String {
        var bytes = Array(s.utf8)
        for secret in secrets.map({ Array($0.utf8) }) where !secret.isEmpty {
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var i = 0
            while i < bytes.count {
                if bytes[i] == secret[0], i + secret.count <= bytes.count, bytes[i..<(i + secret.count)].elementsEqual(secret) {
                    out += Array("[secret]".utf8)
                    i += secret.count
                } else {
                    out.append(bytes[i])
                    i += 1
                }
            }
            bytes = out
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
