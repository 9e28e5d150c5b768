#if canImport(Glibc)
import Glibc
#endif
import AlertStore
@testable import Console
import TestSupport
import TradsecCore

/// A fresh history with alerts in it, and a state loaded from it the way the app does it
/// (through the data loader), without a terminal.
final class Harness {
    let directory: String
    let store: AlertStore
    let loader: DataLoader
    var state: ConsoleState
    static let now = Timestamp(rfc3339: "2026-11-22T12:00:00Z")!

    init(readOnly: Bool = false) throws {
        var template = Array("/tmp/tradsec-console-test-XXXXXX".utf8CString)
        directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        store = try AlertStore(path: directory + "/history.sqlite")
        loader = DataLoader(store: store, readOnly: readOnly)
        state = ConsoleState(readOnly: readOnly, hostname: "trade-host-01")
    }

    deinit {
        // The history, and what end-to-end tests leave (logs, socket, exit status, the console's config directory).
        if let child = ChildProcess.start(["/bin/rm", "-rf", directory], stdoutPath: "/dev/null", environment: []) { _ = child.wait() }
    }

    static func alert(_ rule: String, _ priority: Priority, container: String = "ai-trading-bot", id: String = "4f2a9c1b7e3d",
                      secondsAgo: Int = 60, output: String? = nil, process: String = "python3", file: String? = nil) -> Alert {
        let time = now.adding(nanoseconds: -Int64(secondsAgo) * 1_000_000_000)
        var fields: [(String, JSONValue)] = [
            ("container.id", .string(id)), ("container.name", .string(container)),
            ("container.image.repository", .string("ghcr.io/acme/\(container)")), ("container.image.tag", .string("1.0")),
            ("proc.name", .string(process)), ("user.name", .string("root")),
        ]
        if let file { fields.append(("fd.name", .string(file))) }
        let text = output ?? "\(rule) happened (process=\(process))"
        return Alert(time: time, rule: rule, priority: priority, output: "\(time.rfc3339()): \(priority.name) \(text)",
                     outputFields: JSONObject(fields), hostname: "trade-host-01")
    }

    func insert(_ alerts: [Alert]) throws { try store.insert(alerts) }

    /// Runs what the effects asked the loader for and applies the results, as the app loop does.
    @discardableResult
    func run(_ effects: [Effect]) -> [Effect] {
        for e in effects {
            switch e {
            case .load(let r): loader.request(r)
            case .leave(let slot): loader.leave(slot: slot)
            default: break
            }
        }
        loader.runPendingSynchronously()
        for r in loader.takeResults() { state.apply(r) }
        return effects
    }

    func load() { run(state.loadCurrent()) }

    @discardableResult
    func press(_ keys: Key...) -> [Effect] {
        var all: [Effect] = []
        for k in keys { all += run(state.handle(k)) }
        return all
    }

    func type(_ text: String) { for c in text { press(.character(c)) } }

    func render(width: Int = 120, height: Int = 40, sources: [SourceStatus] = []) -> ScreenGrid {
        let frame = ConsoleRenderer.render(state, width: width, height: height, now: Harness.now, sources: sources)
        state.pageSize = frame.pageSize
        return frame.grid
    }
}
