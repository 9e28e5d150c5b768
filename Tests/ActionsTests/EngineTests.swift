#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
import Testing
import TestSupport
import TradsecCore

/// Against a real podman engine (Docker Engine API on a private socket), started once for the suite.
@Suite("Isolate, restore and forensics against a real container engine", .serialized, .podmanEngine)
struct EngineTests {
    func config(_ engine: PodmanEngine, in ws: Workspace) -> ActionsConfig {
        var c = ActionsConfig()
        c.docker.socket = engine.socket
        c.forensics.directory = ws.directory + "/forensics"
        c.forensics.falcoLog = ws.directory + "/falco.json"
        return c
    }

    /// What most engine tests need: a workspace, a network and a container on it.
    struct Fixture {
        let engine: PodmanEngine
        let ws: Workspace
        let net: (name: String, gateway: String)
        let bot: (name: String, id: String)
    }

    /// Runs `body` with a fresh ``Fixture`` and removes it all afterwards, whatever happens.
    func withBot(logLine: String = "bot heartbeat", _ body: (Fixture) throws -> Void) throws {
        let engine = try PodmanEngine.shared()
        let ws = try Workspace()
        defer { ws.cleanup() }
        let net = try engine.makeNetwork()
        defer { engine.removeNetwork(net.name) }
        let bot = try engine.makeContainer(network: net.name, logLine: logLine)
        defer { engine.removeContainer(bot.name) }
        try body(Fixture(engine: engine, ws: ws, net: net, bot: bot))
    }

    @Test("isolate cuts the container off for real; restore (after a restart of tradsec) puts back the same networks, aliases and addresses")
    func isolateAndRestore() throws {
        let engine = try PodmanEngine.shared()
        let ws = try Workspace()
        defer { ws.cleanup() }
        let front = try engine.makeNetwork(), back = try engine.makeNetwork()
        defer { engine.removeNetwork(front.name); engine.removeNetwork(back.name) }
        let bot = try engine.makeContainer(network: front.name, extra: [back.name])
        defer { engine.removeContainer(bot.name) }
        let listener = try TCPProbeListener(address: front.gateway)
        defer { listener.stop() }
        #expect(engine.containerCanReach(bot.name, host: front.gateway, port: listener.port), "the probe must work before isolation")
        let client = DockerEngineClient(socketPath: engine.socket)
        let before = NetworkSnapshot(try client.inspect(bot.id).value)
        #expect(Set(before.networks.keys) == [front.name, back.name])

        let config = config(engine, in: ws)
        let dry = ws.runner(config).run(ActionRequest(kind: .isolate, target: bot.name, dryRun: true))
        #expect(dry.result == .dryRun)
        #expect(dry.message.contains(front.name) && dry.message.contains(back.name))
        #expect(try ws.store.isolation(containerID: bot.id) == nil)
        #expect(NetworkSnapshot(try client.inspect(bot.id).value) == before, "a dry run changes nothing")

        let isolated = ws.runner(config).run(ActionRequest(kind: .isolate, target: bot.name))
        #expect(isolated.result == .ok, "\(isolated.message)")
        let inspected = try client.inspect(bot.id).value
        #expect(inspected["NetworkSettings"]?["Networks"] == .object(JSONObject()), "Networks must be {} after isolate")
        #expect(inspected["State"]?["Running"] == .bool(true), "the container keeps running (evidence stays alive)")
        #expect(!engine.containerCanReach(bot.name, host: front.gateway, port: listener.port), "an isolated container must not reach the host")

        let again = ws.runner(config).run(ActionRequest(kind: .isolate, target: bot.name))
        #expect(again.result == .ok && again.message.contains("already isolated"))

        // A new process: a fresh store connection and runner; what to restore comes from the history.
        let reopened = try AlertStore(path: ws.dbPath)
        let restored = ws.runner(config, store: reopened).run(ActionRequest(kind: .restore, target: String(bot.id.prefix(12))))
        #expect(restored.result == .ok, "\(restored.message)")
        let after = NetworkSnapshot(try client.inspect(bot.id).value)
        #expect(after == before, "restore must put back the same networks, addresses, MACs and aliases")
        #expect(engine.containerCanReach(bot.name, host: front.gateway, port: listener.port), "a restored container reaches the host again")
        #expect(try reopened.isolation(containerID: bot.id) == nil)

        let notIsolated = ws.runner(config).run(ActionRequest(kind: .restore, target: bot.name))
        #expect(notIsolated.result == .ok && notIsolated.message.contains("not isolated"))

        let rows = try ws.store.auditEntries()
        #expect(rows.map(\.action) == ["restore", "restore", "isolate", "isolate", "isolate"])
        #expect(rows.map(\.result) == [.ok, .ok, .ok, .ok, .dryRun])
        #expect(rows.allSatisfy { $0.target == bot.name && $0.who.user == "alice" })
        #expect(rows[2].detail?.contains(front.name) == true, "the isolate row keeps what was disconnected")
    }

