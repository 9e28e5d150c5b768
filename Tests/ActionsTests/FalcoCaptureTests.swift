#if canImport(Glibc)
import Glibc
#endif
@testable import Actions
import Testing
import TestSupport

/// Falco's `.scap` captures in forensics bundles: which files are Falco's, which cover an
/// incident's alerts, and how they are copied (no link, no FIFO, a size budget).
@Suite("Falco captures for forensics")
struct FalcoCaptureTests {
    static let second: Int64 = 1_000_000_000
    /// 2026-11-18T…Z: a time Falco would put in a name.
    static let t0: Int64 = 1_795_000_000_123_456_789

    static func name(_ start: Int64, event: UInt64 = 42, prefix: String = "capture") -> String {
        func padded(_ n: UInt64) -> String { let s = String(n); return String(repeating: "0", count: 20 - s.count) + s }
        return "\(prefix)_\(padded(UInt64(start)))_\(padded(event)).scap"
    }

    static func file(_ start: Int64) -> FalcoCaptures.File { FalcoCaptures.File(name: name(start), start: start, eventNumber: 42) }

    @Test("only names exactly as Falco writes them are captures")
    func names() {
        let good = Self.name(Self.t0, event: 7)
        #expect(FalcoCaptures.parse(good, prefix: "capture") == FalcoCaptures.File(name: good, start: Self.t0, eventNumber: 7))
        #expect(FalcoCaptures.parse(Self.name(0, event: .max), prefix: "capture")?.eventNumber == .max)
        for bad in [
            Self.name(Self.t0, prefix: "other"),                 // another prefix
            Self.name(Self.t0, prefix: "capturex"),
            Self.name(Self.t0) + ".gz", Self.name(Self.t0) + ".tmp",
            "." + Self.name(Self.t0),
            "capture_123_42.scap",                               // not padded to 20 digits
            "capture_0000000000000000000a_00000000000000000042.scap",
            "capture_+0000000000000000001_00000000000000000042.scap",
            "capture_00000000000000000001-00000000000000000042.scap",
            "capture_99999999999999999999_00000000000000000042.scap", // past UInt64
            "capture_09223372036854775808_00000000000000000042.scap", // past the times an alert may carry
            "capture_00000000000000000001_00000000000000000042.SCAP",
        ] {
            #expect(FalcoCaptures.parse(bad, prefix: "capture") == nil, "\(bad)")
        }
    }

    @Test("a capture covers an alert until its deadline, which every alert while it is open pushes out, and never past the next capture")
    func coverage() {
        let (t0, s) = (Self.t0, Self.second)
        let captures = [Self.file(t0), Self.file(t0 + 60 * s), Self.file(t0 + 100 * s), Self.file(t0 + 200 * s)]
        let incident = [t0, t0 + 107 * s, t0 + 150 * s, t0 + 199 * s]
        // t0+107 s is past the third capture's own deadline (t0+105 s), but an alert at t0+103 s
        // (another rule, another container) kept it open until t0+108 s.
        #expect(FalcoCaptures.covering(captures, incident: incident, history: [t0 + 103 * s], duration: 5 * s) == [0, 2])
        #expect(FalcoCaptures.covering(captures, incident: incident, history: [], duration: 5 * s) == [0])
        // A chain of alerts each inside the last one's deadline keeps the capture open.
        let chain = (1...20).map { t0 + 100 * s + Int64($0) * 4 * s }
        #expect(FalcoCaptures.covering(captures, incident: [chain.last!], history: chain, duration: 5 * s) == [2])
        // The deadline is inclusive (Falco writes the event at it, then closes).
        #expect(FalcoCaptures.covering([Self.file(t0)], incident: [t0 + 5 * s], history: [], duration: 5 * s) == [0])
        #expect(FalcoCaptures.covering([Self.file(t0)], incident: [t0 + 5 * s + 1], history: [], duration: 5 * s) == [])
        // Captures never overlap: one that started later took over.
        #expect(FalcoCaptures.covering([Self.file(t0), Self.file(t0 + s)], incident: [t0 + 2 * s], history: [], duration: 5 * s) == [1])
        // An alert before every capture, or none at all.
        #expect(FalcoCaptures.covering(captures, incident: [t0 - 1], history: [], duration: 5 * s) == [])
        #expect(FalcoCaptures.covering([], incident: [t0], history: [], duration: 5 * s) == [])
        // Times at the end of the range do not trap.
        #expect(FalcoCaptures.covering([Self.file(.max - 1)], incident: [.max], history: [.max - 1], duration: .max) == [0])
    }

    func gzipFile(_ dir: String, _ name: String, _ text: String, scratch: String) throws {
        try makeGzipFile(dir + "/" + name, text, scratch: scratch)
    }

    func fileSize(_ path: String) -> Int64 {
        var st = stat()
        return stat(path, &st) == 0 ? Int64(st.st_size) : -1
    }

