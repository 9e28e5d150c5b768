import TradsecCore

/// Checks a received payload against the service's documented API, the way the service itself
/// would refuse it. Each returns the problems found (empty: the service would accept it).
enum ServiceValidators {
    static func utf16(_ s: String?) -> Int { s?.utf16.count ?? 0 }

    /// Slack incoming webhook with Block Kit: https://api.slack.com/messaging/webhooks,
    /// https://api.slack.com/reference/block-kit/blocks (header plain_text <= 150, section text
    /// <= 3000, at most 50 blocks), https://api.slack.com/reference/surfaces/formatting#escaping.
    static func slack(_ body: JSONValue) -> [String] {
        var problems: [String] = []
        guard let text = body["text"]?.stringValue, !text.isEmpty else { return ["text (the notification fallback) missing"] }
        guard let blocks = body["blocks"]?.arrayValue else { return ["blocks missing"] }
        if blocks.isEmpty || blocks.count > 50 { problems.append("blocks: \(blocks.count), must be 1...50") }
        var mrkdwn = [text]
        for block in blocks {
            switch block["type"]?.stringValue {
            case "header":
                guard block["text"]?["type"]?.stringValue == "plain_text" else { problems.append("header text must be plain_text"); continue }
                if utf16(block["text"]?["text"]?.stringValue) > 150 { problems.append("header over 150 characters") }
            case "section":
                guard let t = block["text"], let type = t["type"]?.stringValue, ["mrkdwn", "plain_text"].contains(type) else {
                    problems.append("section without a text object"); continue
                }
                let s = t["text"]?.stringValue ?? ""
                if s.isEmpty || utf16(s) > 3000 { problems.append("section text length \(utf16(s)), must be 1...3000") }
                if type == "mrkdwn" { mrkdwn.append(s) }
            case "context":
                guard let elements = block["elements"]?.arrayValue, (1...10).contains(elements.count) else { problems.append("context needs 1...10 elements"); continue }
                mrkdwn += elements.compactMap { $0["type"]?.stringValue == "mrkdwn" ? $0["text"]?.stringValue : nil }
            default:
                problems.append("unexpected block type \(block["type"]?.stringValue ?? "?")")
            }
        }
        for s in mrkdwn { problems += slackMarkup(s) }
        return problems
    }

