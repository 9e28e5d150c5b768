import CurlClient
import Foundation
import TradsecCore

/// What one send attempt came to.
public enum DeliveryOutcome: Sendable, Equatable {
    /// 2xx (or mail accepted): mark delivered, never send again.
    case delivered(status: Int)
    /// Worth another try: 5xx, 408, 429, a timeout, a refused connection. `after` is the
    /// receiver's own Retry-After when it gave one.
    case retry(reason: String, after: Double?)
    /// The receiver refused the message itself (any other 4xx, a bad URL): retrying would only
    /// repeat the refusal, so it is recorded as failed with the reason.
    case permanent(reason: String)

    public var isDelivered: Bool { if case .delivered = self { return true } else { return false } }

    /// Classifies an HTTP reply. A 429's wait comes from the Retry-After header (seconds), or
    /// from the JSON body where Discord (`retry_after`) and Telegram (`parameters.retry_after`) put it.
    public static func classify(_ response: HTTPResponse) -> DeliveryOutcome {
        classify(status: response.status, headers: response.headers, body: response.body)
    }

    /// `headers` with lower-cased names, as ``HTTPResponse`` has them.
    public static func classify(status: Int, headers: [String: String], body: [UInt8]) -> DeliveryOutcome {
        if (200..<300).contains(status) { return .delivered(status: status) }
        let response = (headers: headers, body: body)
        let excerpt = TextBudget.fit(TextBudget.printable(String(decoding: body, as: UTF8.self), keepNewlines: false), limit: 200)
        let reason = "HTTP \(status)" + (excerpt.isEmpty ? "" : ": \(excerpt)")
        switch status {
        case 429:
            return .retry(reason: reason, after: retryAfter(response))
        case 408:
            return .retry(reason: reason, after: nil)
        case 300..<400:
            return .permanent(reason: "HTTP \(status): the receiver redirects; configure the final URL")
        case 400..<500:
            return .permanent(reason: reason)
        default:
            return .retry(reason: reason, after: status == 503 ? retryAfter(response) : nil)
        }
    }

    /// libcurl's CURLcode values (curl/curl.h) that retrying cannot fix.
    enum CurlCode {
        static let unsupportedProtocol = 1   // CURLE_UNSUPPORTED_PROTOCOL
        static let urlMalformat = 3          // CURLE_URL_MALFORMAT
        static let loginDenied = 67          // CURLE_LOGIN_DENIED (SMTP AUTH refused)
    }

    /// A transfer that got no HTTP reply is always worth retrying, except a URL curl cannot use.
    public static func classify(_ error: CurlError) -> DeliveryOutcome {
        switch error.code {
        case CurlCode.unsupportedProtocol, CurlCode.urlMalformat, CurlCode.loginDenied:
            return .permanent(reason: error.message)
        default:
            return .retry(reason: error.isTimeout ? "timed out: \(error.message)" : error.message, after: nil)
        }
    }

    /// The wait a receiver asks for is held to this window: below it, a receiver saying `0`
    /// or a negative number (a bug or a hostile peer) would have the channel retry in a tight
    /// loop; above it, one reply could park the channel for days (`give_up_after` still applies).
    public static let retryAfterWindow: ClosedRange<Double> = 0.5...3600

    /// The receiver's wait, in seconds, within ``retryAfterWindow``: the `Retry-After` header
    /// (delta-seconds), else `retry_after` (Discord, Slack's Web API) or
    /// `parameters.retry_after` (Telegram) in a JSON body. NaN, or nothing readable, gives nil:
    /// the channel's own backoff then decides.
    static func retryAfter(_ response: (headers: [String: String], body: [UInt8])) -> Double? {
        if let header = response.headers["retry-after"], let seconds = Double(header.trimmingCharacters(in: .whitespaces)) {
            return seconds.clamped(to: retryAfterWindow)
        }
        guard let json = try? JSONParser.parse(response.body) else { return nil }
        for value in [json["retry_after"], json["parameters"]?["retry_after"]] {
            switch value {
            case .int(let v)?: return Double(v).clamped(to: retryAfterWindow)
            case .uint(let v)?: return Double(v).clamped(to: retryAfterWindow)
            case .double(let v)?: return v.clamped(to: retryAfterWindow)
            default: continue
            }
        }
        return nil
    }
}

/// Exponential backoff with jitter: attempt n waits between half and all of
/// min(max, initial × 2^(n-1)), so many senders that failed together do not retry together.
public struct Backoff: Sendable {
    public var initial: Double
    public var max: Double

    public init(initial: Double, max: Double) {
        self.initial = initial
        self.max = max
    }

    public func delay(attempt: Int, random: Double = Double.random(in: 0..<1)) -> Double {
        let exponent = Double(Swift.max(0, Swift.min(attempt - 1, 40)))
        let ceiling = Swift.min(max, initial * pow(2, exponent))
        return ceiling * (0.5 + 0.5 * random)
    }
}

/// A token bucket: `capacity` messages at once, refilled at `capacity / per` a second.
struct TokenBucket {
    let capacity: Double
    let rate: Double
    var tokens: Double
    var updated: Double

    init(_ limit: RateLimit, now: Double) {
        capacity = Double(limit.count)
        rate = Double(limit.count) / limit.per
        tokens = capacity
        updated = now
    }

    /// Seconds until a token is available (0: one is available now).
    mutating func wait(now: Double) -> Double {
        tokens = min(capacity, tokens + (now - updated) * rate)
        updated = now
        return tokens >= 1 ? 0 : (1 - tokens) / rate
    }

    mutating func take(now: Double) {
        _ = wait(now: now)
        tokens -= 1
    }
}
