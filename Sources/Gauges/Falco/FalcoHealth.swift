import CurlClient

/// Falco's web server: `/healthz` (is it up) and `/metrics` (drop counters), probed with
/// short timeouts so a hung Falco shows as down within one tick instead of stalling it.
public struct FalcoHealthProbe: Sendable {
    public var healthzURL: String?
    public var metricsURL: String?
    public var timeout: Double

    public init(healthzURL: String?, metricsURL: String?, timeout: Double = 2) {
        self.healthzURL = healthzURL
        self.metricsURL = metricsURL
        self.timeout = timeout
    }

    public enum Health: Equatable, Sendable {
        /// No healthz URL configured: nothing to say (shown as such, never as "up").
        case notConfigured
        case up
        /// It answered, but not 2xx (starting, or failing its own checks).
        case unhealthy(String)
        /// No answer: refused, timed out, or not HTTP.
        case down(String)
    }

    public struct Reading: Equatable, Sendable {
        public var health: Health
        public var metrics: FalcoMetrics?
        /// Why metrics are missing (unreachable, bad exposition) when a URL is configured.
        public var metricsError: String?
    }

    public func probe() -> Reading {
        var reading = Reading(health: .notConfigured)
        if let url = healthzURL {
            do {
                let r = try CurlHTTP.send(request(url))
                reading.health = r.isSuccess ? .up : .unhealthy("HTTP \(r.status)")
            } catch {
                reading.health = .down(describe(error))
            }
        }
        if let url = metricsURL {
            do {
                let r = try CurlHTTP.send(request(url))
                if r.isSuccess {
                    let text = PrometheusText.parse(r.bodyText)
                    if text.samples.isEmpty, let first = text.problems.first {
                        reading.metricsError = "\(first)"
                    } else {
                        // What parsed is used; skipped lines and ignored values are said, not fatal.
                        let metrics = FalcoMetrics(text)
                        reading.metrics = metrics
                        var notes: [String] = []
                        if let first = text.problems.first {
                            notes.append("\(text.problemCount) line(s) skipped, first: \(first)")
                        }
                        if let first = metrics.outOfRange.first {
                            notes.append("\(metrics.outOfRange.count) value(s) out of range ignored (NaN, infinite, negative or over 2^64), first: \(first)")
                        }
                        if !notes.isEmpty { reading.metricsError = notes.joined(separator: "; ") }
                    }
                } else {
                    reading.metricsError = "HTTP \(r.status)"
                }
            } catch {
                reading.metricsError = describe(error)
                // Metrics are served by the same web server: if healthz is not configured, this
                // is the only sign of life we have.
                if healthzURL == nil { reading.health = .down(describe(error)) }
            }
        }
        return reading
    }

    private func describe(_ error: Error) -> String {
        guard let curl = error as? CurlError else { return "\(error)" }
        return curl.isTimeout ? "no answer within \(Self.format(timeout)) s" : curl.message
    }

    private func request(_ url: String) -> HTTPRequest {
        HTTPRequest(url: url, timeout: timeout, connectTimeout: min(timeout, 2), maxResponseBytes: 8 << 20)
    }

    static func format(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d) }
}
