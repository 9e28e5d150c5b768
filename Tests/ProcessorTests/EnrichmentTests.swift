import AlertStore
import Foundation
@testable import Processor
import Testing
import TestSupport
import TradsecCore

@Suite struct AddressListTests {
    @Test func matchesAddressesBlocksAndDomains() {
        let (list, errors) = AddressList.parse("""
            # exchanges
            52.84.0.0/16 binance
            203.0.113.7
            kraken.com kraken
            *.coinbase.com coinbase
            2001:db8::/32 v6net
            not_an_entry!
            """)
        #expect(errors.count == 1)
        #expect(errors.first?.line == 7)
        #expect(errors.first?.problem == .unrecognised("not_an_entry!"))
        #expect(list.match(ip: "52.84.12.1") == .some("binance"))
        #expect(list.match(ip: "52.85.0.1") == nil)
        #expect(list.match(ip: "203.0.113.7") == .some(nil))
        #expect(list.match(ip: "203.0.113.8") == nil)
        #expect(list.match(domain: "api.kraken.com") == .some("kraken"))
        #expect(list.match(domain: "kraken.com.") == .some("kraken"))
        #expect(list.match(domain: "evilkraken.com") == nil)
        #expect(list.match(domain: "coinbase.com") == nil)          // *. means subdomains only
        #expect(list.match(domain: "api.coinbase.com") == .some("coinbase"))
        #expect(list.match(ip: "2001:db8:1::5") == .some("v6net"))
        #expect(list.match(ip: "2001:db9::5") == nil)
    }

    @Test func eachRefusedLineSaysWhatItIsNot() {
        let (list, errors) = AddressList.parse("10.0.0.0/33\n*.-bad-\n1.2.3.4\nexample.com/8\n")
        #expect(list.count == 1)
        #expect(errors.map(\.line) == [1, 2, 4])
        #expect(errors.map(\.problem) == [.notACIDRBlock("10.0.0.0/33"), .notADomain("*.-bad-"), .notACIDRBlock("example.com/8")])
        #expect(errors[0].description == "line 1: '10.0.0.0/33' is not a CIDR block")
    }

    @Test func ipv6TextForms() {
        #expect(IPAddress.parse("::1") == [UInt8](repeating: 0, count: 15) + [1])
        #expect(IPAddress.parse("fe80::1:2")?.count == 16)
        #expect(IPAddress.parse("1:2:3:4:5:6:7:8:9") == nil)
        #expect(IPAddress.parse("256.1.1.1") == nil)
        #expect(IPAddress.parse("1.2.3") == nil)
    }
}

@Suite struct EnricherTests {
    func alert(_ fields: [String: String], container: String = "trading-bot-7", image: String = "ghcr.io/acme/bot") throws -> Alert {
        var f = fields
        f["container.image.repository"] = image
        return try AlertDecoder.decode(line: falcoAlert(container: container, fields: f))
    }

    @Test func rolesComeFromNamesOrImages() throws {
        var config = EnrichmentConfig()
        config.roles = [("ai-trading-bot", ["trading-bot*"]), ("dashboard", ["image:*grafana*"])]
        let enricher = Enricher(config: config)
        #expect(enricher.enrich(try alert([:])).role == "ai-trading-bot")
        // The image pattern matches the image, whatever the container is called.
        #expect(enricher.enrich(try alert([:], container: "dash", image: "docker.io/grafana/grafana")).role == "dashboard")
        #expect(enricher.enrich(try alert([:], container: "dash", image: "grafana/grafana")).role == "dashboard")
        #expect(enricher.enrich(try alert([:], container: "grafana", image: "ghcr.io/acme/bot")).role == nil)
        #expect(enricher.enrich(try alert([:], container: "dash")).role == nil)
        #expect(enricher.enrich(try alert([:], container: "postgres")).role == nil)
    }

