import Foundation
import NIOHTTP1

/// Which requests the processor refuses before reading them, and why.
///
/// Its clients are Falco, forwarders, consoles, scripts and Prometheus, never a web page.
/// A page in the operator's browser can still reach a loopback listener: by a "simple"
/// cross-origin POST (text/plain, a form, or no Content-Type: no preflight asked), or by
/// DNS rebinding (the attacker's name resolved to 127.0.0.1, so the page may read the
/// replies). Browsers mark their requests (`Origin`, `Sec-Fetch-Site`) and always name the
/// host they meant (`Host`); the processor refuses on those marks.
enum RequestPolicy {
    /// Why a request looks like it comes from a web page (a 403), or nil.
    static func browserRefusal(_ head: HTTPRequestHead, loopbackListener: Bool, allowedHosts: [String]) -> String? {
        browserRefusal({ head.headers.first(name: $0) }, loopbackListener: loopbackListener, allowedHosts: allowedHosts)
    }

    /// The same over a header lookup (`header("origin")`: the first value, or nil).
    static func browserRefusal(_ header: (String) -> String?, loopbackListener: Bool, allowedHosts: [String]) -> String? {
        if header("origin") != nil {
            return "requests from web pages are refused (this one has an Origin header): tradsec serve takes alerts from Falco and forwarders, not browsers"
        }
        if let site = header("sec-fetch-site")?.lowercased(), site == "cross-site" || site == "same-site" {
            return "requests from web pages are refused (Sec-Fetch-Site: \(site)): tradsec serve takes alerts from Falco and forwarders, not browsers"
        }
        if loopbackListener, let host = header("host") {
            let name = hostName(host)
            if !ProcessorServer.isLoopback(name) && !allowedHosts.contains(name) {
                return "Host '\(String(host.prefix(100)))' does not name this loopback listener: refused as a DNS-rebinding attempt (a local proxy that passes another name on: list it in serve.allowed_hosts)"
            }
        }
        return nil
    }

    /// The host part of a `Host` header value, lowercased: `[::1]:8080` → `::1`,
    /// `127.0.0.1:8080` → `127.0.0.1`, `localhost.` → `localhost`.
    static func hostName(_ value: String) -> String {
        var text = Substring(value.lowercased())
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            return String(text[text.index(after: text.startIndex)..<close])
        }
        if let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon { text = text[..<colon] }
        if text.hasSuffix("."), text.count > 1 { text = text.dropLast() }
        return String(text)
    }

    /// Whether an `Authorization` value carries the configured bearer token (always true
    /// without one); compared in constant time.
    static func bearerAccepted(_ given: String?, token: String?) -> Bool {
        guard let token else { return true }
        let given = given ?? ""
        return given.hasPrefix("Bearer ") && ConstantTime.equal(String(given.dropFirst(7)), token)
    }

    /// Media types the intake takes: JSON (one alert, an array, or JSON Lines as Falco's
    /// forwarders send them under application/json) and the JSON Lines names in use.
    static let acceptedTypes: Set<String> = [
        "application/json", "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonl",
        "application/jsonlines", "application/x-jsonlines", "application/json-lines", "application/x-json-lines",
    ]

    /// Why a POST /falco body type is refused (a 415), or nil.
    static func contentTypeRefusal(_ head: HTTPRequestHead) -> String? {
        contentTypeRefusal { head.headers.first(name: $0) }
    }

    static func contentTypeRefusal(_ header: (String) -> String?) -> String? {
        guard let value = header("content-type") else {
            return "a Content-Type is required: application/json (one alert, or an array), or application/x-ndjson (JSON Lines)"
        }
        let type = mediaType(value)
        if acceptedTypes.contains(type) { return nil }
        if type == "text/plain" {
            return "Content-Type text/plain is refused (a web page can send it unasked): Falco sends application/json with json_output: true (set it, and json_include_output_property, in falco.yaml); other senders: application/json or application/x-ndjson"
        }
        return "Content-Type '\(String(type.prefix(100)))' is refused: send application/json (one alert, or an array) or application/x-ndjson (JSON Lines)"
    }

    /// `Application/JSON; charset=utf-8` → `application/json`.
    static func mediaType(_ value: String) -> String {
        let type = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