    /// What Slack would parse in a mrkdwn string, read scalar by scalar as its parser reads it
    /// (a `Character` can hide `<`: "\u{600}<"): the only `<...>` allowed is a link to
    /// tradsec we made ourselves, and every `&` starts one of the three entities.
    static func slackMarkup(_ s: String) -> [String] {
        var problems: [String] = []
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            switch scalars[i] {
            case "<":
                let rest = String(String.UnicodeScalarView(scalars[i...]))
                guard rest.unicodeScalars.starts(with: "<https://tradsec.example/".unicodeScalars),
                      let close = scalars[i...].firstIndex(of: ">"), scalars[i..<close].contains("|") else {
                    problems.append("live '<' in mrkdwn: \(rest.unicodeScalars.prefix(30))"); return problems
                }
                i = close + 1
            case ">":
                problems.append("live '>' in mrkdwn"); return problems
            case "&":
                let rest = scalars[i...]
                guard ["&amp;", "&lt;", "&gt;"].contains(where: { rest.starts(with: $0.unicodeScalars) }) else {
                    problems.append("bare '&' in mrkdwn"); return problems
                }
                i += 1
            default:
                i += 1
            }
        }
        return problems
    }

    /// Telegram Bot API sendMessage: https://core.telegram.org/bots/api#sendmessage and
    /// #html-style (text 1-4096 characters after entity parsing; only the documented tags;
    /// <, > and & outside tags must be entities).
    static func telegram(_ body: JSONValue, path: String, token: String) -> [String] {
        var problems: [String] = []
        if path != "/bot\(token)/sendMessage" { problems.append("path \(path), want /bot<token>/sendMessage") }
        switch body["chat_id"] {
        case .int?, .string?: break
        default: problems.append("chat_id must be an integer or a string")
        }
        if body["parse_mode"]?.stringValue != "HTML" { problems.append("parse_mode must be HTML") }
        guard let text = body["text"]?.stringValue else { return problems + ["text missing"] }
        // Entity parsing, as the server does it (scalar by scalar): tags out, entities decoded.
        var visible = 0
        let scalars = Array(text.unicodeScalars)
        var i = 0
        var open: [String] = []
        let allowedTags: Set<String> = ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a", "tg-spoiler", "blockquote"]
        while i < scalars.count {
            let c = scalars[i]
            if c == "<" {
                guard let close = scalars[i...].firstIndex(of: ">") else { problems.append("unclosed '<'"); break }
                var tag = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
                let closing = tag.hasPrefix("/")
                if closing { tag.removeFirst() }
                let name = String(String.UnicodeScalarView(tag.unicodeScalars.prefix { $0 != " " }))
                if !allowedTags.contains(name) { problems.append("unsupported tag <\(tag)>") }
                if name == "a" && !closing && !tag.hasPrefix("a href=\"https://tradsec.example/") { problems.append("a link not made by tradsec: <\(tag)>") }
                if closing {
                    if open.last != name { problems.append("mismatched </\(name)>") } else { open.removeLast() }
                } else { open.append(name) }
                i = close + 1
            } else if c == "&" {
                let rest = scalars[i...]
                guard let entity = ["&amp;", "&lt;", "&gt;", "&quot;"].first(where: { rest.starts(with: $0.unicodeScalars) }) else {
                    problems.append("bare '&' (must be &amp;)"); break
                }
                visible += 1
                i += entity.unicodeScalars.count
            } else if c == ">" {
                problems.append("bare '>' outside a tag"); break
            } else {
                visible += UTF16.width(c)
                i += 1
            }
        }
        if !open.isEmpty { problems.append("tags left open: \(open)") }
        if visible < 1 || visible > 4096 { problems.append("text is \(visible) characters after entity parsing, must be 1...4096") }
        return problems
    }

    /// Discord execute webhook: https://discord.com/developers/docs/resources/webhook#execute-webhook
    /// and embed limits (content 2000; 10 embeds; title 256, description 4096, 25 fields of
    /// name 256 / value 1024, footer 2048; 6000 across embeds); allowed_mentions.
    static func discord(_ body: JSONValue, path: String) -> [String] {
        var problems: [String] = []
        if !path.contains("wait=true") { problems.append("no wait=true: a 204 would not confirm the message") }
        let content = body["content"]?.stringValue
        let embeds = body["embeds"]?.arrayValue ?? []
        if content == nil && embeds.isEmpty { problems.append("needs content or embeds") }
        if utf16(content) > 2000 { problems.append("content over 2000") }
        if embeds.count > 10 { problems.append("\(embeds.count) embeds, at most 10") }
        var total = 0
        for e in embeds {
            let title = e["title"]?.stringValue, description = e["description"]?.stringValue
            if utf16(title) > 256 { problems.append("embed title over 256") }
            if utf16(description) > 4096 { problems.append("embed description over 4096") }
            total += utf16(title) + utf16(description) + utf16(e["footer"]?["text"]?.stringValue)
            if utf16(e["footer"]?["text"]?.stringValue) > 2048 { problems.append("footer over 2048") }
            let fields = e["fields"]?.arrayValue ?? []
            if fields.count > 25 { problems.append("\(fields.count) fields, at most 25") }
            for f in fields {
                let name = f["name"]?.stringValue ?? "", value = f["value"]?.stringValue ?? ""
                if name.isEmpty || utf16(name) > 256 { problems.append("field name length \(utf16(name))") }
                if value.isEmpty || utf16(value) > 1024 { problems.append("field value length \(utf16(value))") }
                total += utf16(name) + utf16(value)
            }
        }
        if total > 6000 { problems.append("embeds total \(total) characters, at most 6000") }
        // Everything tradsec puts in an embed from alert text must render as written.
        for e in embeds {
            problems += discordMarkdown(e["title"]?.stringValue ?? "")
            for f in e["fields"]?.arrayValue ?? [] {
                problems += discordMarkdown(f["name"]?.stringValue ?? "") + discordMarkdown(f["value"]?.stringValue ?? "")
            }
            problems += discordCodeBlock(e["description"]?.stringValue ?? "```\nx\n```")
        }
        guard let parse = body["allowed_mentions"]?["parse"]?.arrayValue, parse.isEmpty else {
            return problems + ["allowed_mentions.parse must be [] so alert text cannot ping"]
        }
        return problems
    }

    /// Markdown characters Discord acts on in titles and field values.
    static let discordMarkup: Set<Unicode.Scalar> = ["\\", "*", "_", "~", "`", "|", "<", ">", "#", "[", "]", "(", ")", "-", "+", "@", ":"]

    /// Read scalar by scalar, as Discord's parser reads it: every markup character must be
    /// escaped by a backslash that is not itself escaped; a leading `1.` would start a list.
    static func discordMarkdown(_ s: String) -> [String] {
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\\" {
                guard i + 1 < scalars.count, discordMarkup.contains(scalars[i + 1]) || scalars[i + 1] == "." else {
                    return ["a lone backslash in \(s)"]
                }
                i += 2
            } else if discordMarkup.contains(scalars[i]) {
                return ["live markdown '\(scalars[i])' in \(s)"]
            } else {
                i += 1
            }
        }
        if let dot = scalars.firstIndex(where: { !("0"..."9").contains($0) }), dot > 0, scalars[dot] == "." {
            return ["a list item in \(s)"]
        }
        return []
    }

    /// A code block the text inside cannot close: no two backticks in a row inside it.
    static func discordCodeBlock(_ s: String) -> [String] {
        let scalars = Array(s.unicodeScalars)
        let fence = Array("```\n".unicodeScalars), end = Array("\n```".unicodeScalars)
        guard scalars.starts(with: fence), scalars.count >= fence.count + end.count, Array(scalars.suffix(end.count)) == end else {
            return ["not a code block: \(s.prefix(40))"]
        }
        let inside = scalars[fence.count..<(scalars.count - end.count)]
        for (a, b) in zip(inside, inside.dropFirst()) where a == "`" && b == "`" { return ["two backticks in a row inside the code block"] }
        return []
    }

    /// PagerDuty Events API v2 enqueue: https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
    static func pagerDuty(_ body: JSONValue) -> [String] {
        var problems: [String] = []
        if (body["routing_key"]?.stringValue ?? "").isEmpty { problems.append("routing_key missing") }
        if !["trigger", "acknowledge", "resolve"].contains(body["event_action"]?.stringValue ?? "") { problems.append("event_action invalid") }
        if let dedup = body["dedup_key"] {
            guard let d = dedup.stringValue, !d.isEmpty, utf16(d) <= 255 else { return problems + ["dedup_key must be 1...255 characters"] }
        }
        guard let payload = body["payload"]?.objectValue else { return problems + ["payload missing"] }
        let summary = payload["summary"]?.stringValue ?? ""
        if summary.isEmpty || utf16(summary) > 1024 { problems.append("payload.summary length \(utf16(summary)), must be 1...1024") }
        if (payload["source"]?.stringValue ?? "").isEmpty { problems.append("payload.source missing") }
        if !["critical", "error", "warning", "info"].contains(payload["severity"]?.stringValue ?? "") { problems.append("payload.severity invalid") }
        if let t = payload["timestamp"]?.stringValue, Timestamp(rfc3339: t) == nil { problems.append("payload.timestamp not ISO 8601") }
        if let details = payload["custom_details"], details.objectValue == nil { problems.append("custom_details must be an object") }
        return problems
    }
}
