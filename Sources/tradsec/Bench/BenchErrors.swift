import Benchmarks

/// Runs `body`, turning a ``BenchmarkError`` into the ``CLIError`` with its exit code.
func benchmarkErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as BenchmarkError {
        switch error.kind {
        case .failed: throw CLIError.failed(error.message)
        case .unavailable: throw CLIError.unavailable(error.message)
        case .software: throw CLIError.software(error.message)
        }
    }
}
