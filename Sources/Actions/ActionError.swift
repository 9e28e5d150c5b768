/// An action that could not be done, with a message for the operator.
public struct ActionError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// The action ran and failed (the engine said no, the endpoint answered 500…).
        case failed
        /// The target is not one the engine lists, or the input is wrong: nothing was done.
        case badTarget
        /// The engine or endpoint could not be reached.
        case unavailable
        /// The configuration is invalid.
        case config
    }
    public var message: String
    public var kind: Kind
    public init(_ message: String, kind: Kind = .failed) {
        self.message = message
        self.kind = kind
    }
    public var description: String { message }
}
