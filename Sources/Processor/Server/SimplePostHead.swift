/// The head of the plainest alert POST, read straight from the bytes: what Falco's
/// `http_output` (libcurl) sends for every alert. Anything else is `.notSimple`, and
/// ``FalcoPostFastPath`` then leaves the request to NIO's full HTTP parser; so this parser
/// may refuse whatever it likes, but what it accepts must frame exactly as NIO's parser frames
/// it (the `post-head` fuzz target compares the two), or a request could be smuggled past
/// the policy checks.
///
/// Accepted: `POST /falco HTTP/1.1` (or `POST / HTTP/1.1`), CRLF line ends, header names of
/// token characters, values of visible ASCII and inner spaces, exactly one `Content-Length`
/// of at most ``maxDigits`` digits, none of Transfer-Encoding, Expect, Connection,
/// Proxy-Connection or Upgrade, no header of the ones the policy reads given twice, and at
/// most ``maxHeaders`` headers in at most ``maxHeadBytes`` bytes.
public struct SimplePostHead: Equatable, Sendable {
    public enum Parsed: Equatable, Sendable {
        /// No end of head yet (and under the size limit): wait for more bytes.
        case incomplete
        /// Not the plainest form: the full HTTP pipeline takes this request.
        case notSimple
        case post(SimplePostHead)
    }

    /// Bytes up to and including the blank line.
    public internal(set) var headLength: Int
    public internal(set) var contentLength: Int
    /// The header values the request policy reads.
    public internal(set) var policyHeaders = PolicyHeaders()

    /// Each nil when absent.
    public struct PolicyHeaders: Equatable, Sendable {
        public internal(set) var host: String?
        public internal(set) var origin: String?
        public internal(set) var secFetchSite: String?
        public internal(set) var authorization: String?
        public internal(set) var contentType: String?

        /// The header `name` (lowercase), as the request policy asks for it.
        public func header(_ name: String) -> String? {
            switch name {
            case "host": return host
            case "origin": return origin
            case "sec-fetch-site": return secFetchSite
            case "authorization": return authorization
            case "content-type": return contentType
            default: return nil
            }
        }
    }

    public static let maxHeadBytes = 8192
    public static let maxHeaders = 64
    public static let maxDigits = 9

    private static let requestLines: [[UInt8]] = [Array("POST /falco HTTP/1.1\r\n".utf8), Array("POST / HTTP/1.1\r\n".utf8)]

    private enum Known: UInt8 {
        case contentLength = 1, host = 2, origin = 4, secFetchSite = 8, authorization = 16, contentType = 32, refused = 64, other = 128
    }

    public static func parse(_ whole: UnsafeRawBufferPointer) -> Parsed {
        // Past the size limit the head is not simple, whatever follows.
        let bytes = UnsafeRawBufferPointer(rebasing: whole.prefix(maxHeadBytes))
        let ranOut: Parsed = whole.count >= maxHeadBytes ? .notSimple : .incomplete
        guard let lineEnd = requestLines.first(where: { bytes.starts(with: $0) })?.count else {
            // A prefix of a request line may still become one.
            return bytes.count < requestLines[0].count && requestLines.contains { $0.starts(with: bytes) } ? .incomplete : .notSimple
        }
        var head = SimplePostHead(headLength: 0, contentLength: -1)
        var position = lineEnd
        var headers = 0
        var seen: UInt8 = 0
        while true {
            guard position + 1 < bytes.count else { return ranOut }
            if bytes[position] == 0x0D {
                guard bytes[position + 1] == 0x0A, head.contentLength >= 0 else { return .notSimple }
                head.headLength = position + 2
                return .post(head)
            }
            headers += 1
            guard headers <= maxHeaders else { return .notSimple }
            // name ":" OWS value CRLF, on one line.
            let nameStart = position
            while position < bytes.count, isTokenByte(bytes[position]) { position += 1 }
            guard position < bytes.count else { return ranOut }
            guard position > nameStart, bytes[position] == UInt8(ascii: ":") else { return .notSimple }
            let known = kind(UnsafeRawBufferPointer(rebasing: bytes[nameStart..<position]))
            position += 1
            while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
            let valueStart = position
            while position < bytes.count, isValueByte(bytes[position]) { position += 1 }
            guard position + 1 < bytes.count else { return ranOut }
            guard bytes[position] == 0x0D, bytes[position + 1] == 0x0A else { return .notSimple }
            let value = UnsafeRawBufferPointer(rebasing: bytes[valueStart..<position])
            // Spaces after a value: NIO keeps them, so this parser would have to as well; rare, so left to NIO.
            if let last = value.last, last == 0x20 || last == 0x09 { return .notSimple }
            position += 2
            if known == .other { continue }
            guard known != .refused, seen & known.rawValue == 0 else { return .notSimple }
            seen |= known.rawValue
            switch known {
            case .contentLength:
                guard let length = decimal(value) else { return .notSimple }
                head.contentLength = length
            case .host: head.policyHeaders.host = String(decoding: value, as: UTF8.self)
            case .origin: head.policyHeaders.origin = String(decoding: value, as: UTF8.self)
            case .secFetchSite: head.policyHeaders.secFetchSite = String(decoding: value, as: UTF8.self)
            case .authorization: head.policyHeaders.authorization = String(decoding: value, as: UTF8.self)
            case .contentType: head.policyHeaders.contentType = String(decoding: value, as: UTF8.self)
            case .refused, .other: break
            }
        }
    }

    private static func decimal(_ value: UnsafeRawBufferPointer) -> Int? {
        guard !value.isEmpty, value.count <= maxDigits else { return nil }
        var number = 0
        for byte in value {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            number = number * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return number
    }

    private static func kind(_ name: UnsafeRawBufferPointer) -> Known {
        switch name.count {
        case 4 where equalsLowercased(name, "host"): return .host
        case 6 where equalsLowercased(name, "origin"): return .origin
        case 6 where equalsLowercased(name, "expect"): return .refused
        case 7 where equalsLowercased(name, "upgrade"): return .refused
        case 10 where equalsLowercased(name, "connection"): return .refused
        case 12 where equalsLowercased(name, "content-type"): return .contentType
        case 13 where equalsLowercased(name, "authorization"): return .authorization
        case 14 where equalsLowercased(name, "content-length"): return .contentLength
        case 14 where equalsLowercased(name, "sec-fetch-site"): return .secFetchSite
        // NIO's parser (llhttp) reads it as Connection: the same meaning, the same refusal.
        case 16 where equalsLowercased(name, "proxy-connection"): return .refused
        case 17 where equalsLowercased(name, "transfer-encoding"): return .refused
        default: return .other
        }
    }

    private static func equalsLowercased(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        for i in 0..<bytes.count {
            var byte = bytes[i]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte += 32 }
            if byte != expected[i] { return false }
        }
        return true
    }

    /// RFC 9110 token characters.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Visible ASCII, space and tab: no control bytes, no bytes above 0x7E.
    private static func isValueByte(_ byte: UInt8) -> Bool {
        byte == 0x09 || (byte >= 0x20 && byte <= 0x7E)
    }
}
