#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
@testable import Console
import Testing
import TestSupport
import TradsecCore

/// The console's container actions against a real podman engine with two containers,
/// `trading-bot` and `cryptominer`: a forged alert (its container.id names the trading bot,
/// its container.name says cryptominer) must never turn "isolate cryptominer" into isolating
/// the trading bot. The target is resolved by id on the engine before the prompt; the prompt
/// shows the engine's id, name and image, warns when the alert's name differs, and what runs
/// is pinned to exactly that id. One engine for the whole suite: a single test walks the cases.
@Suite("Console actions on a real engine: resolve by id, confirm what the engine has, act on that id",
       .serialized, .timeLimit(.minutes(5)))
struct ForgedAlertEngineTests {
    struct Containers {
        let engine: PodmanEngine
        let network: String
        let bot: String      // full engine ids
        let miner: String
        var client: DockerEngineClient { DockerEngineClient(socketPath: engine.socket) }

        func networks(_ id: String) throws -> [String] {
            try client.inspect(id).value["NetworkSettings"]?["Networks"]?.objectValue?.pairs.map(\.0) ?? []
        }
    }

    /// A console (ScreenGrid harness) whose incident effects go through a real worker, runner and engine.
    final class Console {
        let h: Harness
        let worker: IncidentWorker
        let forensics: String

        init(_ c: Containers, alert: Alert, dryRun: Bool = false) throws {
            h = try Harness()
            forensics = makeTemporaryDirectory(prefix: "tradsec-console-forensics")
            var config = ActionsConfig()
            config.docker.socket = c.engine.socket
            config.forensics.directory = forensics
            config.forensics.falcoLog = forensics + "/no-falco-log"
            worker = IncidentWorker(runner: ActionRunner(config: config, store: h.store, who: AuditIdentity(user: "oncall")))
            h.state.incident = IncidentState(stopTradingName: "alpha", dryRun: dryRun)
            try h.insert([alert])
            h.load()
        }

        deinit {
            if let child = ChildProcess.start(["/bin/rm", "-rf", forensics], stdoutPath: "/dev/null", environment: []) { _ = child.wait() }
        }

        /// Presses a key and runs what it asked of the worker (and what that asked next) to the end.
        @discardableResult
        func press(_ key: Key) -> String {
            var effects = h.press(key)
            let afterKey = screen()
            while !effects.isEmpty {
                for case .incident(let work) in effects { worker.submit(work) }
                worker.waitUntilIdle()
                effects = worker.takeResults().flatMap { h.state.applyIncident($0) }
            }
            return afterKey
        }

        func type(_ text: String) { h.type(text) }

        func screen() -> String {
            let grid = h.render(width: 120, height: 40)
            return (0..<grid.height).map { grid.row($0) }.joined(separator: "\n")
        }

        var prompt: IncidentConfirmation? {
            if case .confirmIncident(let c) = h.state.mode { return c }
            return nil
        }

        func audit() throws -> [AuditEntry] { try h.store.auditEntries() }
    }

    @Test func forgedAndGenuineAlerts() throws {
        let engine = try PodmanEngine()
        defer { engine.stop() }
        let network = try engine.makeNetwork().name
        let script = "trap 'exit 0' TERM; while true; do sleep 1; done"
        let bot = try engine.podman(["run", "-d", "--name", "trading-bot", "--network", network, PodmanEngine.image, "sh", "-c", script])
        let miner = try engine.podman(["run", "-d", "--name", "cryptominer", "--network", network, PodmanEngine.image, "sh", "-c", script])
        let c = Containers(engine: engine, network: network, bot: bot, miner: miner)
        #expect(try c.networks(bot) == [network] && c.networks(miner) == [network])

        try forgedIDThatIsAName(c)
        try forgedNameOnTheBotsID(c, key: "I", action: "isolate")
        try forgedNameOnTheBotsID(c, key: "R", action: "restore")
        try forgedNameOnTheBotsID(c, key: "F", action: "forensics")
        try forgedDryRunSaysSoLoudly(c)
        try genuineAlertActsOnTheIDShown(c)
    }

    /// container.id "trading-bot" is a name, not an id: refused before any prompt, audited.
    func forgedIDThatIsAName(_ c: Containers) throws {
        let console = try Console(c, alert: Harness.alert("Crypto miner", .critical, container: "cryptominer", id: "trading-bot"))
        let shown = console.press(.character("I"))
        #expect(shown.contains("resolving cryptominer (id trading-bot) on the engine…"), "the key answers at once; the engine is asked off the UI thread")
        #expect(console.prompt == nil, "nothing to confirm: the alert's id is not an engine id")
        #expect(console.h.state.message?.contains("'trading-bot' is not a container id") == true, "\(console.h.state.message ?? "")")
        let rows = try console.audit()
        #expect(rows.map(\.result) == [.refused])
        #expect(rows.first?.message?.contains("the alert names it 'cryptominer'") == true)
        #expect(try c.networks(c.bot) == [c.network], "the trading bot keeps its network")
        #expect(try c.networks(c.miner) == [c.network])
    }

