/// An action that could not be done: what went wrong, with the details the operator needs.
public enum ActionError: Error, CustomStringConvertible, Sendable {
    /// The target is not one the engine lists, or the input is wrong: nothing was done.
    case badTarget(String)
    /// The configuration is invalid.
    case config(String)
    /// The engine or endpoint could not be reached (`endpoint` names it for the operator).
    case unreachable(endpoint: String, reason: String)
    /// The endpoint was reached but did not answer within the limit.
    case noAnswer(endpoint: String, limit: String, elapsed: String)
    /// A tool the action needs could not be started.
    case unavailable(String)
    /// The engine answered a request with an error status; 404 means the target is not there.
    case engineStatus(request: String, status: Int, message: String)
    /// The engine answered something that is not what its API promises.
    case engineReply(String)
    /// A file operation failed (`operation` reads "create", "rename a to"…).
    case io(operation: String, path: String, reason: String)
    /// The alert store could not be read or written.
    case history(String)
    /// The action ran and failed (the endpoint answered 500, an isolation is incomplete…).
    case failed(String)

    /// The class of failure, which decides the report's result and the exit code.
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

    public var kind: Kind {
        switch self {
        case .badTarget: .badTarget
        case .config: .config
        case .unreachable, .noAnswer, .unavailable: .unavailable
        case .engineStatus(_, let status, _): status == 404 ? .badTarget : .failed
        case .engineReply, .io, .history, .failed: .failed
        }
    }

    public var description: String {
        switch self {
        case .badTarget(let text), .config(let text), .unavailable(let text), .history(let text), .failed(let text):
            text
        case .unreachable(let endpoint, let reason): "cannot reach \(endpoint): \(reason)"
        case .noAnswer(let endpoint, let limit, let elapsed): "no answer from \(endpoint) within \(limit) (timed out after \(elapsed))"
        case .engineStatus(let request, let status, let message): "engine: \(request) answered \(status): \(message)"
        case .engineReply(let text): "engine: \(text)"
        case .io(let operation, let path, let reason): "cannot \(operation) \(path): \(reason)"
        }
    }

    /// The operator's message (the same text as `description`).
    public var message: String { description }
}
