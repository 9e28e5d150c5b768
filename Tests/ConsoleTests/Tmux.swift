#if canImport(Glibc)
import Glibc
#endif
import TestSupport

/// Drives the real binary inside a private tmux server (`-S` socket of its own), reading the
/// screen back with `capture-pane` and polling with deadlines, never fixed sleeps.
/// tmux is started with posix_spawn, a clean signal mask and waitpid: Foundation.Process
/// leaves signals blocked in children of test threads and hangs on tmux's daemon.
final class TmuxSession {
    let socket: String
    let directory: String
    let name = "console"

    static var tmuxPath: String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { access($0, X_OK) == 0 }
    }

    /// The `tradsec` binary built beside the test bundle.
    static var binary: String { ChildProcess.tradsec }

    /// True when the binary has the `console` subcommand (the root command registers it).
    static let consoleAvailable: Bool = {
        guard tmuxPath != nil else { return false }
        let out = "/tmp/tradsec-console-help-\(getpid())"
        defer { unlink(out) }
        return spawn([binary, "console", "--help"], output: out) == 0 && readFile(out).contains("USAGE: tradsec console")
    }()

    init(command: [String], width: Int = 120, height: Int = 40, directory: String, environment: [String] = []) {
        self.directory = directory
        socket = directory + "/tmux.sock"
        let env = ["env", "TERM=tmux-256color", "LANG=C.UTF-8", "HOME=" + directory, "XDG_CONFIG_HOME=" + directory + "/config"] + environment
        tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), (env + command).map(Self.quote).joined(separator: " ")
                   + " 2>" + directory + "/stderr.txt; echo $? >" + directory + "/exit-status"])
        tmux(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    deinit {
        tmux(["kill-server"])
        unlink(socket)
    }

    @discardableResult
    func tmux(_ args: [String]) -> String {
        let out = directory + "/tmux-out-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(out) }
        _ = Self.spawn([Self.tmuxPath ?? "/usr/bin/tmux", "-S", socket, "-f", "/dev/null"] + args, output: out)
        return readFile(out)
    }

    func screen() -> String { tmux(["capture-pane", "-p", "-t", name]) }

    /// Everything the pane printed, scrolled-off lines included, wrapped lines joined (a
    /// command's output, read once it has exited).
    func output() -> String { tmux(["capture-pane", "-p", "-J", "-S", "-", "-t", name]) }

    func send(_ keys: String...) { tmux(["send-keys", "-t", name] + keys) }

    /// Literal text (no key-name lookup).
    func type(_ text: String) { tmux(["send-keys", "-t", name, "-l", text]) }

    /// Polls the screen until `predicate` holds; false after `timeout` seconds.
    func waitFor(timeout: Double = 10, _ predicate: (String) -> Bool) -> Bool {
        let deadline = now() + timeout
        while now() < deadline {
            if predicate(screen()) { return true }
            usleep(30_000)
        }
        debugLog("timed out; screen:\n" + screen())
        return false
    }

    func waitFor(_ text: String, timeout: Double = 10) -> Bool { waitFor(timeout: timeout) { $0.contains(text) } }

    /// The command's exit status once it ended (written by the shell tmux runs it in), nil on timeout.
    func exitStatus(timeout: Double = 10) -> Int? {
        let deadline = now() + timeout
        while now() < deadline {
            if let status = Int(readFile(directory + "/exit-status").trimmingCharacters()) { return status }
            usleep(30_000)
        }
        debugLog("no exit; stderr: " + readFile(directory + "/stderr.txt") + "\nscreen:\n" + screen())
        return nil
    }

    var paneTitle: String { tmux(["display-message", "-p", "-t", name, "#{pane_title}"]).trimmingCharacters() }

    static func quote(_ s: String) -> String { "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'" }

    /// Runs `argv` to completion with both output streams in `output`; its exit status
    /// (-1 when it could not start or was killed by a signal).
    @discardableResult
    static func spawn(_ argv: [String], output: String, environment: [String] = ["PATH=/usr/bin:/bin", "LANG=C.UTF-8"]) -> Int32 {
        guard let child = ChildProcess.start(argv, stdoutPath: output, environment: environment) else { return -1 }
        let status = child.wait()
        return status >= 128 ? -1 : status
    }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

extension StringProtocol {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}

/// Test diagnostics on stderr (unbuffered: kept even when the test process ends abruptly).
func debugLog(_ text: String) {
    let line = text + "\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
}
