#if canImport(Glibc)
import Glibc
#endif
import TradsecCore

/// Polls `condition` every 50 ms until it holds or `timeout` seconds pass; whether it held.
public func waitFor(_ timeout: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Monotonic.seconds() + timeout
    while Monotonic.seconds() < end {
        if try condition() { return true }
        usleep(50_000)
    }
    return try condition()
}
