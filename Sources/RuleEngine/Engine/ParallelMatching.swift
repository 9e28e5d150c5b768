import Dispatch
import Foundation

/// Decodes, evaluates and formats a batch of event lines on several threads, returning the
/// alerts in line order. Compiled rules are immutable, so workers only need their own `Event`.
public final class ParallelMatcher: @unchecked Sendable {
    public let threads: Int
    let matcher: RuleMatcher
    let decoder: EventDecoder
    let formatter: AlertFormatter
    let matching: RuleMatcher.Matching
    private let events: [Event]

    public init(engine: RulesEngine, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                matching: RuleMatcher.Matching = .first, formatter: AlertFormatter = AlertFormatter()) {
        self.threads = max(1, threads)
        matcher = engine.makeMatcher()
        decoder = engine.makeDecoder(for: matcher)
        self.formatter = formatter
        self.matching = matching
        events = (0..<self.threads).map { _ in Event(slotCount: engine.slots.count) }
    }

    public struct BatchResult {
        /// (index of the line in the batch, rule name, alert line), in line order.
        public var alerts: [(line: Int, rule: String, text: String)]
        /// Index of the first line that could not be decoded, with the reason.
        public var firstError: (line: Int, message: String)?
    }

    /// `dropEnterEvents`: skip `evt.dir = >` events as Falco does (the benchmark keeps them).
    public func process(_ buffer: UnsafeRawBufferPointer, lines: [Range<Int>], dropEnterEvents: Bool = true,
                        formatAlerts: Bool = true) -> BatchResult {
        let parts = min(threads, max(1, lines.count / 256))
        var results = Array(repeating: BatchResult(alerts: [], firstError: nil), count: parts)
        let per = (lines.count + parts - 1) / parts
        results.withUnsafeMutableBufferPointer { out in
            let out = UnsafeMutableSendablePointer(out.baseAddress!)
            let base = UnsafeSendableRawPointer(buffer.baseAddress)
            let count = buffer.count
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let buffer = UnsafeRawBufferPointer(start: base.pointer, count: count)
                let event = self.events[part]
                var local = BatchResult(alerts: [], firstError: nil)
                var hits: [Int] = []
                let end = min(lines.count, (part + 1) * per)
                var i = part * per
                while i < end {
                    let range = lines[i]
                    do {
                        try self.decoder.withEvent(line: UnsafeRawBufferPointer(rebasing: buffer[range]), event) { event in
                            if dropEnterEvents && self.matcher.isDroppedEnterEvent(event) { return }
                            self.matcher.match(event, matching: self.matching, into: &hits)
                            for r in hits {
                                let rule = self.matcher.rule(at: r)
                                local.alerts.append((i, rule.name, formatAlerts ? self.formatter.line(for: rule, event: event) : ""))
                            }
                        }
                    } catch {
                        local.firstError = (i, "\(error)")
                        break
                    }
                    i += 1
                }
                out.pointer[part] = local
            }
        }
        var merged = BatchResult(alerts: [], firstError: nil)
        for r in results {
            if let e = r.firstError, merged.firstError == nil {
                merged.alerts += r.alerts
                merged.firstError = e
                break
            }
            merged.alerts += r.alerts
        }
        return merged
    }
}

/// Pointer wrappers that may cross into `concurrentPerform` (each worker writes its own element).
struct UnsafeMutableSendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ p: UnsafeMutablePointer<T>) { pointer = p }
}

struct UnsafeSendableRawPointer: @unchecked Sendable {
    let pointer: UnsafeRawPointer?
    init(_ p: UnsafeRawPointer?) { pointer = p }
}