    @Test func connectionsAreTaggedByExchangeAndThreatLists() throws {
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        writeFile(directory + "/feodo.txt", "# botnet C2\n198.51.100.0/24\nevil.example\n")
        var config = EnrichmentConfig()
        config.inlineExchanges = [("binance", ["api.binance.com", "52.84.0.0/16"])]
        config.threatIntelFiles = [directory + "/feodo.txt"]
        config.reloadInterval = 0
        let enricher = Enricher(config: config)

        let toExchange = try alert(["fd.name": "10.0.0.5:41000->52.84.3.4:443", "fd.sip": "52.84.3.4"])
        #expect(enricher.enrich(toExchange).tags == ["exchange:binance"])
        let byName = try alert(["fd.sip.name": "api.binance.com", "fd.sip": "13.1.1.1"])
        #expect(enricher.enrich(byName).tags == ["exchange:binance"])
        let toC2 = try alert(["fd.name": "10.0.0.5:41000->198.51.100.9:8443"])
        #expect(enricher.enrich(toC2).tags == ["destination:not-allowlisted", "threat-intel:feodo"])
        let toDatabase = try alert(["fd.name": "10.0.0.5:41000->10.0.0.9:5432"])
        #expect(enricher.enrich(toDatabase).tags.isEmpty)
        let noConnection = try alert(["fd.name": "/app/.env"])
        #expect(enricher.enrich(noConnection).tags.isEmpty)

        // The list file changes: the next refresh picks it up (editors save by rename too).
        writeFile(directory + "/feodo.tmp", "203.0.113.0/24\n")
        #expect(rename(directory + "/feodo.tmp", directory + "/feodo.txt") == 0)
        enricher.refreshIfDue(now: Timestamp.now().nanoseconds + 1_000_000_000)
        #expect(enricher.enrich(toC2).tags == ["destination:not-allowlisted"])
        let newBad = try alert(["fd.name": "10.0.0.5:41000->203.0.113.50:443"])
        #expect(enricher.enrich(newBad).tags.contains("threat-intel:feodo"))

        // A broken or vanished file keeps the last good list and says so.
        unlink(directory + "/feodo.txt")
        enricher.refreshIfDue(now: Timestamp.now().nanoseconds + 2_000_000_000)
        #expect(enricher.enrich(newBad).tags.contains("threat-intel:feodo"))
        #expect(enricher.problems.count == 1)
    }
}

@Suite struct CorrelatorTests {
    func observe(_ c: inout Correlator, rule: String, priority: String = "Warning", tags: [String], at seconds: Int64,
                 container: String = "bot-1", id: String = "0123456789ab", enrichmentTags: [String] = []) throws -> Correlator.Observation {
        let time = Timestamp(nanoseconds: 1_800_000_000_000_000_000 + seconds * 1_000_000_000).rfc3339()
        let alert = try AlertDecoder.decode(line: falcoAlert(rule: rule, priority: priority, time: time, container: container,
                                                             containerID: id, tags: tags))
        return c.observe(alert, enrichment: AlertEnrichment(role: "ai-trading-bot", tags: enrichmentTags, incidentID: nil))
    }

    @Test func shellThenKeyReadThenOutboundEscalates() throws {
        var c = Correlator(config: CorrelationConfig())
        let shell = try observe(&c, rule: "Terminal shell in container", priority: "Notice", tags: ["mitre_execution"], at: 0)
        #expect(shell.change == .opened)
        #expect(shell.incident.severity == .notice)
        let key = try observe(&c, rule: "Read trading API key", tags: ["mitre_credential_access"], at: 30)
        #expect(key.incident.id == shell.incident.id)
        #expect(key.change == .escalated(from: .notice))
        #expect(key.incident.severity == .error)     // shell, key read
        let out = try observe(&c, rule: "Unexpected outbound connection", priority: "Notice", tags: ["mitre_exfiltration"], at: 60)
        #expect(out.incident.severity == .alert)     // the full chain
        #expect(out.incident.escalated)
        #expect(out.incident.reason?.contains("execution → credential-access → exfiltration") == true)
        #expect(out.incident.rules.count == 3)
        #expect(out.incident.alertCount == 3)
        // The same rule again only grows it.
        let again = try observe(&c, rule: "Read trading API key", tags: ["mitre_credential_access"], at: 61)
        #expect(again.change == .grew)
        #expect(again.incident.alertCount == 4)
    }

    @Test func theOrderOfStagesMatters() throws {
        var c = Correlator(config: CorrelationConfig())
        _ = try observe(&c, rule: "Unexpected outbound connection", tags: ["mitre_exfiltration"], at: 0)
        let later = try observe(&c, rule: "Read trading API key", tags: ["mitre_credential_access"], at: 10)
        #expect(!later.incident.escalated)      // connection first, then key read: not the sequence
        #expect(later.incident.severity == .warning)
    }

    @Test func containersAndWindowsSeparateIncidents() throws {
        var config = CorrelationConfig()
        config.window = 60_000_000_000
        var c = Correlator(config: config)
        let a = try observe(&c, rule: "R1", tags: [], at: 0)
        let b = try observe(&c, rule: "R1", tags: [], at: 5, container: "bot-2", id: "bbbbbbbbbbbb")
        #expect(a.incident.id != b.incident.id)
        let sameWindow = try observe(&c, rule: "R2", tags: [], at: 50)
        #expect(sameWindow.incident.id == a.incident.id)
        let afterWindow = try observe(&c, rule: "R3", tags: [], at: 200)
        #expect(afterWindow.incident.id != a.incident.id)
        #expect(afterWindow.change == .opened)
    }

