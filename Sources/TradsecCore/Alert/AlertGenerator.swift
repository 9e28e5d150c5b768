/// Deterministic, realistic Falco alert lines for benchmarks and load tests: about 600
/// bytes each, 10–16 output fields, sixteen rules, fifty containers and the host. Shared by
/// the benchmarks and the decoder tests, so both measure and check the same lines.
public struct AlertGenerator {
    private var rng: SplitMix64
    private let start: Int64

    public init(seed: UInt64 = 42, start: Timestamp = Timestamp(nanoseconds: 1_763_800_000_000_000_000)) {
        rng = SplitMix64(seed: seed)
        self.start = start.nanoseconds
    }

    static let rules: [(String, Priority, String)] = [
        ("Read sensitive file untrusted", .warning, "Sensitive file opened for reading by non-trusted program"),
        ("Terminal shell in container", .notice, "A shell was spawned in a container with an attached terminal"),
        ("Exchange API key read by untrusted process", .critical, "Exchange API key file opened by a process that is not the trading bot"),
        ("Outbound connection to non-allowlisted exchange", .error, "Trading container connected to a host outside the exchange allowlist"),
        ("Crypto wallet file accessed", .critical, "Wallet or keystore file opened"),
        ("Write below binary dir", .error, "File below a known binary directory opened for writing"),
        ("Package management process launched", .error, "Package management process launched in container"),
        ("Archive tool run in trading container", .warning, "Archive or compression tool started inside a trading container"),
        ("Falco process tampering", .critical, "A process tried to stop or modify Falco"),
        ("Contact K8S API Server From Container", .notice, "Unexpected connection to K8s API Server from container"),
        ("Launch Privileged Container", .informational, "Privileged container started"),
        ("Redirect STDOUT/STDIN to Network Connection in Container", .notice, "Redirect stdout/stdin to network connection"),
        ("Clear Log Activities", .warning, "Log files were tampered"),
        ("Debug trace", .debug, "Debug event for tracing the pipeline"),
        ("DNS tunnelling tool started", .alert, "A DNS tunnelling tool was started"),
        ("Container escape attempt", .emergency, "Container escape via release_agent attempted"),
    ]

    static let processes = ["python3", "bash", "sh", "curl", "cat", "tar", "node", "java", "nc", "apt-get", "vim", "ssh"]
    static let files = ["/etc/shadow", "/app/.env", "/app/config/binance_api.key", "/home/bot/.ethereum/keystore/UTC--2024",
                        "/usr/bin/ls", "/var/log/trading/orders.log", "/etc/passwd", "/root/.ssh/id_rsa"]
    static let users = ["root", "bot", "www-data", "nobody"]
    static let images = ["ghcr.io/acme/ai-trading-bot", "ghcr.io/acme/bluefin-service", "ghcr.io/acme/dashboard", "redis", "postgres"]

    public mutating func next(index: Int) -> String {
        let rule = Self.rules[weightedRuleIndex()]
        let containerIndex = Int(rng.next() % 51)
        let isHost = containerIndex == 50
        let containerID = isHost ? "host" : hex(UInt64(containerIndex) &* 0x9E37_79B9_7F4A_7C15, 12)
        let containerName = isHost ? "host" : "trading-\(containerIndex)"
        let image = Self.images[containerIndex % Self.images.count]
        let proc = Self.processes[Int(rng.next() % UInt64(Self.processes.count))]
        let file = Self.files[Int(rng.next() % UInt64(Self.files.count))]
        let user = Self.users[Int(rng.next() % UInt64(Self.users.count))]
        let pid = Int64(1000 + rng.next() % 60000)
        let time = Timestamp(nanoseconds: start + Int64(index) * 1_000_000 + Int64(rng.next() % 1_000_000))
        var fields: [(String, JSONValue)] = [
            ("container.id", .string(containerID)), ("container.name", .string(containerName)),
            ("container.image.repository", isHost ? .null : .string(image)),
            ("evt.time", .int(time.nanoseconds)), ("fd.name", .string(file)),
            ("proc.cmdline", .string("\(proc) \(file) -s \(rng.next() % 100000)")), ("proc.name", .string(proc)), ("proc.pid", .int(pid)),
            ("user.name", .string(user)), ("user.uid", .int(user == "root" ? 0 : 1000)),
        ]
        let extra = Int(rng.next() % 7)
        let optional: [(String, JSONValue)] = [
            ("proc.pname", .string("bash")), ("container.image.tag", isHost ? .null : .string("1.4.\(containerIndex % 7)")),
            ("evt.arg.flags", .string("O_RDONLY|O_CLOEXEC")), ("proc.tty", .int(34816)), ("fd.num", .int(Int64(rng.next() % 64))),
            ("proc.aname[2]", .string("containerd-shim")),
        ]
        fields.append(contentsOf: optional.prefix(extra))
        let output = "\(rule.2) (file=\(file) user=\(user) command=\(proc) container=\(containerName))"
        let alert = Alert(time: time, rule: rule.0, priority: rule.1, output: output, outputFields: JSONObject(fields),
                          tags: ["trading", "T1552"], hostname: "trade-host-01")
        return alert.raw
    }

    private mutating func weightedRuleIndex() -> Int {
        // Most alerts are low-severity noise; a few are urgent, as on a real host.
        let r = rng.next() % 100
        if r < 40 { return 0 }
        if r < 55 { return 1 }
        if r < 65 { return 9 }
        if r < 72 { return 12 }
        if r < 78 { return 13 }
        return Int(rng.next() % UInt64(Self.rules.count))
    }

    private func hex(_ v: UInt64, _ digits: Int) -> String {
        let s = String(v, radix: 16)
        return String((String(repeating: "0", count: max(0, 16 - s.count)) + s).prefix(digits))
    }
}
