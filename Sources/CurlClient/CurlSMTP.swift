import CCurl
import CCurlShim
import Foundation

/// One e-mail, already formatted as an RFC 5322 message (headers, blank line, body).
public struct SMTPMessage: Sendable {
    /// smtp://host:port or smtps://host:port
    public var url: String
    public var from: String
    public var recipients: [String]
    public var message: [UInt8]
    public var username: String?
    public var password: String?
    /// STARTTLS required on smtp:// (smtps:// is TLS from the start).
    public var requireTLS: Bool
    public var timeout: Double

    public init(url: String, from: String, recipients: [String], message: [UInt8],
                username: String? = nil, password: String? = nil, requireTLS: Bool = false,
                timeout: Double = 15) {
        self.url = url
        self.from = from
        self.recipients = recipients
        self.message = message
        self.username = username
        self.password = password
        self.requireTLS = requireTLS
        self.timeout = timeout
    }
}

/// Sends mail over SMTP through libcurl (no shell, no sendmail binary).
public enum CurlSMTP {
    public static func send(_ mail: SMTPMessage) throws {
        CurlGlobal.ensureInitialised()
        guard let handle = curl_easy_init() else {
            throw CurlError.noHandle
        }
        defer { curl_easy_cleanup(handle) }
        var recipients: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(recipients) }
        for address in mail.recipients { recipients = curl_slist_append(recipients, angle(address)) }

        ccurl_setopt_string(handle, CURLOPT_URL, mail.url)
        ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(mail.timeout * 1000))
        ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, 5000)
        ccurl_setopt_string(handle, CURLOPT_MAIL_FROM, angle(mail.from))
        ccurl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
        if mail.requireTLS { ccurl_setopt_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let user = mail.username { ccurl_setopt_string(handle, CURLOPT_USERNAME, user) }
        if let password = mail.password { ccurl_setopt_string(handle, CURLOPT_PASSWORD, password) }
        ccurl_setopt_long(handle, CURLOPT_UPLOAD, 1)
        ccurl_setopt_off_t(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(mail.message.count))

        let source = UploadSource(mail.message)
        let context = Unmanaged.passRetained(source)
        defer { context.release() }
        ccurl_setopt_read_function(handle, UploadSource.read)
        ccurl_setopt_pointer(handle, CURLOPT_READDATA, context.toOpaque())

        let (code, errorText, elapsed) = CurlTransfer.perform(handle)
        if code != CURLE_OK { throw CurlError.transfer(code: Int(code.rawValue), message: errorText, elapsed: elapsed) }
    }

    private static func angle(_ address: String) -> String {
        let clean = withoutLineBreaks(address).filter { $0 != "<" && $0 != ">" }
        return "<\(clean)>"
    }
}

/// Feeds the message to libcurl's read callback.
final class UploadSource {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    static let read: curl_read_callback = { buffer, size, count, context in
        guard let buffer, let context else { return 0 }
        let source = Unmanaged<UploadSource>.fromOpaque(context).takeUnretainedValue()
        let room = size * count
        let n = min(room, source.bytes.count - source.offset)
        if n > 0 {
            source.bytes.withUnsafeBufferPointer { all in
                UnsafeMutableRawPointer(buffer).copyMemory(from: all.baseAddress! + source.offset, byteCount: n)
            }
            source.offset += n
        }
        return n
    }
}
