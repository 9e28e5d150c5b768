#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// The trading rule pack, through the real `tradsec rules` commands: every rule fires on the
/// events it exists for and stays quiet on look-alikes and on normal trading activity.
@Suite struct TradingRulesTests {
    static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()
    static let pack = root + "/rules/trading_rules.yaml"
    static let fixtures = root + "/Tests/Fixtures/trading-rules/"
    static let official = root + "/../shared/conformance/falco-rules/"

    /// Fixture name → the rule its `.fire.jsonl` events must trigger (and its `.quiet.jsonl` must not).
    static let expectations: [(String, String)] = [
        ("exchange-api-key-read", "Exchange API Key Read by Untrusted Process"),
        ("outbound-non-allowlisted", "Outbound Connection to Non-Allowlisted Exchange Host"),
        ("archive-tool", "Archive Tool Run in Trading Container"),
        ("upload-tool", "Upload Tool Run in Trading Container"),
        ("trading-data-read", "Trading Data Read by Shell or Network Tool"),
        ("dns-tunnel", "DNS Tunnelling Tool Launched"),
        ("wallet-access", "Crypto Wallet File Accessed"),
        ("shell-in-trading-container", "Shell Spawned in Trading Container"),
        ("package-manager", "Package Manager Run in Trading Container"),
        ("compiler", "Compiler Run in Trading Container"),
        ("write-below-bin", "Write Below Binary Directory in Trading Container"),
        ("container-escape-tool", "Container Escape Tool in Trading Container"),
        ("release-agent", "Cgroup Release Agent Modified"),
        ("privileged-container", "Privileged Trading Container Started"),
        ("falco-tampering", "Falco Stopped or Reconfigured"),
        ("security-log-tampering", "Security Log Tampering"),
    ]

    private func match(_ events: String, rules: [String] = [pack]) -> (Int32, [String]) {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let (status, out, err) = Child.run(["rules", "match", "--rules"] + rules + ["--events", events], in: dir)
        #expect(err.isEmpty, "\(err)")
        return (status, out.split(separator: "\n").map(String.init))
    }

    private func lineCount(_ path: String) -> Int { Child.read(path).split(separator: "\n").count }

    @Test func everyRuleHasEventsThatFireItAndEventsThatDoNot() throws {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        let (_, listed, _) = Child.run(["rules", "list", Self.pack], in: dir)
        let ruleNames = listed.split(separator: "\n").map { String($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).joined(separator: " ")) }
        #expect(Set(ruleNames) == Set(Self.expectations.map(\.1)), "every rule in the pack has fixtures, and only those")
        for (fixture, rule) in Self.expectations {
            let fire = Self.fixtures + fixture + ".fire.jsonl"
            let (status, alerts) = match(fire)
            #expect(status == 0)
            #expect(alerts.count == lineCount(fire), "\(fixture): every event must fire")
            for alert in alerts {
                #expect(alert.contains(#""rule":"\#(rule)""#), "\(fixture): \(alert)")
                #expect(alert.contains(#""T1"#) && alert.contains("mitre_"), "\(rule) carries a MITRE ATT&CK tactic and technique")
            }
            let (_, quiet) = match(Self.fixtures + fixture + ".quiet.jsonl")
            #expect(quiet.isEmpty, "\(fixture): look-alike events must not fire: \(quiet)")
        }
    }

    @Test func normalTradingActivityFiresNothing() {
        let (status, alerts) = match(Self.fixtures + "benign-trading-activity.jsonl")
        #expect(status == 0)
        #expect(alerts.isEmpty, "\(alerts)")
    }

    @Test func packLoadsAloneAndWithTheOfficialRules() {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        var (status, out, _) = Child.run(["rules", "validate", "--json", Self.pack], in: dir)
        #expect(status == 0)
        #expect(out.contains(#""valid":true"#) && out.contains(#""errors":[]"#) && out.contains(#""warnings":[]"#), "\(out)")
        let all = ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"].map { Self.official + $0 } + [Self.pack]
        (status, out, _) = Child.run(["rules", "validate", "--json"] + all, in: dir)
        #expect(status == 0, "\(out)")
        #expect(out.contains(#""valid":true"#))
    }

    @Test func namesClashWithNoOfficialRuleMacroOrList() {
        func names(_ path: String) -> Set<String> {
            var out = Set<String>()
            for line in Child.read(path).split(separator: "\n") {
                for kind in ["- rule: ", "- macro: ", "- list: "] where line.hasPrefix(kind) {
                    out.insert(String(line.dropFirst(kind.count)).trimmingCharacters(" "))
                }
            }
            return out
        }
        let ours = names(Self.pack)
        #expect(ours.count > 40)
        for file in ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"] {
            let theirs = names(Self.official + file)
            #expect(!theirs.isEmpty, "missing \(file): the conformance corpus must be at ../shared")
            #expect(ours.isDisjoint(with: theirs), "clash with \(file): \(ours.intersection(theirs))")
        }
    }

    /// Tuning works by a local file loaded after the pack, never by editing it.
    @Test func aLocalFileAdaptsThePackWithoutEditingIt() {
        let dir = makeTemporaryDirectory()
        defer { removeTree(dir) }
        writeFile(dir + "/local.yaml", """
            - list: trading_key_reader_processes
              items: [cat, cp]
              override:
                items: append
            """)
        let (status, alerts) = match(Self.fixtures + "exchange-api-key-read.fire.jsonl", rules: [Self.pack, dir + "/local.yaml"])
        #expect(status == 0)
        #expect(alerts.count == lineCount(Self.fixtures + "exchange-api-key-read.fire.jsonl") - 2, "the reads by cat and cp are now trusted")
    }
}

extension String {
    func trimmingCharacters(_ c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s.removeFirst() }
        while s.last == c { s.removeLast() }
        return String(s)
    }
}
