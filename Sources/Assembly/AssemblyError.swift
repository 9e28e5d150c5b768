import Config
import TradsecCore

/// Why a command cannot be put together, with the exit status that classifies it (sysexits).
public enum AssemblyError: Error, CustomStringConvertible {
    /// Mistakes in config.yaml (or a theme file it names), each at file:line (78).
    case config([ConfigError])
    /// A flag that cannot work (64).
    case usage(String)
    /// A file the command must read is not there or not readable (66).
    case noInput(String)
    /// Something the machine lacks: eBPF, a socket that cannot be bound (69).
    case unavailable(String)
    /// The history cannot be opened or written (74).
    case history(String)
    /// Rules files that do not load (78: the command's settings cannot work).
    case rules(String)

    public var exitCode: Int32 {
        switch self {
        case .config, .rules: return ExitStatus.config
        case .usage: return ExitStatus.usage
        case .noInput: return ExitStatus.noInput
        case .unavailable: return ExitStatus.unavailable
        case .history: return ExitStatus.ioError
        }
    }

    public var description: String {
        switch self {
        case .config(let errors): return errors.map(\.description).joined(separator: "\n")
        case .usage(let text), .noInput(let text), .unavailable(let text), .history(let text), .rules(let text): return text
        }
    }
}
