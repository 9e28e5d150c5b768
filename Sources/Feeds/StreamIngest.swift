#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AlertStore
import TradsecCore

/// Ingests a whole file or standard input once (no following).
public enum StreamIngest {
    /// Reads `fd` to its end, storing alerts in batches. Re-ingesting the same lines stores
    /// nothing new: they are recognised as already in the history.
    public static func run(fd: Int32, ingestor: AlertIngestor) throws {
        let reader = LineReader()
        let status = try reader.read(from: fd) { event in
            ingestor.take(event)
            if ingestor.batchIsFull { try ingestor.flush() }
        }
        if case .failed(let code) = status {
            try ingestor.flush()
            throw FeedError.readFailed(path: nil, reason: String(cString: strerror(code)))
        }
        reader.finish { ingestor.take($0) }
        try ingestor.flush()
    }
}
