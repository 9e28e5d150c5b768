import Actions
import AlertStore
import Gauges
import TestSupport
import TradsecCore

/// Replies of a container engine (Docker Engine API over its Unix socket), written by the
/// fuzzer and served by a scripted engine to the real clients: `DockerEngineClient` (list,
/// resolve, logs), `ActionRunner` isolating and restoring (audited in a real history), and the
/// bot's gauges (`DockerStatsSampler` through `GaugeCollector`).
///
/// Input: an operation byte, then the engine's replies separated by 0x1E; each reply is a
/// status byte and a JSON body, or raw HTTP when it starts with `HTTP/`. Past the last reply
/// the last is repeated.
enum EngineReplyHarness {
    static let target = FuzzTarget(
        "engine",
        "scripted Docker engine replies to DockerEngineClient/ActionRunner (isolate, restore)/DockerStatsSampler: resolve names what was asked, every action audited, gauges finite",
        maxLength: 8192
    ) { bytes in check(bytes) }

    static let engine = ScriptedServer(name: "engine")
    static let statuses = [200, 200, 200, 201, 204, 304, 400, 404, 409, 500]
    static let targets = ["bot", "/trading-bot", "0123", "abcdef012345", "ai-trading-bot", "3ad7"]

    static let runner: ActionRunner = {
        let directory = makeTemporaryDirectory(prefix: "tradsec-fuzz-actions")
        guard let store = try? AlertStore(path: directory + "/history.sqlite") else { fatalError("cannot open a history") }
        var config = ActionsConfig()
        config.docker.socket = engine.path!
        config.docker.timeoutSeconds = 5
        config.forensics.directory = directory + "/forensics"
        config.backup.directory = directory + "/backups"
        return ActionRunner(config: config, store: store, who: AuditIdentity(user: "fuzz"),
                            environment: [:])
    }()

    static func replies(_ reader: inout ByteReader) -> [[UInt8]] {
        reader.split(separator: [0x1E], limit: 16).map { part -> [UInt8] in
            if part.starts(with: Array("HTTP/".utf8)) { return part }
            let status = statuses[Int(part.first ?? 0) % statuses.count]
            return ScriptedServer.reply(status: status, headers: [("Content-Type", "application/json"), ("Api-Version", "1.41")],
                                        body: Array(part.dropFirst()))
        }
    }

    static func check(_ input: UnsafeRawBufferPointer) {
        var reader = ByteReader(input)
        let operation = Int(reader.byte())
        let target = targets[(operation >> 3) % targets.count]
        engine.script(replies(&reader))
        let client = runner.engine
        switch operation % 6 {
        case 0:
            if let all = try? client.containers() {
                for c in all { Invariant.require(!c.names.contains { $0.hasPrefix("/") }, "a name keeps Docker's leading slash: \(c.names)") }
            }
        case 1:
            if let found = try? client.resolve(target) { checkResolved(found, target) }
        case 2, 3:
            let kind: ActionKind = operation % 6 == 2 ? .isolate : .restore
            let request = ActionRequest(kind: kind, target: target, dryRun: operation & 0x40 != 0, via: "fuzz")
            if let (name, pinned) = try? runner.confirmation(for: request) {
                // What the operator confirms is the container the action is pinned to.
                Invariant.require(!name.isEmpty && pinned.target != nil, "confirmation without a name or pinned id")
            }
            let report = runner.run(request)
            Invariant.require(report.auditID != nil, "an action attempt was not audited: \(report.message)")
        case 4:
            _ = try? client.logs("0123456789ab", tail: 100)
            _ = try? client.inspect("0123456789ab")
        default:
            checkStats()
        }
    }

    /// `resolve` returns the container named exactly so, or the one whose id starts with the
    /// hex given: never another (the console confirms the name and acts on the id).
    static func checkResolved(_ c: EngineContainer, _ target: String) {
        let wanted = target.hasPrefix("/") ? String(target.dropFirst()) : target
        let byName = c.names.contains(wanted)
        let byID = wanted.count >= 4 && wanted.allSatisfy(\.isHexDigit) && c.id.hasPrefix(wanted.lowercased())
        Invariant.require(byName || byID, "resolve(\(target)) gave id \(c.id) names \(c.names)")
    }

    static func checkStats() {
        var config = GaugesConfig()
        config.falco.process = nil
        config.falco.healthzURL = nil
        config.falco.metricsURL = nil
        config.bot.container = "bot"
        config.bot.dockerSocket = engine.path!
        let collector = GaugeCollector(config: config, store: nil)
        for _ in 0..<2 {
            let snapshot = collector.collect(now: Timestamp(nanoseconds: 1_795_338_000_000_000_000))
            if let cpu = snapshot.bot.cpuPercent { Invariant.require(cpu.isFinite && cpu >= 0, "bot CPU \(cpu)") }
            _ = GaugeReport.table(snapshot)
            Invariant.require((try? JSONParser.parse(GaugeReport.json(snapshot))) != nil, "the gauges JSON does not parse")
        }
        _ = try? DockerStatsSampler(socketPath: engine.path!, timeout: 5).read(container: "bot")
    }
}
