#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
import Assembly
import Config
import TestSupport
import Testing
import TradsecCore

@Suite("Actions config, operator identity, audit log")
struct ConfigAndAuditTests {
    @Test("the actions section is read; relative paths are relative to the config file")
    func parse() throws {
        let yaml = """
            theme: default
            actions:
              stop_trading: {url: "http://127.0.0.1:9999/api/emergency/stop", timeout: 1500ms, name: alpha-bot, token_env: BOT_TOKEN}
              docker: {socket: /run/podman.sock, api_version: "1.43"}
              backup: {paths: [data, /var/lib/bot/logs], dir: backups}
              forensics:
                dir: forensics
                falco_log: /var/log/falco.json
                log_lines: 100
                captures: {path_prefix: captures/falco, duration: 10s, max_total_mb: 64}
            """
        let c = try TradsecConfig.section(ActionsConfig.self, yaml: yaml, file: "/etc/tradsec/config.yaml", directory: "/etc/tradsec")
        #expect(c.stopTrading.url == "http://127.0.0.1:9999/api/emergency/stop")
        #expect(c.stopTrading.timeoutSeconds == 1.5)
        #expect(c.stopTrading.name == "alpha-bot" && c.stopTrading.tokenEnvironment == "BOT_TOKEN")
        #expect(c.docker.socket == "/run/podman.sock" && c.docker.apiVersion == "1.43")
        #expect(c.backup.paths == ["/etc/tradsec/data", "/var/lib/bot/logs"])
        #expect(c.backup.directory == "/etc/tradsec/backups")
        #expect(c.forensics.directory == "/etc/tradsec/forensics" && c.forensics.falcoLog == "/var/log/falco.json" && c.forensics.logLines == 100)
        #expect(c.forensics.captures.pathPrefix == "/etc/tradsec/captures/falco")
        #expect(c.forensics.captures.durationNanoseconds == 10_000_000_000 && c.forensics.captures.maxTotalBytes == 64 << 20)
        // No actions section: the documented defaults.
        let d = try TradsecConfig.section(ActionsConfig.self, yaml: "theme: x\n", file: "c.yaml", directory: "/")
        #expect(d.stopTrading.url == "http://127.0.0.1:8000/api/emergency/stop" && d.stopTrading.timeoutSeconds == 5)
        #expect(d.docker.socket == "/var/run/docker.sock")
        #expect(d.forensics.captures.pathPrefix == nil && d.forensics.captures.durationNanoseconds == 5_000_000_000)
    }

    @Test("unknown keys and bad values are refused with file:line", arguments: [
        ("actions:\n  docker:\n    sokcet: /x\n", "c.yaml:3: unknown key 'sokcet' in actions.docker"),
        ("actions:\n  stop_trading: {timeout: soon}\n", "c.yaml:2: actions.stop_trading.timeout must be a duration"),
        ("actions:\n  stop_trading:\n    url: file:///etc/passwd\n", "c.yaml:3: actions.stop_trading.url must be an http"),
        ("actions:\n  isolate: {}\n", "c.yaml:2: unknown key 'isolate' in actions"),
        ("actions:\n  backup: {paths: data}\n", "c.yaml:2: actions.backup.paths must be a list"),
        ("actions:\n  forensics:\n    captures: {path_prefix: /var/lib/falco/}\n", "c.yaml:3"),
        ("actions:\n  forensics:\n    captures: {duration: forever}\n", "c.yaml:3"),
        ("actions:\n  forensics:\n    captures: {max_total_mb: 99999999999999}\n", "c.yaml:3"),
        ("actions:\n  forensics:\n    captures: {prefix: /x}\n", "c.yaml:3"),
    ])
    func refused(yaml: String, expected: String) {
        #expect {
            _ = try TradsecConfig.section(ActionsConfig.self, yaml: yaml, file: "c.yaml", directory: "/")
        } throws: { error in
            "\(error)".hasPrefix(expected)
        }
    }

    @Test("a config file over 1 MiB is an error, not silently cut; a large file under it is read whole")
    func largeConfig() throws {
        let dir = makeTemporaryDirectory(prefix: "tradsec-actions-config")
        defer { unlink(dir + "/big.yaml"); unlink(dir + "/ok.yaml"); rmdir(dir) }
        // The actions section at the end: a truncating reader would lose it.
        let padding = "# " + String(repeating: "x", count: 1000) + "\n"
        let tail = "actions:\n  stop_trading: {url: \"http://127.0.0.1:1/stop\", name: tail-bot}\n"
        writeFile(dir + "/ok.yaml", String(repeating: padding, count: 900) + tail)
        #expect(try TradsecConfig.section(ActionsConfig.self, flag: dir + "/ok.yaml").stopTrading.name == "tail-bot")
        writeFile(dir + "/big.yaml", String(repeating: padding, count: 1100) + tail)
        #expect {
            _ = try TradsecConfig.section(ActionsConfig.self, flag: dir + "/big.yaml")
        } throws: { error in
            "\(error)".contains("larger than")
        }
    }

    @Test("who: the user, sudo's user and the SSH client come from the environment")
    func identity() {
        let id = OperatorIdentity.identity(user: "root", environment: ["SUDO_USER": "alice", "SSH_CLIENT": "203.0.113.9 52211 22"], realUID: 0)
        #expect(id == AuditIdentity(user: "root", sudoUser: "alice", sshClient: "203.0.113.9 52211"))
        // Anyone can set SUDO_USER: it counts only when the real uid is root, as under sudo.
        #expect(OperatorIdentity.identity(user: "mallory", environment: ["SUDO_USER": "alice"], realUID: 1000).sudoUser == nil)
        // The kernel's login user is kept when it is someone else.
        #expect(OperatorIdentity.identity(user: "root", environment: [:], realUID: 0, loginUser: "dave").summary == "root [login dave]")
        #expect(OperatorIdentity.identity(user: "root", environment: ["SUDO_USER": "alice"], realUID: 0, loginUser: "alice").user == "root")
        #expect(OperatorIdentity.identity(user: "erin", environment: [:], realUID: 1000, loginUser: "erin").user == "erin")
        #expect(!OperatorIdentity.current(environment: [:]).user.isEmpty)
        let conn = OperatorIdentity.identity(user: "bob", environment: ["SSH_CONNECTION": "198.51.100.4 40000 10.0.0.1 22"])
        #expect(conn.sshClient == "198.51.100.4 40000" && conn.sudoUser == nil)
        #expect(OperatorIdentity.identity(user: "carol", environment: [:]).summary == "carol")
    }

    @Test("an attempt is on record from its start; a refusal is recorded too")
    func auditRows() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let who = AuditIdentity(user: "alice")
        let id = try ws.store.beginAudit(action: "isolate", target: "bot", who: who, via: "cli")
        #expect(try ws.store.auditEntry(id: id)?.result == .started)
        try ws.store.finishAudit(id: id, result: .ok, message: "done", latencyMilliseconds: 12.5)
        let done = try #require(try ws.store.auditEntry(id: id))
        #expect(done.result == .ok && done.finished != nil && done.latencyMilliseconds == 12.5)
        let refused = ws.runner(ActionsConfig()).refuse(ActionRequest(kind: .isolate, target: "bot"), reason: "typed 'bto', not 'bot'")
        #expect(try ws.store.auditEntry(id: try #require(refused.auditID))?.result == .refused)
        #expect(try ws.store.auditEntries(since: Timestamp.now().adding(nanoseconds: 60_000_000_000)).isEmpty)
        #expect(try ws.store.auditEntries().count == 2)
    }
}
