#if canImport(Glibc)
import Glibc
#endif
import TradsecCore

/// Polls `condition` every 20 ms until it holds or `timeout` seconds pass; whether it held.
/// The one polling helper of the tests: the condition is what they wait on, never a sleep.
@discardableResult
public func waitFor(_ timeout: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Monotonic.seconds() + timeout
    while Monotonic.seconds() < end {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}
