import CurlClient
import Notify
import TradsecCore

/// A notification receiver's reply (Slack, Telegram, Discord, a webhook…), served raw over
/// HTTP to the real client (`CurlHTTP`) and classified (`DeliveryOutcome`): a wait is not
/// negative, the reason is printable text of bounded length, and the class follows
/// the status (2xx delivered; 408, 429, 5xx retried; other 4xx and 3xx permanent).
///
/// Input: two bytes of status (100...599), then the header lines, an empty line, the body.
enum ReceiverHarness {
    static let target = FuzzTarget(
        "receiver",
        "raw receiver replies through CurlHTTP -> DeliveryOutcome.classify: retry waits >= 0, reasons printable and short, class follows status",
        maxLength: 8192
    ) { bytes in check(bytes) }

    static let receiver = ScriptedServer(name: "receiver", tcp: true)

    static func check(_ input: UnsafeRawBufferPointer) {
        var reader = ByteReader(input)
        let status = 100 + reader.uint16() % 500
        let rest = Array(reader.rest())
        let split = HTTPHarness.find([0x0D, 0x0A, 0x0D, 0x0A], in: rest, from: 0)
        let headerBytes = split.map { Array(rest[..<$0]) } ?? []
        let body = split.map { Array(rest[($0 + 4)...]) } ?? rest
        var reply = Array("HTTP/1.1 \(status) Fuzz\r\n".utf8) + headerBytes
        if !headerBytes.isEmpty { reply += [0x0D, 0x0A] }
        reply += Array("Content-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
        receiver.script([reply])

        // The body also reaches classify directly, as a reply with only a Content-Type would.
        checkOutcome(DeliveryOutcome.classify(status: status, headers: ["content-type": "application/json"], body: body), status: status)

        let request = HTTPRequest.postJSON("http://127.0.0.1:\(receiver.port!)/hook", body: Array(#"{"text":"x"}"#.utf8))
        do {
            let response = try CurlHTTP.send(request)
            checkOutcome(DeliveryOutcome.classify(response), status: response.status)
        } catch let error as CurlError {
            let outcome = DeliveryOutcome.classify(error)
            Invariant.require(!outcome.isDelivered, "a failed transfer counted as delivered")
        } catch {
            Invariant.require(false, "CurlHTTP threw \(error)")
        }
    }

    static func checkOutcome(_ outcome: DeliveryOutcome, status: Int) {
        switch outcome {
        case .delivered(let s):
            Invariant.require((200..<300).contains(s) && s == status, "delivered with status \(s) for \(status)")
        case .retry(let reason, let after):
            Invariant.require(status == 408 || status == 429 || status >= 500 || status < 200, "retry for status \(status)")
            // Not negative (the dispatcher would schedule into the past); an infinite wait is
            // capped by the dispatcher at an hour.
            if let after { Invariant.require(after >= 0, "retry after \(after) s (status \(status))") }
            checkReason(reason)
        case .permanent(let reason):
            Invariant.require((300..<500).contains(status) && status != 408 && status != 429, "permanent for status \(status)")
            checkReason(reason)
        }
    }

    static func checkReason(_ reason: String) {
        Invariant.require(!reason.unicodeScalars.contains(where: TerminalSafe.isUnsafe), "unprintable reason: \(reason.debugDescription)")
        Invariant.require(reason.utf16.count <= 300, "reason of \(reason.utf16.count) units")
    }
}
