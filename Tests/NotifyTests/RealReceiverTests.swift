import CurlClient
import Foundation
import Notify
import Testing
import TestSupport
import TradsecCore
#if canImport(Glibc)
import Glibc
#endif

/// Real receivers: Debian's Alertmanager 0.25 and aiosmtpd. A missing one fails the test with
/// the line that installs it.
@Suite struct RealReceiverTests {
    static let alertmanager = "/usr/bin/prometheus-alertmanager"

    /// The repository root, found from this file's path (Tests/NotifyTests/...).
    static var repositoryRoot: String {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path
    }

    @Test func alertmanagerReceivesLabelsAndAnnotations() throws {
        guard access(Self.alertmanager, X_OK) == 0 else {
            Issue.record("Alertmanager is missing: apt-get install -y --no-install-recommends prometheus-alertmanager (or make test)")
            return
        }
        let dir = makeTemporaryDirectory(prefix: "tradsec-am")
        defer { removeTree(dir + "/data"); removeTree(dir) }
        writeFile(dir + "/alertmanager.yml", "route: {receiver: blackhole}\nreceivers: [{name: blackhole}]\n")
        let port = freeLoopbackPort()
        guard let child = ChildProcess.start([Self.alertmanager, "--config.file=\(dir)/alertmanager.yml", "--storage.path=\(dir)/data",
                                              "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address="],
                                             stdoutPath: dir + "/am.log", environment: childEnvironment()) else {
            Issue.record("cannot start \(Self.alertmanager)"); return
        }
        let am = ChildGuard(child)
        defer { _ = am.terminate() }
        let base = "http://127.0.0.1:\(port)"
        let ready = waitFor(30) { (try? CurlHTTP.send(HTTPRequest(url: base + "/-/ready", timeout: 1)))?.status == 200 }
        try #require(ready, "Alertmanager not ready: \(readFile(dir + "/am.log"))")

        let history = try TempHistory()
        defer { history.cleanup() }
        var channel = testChannel("am", .alertmanager, url: base + "/")
        channel.groupWindow = 0
        let dispatcher = NotificationDispatcher(store: history.store, config: NotificationConfig(channels: [channel]), options: fastOptions())
        var a = hostileNotification(1)
        a.time = .now()
        var b = hostileNotification(2, priority: .warning, rule: "Outbound connection to unknown host", container: "bot2")
        b.time = .now()
        try dispatcher.enqueue([a, b])
        try dispatcher.start()
        defer { dispatcher.stop() }
        #expect(waitFor(10) { dispatcher.stats().pending == 0 })
        #expect(waitFor(5) { dispatcher.stats().channels.first?.notificationsDelivered == 2 })

        let reply = try CurlHTTP.send(HTTPRequest(url: base + "/api/v2/alerts?active=true", timeout: 5))
        #expect(reply.status == 200)
        let alerts = try #require(try JSONParser.parse(reply.body).arrayValue)
        #expect(alerts.count == 2)
        let read = try #require(alerts.first { $0["labels"]?["alertname"]?.stringValue == "Read sensitive file" })
        #expect(read["labels"]?["severity"]?.stringValue == "critical")
        #expect(read["labels"]?["priority"]?.stringValue == "Critical")
        #expect(read["labels"]?["container"]?.stringValue == "bot1")
        #expect(read["labels"]?["host"]?.stringValue == "trade-host-1")
        #expect(read["labels"]?["source"]?.stringValue == "tradsec")
        #expect(read["annotations"]?["summary"]?.stringValue == "Critical: Read sensitive file #1")
        // Printable for Alertmanager's own templates and amtool: the terminal escape shows as U+FFFD.
        #expect(read["annotations"]?["description"]?.stringValue == "attempt 1: " + hostileText.replacingOccurrences(of: "\u{1b}", with: "\u{FFFD}"))
        #expect(read["annotations"]?["file"]?.stringValue == "/etc/shadow")
        #expect(read["generatorURL"]?.stringValue == "https://tradsec.example/alerts/1")
        #expect(read["status"]?["state"]?.stringValue == "active")
        let out = try #require(alerts.first { $0["labels"]?["alertname"]?.stringValue == "Outbound connection to unknown host" })
        #expect(out["labels"]?["severity"]?.stringValue == "warning")
        #expect(out["labels"]?["container"]?.stringValue == "bot2")
    }

