#if canImport(Glibc)
import Glibc
#endif

/// One fuzz target: a decoder of untrusted bytes and the invariants its result must keep.
///
/// `run` takes any bytes. It returns when the input was handled correctly (accepted or
/// refused with an error) and stops the process (``Invariant/require(_:_:)``) when an
/// invariant is broken, so libFuzzer records the input and the replay test fails on it.
public struct FuzzTarget: Sendable {
    public let name: String
    /// What is fuzzed and what is checked, one line (`tradsec-fuzz list`).
    public let summary: String
    /// Largest input worth generating (libFuzzer's -max_len).
    public let maxLength: Int
    /// Tokens for the mutator: Fuzz/dict/NAME.dict (libFuzzer's -dict).
    public let dictionary: String?
    public let run: @Sendable (UnsafeRawBufferPointer) -> Void

    public init(_ name: String, _ summary: String, maxLength: Int = 4096, dictionary: String? = "json",
                run: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        self.name = name
        self.summary = summary
        self.maxLength = maxLength
        self.dictionary = dictionary
        self.run = run
    }
}

public enum FuzzTargets {
    /// Every target, in the order `make fuzz` runs them.
    public static let all: [FuzzTarget] = [
        AlertLineHarness.target,
        JSONHarness.target,
        TimeHarness.target,
        PayloadHarness.target,
        HTTPHarness.target,
        PostHeadHarness.target,
        RulesHarness.rulesTarget,
        RulesHarness.conditionTarget,
        RulesHarness.eventTarget,
        SSEHarness.target,
        IncidentsFeedHarness.target,
        PrometheusHarness.target,
        EngineReplyHarness.target,
        ReceiverHarness.target,
        HistoryHarness.target,
    ]

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// A broken invariant: the process stops with a message naming it (a trap libFuzzer catches).
public enum Invariant {
    public static func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                               file: StaticString = #fileID, line: UInt = #line) {
        if !condition() { fatalError("fuzz invariant: \(message())", file: file, line: line) }
    }
}
