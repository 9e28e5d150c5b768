import TradsecCore

/// JSON written to standard output: escaped for a terminal (``TerminalSafe/escapeJSON(_:)``),
/// Falco's bytes exactly when piped.
enum TerminalJSON {
    static func forStdout(_ json: String) -> String { Terminal.stdoutIsTerminal ? TerminalSafe.escapeJSON(json) : json }
}
