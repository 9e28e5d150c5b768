import AlertStore
import Foundation
import Notify
import TestSupport
import TradsecCore
#if canImport(Glibc)
import Glibc
#endif

/// Alert text an attacker controls: markup for every service, a mention, control characters.
let hostileText = "<!channel> @everyone <@&123> & <http://evil.example|click> <b>bold</b> *x* ``` \u{1b}[2J done"

func hostileNotification(_ n: Int = 0, priority: Priority = .critical, rule: String = "Read sensitive file",
                         container: String = "bot1") -> Notify.Notification {
    Notification(priority: priority, rule: rule, container: container, containerID: container + "-id", host: "trade-host-1",
                 title: "\(priority.name): \(rule) #\(n)", text: "attempt \(n): " + hostileText,
                 fields: [.init("container", container), .init("file", "/etc/shadow"), .init("user", "<root>")],
                 link: "https://tradsec.example/alerts/\(n)", time: Timestamp(nanoseconds: 1_795_000_000_000_000_000 + Int64(n)),
                 alertID: Int64(n))
}

/// A fresh history in a temporary directory; `cleanup` removes both.
struct TempHistory {
    let directory: String
    let path: String
    let store: AlertStore

    init() throws {
        directory = makeTemporaryDirectory(prefix: "tradsec-notify")
        path = directory + "/history.sqlite"
        store = try AlertStore(path: path)
    }

    func cleanup() { removeTree(directory) }
}

func parseJSON(_ request: RecordingHTTPServer.Request) throws -> JSONValue {
    try JSONParser.parse(request.body)
}

/// A channel for tests: fast retries, no grouping, everything from debug up.
func testChannel(_ name: String, _ kind: ChannelConfig.Kind, url: String) -> ChannelConfig {
    var c = ChannelConfig(name: name, kind: kind)
    c.url = .inline(url)
    c.minPriority = .debug
    c.retryInitial = 0.05
    c.retryMax = 0.2
    c.timeout = 5
    return c
}

/// Dispatcher options for tests: polls often, logs nowhere.
func fastOptions(_ environment: [String: String] = [:]) -> NotificationDispatcher.Options {
    var o = NotificationDispatcher.Options()
    o.pollInterval = 0.05
    o.environment = environment
    return o
}

/// Kills (SIGTERM, then SIGKILL) and reaps a child a test started, whatever happened in the test.
final class ChildGuard {
    let child: ChildProcess
    private var reaped = false
    init(_ child: ChildProcess) { self.child = child }
    func kill9() -> Int32 {
        kill(child.pid, SIGKILL)
        reaped = true
        return child.wait()
    }
    func terminate() -> Int32 {
        guard !reaped else { return 0 }
        reaped = true
        kill(child.pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<100 {
            if waitpid(child.pid, &status, WNOHANG) == child.pid { return status }
            usleep(50_000)
        }
        kill(child.pid, SIGKILL)
        return child.wait()
    }
    deinit { _ = terminate() }
}

/// The environment children run with: PATH and HOME only, plus `extra`.
func childEnvironment(_ extra: [String] = []) -> [String] {
    ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8"] + extra
}
