import AlertStore
import ArgumentParser
import Assembly
import TradsecCore

/// `--db`, shared by every command that touches the history.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The history database (default: $TRADSEC_DB, else $XDG_DATA_HOME/tradsec/history.sqlite).",
                                            valueName: "path"))
    var db: String?

    var path: String { Paths.database(flag: db) }

    func open(readOnly: Bool = false) throws(AssemblyError) -> AlertStore {
        try StoreAssembly.open(path: path, readOnly: readOnly) { Terminal.printError("tradsec: \($0)") }
    }
}

/// An error the user should read, classified by the exit status it ends the command with.
enum CLIError: Error, CustomStringConvertible {
    /// What was asked failed (1).
    case failed(String)
    /// Nothing was done: not confirmed, no terminal (2).
    case notRun(String)
    /// A flag or argument that cannot work (64).
    case usage(String)
    /// Input that is not what it must be (65).
    case badData(String)
    /// A file the command must read is not there (66).
    case noInput(String)
    /// Something the machine or a peer lacks (69).
    case unavailable(String)
    /// A program the command runs misbehaved (70).
    case software(String)
    /// The history or another file cannot be read or written (74).
    case ioError(String)
    /// Another process holds what this one needs, or time ran out: try again later (75).
    case tempFail(String)
    /// The config cannot work (78).
    case config(String)
    /// Stopped by the operator (130).
    case interrupted(String)

    var exitCode: Int32 {
        switch self {
        case .failed: ExitStatus.failure
        case .notRun: ExitStatus.notRun
        case .usage: ExitStatus.usage
        case .badData: ExitStatus.data
        case .noInput: ExitStatus.noInput
        case .unavailable: ExitStatus.unavailable
        case .software: ExitStatus.software
        case .ioError: ExitStatus.ioError
        case .tempFail: ExitStatus.tempFail
        case .config: ExitStatus.config
        case .interrupted: ExitStatus.interrupted
        }
    }

    var message: String {
        switch self {
        case .failed(let text), .notRun(let text), .usage(let text), .badData(let text), .noInput(let text),
             .unavailable(let text), .software(let text), .ioError(let text), .tempFail(let text), .config(let text),
             .interrupted(let text):
            text
        }
    }

    var description: String { message }
}

extension ParsableCommand {
    /// Runs `body`, turning a ``CLIError`` or an ``AssemblyError`` into its message on stderr
    /// and its exit code.
    func reportingErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as CLIError {
            Terminal.printError("tradsec: \(error.message)")
            throw ExitCode(error.exitCode)
        } catch let error as AssemblyError {
            for line in error.description.split(separator: "\n", omittingEmptySubsequences: false) { Terminal.printError("tradsec: \(line)") }
            throw ExitCode(error.exitCode)
        }
    }
}