    @Test("targets are checked against the engine's own list; anything else is refused and audited")
    func targetValidation() throws { try withBot { f in
        let (engine, ws, bot) = (f.engine, f.ws, f.bot)
        let runner = ws.runner(config(engine, in: ws))
        for target in ["no-such-bot", "\(bot.name); rm -rf /", "../\(bot.name)", "", "abc"] {
            let report = runner.run(ActionRequest(kind: .isolate, target: target))
            #expect(report.result == .refused, "target '\(target)': \(report.message)")
            #expect(report.failure == .badTarget)
        }
        #expect(runner.run(ActionRequest(kind: .isolate, target: "no-such-bot")).message.contains(bot.name), "the message lists what the engine has")
        #expect(try runner.confirmationName(for: ActionRequest(kind: .isolate, target: String(bot.id.prefix(8)))) == bot.name)
        #expect(try runner.confirmation(for: ActionRequest(kind: .isolate, target: bot.name)).pinned.target == bot.id,
                "what runs is pinned to the confirmed container's id, not resolved again")
        let inspected = try DockerEngineClient(socketPath: engine.socket).inspect(bot.id).value
        #expect(inspected["NetworkSettings"]?["Networks"]?.objectValue?.count == 1, "nothing was disconnected")
        #expect(try ws.store.auditEntries().filter { $0.result == .refused }.count == 6)
    } }

    @Test("a target from alert text resolves by id only: a name, a hex-looking name, a short prefix are refused; a full id wins over a name")
    func idOnlyResolution() throws { try withBot { f in
        let (engine, ws, net, bot) = (f.engine, f.ws, f.net, f.bot)
        // A container whose name looks like an id (12 hex digits), and one named with the bot's full id.
        let hexName = "cafe" + String(UInt32.random(in: 0x1000_0000...0xFFFF_FFFF), radix: 16)
        let lookalike = try engine.podman(["run", "-d", "--name", hexName, "--network", net.name, PodmanEngine.image, "sleep", "600"])
        defer { engine.removeContainer(hexName) }
        let runner = ws.runner(config(engine, in: ws))
        func idOnly(_ target: String, _ kind: ActionKind = .isolate) throws(ActionError) -> EngineContainer {
            try runner.resolveTarget(ActionRequest(kind: kind, target: target, via: "console"), match: .idOnly).container
        }
        #expect(try idOnly(String(bot.id.prefix(12))).id == bot.id)
        #expect(try idOnly(bot.id.uppercased()).id == bot.id)
        #expect(try runner.resolveTarget(ActionRequest(kind: .restore, target: String(bot.id.prefix(12))), match: .idOnly).pinned.target == bot.id)
        for target in [bot.name, hexName, String(bot.id.prefix(8)), "", "../" + String(bot.id.prefix(12)), String(bot.id.prefix(12)) + " "] {
            #expect(throws: ActionError.self, "'\(target)' must not resolve by id only") { try idOnly(target) }
        }
        do {
            _ = try idOnly(hexName)
            Issue.record("a name matched")
        } catch let error as ActionError {
            #expect(error.kind == .badTarget)
            #expect(error.message.contains("no container with id \(hexName)"), "\(error.message)")
        }
        // The name-or-id lookup (tradsec action --target) still finds the look-alike by its name…
        #expect(try runner.confirmation(for: ActionRequest(kind: .isolate, target: hexName)).pinned.target == lookalike)
        // …and a full id means that container even when another is named with it.
        let impostor = try? engine.podman(["run", "-d", "--name", bot.id, "--network", net.name, PodmanEngine.image, "sleep", "600"])
        defer { if impostor != nil { engine.removeContainer(bot.id) } }
        #expect(try runner.confirmation(for: ActionRequest(kind: .isolate, target: bot.id)).pinned.target == bot.id)
        if let impostor { #expect(impostor != bot.id) }
    } }

    @Test("forensics: logs, inspect, top from the engine, the container's alerts, Falco's tail, host facts, a SHA-256 manifest")
    func forensics() throws { try withBot(logLine: "order book synced") { f in
        let (engine, ws, bot) = (f.engine, f.ws, f.bot)
        // The bundle is private whatever the umask (022: what most shells give).
        let umaskBefore = umask(0o022)
        defer { umask(umaskBefore) }
        let shortID = String(bot.id.prefix(12))
        let mine = [alertLine(1, container: shortID, name: bot.name), alertLine(2, container: shortID, name: bot.name)]
        try ws.store.insert(mine.map { try AlertDecoder.decode(line: $0) })
        try ws.store.insert([try AlertDecoder.decode(line: alertLine(3, container: "0123456789ab", name: "other"))])
        writeFile(ws.directory + "/falco.json", (1...50).map { alertLine($0, container: "x", name: "y") }.joined(separator: "\n") + "\n")
        // Give the container a moment to write its log lines.
        let deadline = Monotonic.seconds() + 5
        while Monotonic.seconds() < deadline, !(try engine.podman(["logs", bot.name])).contains("order book synced") { usleep(100_000) }

        let report = ws.runner(config(engine, in: ws)).run(ActionRequest(kind: .forensics, target: bot.name, incident: "INC-42"))
        #expect(report.result == .ok, "\(report.message)")
        let bundles = try #require(listDirectory(ws.directory + "/forensics"))
        #expect(bundles == ["INC-42-\(bot.name)"])
        let dir = ws.directory + "/forensics/" + bundles[0]
        #expect(try #require(listDirectory(dir)) == ["MANIFEST.sha256", "alerts.jsonl", "changes.json", "falco-log-tail.jsonl", "host.txt",
                                                     "inspect.json", "logs.txt", "stats.json", "top.json"])
        #expect(readFile(dir + "/changes.json").contains("/tmp/dropped-by-intruder"), "files added since the image are listed")
        #expect(try JSONParser.parse(readFile(dir + "/stats.json"))["memory_stats"] != nil)
        #expect(readFile(dir + "/logs.txt").contains("stdout") && readFile(dir + "/logs.txt").contains("order book synced"))
        #expect(readFile(dir + "/logs.txt").contains("stderr") && readFile(dir + "/logs.txt").contains("bot warning"))
        #expect(try JSONParser.parse(readFile(dir + "/inspect.json"))["Id"]?.stringValue == bot.id)
        #expect(readFile(dir + "/top.json").contains("sleep"))
        #expect(readFile(dir + "/alerts.jsonl") == mine.joined(separator: "\n") + "\n", "exactly this container's alerts, Falco's bytes, oldest first")
        #expect(readFile(dir + "/falco-log-tail.jsonl").hasSuffix(alertLine(50, container: "x", name: "y") + "\n"))
        #expect(readFile(dir + "/host.txt").contains("collected_by: alice"))
        let uptime = readFile(dir + "/host.txt").split(separator: "\n").first { $0.hasPrefix("uptime: ") }
        let seconds = uptime.flatMap { $0.dropFirst("uptime: ".count).split(separator: " ").first }.flatMap { Double($0) }
        #expect(seconds.map { $0 > 0 } == true, "procfs read to end of file, not by its size of 0: \(uptime ?? "no uptime line")")
        #expect(readFile(dir + "/host.txt").contains("load_average: "))
        // Every manifest line matches sha256sum of the file, and every file is listed.
        let manifest = readFile(dir + "/MANIFEST.sha256").split(separator: "\n")
        #expect(manifest.count == 8)
        for line in manifest {
            let digest = String(line.prefix(64)), name = String(line.dropFirst(66))
            let (status, out, _) = runProgram(["/usr/bin/sha256sum", dir + "/" + name], in: ws.directory)
            #expect(status == 0 && out.hasPrefix(digest), "\(name)")
        }
        #expect(!(listDirectory(ws.directory + "/forensics") ?? []).contains { $0.hasPrefix(".") }, "no temporary bundle left")
        #expect(mode(ws.directory + "/forensics") == 0o700 && mode(dir) == 0o700)
        for name in try #require(listDirectory(dir)) { #expect(mode(dir + "/" + name) == 0o600, "\(name)") }
    } }

    @Test("forensics with Falco captures: the capture holding the container's alert is in the bundle and its manifest, an older one is not, a link is refused and said in the manifest")
    func forensicsCaptures() throws { try withBot { f in
        let (engine, ws, bot) = (f.engine, f.ws, f.bot)
        let shortID = String(bot.id.prefix(12))
        let added = try ws.store.insert([1, 2].map { try AlertDecoder.decode(line: alertLine($0, container: shortID, name: bot.name)) }).added
        let falco = ws.directory + "/falco", scratch = ws.directory + "/scratch"
        mkdir(falco, 0o700)
        mkdir(scratch, 0o700)
        let first = try #require(Timestamp(rfc3339: "2026-11-22T10:00:01.000000001Z")).nanoseconds
        let second = try #require(Timestamp(rfc3339: "2026-11-22T10:00:02.000000001Z")).nanoseconds
        let holding = FalcoCaptureTests.name(first), older = FalcoCaptureTests.name(first - 3_600_000_000_000)
        let link = FalcoCaptureTests.name(second)
        try makeGzipFile(falco + "/" + holding, "the intrusion's syscalls", scratch: scratch)
        try makeGzipFile(falco + "/" + older, "an hour before", scratch: scratch)
        try makeGzipFile(scratch + "/elsewhere.gz", "not Falco's", scratch: scratch)
        symlink(scratch + "/elsewhere.gz", falco + "/" + link)
        var config = config(engine, in: ws)
        config.forensics.captures.pathPrefix = falco + "/capture"
        config.forensics.captures.durationNanoseconds = 500_000_000

        let report = ws.runner(config).run(ActionRequest(kind: .forensics, target: bot.name, incident: "INC-43"))
        #expect(report.result == .ok, "\(report.message)")
        let dir = ws.directory + "/forensics/INC-43-\(bot.name)"
        let names = try #require(listDirectory(dir))
        #expect(names.contains(holding) && !names.contains(older) && !names.contains(link))
        let manifest = readFile(dir + "/MANIFEST.sha256")
        let digest = String(runProgram(["/usr/bin/sha256sum", falco + "/" + holding], in: scratch).1.prefix(64))
        #expect(manifest.contains("\(digest)  \(holding)\n"))
        #expect(manifest.contains("# capture \(link) not included: a symbolic link, not followed\n"))
        let (status, out, err) = runProgram(["/usr/bin/env", "-C", dir, "/usr/bin/sha256sum", "--strict", "-c", "MANIFEST.sha256"], in: scratch)
        #expect(status == 0, "\(out) \(err)")
        #expect(mode(dir + "/" + holding) == 0o600)

        // A numbered incident the history knows: its alerts, not the container's, choose. Incident 7
        // holds only the second alert, which only the refused link would cover.
        _ = try ws.store.claimProcessing(owner: "test", lease: 60_000_000_000)
        let opened = Timestamp(nanoseconds: second)
        try ws.store.commit(CommitPlan(processed: ProcessedRecords(
            owner: "test", from: 0, through: added[1].id,
            enrichment: [EnrichedAlert(id: added[1].id, enrichment: AlertEnrichment(role: nil, tags: [], incidentID: 7))],
            incidents: [IncidentRecord(id: 7, containerID: shortID, containerName: bot.name, hostname: "trade-host", role: nil,
                                       opened: opened, updated: opened, severity: .critical, escalated: false, stages: [],
                                       rules: ["Read sensitive file"], alertCount: 1, title: "t", reason: "r")])))
        let seventh = ws.runner(config).run(ActionRequest(kind: .forensics, target: bot.name, incident: "7"))
        #expect(seventh.result == .ok, "\(seventh.message)")
        let names7 = try #require(listDirectory(ws.directory + "/forensics/7-\(bot.name)"))
        #expect(!names7.contains { $0.hasSuffix(".scap") }, "\(names7)")
        #expect(readFile(ws.directory + "/forensics/7-\(bot.name)/MANIFEST.sha256").contains("# capture \(link) not included: a symbolic link"))
    } }
}

