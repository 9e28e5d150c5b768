#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TradsecCore

/// Timing for benchmarks, on TradsecCore's monotonic clock.
public enum Timing {

    /// Runs `body` `count` times and returns each run's milliseconds, sorted.
    public static func samples(_ count: Int, _ body: () throws -> Void) rethrows -> [Double] {
        var out: [Double] = []
        for _ in 0..<count {
            let t0 = Monotonic.seconds()
            try body()
            out.append((Monotonic.seconds() - t0) * 1000)
        }
        return out.sorted()
    }

    /// Best (smallest) and median of unsorted samples.
    public static func bestAndMedian(_ values: [Double]) -> (best: Double, median: Double) {
        let sorted = values.sorted()
        return (sorted[0], sorted[sorted.count / 2])
    }
}

extension Array where Element == Double {
    /// The p-th percentile of sorted samples (nearest rank).
    public func percentile(_ p: Double) -> Double {
        guard !isEmpty else { return 0 }
        let rank = Swift.max(0, Swift.min(count - 1, Int((p / 100 * Double(count)).rounded(.up)) - 1))
        return self[rank]
    }
}
