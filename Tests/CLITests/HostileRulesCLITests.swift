#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
import TradsecCore

/// `tradsec rules` and `tradsec filter` on rules and events files written to hurt: they finish,
/// and the names, conditions, paths and messages those files chose never act on the terminal
/// (no control sequence, no reordering); JSON piped elsewhere stays faithful.
@Suite struct HostileRulesCLITests {
    /// ESC sequences, a C1 CSI (U+009B), NEL (U+0085), bidi overrides and isolates.
    static let hostileRules = """
        - list: "l\\e[2J"
          items: ["\\u202e evil", "\\x9b31m"]
        - macro: "m\\e]0;title\\a"
          condition: proc.name = "\\e[31mred"
        - rule: "clear\\e[2J\\u202eRLO\\x85C1\\u2066iso"
          desc: d
          condition: evt.type = open and proc.name = x
          output: "%proc.name"
          priority: INFO
          source: "sys\\e[5m"
        - rule: "r2\\e[1m\\u202d"
          desc: d
          condition: evt.type = open and proc.name != "\\e[31m"
          output: "opened by %proc.name"
          priority: INFO

        """

    static let invalidRules = """
        - rule: "bad\\e[2J\\u202e"
          desc: d
          condition: "evt.type = '\\e[2Jnot-a-type\\u009b'"
          output: o
          priority: INFO

        """

    /// Raw bytes a terminal would act on: ESC, any C0 but \n and \t, C1 controls, bidi overrides and isolates.
    static func rawControls(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { $0 != "\n" && $0 != "\t" && TerminalSafe.isUnsafe($0) }
    }

    @Test func validateAndListEscapeNamesAndMessages() {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        writeFile(dir + "/hostile.yaml", Self.hostileRules)
        writeFile(dir + "/invalid\u{1b}[2J.yaml", Self.invalidRules)

        var (status, out, err) = Child.run(["rules", "validate", dir + "/hostile.yaml"], in: dir)
        #expect(status == 0)
        #expect(Self.rawControls(out + err).isEmpty, "raw controls: \(Self.rawControls(out + err))")
        #expect(out.contains("[macro 'm\\x1b]0;title\\x07']"))
        #expect(out.contains("Unknown source sys\\x1b[5m, skipping [rule 'clear\\x1b[2J\\u{202e}RLO\\x85C1\\u{2066}iso']"))
        #expect(out.contains("[list 'l\\x1b[2J']"))

        (status, out, err) = Child.run(["rules", "list", dir + "/hostile.yaml"], in: dir)
        #expect(status == 0)
        #expect(Self.rawControls(out + err).isEmpty, "raw controls: \(Self.rawControls(out + err))")
        #expect(out.contains("disabled  Informational  sys\\x1b[5m  clear\\x1b[2J\\u{202e}RLO\\x85C1\\u{2066}iso\n"))
        #expect(out.contains("enabled   Informational  syscall    r2\\x1b[1m\\u{202d}\n"))

        // Errors: the file's path and the condition's text come back escaped, on both streams.
        for command in [["rules", "validate"], ["rules", "list"]] {
            (status, out, err) = Child.run(command + [dir + "/invalid\u{1b}[2J.yaml"], in: dir)
            #expect(status == 1)
            #expect(Self.rawControls(out + err).isEmpty, "\(command): raw controls \(Self.rawControls(out + err))")
            #expect((out + err).contains("invalid\\x1b[2J.yaml: Invalid"))
            #expect((out + err).contains("unknown event type \\x1b[2Jnot-a-type\\x9b"))
        }
    }

    @Test func jsonIsFaithfulInAPipeAndEscapedOnATerminal() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        writeFile(dir + "/hostile.yaml", Self.hostileRules)
        let (status, piped, _) = Child.run(["rules", "validate", "--json", dir + "/hostile.yaml"], in: dir)
        #expect(status == 0)
        // In a pipe: the names exactly as written (JSON escapes only what JSON must).
        let value = try JSONParser.parse(piped)
        let names = value["rules"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(names == ["clear\u{1b}[2J\u{202e}RLO\u{85}C1\u{2066}iso", "r2\u{1b}[1m\u{202d}"])
        #expect(piped.unicodeScalars.contains("\u{202e}"))

        let (terminalStatus, onTerminal) = try runOnTerminal(["rules", "validate", "--json", dir + "/hostile.yaml"], in: dir)
        #expect(terminalStatus == 0)
        #expect(Self.rawControls(onTerminal).isEmpty, "raw controls: \(Self.rawControls(onTerminal))")
        #expect(onTerminal.contains("clear\\u001b[2J\\u202eRLO\\u0085C1\\u2066iso"))
        // The same JSON value either way.
        #expect(try JSONParser.parse(onTerminal) == value)
    }

