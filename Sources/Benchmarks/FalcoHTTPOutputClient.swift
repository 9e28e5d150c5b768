import CCurl
import CCurlShim
import CurlClient

/// The client of Falco's `http_output`, driven the way Falco's outputs_http.cpp drives
/// libcurl: one easy handle for every alert (so libcurl keeps the connection alive between
/// them), the URL, the header `Content-Type: application/json` and Falco's user agent set once,
/// a write callback that throws the reply body away; then, for each alert, the body as
/// POSTFIELDS and `curl_easy_perform`, one alert after another.
///
/// What it adds to Falco's settings: the body's length as POSTFIELDSIZE with each body (Falco
/// sets -1 once and libcurl takes `strlen` of its NUL-terminated message: the same
/// Content-Length), the response code read after each transfer (Falco does not look), a bound
/// on the discarded reply and a timeout, so a broken receiver fails requests instead of
/// hanging the bench. TLS settings (CA path, client certificates) are left out: the bench posts
/// to `http://127.0.0.1`.
///
/// Per request, the Swift side only sets two options, performs and reads two numbers: no
/// allocation, no text. The body stays alive for the whole transfer (libcurl does not copy
/// POSTFIELDS). One thread at a time.
final class FalcoHTTPOutputClient {
    /// A reply body larger than this fails the request (the receivers answer with a few bytes).
    static let maxReplyBytes = 64 << 10
    /// Whole-transfer limit of one request, milliseconds.
    static let timeoutMilliseconds = 10_000

    private let handle: UnsafeMutableRawPointer
    private let headers: UnsafeMutablePointer<curl_slist>
    /// Reply bytes of the current request, reached by the write callback through WRITEDATA.
    private let replyBytes: UnsafeMutablePointer<Int>
    /// New connections libcurl opened (CURLINFO_NUM_CONNECTS after each transfer): 1 when the
    /// receiver kept the connection alive throughout.
    private(set) var connectionsOpened = 0
    /// The first failed transfer's error, for the report; nil while every transfer worked.
    private(set) var firstError: String?

    /// A client posting to `url` (http://127.0.0.1:PORT/falco); nil when libcurl cannot make a handle.
    init?(url: String) {
        CurlGlobal.ensureInitialised()
        guard let handle = curl_easy_init() else { return nil }
        guard let headers = curl_slist_append(nil, "Content-Type: application/json") else {
            curl_easy_cleanup(handle)
            return nil
        }
        self.handle = handle
        self.headers = headers
        replyBytes = .allocate(capacity: 1)
        replyBytes.initialize(to: 0)
        // libcurl copies the strings it is given (URL, user agent, the list's lines).
        let codes = [
            ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers),
            ccurl_setopt_string(handle, CURLOPT_URL, url),
            ccurl_setopt_string(handle, CURLOPT_USERAGENT, "falcosecurity/falco"),
            ccurl_setopt_write_function(handle, Self.discard),
            ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, UnsafeMutableRawPointer(replyBytes)),
            ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.timeoutMilliseconds),
        ]
        guard codes.allSatisfy({ $0 == CURLE_OK }) else { return nil }   // deinit cleans up
    }

    deinit {
        curl_easy_cleanup(handle)   // closes the kept-alive connection
        curl_slist_free_all(headers)
        replyBytes.deallocate()
    }

    /// Posts `body` as one alert and waits for the whole reply: its status, or 0 when the
    /// transfer failed (no connection, timeout, reply over the bound).
    func post(_ body: [UInt8]) -> Int {
        replyBytes.pointee = 0
        let code = body.withUnsafeBytes { raw -> CURLcode in
            // A valid pointer even for an empty body; libcurl reads `count` bytes of it.
            let pointer = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            ccurl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, raw.count)
            ccurl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: pointer))
            return curl_easy_perform(handle)
        }
        var connects = 0
        ccurl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        connectionsOpened += connects
        guard code == CURLE_OK else {
            if firstError == nil {
                firstError = code == CURLE_WRITE_ERROR && replyBytes.pointee > Self.maxReplyBytes
                    ? "reply larger than \(Self.maxReplyBytes) bytes" : String(cString: curl_easy_strerror(code))
            }
            return 0
        }
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return status
    }

    /// Counts the reply's bytes and drops them; past the bound, returns 0 so libcurl fails the
    /// transfer (CURLE_WRITE_ERROR).
    private static let discard: curl_write_callback = { _, size, count, context in
        let total = size * count
        guard let counter = context?.assumingMemoryBound(to: Int.self) else { return 0 }
        counter.pointee += total
        return counter.pointee > FalcoHTTPOutputClient.maxReplyBytes ? 0 : total
    }
}
