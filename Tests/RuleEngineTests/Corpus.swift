import Foundation
import Testing

/// Locates `../shared/conformance` beside the repository root (derived from this file's path).
enum Corpus {
    static let repositoryRoot: URL = {
        // Tests/RuleEngineTests/Corpus.swift -> repository root
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    static var root: URL {
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance")
    }

    /// The corpus folder, or a recorded test failure naming the path that is missing.
    static func require(_ relative: String, sourceLocation: SourceLocation = #_sourceLocation) -> URL? {
        let url = root.appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: url.path) { return url }
        Issue.record("Conformance corpus missing: \(url.path) (expected ../shared/conformance beside the repository root)",
                     sourceLocation: sourceLocation)
        return nil
    }

    static func readJSON(_ url: URL) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url), options: [.fragmentsAllowed])
    }

    static func readLines(_ url: URL) throws -> [String] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}
