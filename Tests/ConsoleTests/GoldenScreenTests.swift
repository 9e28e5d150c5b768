@testable import Actions
import AlertStore
@testable import Console
@testable import Gauges
import Processor
import Testing
import TradsecCore

/// Every screen, drawn from one fixed incident at three terminal sizes, compared cell for
/// cell (characters and style roles) with the golden files in Tests/Fixtures/golden-screens.
/// `make golden` re-records them; docs/maintainers/golden-screens.md says when and how.
@Suite struct GoldenScreenTests {
    static let sizes = [(width: 200, height: 60), (width: 80, height: 24), (width: 40, height: 12)]

    @Test(arguments: GoldenScene.allCases)
    func screenMatchesItsGoldenAtEverySize(_ scene: GoldenScene) throws {
        let console = try GoldenConsole()
        try console.show(scene)
        for size in Self.sizes {
            let grid = console.render(width: size.width, height: size.height)
            GoldenScreen.check(grid, name: "\(scene.rawValue).\(size.width)x\(size.height)", title: scene.title)
        }
    }

    /// The comparison itself: a golden read back equals the render it was written from, and a
    /// changed cell or role is reported at its row and column (wide characters count two cells).
    @Test func theFormatRoundTripsAndLocatesADifference() throws {
        var grid = ScreenGrid(width: 12, height: 2)
        grid.put("取引 ok", x: 1, y: 0, role: .label)
        grid.put("end ", x: 8, y: 1, role: .critical)
        let screen = GoldenScreen(title: "t", grid: grid)
        #expect(screen.style[0] == ".LLLLLLL....")
        #expect(try GoldenScreen(file: screen.file, title: "t") == screen)
        var moved = grid
        moved.put("取引 OK", x: 1, y: 0, role: .label)
        moved.restyle(Rect(x: 11, y: 1, width: 1, height: 1), role: .bad)
        let diffs = GoldenScreen.differences(expected: screen, actual: GoldenScreen(title: "t", grid: moved))
        #expect(diffs.count == 2)
        #expect(diffs.first?.hasPrefix("row 0 text, column 6:") == true, "\(diffs)")
        #expect(diffs.last?.hasPrefix("row 1 style, column 11:") == true, "\(diffs)")
    }

    @Test func everyRoleHasItsOwnLetter() {
        let letters = StyleRole.allCases.map(GoldenScreen.letter)
        #expect(Set(letters).count == StyleRole.allCases.count)
        #expect(!letters.contains("|") && !letters.contains(" "))
    }
}

/// What each golden shows, reached by the keys an operator would press.
enum GoldenScene: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case overview, alertDetail = "alert-detail", containers, containerDetail = "container-detail", gauges, audit, help
    case incidentPrompt = "incident-prompt"
    /// The prompt when the engine names the container differently from the alert (a forged alert).
    case incidentPromptForged = "incident-prompt-forged"
    case incidents
    case incidentDetail = "incident-detail"
    /// The console running the host sensor, which is dropping records.
    case sensorGauges = "sensor-gauges"

    var title: String {
        switch self {
        case .overview: "overview, two new criticals, one group acknowledged"
        case .alertDetail: "alert detail of the newest critical (escape sequences, long command line)"
        case .containers: "containers screen"
        case .containerDetail: "container drill-down of ai-trading-bot"
        case .gauges: "gauges screen"
        case .audit: "audit log"
        case .help: "help"
        case .incidentPrompt: "isolate ai-trading-bot, name half typed"
        case .incidentPromptForged: "isolate, the engine names the id differently from the alert"
        case .incidents: "incidents, the escalated intrusion of the bot first"
        case .incidentDetail: "the bot's escalated incident, an isolation proposed"
        case .sensorGauges: "gauges screen, the host sensor running and dropping"
        }
    }

    var testDescription: String { rawValue }
}

/// A console on a fresh history holding ``GoldenIncident``, driven by keys, with every query
/// and every age taken at the incident's fixed "now" (the data loader would use the wall clock).
final class GoldenConsole {
    static let now = Harness.now
    static let sources = [SourceStatus(name: "falco-file:/var/log/falco/events.json", state: .running)]
    /// The sources' states in the header (the sensor scene adds the host sensor).
    var sources = GoldenConsole.sources
    let harness: Harness
    var store: AlertStore { harness.store }

