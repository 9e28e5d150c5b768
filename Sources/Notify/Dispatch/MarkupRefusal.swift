import Foundation
import CurlClient
import TradsecCore

/// Whether a receiver refused a message because of its markup, as each service documents
/// that refusal. Alert text decides part of the markup, so such a refusal must not drop the
/// alert (an attacker could silence their own alerts with one odd file name): the message is
/// sent again as plain text (``ChannelFormats/plainRequest(_:)``).
enum MarkupRefusal {
    /// Slack incoming webhooks answer 400 with one of these words as the whole body
    /// (`invalid_payload` also stands for "not properly escaped").
    static let slackErrors: Set<String> = ["invalid_blocks", "invalid_blocks_format", "invalid_attachments", "invalid_payload"]
    /// Discord's JSON error code for a request body it cannot take (`errors` says which
    /// field: embeds, content...).
    static let discordInvalidFormBody: Int64 = 50035

    /// The refusal as a short reason, or nil when the reply is anything else.
    static func reason(_ kind: ChannelConfig.Kind, status: Int, body: [UInt8]) -> String? {
        guard status == 400 else { return nil }
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        switch kind {
        case .slack:
            let word = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return slackErrors.contains(word) ? "HTTP 400: \(word)" : nil
        case .telegram:
            // "Bad Request: can't parse entities: ...", older "can't parse message text",
            // "ENTITY_..." for a bad entity.
            guard let description = (try? JSONParser.parse(body))?["description"]?.stringValue else { return nil }
            let lower = description.lowercased()
            guard lower.contains("can't parse") || lower.contains("entit") else { return nil }
            return "HTTP 400: " + TextBudget.fit(TextBudget.printable(description, keepNewlines: false), limit: 200)
        case .discord:
            guard (try? JSONParser.parse(body))?["code"]?.int64Value == discordInvalidFormBody else { return nil }
            return "HTTP 400: " + TextBudget.fit(TextBudget.printable(text, keepNewlines: false), limit: 200)
        case .webhook, .pagerduty, .alertmanager, .email:
            return nil
        }
    }
}
