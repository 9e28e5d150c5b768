#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
import Synchronization
import Testing
import TestSupport
import TradsecCore

/// A scripted Docker Engine API on a Unix socket, for the branches a healthy engine never takes:
/// ambiguous ids, a disconnect the engine refuses, an old address that is taken at restore.
final class ScriptedEngine: Sendable {
    struct State {
        var containers: [(id: String, name: String)] = []
        /// Networks of the first container: name -> IPv4.
        var networks: [String: String] = [:]
        var refuseDisconnect = false
        var refuseFixedAddress = false
        var connectBodies: [String] = []
    }
    /// The script's state, shared with the server's thread.
    final class Shared: Sendable {
        let mutex = Mutex(State())
        func withLock<T>(_ body: (inout State) -> T) -> T { mutex.withLock { body(&$0) } }
    }
    let server: RecordingHTTPServer
    let socket: String
    let state = Shared()

    init(directory: String) throws {
        socket = directory + "/scripted.sock"
        server = try RecordingHTTPServer(unixSocket: socket) { _ in .init(status: 500) }
        server.setResponder { [state] request in
            state.withLock { s -> RecordingHTTPServer.Reply in
                if request.path.hasPrefix("/v1.41/containers/json") {
                    let items = s.containers.map { #"{"Id":"\#($0.id)","Names":["/\#($0.name)"],"Image":"bot","State":"running"}"# }
                    return .init(body: "[" + items.joined(separator: ",") + "]")
                }
                if let first = s.containers.first, request.path == "/v1.41/containers/\(first.id)/json" {
                    let nets = s.networks.sorted { $0.key < $1.key }.map { #""\#($0.key)":{"IPAddress":"\#($0.value)","Aliases":["db"]}"# }
                    return .init(body: #"{"Id":"\#(first.id)","NetworkSettings":{"Networks":{"# + nets.joined(separator: ",") + "}}}")
                }
                let parts = request.path.split(separator: "/")
                if request.method == "POST", parts.count == 4, parts[1] == "networks" {
                    let network = String(parts[2])
                    if parts[3] == "disconnect" {
                        if s.refuseDisconnect { return .init(status: 500, body: #"{"message":"driver failed"}"#) }
                        s.networks[network] = nil
                        return .init(status: 200)
                    }
                    if parts[3] == "connect" {
                        s.connectBodies.append(request.bodyText)
                        if s.refuseFixedAddress && request.bodyText.contains("IPv4Address") {
                            return .init(status: 500, body: #"{"message":"address already in use"}"#)
                        }
                        s.networks[network] = "10.9.0.77"
                        return .init(status: 200)
                    }
                }
                return .init(status: 404, body: #"{"message":"no such object"}"#)
            }
        }
    }
}

@Suite("Engine client and isolation: the failure branches")
struct EngineFailureTests {
    func setUp() throws -> (Workspace, ScriptedEngine, ActionRunner) {
        let ws = try Workspace()
        let engine = try ScriptedEngine(directory: ws.directory)
        var config = ActionsConfig()
        config.docker.socket = engine.socket
        return (ws, engine, ws.runner(config))
    }

    @Test("an id prefix two containers share is refused, a longer one resolves")
    func ambiguousPrefix() throws {
        let (ws, engine, runner) = try setUp()
        defer { engine.server.stop(); ws.cleanup() }
        engine.state.withLock { $0.containers = [("abcd1111" + String(repeating: "0", count: 56), "alpha"), ("abcd2222" + String(repeating: "0", count: 56), "beta")] }
        let report = runner.run(ActionRequest(kind: .restore, target: "abcd"))
        #expect(report.result == .refused && report.message.contains("matches 2 containers"))
        #expect(try runner.confirmationName(for: ActionRequest(kind: .isolate, target: "abcd2")) == "beta")
        #expect(try runner.confirmationName(for: ActionRequest(kind: .isolate, target: "/alpha")) == "alpha")
    }

    @Test("a disconnect the engine refuses fails the action and keeps the record, so restore still knows the networks")
    func refusedDisconnect() throws {
        let (ws, engine, runner) = try setUp()
        defer { engine.server.stop(); ws.cleanup() }
        let id = "feed" + String(repeating: "1", count: 60)
        engine.state.withLock {
            $0.containers = [(id, "pricing")]
            $0.networks = ["front": "10.9.0.5", "back": "10.8.0.5"]
            $0.refuseDisconnect = true
        }
        let report = runner.run(ActionRequest(kind: .isolate, target: "pricing"))
        #expect(report.result == .failed)
        #expect(report.message.contains("incomplete") && report.message.contains("driver failed"))
        let record = try #require(try ws.store.isolation(containerID: id))
        #expect(record.networks.contains("front") && record.networks.contains("back"))
    }

    @Test("restore when the old address is taken: reconnected with a new one, and the message says so")
    func addressTaken() throws {
        let (ws, engine, runner) = try setUp()
        defer { engine.server.stop(); ws.cleanup() }
        let id = "beef" + String(repeating: "2", count: 60)
        engine.state.withLock {
            $0.containers = [(id, "ledger")]
            $0.networks = ["front": "10.9.0.5"]
        }
        #expect(runner.run(ActionRequest(kind: .isolate, target: "ledger")).result == .ok)
        engine.state.withLock { $0.refuseFixedAddress = true }
        let report = runner.run(ActionRequest(kind: .restore, target: "ledger"))
        #expect(report.result == .ok, "\(report.message)")
        #expect(report.message.contains("old address refused") && report.message.contains("reconnected with a new one"))
        let bodies = engine.state.withLock { $0.connectBodies }
        #expect(bodies.count == 2)
        #expect(bodies.first?.contains(#""IPv4Address":"10.9.0.5""#) == true && bodies.first?.contains(#""Aliases":["db"]"#) == true)
        #expect(try ws.store.isolation(containerID: id) == nil)
    }

    @Test("no engine on the socket: unavailable, with the socket named")
    func noEngine() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        var config = ActionsConfig()
        config.docker.socket = ws.directory + "/absent.sock"
        let report = ws.runner(config).run(ActionRequest(kind: .isolate, target: "bot"))
        #expect(report.result == .failed && report.failure == .unavailable)
        #expect(report.message.contains("cannot reach the container engine at \(ws.directory)/absent.sock"))
    }
}

@Suite("Engine text on a terminal: escaped, whatever the engine says")
struct EngineTextTests {
    static let hostile = "\u{1B}[2J\u{1B}]0;pwned\u{07} \u{202E}gnp.exe"

    @Test("tradsec action prints the engine's messages and container names escaped; tradsec audit too")
    func cliEscapesEngineText() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let engine = try ScriptedEngine(directory: ws.directory)
        defer { engine.server.stop() }
        let id = "cafe" + String(repeating: "3", count: 60)
        let message = JSONWriter.string(.string("inspect refused: " + Self.hostile))
        let name = JSONWriter.string(.string("/evil" + Self.hostile))
        engine.server.setResponder { request in
            if request.path.hasPrefix("/v1.41/containers/json") {
                return .init(body: #"[{"Id":"\#(id)","Names":["/bot"],"Image":"bot","State":"running"},"#
                             + #"{"Id":"\#(String(id.reversed()))","Names":[\#(name)],"Image":"x","State":"running"}]"#)
            }
            return .init(status: 500, body: #"{"message":\#(message)}"#)
        }
        let config = ws.directory + "/config.yaml"
        writeFile(config, "actions:\n  docker: {socket: \(engine.socket)}\n")
        let common = ["--db", ws.dbPath, "--config", config]
        let failed = tradsec(["action", "isolate", "--target", "bot", "--yes"] + common, in: ws.directory)
        #expect(failed.0 == 1)
        let unknown = tradsec(["action", "forensics", "--target", "nope"] + common, in: ws.directory)
        #expect(unknown.0 == 65)
        let table = tradsec(["audit"] + common.prefix(2), in: ws.directory)
        for (label, text) in [("isolate", failed.1 + failed.2), ("unknown target", unknown.1 + unknown.2), ("audit table", table.1)] {
            #expect(!TerminalSafe.needsEscaping(text.replacingNewlines), "\(label) printed raw engine text: \(TerminalSafe.escape(text))")
            #expect(text.contains(#"\x1b[2J\x1b]0;pwned\x07 \u{202e}gnp.exe"#), "\(label): \(text)")
        }
        #expect(failed.1.contains("inspect refused:"))
        #expect(unknown.1.contains("evil"), "the engine's list of names is in the message")
        // Stored as the engine said it (the audit log is evidence); only display escapes.
        #expect(try ws.store.auditEntries().contains { $0.message?.contains(Self.hostile) == true })
    }
}

extension String {
    /// Without the line breaks a program prints between its lines.
    var replacingNewlines: String { split(separator: "\n", omittingEmptySubsequences: false).joined(separator: " ") }
}
