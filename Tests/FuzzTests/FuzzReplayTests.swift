#if canImport(Glibc)
import Glibc
#endif
import FuzzHarness
import Testing
import TestSupport
import TradsecCore

/// Replays what fuzzing left behind, on every `swift test`: the committed corpus of each target
/// (Fuzz/corpus/TARGET) and every reproducer of a crash found (Fuzz/regressions/TARGET). Each
/// replay runs in its own `tradsec-fuzz replay` process, so an input that traps fails its own
/// test, with the trap's message, instead of ending the whole run.
@Suite struct FuzzReplayTests {
    static let root: String = {
        var path = "\(#filePath)"
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }   // Tests/FuzzTests/x.swift
        return path
    }()

    /// The `tradsec-fuzz` built beside the test bundle.
    static var program: String {
        let tradsec = ChildProcess.tradsec
        return String(tradsec[..<(tradsec.lastIndex(of: "/") ?? tradsec.startIndex)]) + "/tradsec-fuzz"
    }

    static func entries(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    /// Every reproducer, as "TARGET/FILE".
    static let reproducers: [String] = entries(root + "/Fuzz/regressions").flatMap { target in
        entries(root + "/Fuzz/regressions/" + target).filter { !$0.hasSuffix(".md") }.map { target + "/" + $0 }
    }

    /// Runs `tradsec-fuzz replay TARGET PATH`; its exit status and output.
    static func replay(_ target: String, _ path: String) -> (status: Int32, output: String) {
        let directory = makeTemporaryDirectory(prefix: "tradsec-fuzz-replay")
        defer { removeTree(directory) }
        // A trap prints the crashing thread's stack (an overflow trap has no message of its own).
        let environment = ChildProcess.inheritedEnvironment.filter { !$0.hasPrefix("TRADSEC_FUZZ_") } + ["SWIFT_BACKTRACE=enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=none,limit=24"]
        guard let child = ChildProcess.start([program, "replay", target, path], stdoutPath: directory + "/out",
                                             environment: environment) else {
            return (-1, "cannot start \(program)")
        }
        var status: Int32 = 0
        let deadline = Monotonic.seconds() + 120
        while waitpid(child.pid, &status, WNOHANG) == 0 {
            if Monotonic.seconds() > deadline {
                kill(child.pid, SIGKILL)
                _ = waitpid(child.pid, &status, 0)
                return (-1, "replay still running after 120 s\n" + child.stdout)
            }
            usleep(20_000)
        }
        let code: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (code, child.stdout)
    }

    @Test func everyTargetHasACorpusAndNothingElseIsThere() {
        let names = FuzzTargets.all.map(\.name)
        #expect(Self.entries(Self.root + "/Fuzz/corpus") == names.sorted())
        for name in names { #expect(!Self.entries(Self.root + "/Fuzz/corpus/" + name).isEmpty, "no corpus for \(name)") }
        for target in Self.entries(Self.root + "/Fuzz/regressions") where !target.hasSuffix(".md") {
            #expect(names.contains(target), "regressions for no target: \(target)")
        }
    }

    @Test(arguments: FuzzTargets.all.map(\.name))
    func corpusReplaysCleanly(target: String) {
        let (status, output) = Self.replay(target, Self.root + "/Fuzz/corpus/" + target)
        #expect(status == 0, "\(target): replay of the corpus failed (exit \(status)):\n\(output.suffix(4000))")
    }

    @Test(arguments: reproducers)
    func reproducerNoLongerFails(_ reproducer: String) {
        let target = String(reproducer.prefix { $0 != "/" })
        let (status, output) = Self.replay(target, Self.root + "/Fuzz/regressions/" + reproducer)
        #expect(status == 0, "\(reproducer) (exit \(status)):\n\(output.suffix(4000))")
    }
}
