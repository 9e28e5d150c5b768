#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TradsecCore

/// Timing for benchmarks, on TradsecCore's monotonic clock.
enum Clock {

    /// Runs `body` `count` times and returns each run's milliseconds, sorted.
    static func samples(_ count: Int, _ body: () throws -> Void) rethrows -> [Double] {
        var out: [Double] = []
        for _ in 0..<count {
            let t0 = Monotonic.seconds()
            try body()
            out.append((Monotonic.seconds() - t0) * 1000)
        }
        return out.sorted()
    }
}

extension Array where Element == Double {
    /// The p-th percentile of sorted samples (nearest rank).
    func percentile(_ p: Double) -> Double {
        guard !isEmpty else { return 0 }
        let rank = Swift.max(0, Swift.min(count - 1, Int((p / 100 * Double(count)).rounded(.up)) - 1))
        return self[rank]
    }
}
