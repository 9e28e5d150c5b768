import AlertStore
import Assembly
import Config

extension ProcessingStep {
    /// The processing step of a command: its config (`--config`, else the default file) read
    /// once, its warnings said on stderr.
    convenience init(history: AlertStore, config: DecodedConfig, deliver: Bool, command: String, printingWarnings: Bool) throws(AssemblyError) {
        try self.init(history: history, config: config, deliver: deliver, command: command)
        for warning in warnings { Terminal.printError("tradsec \(command): \(warning)") }
    }

    /// ``finish(through:timeout:)`` saying on stderr why processing did not reach `newest`.
    func finish(through newest: Int64, command: String) {
        switch finish(through: newest) {
        case .otherProcess?: Terminal.printError("tradsec \(command): another process processes this history; it will take these alerts")
        case .failing(let error)?: Terminal.printError("tradsec \(command): processing is behind (\(error)); the next run resumes it")
        case nil: break
        }
    }
}
