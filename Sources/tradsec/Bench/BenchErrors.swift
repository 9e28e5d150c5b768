import Benchmarks

/// Runs `body`, turning a ``BenchmarkError`` into the ``CLIError`` with its exit code.
func benchmarkErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as BenchmarkError {
        switch error.kind {
        case .failed: throw CLIError(error.message, exitCode: 1)
        case .unavailable: throw CLIError(error.message, exitCode: 69)
        case .software: throw CLIError(error.message, exitCode: 70)
        }
    }
}