    @Test func threatIntelCountsAsCommandAndControl() throws {
        var c = Correlator(config: CorrelationConfig())
        _ = try observe(&c, rule: "Read trading API key", tags: ["mitre_credential_access"], at: 0)
        let c2 = try observe(&c, rule: "Outbound connection", tags: [], at: 5, enrichmentTags: ["threat-intel:feodo"])
        #expect(c2.incident.stages == ["credential-access", "command-and-control"])
        #expect(c2.incident.severity == .critical)
    }

    @Test func numberingAndOpenIncidentsSurviveARestart() throws {
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        do {
            let harness = try ServerHarness(directory: directory)
            try harness.post(falcoAlert(rule: "Terminal shell in container", tags: ["mitre_execution"]))
            try harness.post(falcoAlert(rule: "Other", container: "x", containerID: "cccccccccccc"))
            harness.stop(removingFiles: false)
        }
        let harness = try ServerHarness(directory: directory)
        defer { harness.stop() }
        // The same container's next alert joins its incident from before the restart, and escalates it.
        try harness.post(falcoAlert(rule: "Read trading API key", tags: ["mitre_credential_access"]))
        try harness.waitForProcessing()
        let incidents = try harness.settled.incidents()
        #expect(incidents.count == 2)
        let bot = try #require(incidents.first { $0.containerID == "0123456789ab" })
        #expect(bot.alertCount == 2)
        #expect(bot.severity == .error)
        #expect(try harness.settled.incidentAlerts(id: bot.id).map(\.alert.rule) == ["Terminal shell in container", "Read trading API key"])
        let detail = try harness.json("/incidents/\(bot.id)")
        #expect(detail["timeline"]?.arrayValue?.count == 2)
        #expect(detail["escalated"] == .bool(true))

        // The list's parameters are validated like /events'.
        #expect(try harness.json("/incidents?limit=1")["incidents"]?.arrayValue?.count == 1)
        #expect(try harness.json("/incidents?limit=5000&since=1h")["incidents"]?.arrayValue?.count == 2)
        for bad in ["limit=-1", "limit=0", "limit=x", "since=yesterday-ish", "sort=asc"] {
            let reply = try harness.get("/incidents?" + bad)
            #expect(reply.status == 400, "\(bad): \(reply.bodyText)")
        }
        // An id that is not a number is the client's mistake, said so; an unknown number is not found.
        for path in ["/incidents/abc", "/incidents?id=1x"] {
            let reply = try harness.get(path)
            #expect(reply.status == 400 && reply.bodyText.contains("incident id must be a number"), "\(path): \(reply.bodyText)")
        }
        #expect(try harness.get("/incidents/999999").status == 404)
    }
}

@Suite struct PayloadDecoderTests {
    func decode(_ text: String) -> PayloadDecoder.Decoded {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { PayloadDecoder.decode(UnsafeRawBufferPointer($0)) }
    }

    @Test func shapes() {
        #expect(decode(falcoAlert()).alerts.count == 1)
        #expect(decode("  \(falcoAlert())\r\n").alerts.count == 1)
        #expect(decode("\(falcoAlert(rule: "a"))\n\(falcoAlert(rule: "b"))\n").alerts.map(\.rule) == ["a", "b"])
        #expect(decode("[\(falcoAlert(rule: "a")), \(falcoAlert(rule: "b"))]").alerts.count == 2)
        // Pretty-printed single alert (some forwarders indent): one alert, kept compact.
        let pretty = falcoAlert(rule: "p").replacingOccurrences(of: ",\"", with: ",\n  \"")
        let decoded = decode(pretty)
        #expect(decoded.alerts.count == 1)
        #expect(decoded.alerts.first?.raw.contains("\n") == false)
        #expect(decode("").fatal != nil)
        #expect(decode("hello").fatal != nil)
        #expect(decode("[1, 2").rejects.map(\.rejection.code) == [.notObject, .notObject, .notJSON])
        let mixed = decode("\(falcoAlert())\n[]\n")
        #expect(mixed.alerts.count == 1)
        #expect(mixed.rejects.map(\.line) == [2])
    }