    /// container.id is the trading bot's real short id, container.name says cryptominer: the
    /// prompt shows the trading bot and warns; typing "cryptominer" does nothing (audited).
    func forgedNameOnTheBotsID(_ c: Containers, key: Character, action: String) throws {
        let console = try Console(c, alert: Harness.alert("Crypto miner", .critical, container: "cryptominer", id: String(c.bot.prefix(12))))
        console.press(.character(key))
        let prompt = try #require(console.prompt, "\(action): no prompt (\(console.h.state.message ?? ""))")
        #expect(prompt.request.target == c.bot, "pinned to the engine's full id")
        #expect(prompt.expected == "trading-bot")
        #expect(prompt.claimedName == "cryptominer")
        let screen = console.screen()
        #expect(screen.contains(c.bot), "the full engine id is shown")
        #expect(screen.contains("trading-bot") && screen.contains(PodmanEngine.image))
        // The warning wraps in the box: its parts are on the screen.
        #expect(screen.contains("WARNING: the alert names this container 'cryptominer', but the engine says id"))
        #expect(screen.contains("\(c.bot.prefix(12)) is 'trading-bot'. The alert may be forged:"))
        #expect(screen.contains("\(action.uppercased()) — type trading-bot to confirm (Esc cancels)"))

        console.type("cryptominer")
        console.press(.enter)
        #expect(console.prompt == nil)
        #expect(console.h.state.message?.contains("'cryptominer' is not 'trading-bot': nothing done") == true)
        let rows = try console.audit()
        #expect(rows.map(\.result) == [.refused] && rows.first?.action == action)
        #expect(rows.first?.target == "trading-bot")
        #expect(rows.first?.message?.contains("typed 'cryptominer', expected 'trading-bot' (engine id \(c.bot))") == true)
        #expect(try c.networks(c.bot) == [c.network], "the trading bot keeps its network")
        #expect(try c.networks(c.miner) == [c.network])
        #expect(try c.engine.run(["/bin/ls", "-A", console.forensics]).isEmpty, "no bundle was made")
    }

    /// A dry run does not prompt, so its result carries the warning.
    func forgedDryRunSaysSoLoudly(_ c: Containers) throws {
        let console = try Console(c, alert: Harness.alert("Crypto miner", .critical, container: "cryptominer", id: String(c.bot.prefix(12))), dryRun: true)
        console.press(.character("I"))
        #expect(console.prompt == nil)
        let message = console.h.state.message ?? ""
        #expect(message.hasPrefix("WARNING: the alert names 'cryptominer', but the engine says id \(c.bot.prefix(12)) is 'trading-bot'"), "\(message)")
        #expect(message.contains("isolate trading-bot: dry-run"))
        #expect(try console.audit().map(\.result) == [.dryRun])
        #expect(try c.networks(c.bot) == [c.network])
    }

    /// The genuine alert: isolate, restore and forensics each act on exactly the engine id shown.
    func genuineAlertActsOnTheIDShown(_ c: Containers) throws {
        let console = try Console(c, alert: Harness.alert("Crypto miner", .critical, container: "cryptominer", id: String(c.miner.prefix(12))))
        console.press(.character("I"))
        var prompt = try #require(console.prompt, "no prompt: \(console.h.state.message ?? "")")
        #expect(prompt.request.target == c.miner && prompt.expected == "cryptominer" && prompt.claimedName == nil)
        var screen = console.screen()
        #expect(screen.contains(c.miner) && !screen.contains("WARNING"))
        console.type("cryptominer")
        console.press(.enter)
        #expect(try c.networks(c.miner).isEmpty, "the miner is cut off")
        #expect(try c.networks(c.bot) == [c.network], "the trading bot is not")
        #expect(try console.h.store.isolation(containerID: c.miner) != nil, "the record is under the id that was shown")
        #expect(console.h.state.message?.contains("isolate cryptominer: ok") == true, "\(console.h.state.message ?? "")")

        console.press(.character("R"))
        prompt = try #require(console.prompt)
        #expect(prompt.request.target == c.miner)
        console.type("cryptominer")
        console.press(.enter)
        #expect(try c.networks(c.miner) == [c.network], "restored")
        #expect(console.h.state.message?.contains("restore cryptominer: ok") == true, "\(console.h.state.message ?? "")")

        console.press(.character("F"))
        prompt = try #require(console.prompt)
        #expect(prompt.request.target == c.miner)
        screen = console.screen()
        #expect(screen.contains("FORENSICS — type cryptominer to confirm"))
        console.type("cryptominer")
        console.press(.enter)
        let bundles = try c.engine.run(["/bin/ls", "-A", console.forensics]).split(separator: "\n").map(String.init)
        #expect(bundles.count == 1 && bundles.first?.hasSuffix("-cryptominer") == true, "\(bundles)")
        let inspect = readFile(console.forensics + "/" + (bundles.first ?? "") + "/inspect.json")
        #expect(try JSONParser.parse(inspect)["Id"]?.stringValue == c.miner, "the bundle is the shown container's")
        let rows = try console.audit()
        #expect(rows.map(\.action) == ["forensics", "restore", "isolate"])
        #expect(rows.allSatisfy { $0.result == .ok && $0.target == "cryptominer" && $0.via == "console" })
    }
}
