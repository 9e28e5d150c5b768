import CCurl
import CCurlShim
import Foundation

/// One HTTP request, as libcurl will send it. Over TCP, or over a Unix socket (the Docker
/// Engine API), where the URL's host is ignored and only its path matters.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// Send over this Unix socket instead of TCP (e.g. /var/run/docker.sock).
    public var unixSocketPath: String?
    /// Whole-transfer limit, seconds; 0 means none (streams).
    public var timeout: Double
    public var connectTimeout: Double
    /// A reply body longer than this aborts the transfer: a hostile or broken peer cannot fill memory.
    public var maxResponseBytes: Int
    /// A CA bundle to trust instead of the system's (for private receivers).
    public var caFile: String?
    /// Turned off only for a named test receiver; never the default.
    public var verifyTLS: Bool

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
                body: [UInt8]? = nil, unixSocketPath: String? = nil, timeout: Double = 10,
                connectTimeout: Double = 3, maxResponseBytes: Int = 16 << 20,
                caFile: String? = nil, verifyTLS: Bool = true) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.unixSocketPath = unixSocketPath
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxResponseBytes = maxResponseBytes
        self.caFile = caFile
        self.verifyTLS = verifyTLS
    }

    /// A JSON POST (the body is already encoded).
    public static func postJSON(_ url: String, body: [UInt8], headers: [(name: String, value: String)] = [],
                                timeout: Double = 10) -> HTTPRequest {
        HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")] + headers,
                    body: body, timeout: timeout)
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lower-cased; the last value wins for repeated names.
    public var headers: [String: String]
    public var body: [UInt8]
    /// Wall time of the whole exchange, seconds.
    public var elapsed: Double

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// A transfer that did not produce an HTTP reply: refused, timed out, TLS failure, too large.
public enum CurlError: Error, CustomStringConvertible, Sendable {
    /// libcurl could not create an easy handle (out of memory): nothing was sent.
    case noHandle
    /// The reply went over the request's `maxResponseBytes`, so the transfer was cut.
    case replyTooLarge(limit: Int, elapsed: Double)
    /// libcurl failed the transfer; `code` is its CURLcode, `message` its error text.
    case transfer(code: Int, message: String, elapsed: Double)

    /// The CURLcode (-1 when there was no handle), which callers classify as retryable or not.
    public var code: Int {
        switch self {
        case .noHandle: -1
        case .replyTooLarge: Int(CURLE_WRITE_ERROR.rawValue)
        case .transfer(let code, _, _): code
        }
    }
    public var message: String {
        switch self {
        case .noHandle: "libcurl could not create a handle"
        case .replyTooLarge(let limit, _): "reply larger than \(limit) bytes"
        case .transfer(_, let message, _): message
        }
    }
    /// Seconds from the start of the transfer to the failure.
    public var elapsed: Double {
        switch self {
        case .noHandle: 0
        case .replyTooLarge(_, let elapsed), .transfer(_, _, let elapsed): elapsed
        }
    }
    public var description: String { message }
    /// Timeouts are worth telling apart: the operator needs to know the peer is slow, not down.
    public var isTimeout: Bool { code == Int(CURLE_OPERATION_TIMEDOUT.rawValue) }
}

/// Blocking HTTP over libcurl. Each call uses its own easy handle, so calls from any number
/// of threads are independent; callers that must not block run it on their own thread.
public enum CurlHTTP {
    /// Sends `request` and collects the whole reply.
    public static func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let sink = BodySink(limit: request.maxResponseBytes)
        return try perform(request, sink: sink)
    }

    /// Sends `request` and hands the reply body to `onData` as it arrives (a feed, a log follow).
    /// `onData` returns false to stop; the call then returns normally with what had arrived.
    /// `shouldStop` is asked several times a second even while no data arrives, so a quiet
    /// stream can still be left promptly.
    public static func stream(_ request: HTTPRequest, shouldStop: (@Sendable () -> Bool)? = nil,
                              onData: @escaping (UnsafeRawBufferPointer) -> Bool) throws -> HTTPResponse {
        let sink = BodySink(limit: Int.max, onData: onData)
        sink.shouldStop = shouldStop
        return try perform(request, sink: sink)
    }

    static func perform(_ request: HTTPRequest, sink: BodySink) throws -> HTTPResponse {
        CurlGlobal.ensureInitialised()
        guard let handle = curl_easy_init() else {
            throw CurlError.noHandle
        }
        defer { curl_easy_cleanup(handle) }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        ccurl_setopt_string(handle, CURLOPT_URL, request.url)
        ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)          // required with threads
        ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)     // a redirect is an answer, not an instruction
        // Only HTTP(S): a configured URL must not reach file://, gopher:// or the like.
        ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(request.timeout * 1000))
        ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(request.connectTimeout * 1000)))
        if let socket = request.unixSocketPath {
            ccurl_setopt_string(handle, CURLOPT_UNIX_SOCKET_PATH, socket)
        }
        if !request.verifyTLS {
            ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
            ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let ca = request.caFile { ccurl_setopt_string(handle, CURLOPT_CAINFO, ca) }

        let method = request.method.uppercased()
        if let body = request.body {
            ccurl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { raw in
                // COPYPOSTFIELDS copies, so the buffer's lifetime ends here safely; an empty body
                // still needs a valid pointer.
                let pointer = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                _ = ccurl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: pointer))
            }
            if method != "POST" { ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method) }
        } else if method == "POST" {
            ccurl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, 0)
            ccurl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, "")
        } else if method == "HEAD" {
            ccurl_setopt_long(handle, CURLOPT_NOBODY, 1)
        } else if method != "GET" {
            ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
        }
        // No "Expect: 100-continue" round trip on larger bodies.
        var headers = request.headers
        if request.body != nil && !headers.contains(where: { $0.name.lowercased() == "expect" }) {
            headers.append(("Expect", ""))
        }
        for header in headers {
            // CR or LF in a header would let a value smuggle a second header.
            let name = withoutLineBreaks(header.name)
            let value = withoutLineBreaks(header.value)
            headerList = curl_slist_append(headerList, value.isEmpty ? "\(name):" : "\(name): \(value)")
        }
        if headerList != nil { ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList) }

        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        ccurl_setopt_write_function(handle, CurlCallbacks.write)
        ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque())
        ccurl_setopt_header_function(handle, CurlCallbacks.header)
        ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context.toOpaque())
        if sink.shouldStop != nil {
            ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
            ccurl_setopt_xferinfo_function(handle, CurlCallbacks.progress)
            ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context.toOpaque())
        }

        let (code, errorText, elapsed) = CurlTransfer.perform(handle)
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)

        if code != CURLE_OK {
            // A stream its consumer stopped on purpose is a normal end.
            if (code == CURLE_WRITE_ERROR || code == CURLE_ABORTED_BY_CALLBACK) && sink.stoppedByConsumer {
                return HTTPResponse(status: status, headers: sink.headers, body: sink.body, elapsed: elapsed)
            }
            if code == CURLE_WRITE_ERROR && sink.overLimit {
                throw CurlError.replyTooLarge(limit: request.maxResponseBytes, elapsed: elapsed)
            }
            throw CurlError.transfer(code: Int(code.rawValue), message: errorText, elapsed: elapsed)
        }
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body, elapsed: elapsed)
    }
}