    init() throws {
        harness = try Harness()
        harness.state = ConsoleState(readOnly: false, themeName: "default", hostname: GoldenIncident.host)
        harness.state.incident = IncidentState(stopTradingName: "alpha-mm")
        harness.state.gauges = GoldenIncident.gauges()
        // What was on screen before the last two criticals arrived: they show as new. Both
        // batches are processed as they arrive: enriched, correlated, an isolation proposed.
        try IncidentHistory.process(store, GoldenIncident.earlier(), enrichment: GoldenIncident.enrichment,
                                    proposals: IncidentHistory.isolateProposal, at: GoldenIncident.at("11:58:10"))
        run(harness.state.loadCurrent())
        try IncidentHistory.process(store, GoldenIncident.latest(), enrichment: GoldenIncident.enrichment, at: GoldenIncident.at("11:59:40"))
        let acknowledged = try store.alerts(AlertQuery(ruleGlob: "Package Manager Run in Trading Container", limit: 10)).map(\.id)
        try store.acknowledge(acknowledged, who: "oncall", at: Self.now.adding(nanoseconds: -120_000_000_000))
        for entry in GoldenIncident.audit {
            let id = try store.beginAudit(action: entry.action, target: entry.target, who: entry.who, via: entry.via,
                                          detail: nil, at: entry.started)
            try store.finishAudit(id: id, result: entry.result, message: entry.message, latencyMilliseconds: entry.milliseconds,
                                  detail: entry.detail, at: entry.started.adding(nanoseconds: Int64(entry.milliseconds * 1e6)))
        }
        run(harness.state.loadCurrent() + [.load(.incidentSummary)])
    }

    func show(_ scene: GoldenScene) throws {
        switch scene {
        case .overview: break
        case .alertDetail: press(.enter)
        case .containers: press(.character("c"))
        case .containerDetail: press(.character("c"), .enter)
        case .gauges: press(.character("u"))
        case .sensorGauges:
            sources = [SensorScreenTests.host(dropped: 1234)] + Self.sources
            harness.state.gauges?.sensor = SensorScreenTests.sensorGauge()
            press(.character("u"))
        case .audit: press(.character("A"))
        case .help: press(.character("?"))
        case .incidents: press(.character("i"))
        case .incidentDetail: press(.character("i"), .enter)
        case .incidentPrompt, .incidentPromptForged:
            forged = scene == .incidentPromptForged
            press(.character("c"), .character("I"))
            guard case .confirmIncident = harness.state.mode else { throw GoldenScreen.FormatError(description: "no prompt: \(harness.state.mode)") }
            for c in "ai-trad" { press(.character(c)) }
        }
    }

    func press(_ keys: Key...) {
        for key in keys { run(harness.state.handle(key)) }
    }

    func render(width: Int, height: Int) -> ScreenGrid {
        let frame = ConsoleRenderer.render(harness.state, width: width, height: height, now: Self.now, sources: sources)
        harness.state.pageSize = frame.pageSize
        return frame.grid
    }

    /// Does what the effects ask, as the session loop would, with the loader's queries run at
    /// the fixed clock and the incident worker's answers given from the fixed engine.
    func run(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .load(let request):
                do {
                    harness.state.apply(try load(request))
                } catch {
                    Issue.record("loading \(request): \(error)")
                }
            case .incident(.loadAudit):
                do {
                    harness.state.applyIncident(.audit(try store.auditEntries()))
                } catch {
                    Issue.record("reading the audit log: \(error)")
                }
            case .incident(.resolve(let request, let claimedName)):
                var pinned = request
                let container = GoldenIncident.engineContainer(forged: forged)
                pinned.target = container.id
                run(harness.state.applyIncident(.resolved(ResolvedContainer(request: pinned, container: container, claimedName: claimedName))))
            default:
                break
            }
        }
    }

    /// The engine answers with another name for the bot's id (set for the forged-prompt scene).
    var forged = false

    func load(_ request: DataLoader.Request) throws -> DataLoader.Result {
        let now = Self.now
        switch request {
        case .overview(let filter):
            let (data, _) = try OverviewQuery.load(store, filter: filter, now: now, cachedCounts: { query, _ in try? self.store.count(query) })
            return .overview(data)
        case .containers(let filter):
            return .containers(filter, try store.containerActivity(filter.query(limit: 0, now: now)))
        case .container(let id, let filter):
            return .container(filter, try ContainerQuery.load(store, id: id, filter: filter, now: now))
        case .alert(let stored):
            return .alert(try AlertDetailQuery.load(store, stored: stored))
        case .incidents(let filter):
            return .incidents(try IncidentListQuery.load(store, filter: filter, now: now))
        case .incident(let id):
            return .incident(id, try IncidentDetailQuery.load(store, id: id))
        case .incidentSummary:
            return .incidentSummary(try IncidentSummaryQuery.load(store, window: CorrelationConfig().window, now: now))
        case .acknowledge, .silence, .unsilence, .setResponse:
            return .failure("the golden scenes do not triage")
        }
    }
}