    @Test func matchedAlertsAndFilterErrorsOnATerminal() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        writeFile(dir + "/hostile.yaml", Self.hostileRules)
        // The process name is the attacker's: ESC, CSI as C1, a right-to-left override.
        writeFile(dir + "/events.jsonl", #"{"source":"syscall","fields":{"evt.num":7,"evt.rawtime":1470327477881781397,"evt.type":"open","evt.dir":"<","proc.name":"cat\u001b[2J\u009b31m\u202egpj.exe"}}"# + "\n")
        let arguments = ["rules", "match", "--rules", dir + "/hostile.yaml", "--events", dir + "/events.jsonl"]
        let (status, piped, _) = Child.run(arguments, in: dir)
        #expect(status == 0)
        let alert = try JSONParser.parse(piped)
        #expect(alert["output_fields"]?["proc.name"]?.stringValue == "cat\u{1b}[2J\u{9b}31m\u{202e}gpj.exe")

        let (terminalStatus, onTerminal) = try runOnTerminal(arguments, in: dir)
        #expect(terminalStatus == 0)
        #expect(Self.rawControls(onTerminal.replacingOccurrences(of: "\n", with: "")).isEmpty)
        #expect(try JSONParser.parse(onTerminal.trimmingCharacters(in: .whitespacesAndNewlines)) == alert, "\(onTerminal) vs \(piped)")

        let (summaryStatus, summary, _) = Child.run(arguments + ["--summary"], in: dir)
        #expect(summaryStatus == 0)
        #expect(summary.hasPrefix("1\tr2\\x1b[1m\\u{202d}\n"))

        // A filter that quotes the attacker's text back in its error.
        let (filterStatus, _, filterError) = Child.run(["filter", "--events", dir + "/events.jsonl", "evt.type = \"\u{1b}[2J\u{202e}\""], in: dir)
        #expect(filterStatus == 2)
        #expect(filterError.contains("unknown event type \\x1b[2J\\u{202e}"))
        #expect(Self.rawControls(filterError.replacingOccurrences(of: "\n", with: "")).isEmpty)
    }

    @Test func doublingMacrosAndHugeNumbersThroughTheBinary() {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        // 60 macros, each naming the previous one twice: 2^60 copies once expanded.
        var rules = "- macro: m0\n  condition: evt.type = open and proc.pid > 100\n"
        for i in 1...60 { rules += "- macro: m\(i)\n  condition: (m\(i - 1) or m\(i - 1))\n" }
        rules += "- rule: doubled\n  desc: d\n  condition: m60\n  output: \"pid %proc.pid cpu %thread.cpu\"\n  priority: INFO\n"
        writeFile(dir + "/doubling.yaml", rules)
        var events = ""
        for (n, number) in ["1e300", "1e999", "-1e300", "99999999999999999999", "4242"].enumerated() {
            events += #"{"source":"syscall","fields":{"evt.num":\#(n + 1),"evt.rawtime":\#(number),"evt.type":"open","evt.dir":"<","proc.pid":\#(number),"thread.cpu":\#(number)}}"# + "\n"
        }
        writeFile(dir + "/events.jsonl", events)

        var (status, out, err) = Child.run(["rules", "validate", dir + "/doubling.yaml"], in: dir)
        #expect(status == 0, "\(err)")
        #expect(out.hasPrefix(dir + "/doubling.yaml: Ok"))
        (status, out, err) = Child.run(["rules", "list", dir + "/doubling.yaml"], in: dir)
        #expect(status == 0 && out == "enabled   Informational  syscall    doubled\n", "\(out) \(err)")
        // Only the event whose pid fits (4242) matches; the others have no pid. No trap.
        (status, out, err) = Child.run(["rules", "match", "--rules", dir + "/doubling.yaml", "--events", dir + "/events.jsonl"], in: dir)
        #expect(status == 0, "\(err)")
        #expect(out.split(separator: "\n").count == 1)
        #expect(out.contains(#""proc.pid":4242"#))
        (status, out, err) = Child.run(["filter", "--events", dir + "/events.jsonl", "thread.cpu > 100"], in: dir)
        #expect(status == 0, "\(err)")
        #expect(out == "1\n4\n5\n")
    }

    /// Runs the binary with its standard output on a pseudo-terminal (raw mode, so the bytes
    /// read are the bytes written); standard error goes to a file.
    func runOnTerminal(_ arguments: [String], in dir: String) throws -> (Int32, String) {
        // /dev/ptmx with its two ioctls: Glibc does not export posix_openpt to Swift
        // (TIOCSPTLCK and TIOCGPTN are _IOW/_IOR('T', 0x31/0x30, int) in Linux's generic ABI).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        try #require(master >= 0)
        defer { close(master) }
        var unlock: Int32 = 0, number: UInt32 = 0
        try #require(ioctl(master, UInt(0x4004_5431), &unlock) == 0 && ioctl(master, UInt(0x8004_5430), &number) == 0)
        let slavePath = "/dev/pts/\(number)"
        // Held open here too, so the master never reads end-of-file before the child opens it.
        let slave = open(slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
        try #require(slave >= 0)
        defer { close(slave) }
        var mode = termios()
        tcgetattr(slave, &mode)
        cfmakeraw(&mode)
        tcsetattr(slave, TCSANOW, &mode)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)

        let environment = ["PATH=/usr/bin:/bin", "HOME=" + dir, "LANG=C.UTF-8"]
        let child = try #require(ChildProcess.start([ChildProcess.tradsec] + arguments, stdoutPath: slavePath,
                                                    stderrPath: dir + "/stderr-terminal", environment: environment))
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        func drain() {
            while true {
                let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                if n <= 0 { return }
                output += buffer[0..<n]
            }
        }
        let deadline = Date().addingTimeInterval(60)
        var raw: Int32 = 0
        while waitpid(child.pid, &raw, WNOHANG) == 0 {
            drain()
            try #require(Date() < deadline, "tradsec \(arguments) did not finish")
            usleep(10_000)
        }
        drain()
        let status = raw & 0x7F == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
        return (status, String(decoding: output, as: UTF8.self))
    }
}
