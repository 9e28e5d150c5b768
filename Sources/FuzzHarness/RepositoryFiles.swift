#if canImport(Glibc)
import Glibc
#endif
import TradsecCore

/// Files of this repository the harnesses read once (the bundled rule pack): found from this
/// source file's place, as the fuzzer and the replay run inside the checkout.
enum RepositoryFiles {
    static let root: String = {
        var path = "\(#filePath)"
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }   // Sources/FuzzHarness/x.swift
        return path
    }()

    static func text(_ relative: String) -> String {
        guard let text = try? TextFile.read(root + "/" + relative) else { fatalError("cannot read \(root)/\(relative)") }
        return text
    }
}