/// The parts of NetworkSettings.Networks restore must bring back.
struct NetworkSnapshot: Equatable, CustomStringConvertible {
    var networks: [String: String]
    init(_ inspect: JSONValue) {
        var n: [String: String] = [:]
        for (name, value) in inspect["NetworkSettings"]?["Networks"]?.objectValue?.pairs.map({ ($0, $1) }) ?? [] {
            let aliases = (value["Aliases"]?.arrayValue ?? []).compactMap(\.stringValue).sorted()
            n[name] = "ip=\(value["IPAddress"]?.stringValue ?? "") mac=\(value["MacAddress"]?.stringValue ?? "") aliases=\(aliases)"
        }
        networks = n
    }
    var description: String { networks.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ") }
}

func alertLine(_ n: Int, container: String, name: String) -> String {
    let t = "2026-11-22T10:00:\(n < 10 ? "0" : "")\(n % 60).000000001Z"
    return #"{"hostname":"trade-host","output":"shadow read \#(n)","output_fields":{"container.id":"\#(container)","container.name":"\#(name)","proc.name":"cat"},"priority":"Critical","rule":"Read sensitive file","source":"syscall","tags":["t"],"time":"\#(t)"}"#
}

/// The permission bits of `path` (the link itself for a link).
func mode(_ path: String) -> mode_t? {
    var st = stat()
    guard lstat(path, &st) == 0 else { return nil }
    return st.st_mode & 0o7777
}
