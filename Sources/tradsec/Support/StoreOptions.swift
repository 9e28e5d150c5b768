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

/// An error the user should read, with the exit code that classifies it (sysexits).
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32
    init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
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
