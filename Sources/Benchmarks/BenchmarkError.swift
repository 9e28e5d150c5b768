/// Why a benchmark could not produce its figures; the command turns the kind into an exit code.
public struct BenchmarkError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// The measured operation failed (an action round, a lost alert).
        case failed
        /// Something the benchmark needs is not there (no sensor, a program that cannot start).
        case unavailable
        /// A program the benchmark runs misbehaved.
        case software
    }

    public var kind: Kind
    public var message: String
    public var description: String { message }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