    @Test func aiosmtpdReceivesTheMailWithSafeHeaders() throws {
        let aiosmtpd = Self.repositoryRoot + "/.build/tools/venv/bin/aiosmtpd"
        guard access(aiosmtpd, X_OK) == 0 else {
            Issue.record("aiosmtpd is missing (\(aiosmtpd)): run make tools")
            return
        }
        let dir = makeTemporaryDirectory(prefix: "tradsec-smtp")
        let maildir = dir + "/Maildir"
        defer {
            for sub in ["new", "cur", "tmp"] { removeTree(maildir + "/" + sub) }
            removeTree(maildir)
            removeTree(dir)
        }
        let port = freeLoopbackPort()
        guard let child = ChildProcess.start([aiosmtpd, "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", maildir],
                                             stdoutPath: dir + "/smtpd.log", environment: childEnvironment()) else {
            Issue.record("cannot start aiosmtpd"); return
        }
        let smtpd = ChildGuard(child)
        defer { _ = smtpd.terminate() }
        try #require(waitFor(10) { canConnectToLoopback(port) }, "aiosmtpd did not listen: \(readFile(dir + "/smtpd.log"))")

        var channel = ChannelConfig(name: "mail", kind: .email)
        channel.url = .inline("smtp://127.0.0.1:\(port)")
        channel.from = "tradsec@trade-host-1"
        channel.to = ["oncall@example.com", "lead@example.com"]
        channel.minPriority = .debug
        var n = hostileNotification(3)
        n.title = "Critical: shell in bot1\r\nBcc: attacker@evil.example\r\n\r\nforged body"
        n.text = "line one\n.\nline after a lone dot é " + String(repeating: "z", count: 2500)
        let outcome = ChannelSender.send([QueuedNotification(rowID: 42, notification: n)], channel: channel, environment: [:])
        #expect(outcome == .delivered(status: 250))

        var files: [String] = []
        waitFor(5) {
            files = listDirectory(maildir + "/new")
            return !files.isEmpty
        }
        try #require(files.count == 1)
        let mail = readFile(maildir + "/new/" + files[0])
        let parts = mail.components(separatedBy: "\n\n")
        let head = parts[0]
        let body = parts.dropFirst().joined(separator: "\n\n")
        let headers = head.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(headers.contains("From: tradsec@trade-host-1"))
        #expect(headers.contains("To: oncall@example.com, lead@example.com"))
        #expect(headers.contains("X-RcptTo: oncall@example.com, lead@example.com"))
        #expect(headers.contains("Message-ID: <tradsec-mail-42@trade-host-1>"))
        #expect(headers.contains("Content-Type: text/plain; charset=utf-8"))
        // The CR/LF in the title did not make a header: no Bcc, and the subject is one line.
        #expect(!headers.contains { $0.lowercased().hasPrefix("bcc:") })
        #expect(!headers.contains { $0.hasPrefix("forged") })
        let subject = try #require(headers.first { $0.hasPrefix("Subject: ") })
        #expect(subject == "Subject: [tradsec] Critical: shell in bot1 Bcc: attacker@evil.example  forged body")
        #expect(body.contains("line one\n.\nline after a lone dot é"))
        #expect(body.contains("file: /etc/shadow"))
        #expect(body.contains("link: https://tradsec.example/alerts/3"))
        #expect(body.split(separator: "\n").allSatisfy { $0.utf8.count <= 998 })
        #expect(body.contains(String(repeating: "z", count: 800)))
    }
}

func listDirectory(_ path: String) -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let e = readdir(dir) {
        let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}
