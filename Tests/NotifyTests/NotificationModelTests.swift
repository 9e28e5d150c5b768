import Foundation
import Notify
import Testing
import TradsecCore

@Suite struct NotificationModelTests {
    static let falcoLine = #"{"hostname":"trade-host-1","output":"16:04:05.123456789: Critical Sensitive file opened (file=/etc/shadow proc=cat user=root container=bot1)","output_fields":{"container.id":"4f2a9c1d7e3b","container.name":"ai-trading-bot","container.image.repository":"ghcr.io/acme/ai-trading-bot","container.image.tag":"1.4","fd.name":"/etc/shadow","proc.name":"cat","proc.cmdline":"cat /etc/shadow","user.name":"root"},"priority":"Critical","rule":"Read sensitive file untrusted","source":"syscall","tags":["T1555"],"time":"2026-11-22T16:04:05.123456789Z"}"#

    @Test func aStoredFalcoAlertBecomesANotificationWithItsKeyFields() throws {
        let alert = try AlertDecoder.decode(line: Self.falcoLine)
        let n = Notify.Notification(alert: alert, id: 77, link: "https://console.example/alerts/77")
        #expect(n.kind == .alert)
        #expect(n.priority == .critical)
        #expect(n.title == "Critical: Read sensitive file untrusted")
        #expect(n.text == "Sensitive file opened (file=/etc/shadow proc=cat user=root container=bot1)")
        #expect(n.container == "ai-trading-bot")
        #expect(n.containerID == "4f2a9c1d7e3b")
        #expect(n.host == "trade-host-1")
        #expect(n.alertID == 77)
        #expect(n.groupKey == "alert|Read sensitive file untrusted|4f2a9c1d7e3b")
        let fields = Dictionary(uniqueKeysWithValues: n.fields.map { ($0.name, $0.value) })
        #expect(fields["container"] == "ai-trading-bot (4f2a9c1d7e3b)")
        #expect(fields["image"] == "ghcr.io/acme/ai-trading-bot:1.4")
        #expect(fields["file"] == "/etc/shadow")
        #expect(fields["command"] == "cat /etc/shadow")
        #expect(fields["user"] == "root")
        // The outbox's stored form gives back the same notification.
        #expect(try Notify.Notification(json: n.json) == n)
    }

    @Test func incidentsGroupByIncident() throws {
        let a = Notify.Notification(kind: .incident, priority: .critical, rule: "r1", host: "h", title: "Incident 12", text: "t", incidentID: "12")
        var b = a
        b.rule = "r2"
        #expect(a.groupKey == b.groupKey)
        #expect(try Notify.Notification(json: a.json) == a)
        #expect(throws: NotifyError.self) { try Notify.Notification(json: "{\"kind\":\"alert\"}") }
    }

    @Test func aNonASCIISubjectIsEncodedAsRFC2047Words() throws {
        var channel = ChannelConfig(name: "mail", kind: .email)
        channel.url = .inline("smtp://127.0.0.1:25")
        channel.from = "a@b"
        channel.to = ["c@d"]
        var n = hostileNotification(1)
        n.title = "Kritisch: Zugriff auf Schlüsseldatei – Bot «eins» über 9000 Zeichen lang und länger als ein Wort"
        guard case .smtp(let mail) = try ChannelSender.request(for: [QueuedNotification(rowID: 1, notification: n)], channel: channel, environment: [:]) else {
            Issue.record("email is SMTP"); return
        }
        let text = String(decoding: mail.message, as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n")[0]
        let lines = head.components(separatedBy: "\r\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("Subject: ") })
        var words: [String] = [String(lines[start].dropFirst("Subject: ".count))]
        for line in lines[(start + 1)...] where line.hasPrefix(" ") { words.append(String(line.dropFirst())) }
        #expect(words.count > 1)
        var decoded = ""
        for w in words {
            #expect(w.hasPrefix("=?UTF-8?B?") && w.hasSuffix("?=") && w.count <= 75)
            let b64 = String(w.dropFirst(10).dropLast(2))
            decoded += String(decoding: try #require(Data(base64Encoded: b64)), as: UTF8.self)
        }
        #expect(decoded == "[tradsec] " + n.title)
    }
}
