#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
import TradsecCore

/// `tradsec console --source host` on a machine that cannot run the sensor: the console opens
/// anyway, says why in the header and in full on the gauges screen, and keeps following its
/// other sources (the real binary under tmux).
@Suite(.serialized, .timeLimit(.minutes(2)), .enabled(if: TmuxSession.consoleAvailable, "needs tmux and 'tradsec console'"))
struct SensorUnavailableTests {
    /// Starts the console on the host sensor and a followed Falco log holding one alert.
    func console(_ h: Harness, prefix: [String] = [], environment: [String] = []) -> TmuxSession {
        // A directory of its own: the harness's history belongs to root.
        let home = h.directory + "/console"
        mkdir(home, 0o777)
        chmod(home, 0o777)
        let log = home + "/falco.json"
        appendFile(log, Harness.alert("Terminal shell in container", .critical, secondsAgo: 1).raw + "\n")
        chmod(log, 0o644)
        return TmuxSession(command: prefix + [TmuxSession.binary, "console", "--db", home + "/history.sqlite",
                                              "--source", "host", "--source", "falco-file=" + log],
                           width: 120, height: 40, directory: h.directory, environment: environment)
    }

    @Test func withoutItsBPFObjectTheConsoleRunsOnItsOtherSourcesAndSaysWhy() throws {
        let h = try Harness()
        let tmux = console(h, environment: ["TRADSEC_SENSOR_OBJECT=" + h.directory + "/none.bpf.o"])
        // The followed log's alert arrives; the header says the sensor failed.
        #expect(tmux.waitFor("Terminal shell in container"))
        #expect(tmux.waitFor("host failed: the host sensor cannot start"))
        // The gauges screen has the whole reason: what to install and where it looked.
        tmux.type("u")
        #expect(tmux.waitFor { $0.contains("Host sensor") && $0.contains("stopped") })
        let gauges = tmux.screen().split(separator: "\n").map { $0.replacingOccurrences(of: "│", with: " ").trimmingCharacters() }.joined(separator: " ")
        #expect(gauges.contains("apt-get install -y libbpf-dev libelf-dev bpftool"), "\(tmux.screen())")
        #expect(gauges.contains("none.bpf.o"))
        tmux.type("q")
        #expect(tmux.exitStatus() == 0, "\(readFile(h.directory + "/stderr.txt"))")
    }

    @Test func notRootTheConsoleSaysTheSensorNeedsRoot() throws {
        try #require(geteuid() == 0, "run as root (the unprivileged console runs as nobody)")
        let h = try Harness()
        chmod(h.directory, 0o711)
        let tmux = console(h, prefix: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
        #expect(tmux.waitFor("Terminal shell in container"))
        #expect(tmux.waitFor("host failed: the host sensor cannot start"))
        tmux.type("u")
        #expect(tmux.waitFor { $0.contains("needs root") && $0.contains("running as uid 65534") })
        tmux.type("q")
        #expect(tmux.exitStatus() == 0, "\(readFile(h.directory + "/stderr.txt"))")
    }
}
