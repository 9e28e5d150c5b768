import AlertStore
@testable import Console
import Testing
import TradsecCore

/// Several processors feeding one console: rows say which host each alert came from.
@Suite struct HostLabelTests {
    func alert(host: String, rule: String, container: String) throws -> Alert {
        try AlertDecoder.decode(line: """
            {"time":"2026-11-22T11:59:00.000000000Z","rule":"\(rule)","priority":"Critical","output":"11:59:00: Critical \(rule)","output_fields":{"container.id":"\(container.prefix(12))","container.name":"\(container)"},"hostname":"\(host)","source":"syscall","tags":[]}
            """)
    }

    @Test func rowsNameTheHostWhenFeedsComeFromSeveralHosts() throws {
        let h = try Harness()
        try h.insert([try alert(host: "trade-a", rule: "Wallet read", container: "bot-one-00000"),
                      try alert(host: "trade-b", rule: "Shell in bot", container: "bot-two-00000")])
        h.load()
        let plain = h.render(width: 140).text
        #expect(!plain.contains("trade-a/"))
        h.state.labelHosts = true
        let labelled = h.render(width: 140).text
        #expect(labelled.contains("trade-a/bot-one-00000"))
        #expect(labelled.contains("trade-b/bot-two-00000"))
    }
}