    /// serve's fast path: Falco's one alert, decoded only for the history, exactly as decode
    /// gives it; anything decode would not give as one alert alone is left to it, and so is an
    /// alert only the whole decoder reads.
    @Test func oneAlertTakesOnlyWhatDecodeGivesAsOneAlert() {
        func oneAlert(_ text: String) -> AlertRecord? {
            var batch = AlertBatch()
            let taken = Array(text.utf8).withUnsafeBytes { PayloadDecoder.oneAlert($0, into: &batch) }
            #expect(batch.count == (taken ? 1 : 0))
            return taken ? batch.record(at: 0) : nil
        }
        for text in [falcoAlert(), "  \(falcoAlert(rule: "padded"))\r\n"] {
            #expect(oneAlert(text) != nil, "\(text.prefix(40))")
            #expect(oneAlert(text) == decode(text).alerts.first?.record, "\(text.prefix(40))")
        }
        // What the one-pass scan leaves to the whole decoder (the caller's fallback) may be left
        // here; whatever is taken is decode's alert.
        let pretty = falcoAlert(rule: "p").replacingOccurrences(of: ",\"", with: ",\n  \"")
        let accented = falcoAlert(rule: "Écriture sous /etc")
        for text in [pretty, accented] {
            let whole = decode(text).alerts
            #expect(whole.count == 1)
            if let taken = oneAlert(text) { #expect(taken == whole.first?.record, "\(text.prefix(40))") }
        }
        for text in ["\(falcoAlert(rule: "a"))\n\(falcoAlert(rule: "b"))\n", "[\(falcoAlert())]", "{\"not\":\"an alert\"}",
                     "\(falcoAlert())\n[]\n", "", "hello"] {
            #expect(oneAlert(text) == nil, "\(text.prefix(40))")
        }
        // An alert past the memory budget is refused by decode, so by oneAlert too.
        let costly = "{\"x\":[" + String(repeating: "1,", count: 40_000) + "1]," + falcoAlert().dropFirst()
        #expect(decode(costly).rejects.map(\.rejection.code) == [.tooLong])
        let costlyTaken = oneAlert(costly) != nil
        #expect(!costlyTaken)
    }

    /// Every step of ``JSONArrayItems`` over `text` (the array opens at its first byte).
    func steps(_ text: String) -> [JSONArrayItems.Step] {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { raw in
            var items = JSONArrayItems(UnsafeRawBufferPointer(raw), openingAt: 0)
            var out: [JSONArrayItems.Step] = []
            while true {
                let step = items.next()
                out.append(step)
                if step == .end { out.append(items.next()); return out }
                if case .broken = step { out.append(items.next()); return out }
            }
        }
    }

    @Test func arrayItemsAreCutByStructureOnly() {
        // Brackets, commas and escaped quotes in strings (an escaped backslash right before the
        // closing quote, non-ASCII and a raw control byte) do not cut; items are not judged here.
        let item = #"{"a":"]},[\"x\\","b":"é\#u{01}[","c":[1,{"d":"}"}]}"#
        let text = "[ \(item) ,\n\"s\\\"]\"\t, tru , [ ] ]  "
        let first = 2, second = first + item.utf8.count + 3
        #expect(steps(text) == [.item(first..<first + item.utf8.count), .item(second..<second + 6),
                                .item(second + 9..<second + 12), .item(second + 15..<second + 18), .end, .end])
        #expect(steps("[]") == [.end, .end])
        // Where and why a broken array stops, said once.
        #expect(steps("[1,,2]") == [.item(1..<2), .broken("missing array item", at: 3), .end])
        #expect(steps("[1,]") == [.item(1..<2), .broken("trailing comma in array", at: 3), .end])
        #expect(steps("[1 2]") == [.item(1..<2), .broken("expected ',' or ']' after an array item", at: 3), .end])
        #expect(steps("[1] x") == [.item(1..<2), .broken("unexpected text after the array", at: 4), .end])
        #expect(steps("[1, ") == [.item(1..<2), .broken("unterminated array (truncated JSON?)", at: 4), .end])
        #expect(steps("[{\"a\":[1}") == [.broken("unterminated array item (truncated JSON?)", at: 1), .end])
        #expect(steps("[{\"a\":\"]}") == [.broken("unterminated string (truncated JSON?)", at: 1), .end])
        #expect(steps("[\"ab\\") == [.broken("unterminated string (truncated JSON?)", at: 1), .end])
        // The memory estimate counts values outside strings only.
        var bytes = Array(#"{"k":"[,{","l":[1,2]}"#.utf8)
        #expect(bytes.withUnsafeMutableBytes { PayloadDecoder.estimatedCost(UnsafeRawBufferPointer($0)).values } == 5)
    }
}