/// Runs a prepared transfer with libcurl's error buffer: its code, the error in words (empty
/// when it succeeded) and the wall time. Shared by HTTP and SMTP.
enum CurlTransfer {
    static func perform(_ handle: UnsafeMutableRawPointer) -> (CURLcode, String, Double) {
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let started = DispatchTime.now().uptimeNanoseconds
        let code = errorBuffer.withUnsafeMutableBufferPointer { buffer -> CURLcode in
            ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            defer { ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil) }   // the buffer dies here
            return curl_easy_perform(handle)
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        guard code != CURLE_OK else { return (code, "", elapsed) }
        let detail = cString(errorBuffer)
        return (code, detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail, elapsed)
    }
}

/// The text of a NUL-terminated C buffer.
func cString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Removes CR and LF. Filtering Characters is not enough: "\r\n" is one Character in Swift.
func withoutLineBreaks(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\r" && $0 != "\n" }))
}

/// Collects (or forwards) the reply; reached from libcurl's C callbacks through an opaque pointer.
final class BodySink {
    let limit: Int
    let onData: ((UnsafeRawBufferPointer) -> Bool)?
    var body: [UInt8] = []
    var headers: [String: String] = [:]
    var overLimit = false
    var stoppedByConsumer = false
    var shouldStop: (@Sendable () -> Bool)?

    init(limit: Int, onData: ((UnsafeRawBufferPointer) -> Bool)? = nil) {
        self.limit = limit
        self.onData = onData
    }

    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if let onData {
            if !onData(bytes) { stoppedByConsumer = true; return false }
            return true
        }
        if body.count + bytes.count > limit { overLimit = true; return false }
        body.append(contentsOf: bytes)
        return true
    }

    func receiveHeader(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("HTTP/") { headers.removeAll(); return }   // a new reply (after 100 or a proxy)
        guard let colon = text.firstIndex(of: ":") else { return }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        headers[name] = value
    }
}

enum CurlCallbacks {
    static let progress: curl_xferinfo_callback = { context, _, _, _, _ in
        guard let context else { return 0 }
        let sink = Unmanaged<BodySink>.fromOpaque(context).takeUnretainedValue()
        if sink.shouldStop?() == true {
            sink.stoppedByConsumer = true
            return 1   // non-zero aborts the transfer
        }
        return 0
    }
    static let write: curl_write_callback = { pointer, size, count, context in
        let total = size * count
        guard let pointer, let context else { return 0 }
        let sink = Unmanaged<BodySink>.fromOpaque(context).takeUnretainedValue()
        return sink.receive(UnsafeRawBufferPointer(start: pointer, count: total)) ? total : 0
    }
    static let header: curl_write_callback = { pointer, size, count, context in
        let total = size * count
        guard let pointer, let context else { return total }
        let sink = Unmanaged<BodySink>.fromOpaque(context).takeUnretainedValue()
        sink.receiveHeader(UnsafeRawBufferPointer(start: pointer, count: total))
        return total
    }
}

/// curl_global_init must run once before any handle; a static let runs it exactly once.
/// (Also for code that drives its own libcurl handles, such as the http_output benchmark.)
public enum CurlGlobal {
    private static let initialised: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()
    public static func ensureInitialised() { _ = initialised }
}
