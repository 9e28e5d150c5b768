/// Why a benchmark could not produce its figures; the command turns the kind into an exit code.
public enum BenchmarkError: Error, CustomStringConvertible, Sendable {
    /// The measured operation failed (an action round, a lost alert, processing fell behind).
    case failed(String)
    /// Something the benchmark needs is not there (no sensor, a program that cannot start).
    case unavailable(String)
    /// A program the benchmark runs misbehaved (failed with a status, died early).
    case programMisbehaved(String)

    /// The class of failure, which the command maps to an exit code.
    public enum Kind: Sendable {
        case failed
        case unavailable
        case software
    }

    public var kind: Kind {
        switch self {
        case .failed: .failed
        case .unavailable: .unavailable
        case .programMisbehaved: .software
        }
    }

    public var message: String {
        switch self {
        case .failed(let text), .unavailable(let text), .programMisbehaved(let text): text
        }
    }
    public var description: String { message }
}
