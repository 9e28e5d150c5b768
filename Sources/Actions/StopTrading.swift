import AlertStore
import CurlClient
import TradsecCore

/// The trading bot's emergency stop: one HTTP POST, bounded by a timeout, its answer and
/// latency reported. The bearer token (when configured) is read from the environment at the
/// moment of sending and appears in no message, audit row or log.
public struct StopTrading: Sendable {
    public let config: ActionsConfig.StopTrading
    public let environment: [String: String]

    public init(config: ActionsConfig.StopTrading, environment: [String: String] = ProcessEnvironment.all) {
        self.config = config
        self.environment = environment
    }

    public struct Outcome: Sendable {
        public var status: Int
        public var latencyMilliseconds: Double
        public var message: String
    }

    public var plan: String { "would POST to \(config.url) (timeout \(Self.seconds(config.timeoutSeconds)))" }

    public func send(reason: String, who: AuditIdentity) throws(ActionError) -> Outcome {
        let body = JSONValue.object(JSONObject([
            ("action", .string("stop")), ("reason", .string(reason)), ("requested_by", .string(who.summary)), ("source", .string("tradsec")),
        ]))
        var headers: [(name: String, value: String)] = []
        if let variable = config.tokenEnvironment {
            guard let token = environment[variable], !token.isEmpty else {
                throw ActionError.config("stop_trading.token_env names \(variable), which is not set")
            }
            headers.append(("Authorization", "Bearer " + token))
        }
        var request = HTTPRequest.postJSON(config.url, body: Array(JSONWriter.string(body).utf8), headers: headers,
                                           timeout: config.timeoutSeconds)
        request.connectTimeout = min(config.timeoutSeconds, 3)
        request.maxResponseBytes = 64 << 10
        let response: HTTPResponse
        do { response = try CurlHTTP.send(request) } catch let error as CurlError {
            if error.isTimeout {
                throw ActionError.noAnswer(endpoint: config.url, limit: Self.seconds(config.timeoutSeconds), elapsed: Self.milliseconds(error.elapsed))
            }
            throw ActionError.unreachable(endpoint: config.url, reason: error.message)
        } catch {
            throw ActionError.unreachable(endpoint: config.url, reason: "\(error)")
        }
        let latency = response.elapsed * 1000
        let excerpt = TerminalSafe.escape(String(response.bodyText.prefix(200)))
        guard response.isSuccess else {
            throw ActionError.failed("\(config.url) answered \(response.status) in \(Self.milliseconds(response.elapsed))" + (excerpt.isEmpty ? "" : ": \(excerpt)"))
        }
        return Outcome(status: response.status, latencyMilliseconds: latency,
                       message: "trading bot answered \(response.status) in \(Self.milliseconds(response.elapsed))" + (excerpt.isEmpty ? "" : ": \(excerpt)"))
    }

    static func seconds(_ s: Double) -> String { s == s.rounded() ? "\(Int(s))s" : "\(Int(s * 1000))ms" }
    static func milliseconds(_ s: Double) -> String { "\(Int((s * 1000).rounded())) ms" }
}
