#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic time for benchmarks.
enum Clock {
    static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Runs `body` `count` times and returns each run's milliseconds, sorted.
    static func samples(_ count: Int, _ body: () throws -> Void) rethrows -> [Double] {
        var out: [Double] = []
        for _ in 0..<count {
            let t0 = seconds()
            try body()
            out.append((seconds() - t0) * 1000)
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
