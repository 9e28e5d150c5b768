#if canImport(Glibc)
import Glibc
#endif
import CurlClient
import Foundation
import TradsecCore

/// An RFC 5322 plain-text mail. Alert text never reaches a header except the Subject, which
/// is stripped of CR/LF and control characters (no header injection) and RFC 2047-encoded
/// when not ASCII. Body lines end in CRLF and stay under the 998-byte line limit; libcurl
/// dot-stuffs lines that start with a dot. The Message-ID is the same on every attempt.
enum EmailFormat {
    static let subjectLimit = 180
    static let lineBytes = 900

    static func message(_ m: MessageContext) throws -> SMTPMessage {
        let url = try m.secret(m.channel.url, "url")
        guard let from = m.channel.from, !m.channel.to.isEmpty else { throw NotifyError.channelConfig(channel: m.channel.name, problem: "needs from and to") }
        let host = headerToken(m.first.host)
        let headers = [
            "From: \(from)",
            "To: \(m.channel.to.joined(separator: ", "))",
            "Subject: \(subject("[tradsec] " + m.headline))",
            "Date: \(rfc5322Date(Timestamp.now()))",
            "Message-ID: <\(headerToken(m.idempotencyKey))@\(host.isEmpty ? "tradsec" : host)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "X-Tradsec-Priority: \(m.priority.name)",
        ]
        var body: [String] = []
        for item in m.items {
            let n = item.notification
            body.append(n.title)
            body.append(String(repeating: "-", count: min(72, max(3, n.title.count))))
            body.append(n.text)
            body.append("")
            for f in n.fields { body.append("\(f.name): \(f.value)") }
            body.append("time: \(n.time.rfc3339())")
            body.append("host: \(n.host)")
            if let link = n.link { body.append("link: \(link)") }
            body.append("")
        }
        let text = headers.joined(separator: "\r\n") + "\r\n\r\n" + bodyLines(body.joined(separator: "\n")).joined(separator: "\r\n") + "\r\n"
        let password = try m.channel.password.map { try $0.resolve(m.environment) }
        return SMTPMessage(url: url, from: from, recipients: m.channel.to, message: Array(text.utf8),
                           username: m.channel.username, password: password, requireTLS: m.channel.requireTLS,
                           timeout: m.channel.timeout)
    }

    /// One line, printable, cut to the limit; non-ASCII as an RFC 2047 encoded-word.
    static func subject(_ raw: String) -> String {
        let clean = TextBudget.fit(TextBudget.printable(raw, keepNewlines: false), limit: subjectLimit)
        guard !clean.unicodeScalars.allSatisfy(\.isASCII) else { return clean }
        // Encoded words are at most 75 characters: split the UTF-8 between scalars (RFC 2047
        // forbids splitting one character's bytes; a grapheme cluster may be any length).
        var words: [[UInt8]] = []
        var chunk: [UInt8] = []
        for s in clean.unicodeScalars {
            let bytes = Array(String(s).utf8)
            if chunk.count + bytes.count > 45 {
                words.append(chunk)
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// The body's lines, printable, each at most `lineBytes` bytes of UTF-8 (longer ones wrap).
    static func bodyLines(_ text: String) -> [String] {
        var out: [String] = []
        for line in TextBudget.printable(text).split(separator: "\n", omittingEmptySubsequences: false) {
            // By scalar: one grapheme cluster can be longer than the whole line limit.
            var current = String.UnicodeScalarView()
            var bytes = 0
            for s in line.unicodeScalars {
                let n = UTF8.width(s)
                if bytes + n > lineBytes {
                    out.append(String(current))
                    current = String.UnicodeScalarView()
                    bytes = 0
                }
                current.append(s)
                bytes += n
            }
            out.append(String(current))
        }
        return out
    }

    /// Only ASCII letters, digits, `.` and `-`: what a Message-ID may carry from a host name.
    static func headerToken(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-"
        }))
    }

    static func rfc5322Date(_ t: Timestamp) -> String {
        var seconds = time_t(t.nanoseconds / 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[Int(parts.tm_wday)]), \(parts.tm_mday) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }
}