    func sha256sum(_ path: String, in dir: String) -> String {
        String(runProgram(["/usr/bin/sha256sum", path], in: dir).1.prefix(64))
    }

    @Test("a directory of captures: exactly those covering the alerts are copied (0600, same SHA-256, still gzip), a link, a FIFO, other names and what is over budget are not")
    func collect() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let umaskBefore = umask(0o022)
        defer { umask(umaskBefore) }
        let (t0, s) = (Self.t0, Self.second)
        let falco = ws.directory + "/falco", bundle = ws.directory + "/bundle", scratch = ws.directory + "/scratch"
        for d in [falco, bundle, scratch] { mkdir(d, 0o700) }
        let a = Self.name(t0), b = Self.name(t0 + 60 * s), c = Self.name(t0 + 100 * s)
        let link = Self.name(t0 + 200 * s), fifo = Self.name(t0 + 300 * s), big = Self.name(t0 + 400 * s)
        try gzipFile(falco, a, "events of capture a\n", scratch: scratch)
        try gzipFile(falco, b, "events of capture b\n", scratch: scratch)
        try gzipFile(falco, c, String(repeating: "events of capture c\n", count: 1000), scratch: scratch)
        // Not Falco's names, though their times would cover the first alert.
        try gzipFile(falco, Self.name(t0, prefix: "other"), "x", scratch: scratch)
        try gzipFile(falco, a + ".tmp", "x", scratch: scratch)
        // A link, named as a capture, to a real gzip file elsewhere.
        try gzipFile(scratch, "secret.gz", "not for the bundle", scratch: scratch)
        try #require(symlink(scratch + "/secret.gz", falco + "/" + link) == 0)
        try #require(mkfifo(falco + "/" + fifo, 0o600) == 0)
        // Incompressible, so its gzip is as large as its text: over the budget left.
        var random = SystemRandomNumberGenerator()
        writeFile(scratch + "/big", (0..<(3 << 20)).map { _ in UInt8.random(in: 0...255, using: &random) })
        _ = runProgram(["/usr/bin/gzip", "-n", scratch + "/big"], in: scratch)
        try #require(rename(scratch + "/big.gz", falco + "/" + big) == 0)

        var config = ActionsConfig.Forensics.Captures()
        config.pathPrefix = falco + "/capture"
        config.durationNanoseconds = 5 * s
        config.maxTotalBytes = 2 << 20
        let incident = [t0, t0 + 107 * s, t0 + 201 * s, t0 + 300 * s, t0 + 401 * s]
        var asked: [(Int64, Int64)] = []
        let collected = FalcoCaptures(config: config).collect(incident: incident, history: { since, until in
            asked.append((since, until))
            return [t0 + 103 * s]
        }, into: bundle)

        #expect(asked.map { [$0.0, $0.1] } == [[t0, t0 + 401 * s]], "the history is asked for once, from the first capture that can cover")
        #expect(collected.files.map(\.name) == [a, c])
        #expect(listDirectory(bundle) == [a, c].sorted())
        for (name, digest) in collected.files {
            #expect(digest == sha256sum(falco + "/" + name, in: scratch), "\(name)")
            #expect(sha256sum(bundle + "/" + name, in: scratch) == digest, "\(name)")
            #expect(mode(bundle + "/" + name) == 0o600, "\(name)")
            #expect(runProgram(["/usr/bin/gzip", "-t", bundle + "/" + name], in: scratch).0 == 0, "\(name) is the gzip file, whole")
        }
        #expect(collected.notes == [
            "capture \(link) not included: a symbolic link, not followed",
            "capture \(fifo) not included: not a regular file",
            "capture \(big) not included: \(fileSize(falco + "/" + big)) bytes, over what is left of max_total_mb (\((2 << 20) - fileSize(falco + "/" + a) - fileSize(falco + "/" + c)) bytes)",
        ])

        // Not configured, or no alerts: nothing is looked at.
        #expect(FalcoCaptures(config: .init()).collect(incident: incident, history: { _, _ in [] }, into: bundle).files.isEmpty)
        #expect(FalcoCaptures(config: config).collect(incident: [], history: { _, _ in [] }, into: bundle).notes.isEmpty)
        // A directory that cannot be read is said, not fatal.
        config.pathPrefix = ws.directory + "/absent/capture"
        #expect(FalcoCaptures(config: config).collect(incident: incident, history: { _, _ in [] }, into: bundle).notes
                == ["captures: cannot read \(ws.directory)/absent: No such file or directory"])
    }
}

/// A real gzip file (made by gzip) with `text` in it at `path`; `scratch` holds the plain text meanwhile.
func makeGzipFile(_ path: String, _ text: String, scratch: String) throws {
    let plain = scratch + "/plain-\(UInt32.random(in: 0...UInt32.max))"
    writeFile(plain, text)
    let (status, _, err) = runProgram(["/usr/bin/gzip", "-n", plain], in: scratch)
    try #require(status == 0, "\(err)")
    try #require(rename(plain + ".gz", path) == 0)
}
