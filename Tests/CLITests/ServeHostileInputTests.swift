#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import CurlClient
import Foundation
import Testing
import TestSupport
import TradsecCore

/// `tradsec serve` (the real binary) against hostile HTTP clients: after each attack it is
/// alive and `/health` answers 200, its memory stays a small multiple of what was sent, and
/// the valid alerts sent in between are all stored. Limits are set small in each test's
/// config so the attacks are quick to mount.
@Suite(.serialized) struct ServeHostileInputTests {
    /// A running `tradsec serve` with its own history and config.
    final class Serve {
        let directory: String
        let child: Child
        let port: Int
        var base: String { "http://127.0.0.1:\(port)" }
        var db: String { directory + "/history.sqlite" }

        init(config: String) throws {
            directory = makeTemporaryDirectory()
            writeFile(directory + "/config.yaml", config)
            child = Child.start(["serve", "--db", directory + "/history.sqlite", "--listen", "127.0.0.1:0",
                                 "--config", directory + "/config.yaml"], in: directory)
            var found: Int?
            let deadline = Date().addingTimeInterval(15)
            while found == nil && Date() < deadline {
                if let range = child.stderr.range(of: "listening on http://127.0.0.1:") {
                    found = Int(child.stderr[range.upperBound...].prefix(while: \.isNumber))
                }
                usleep(20_000)
            }
            guard let found else {
                kill(child.pid, SIGKILL)
                _ = child.wait()
                Issue.record("tradsec serve did not start: \(child.stderr)")
                throw CancellationError()
            }
            port = found
        }

        /// Stops it with SIGTERM: it must exit 0 (it did not crash on the way).
        func stop() {
            kill(child.pid, SIGTERM)
            #expect(child.wait() == 0, "serve: \(child.stderr)")
            removeTree(directory)
        }

        /// GET /health answers 200 within `timeout` seconds. Under a connection flood a new
        /// connection may itself be closed to make room before its head is read (by arrivals
        /// still in the accept queue), so a health checker tries again, as this one does.
        func expectHealthy(timeout: Double = 5, _ after: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let deadline = Date().addingTimeInterval(timeout)
            var reply: HTTPResponse?
            repeat {
                reply = try? CurlHTTP.send(HTTPRequest(url: base + "/health", timeout: max(deadline.timeIntervalSinceNow, 0.5)))
            } while reply?.status != 200 && Date() < deadline
            #expect(reply?.status == 200, "after \(after): \(reply.map { "\($0.status) \($0.bodyText)" } ?? "no answer")",
                    sourceLocation: sourceLocation)
        }

        func health() throws -> JSONValue { try JSONParser.parse(try CurlHTTP.send(HTTPRequest(url: base + "/health")).bodyText) }

        func post(_ body: [UInt8], type: String = "application/json", timeout: Double = 10) throws -> HTTPResponse {
            try CurlHTTP.send(HTTPRequest(method: "POST", url: base + "/falco", headers: [("Content-Type", type)], body: body,
                                          timeout: timeout))
        }

        /// A /proc/PID/status field in kB (VmHWM, VmRSS).
        func memoryKB(_ field: String) -> Int {
            let status = readFile("/proc/\(child.pid)/status")
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return -1 }
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
        }

        /// Sockets the process holds open (its listener and every connection).
        var openSockets: Int {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(child.pid)/fd")) ?? []
            return fds.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(child.pid)/fd/\($0)"))?.hasPrefix("socket:") == true }.count
        }
    }


    /// The attack of issue 15: 8 MiB of `[{},{},…]`, every item a refused line. It used to
    /// take 2.4 GB; now the peak grows by at most eight times the body, all refusals are
    /// counted in the reply, and a bounded number are recorded.
    @Test func anArrayOfEmptyObjectsCostsAtMostEightTimesItsSize() throws {
        let serve = try Serve(config: "serve:\n  max_recorded_rejects: 100\n")
        defer { serve.stop() }
        serve.expectHealthy("start")
        let items = (8 << 20) / 3
        let body = Array(("[{}" + String(repeating: ",{}", count: items - 1) + "]").utf8)
        #expect(body.count <= 8 << 20)

        let before = serve.memoryKB("VmHWM")
        let reply = try serve.post(body, timeout: 300)
        let after = serve.memoryKB("VmHWM")
        #expect(reply.status == 400)
        let json = try JSONParser.parse(reply.bodyText)
        #expect(json["rejected"]?.int64Value == Int64(items))
        #expect(json["errors"]?.arrayValue?.first?["code"]?.stringValue == "missing_key")
        let grownBytes = (after - before) * 1024
        #expect(before > 0 && grownBytes <= 8 * body.count,
                "peak resident memory grew by \(grownBytes >> 20) MiB for a \(body.count >> 20) MiB body (VmHWM \(before) → \(after) kB)")
        serve.expectHealthy("8 MiB of [{},…]")
        // 100 refused lines recorded, and one record that counts the rest.
        let store = try AlertStore(path: serve.db, readOnly: true)
        #expect(waitFor(10) { ((try? store.recentRejects(limit: 1000))?.count ?? 0) == 101 })
        let summary = try store.recentRejects(limit: 1).first
        #expect(summary?.code == "not_recorded")
        #expect(summary?.message.contains("missing_key \(items)") == true)
    }

    /// Thousands of half-sent requests (slowloris) against a cap of 32: the processor never
    /// holds more than its cap, /health gets through while they keep coming, and the ones
    /// still open are closed at the header timeout.
    @Test func aSlowlorisBeyondTheConnectionCapLeavesHealthAnswering() throws {
        let serve = try Serve(config: "serve:\n  max_connections: 32\n  max_streams: 4\n  header_timeout: 1s\n")
        defer { serve.stop() }
        let baseline = serve.openSockets
        var loris: [RawConnection] = []
        for round in 0..<10 {
            for _ in 0..<100 {
                guard let c = RawConnection(port: serve.port) else { continue }
                c.send("POST /falco HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Len")
                loris.append(c)
            }
            // While they keep coming, a health check still gets a connection and an answer.
            serve.expectHealthy(timeout: 3, "slowloris round \(round)")
            // Connections being closed to make room are gone a moment later.
            #expect(waitFor(3) { serve.openSockets <= baseline + 32 + 2 }, "sockets held: \(serve.openSockets)")
            // Those the processor closed are gone from this side too (no descriptor pile-up here).
            loris.removeAll { $0.read(timeout: 0) }
        }
        #expect(waitFor(5) { loris.allSatisfy { $0.read(timeout: 0) } }, "half-sent requests still open after the header timeout")
        let closed = try serve.health()["connections"]?["closed"]
        let evicted = closed?["evicted"]?.int64Value ?? 0, timedOut = closed?["header_timeout"]?.int64Value ?? 0
        #expect(evicted >= 100 && timedOut >= 1 && evicted + timedOut >= 1000 - 32, "evicted \(evicted), timed out \(timedOut)")
        #expect(waitFor(10) { serve.openSockets <= baseline + 2 })
        serve.expectHealthy("the slowloris")
        #expect(try serve.post(Array(alertLine(1).utf8)).status == 200)
    }

    /// Fifty clients open the live feed against a cap of four: the rest are refused with a
    /// 503 and Retry-After, /health answers at once (its own thread, not behind stream
    /// reads), and the four streams carry the next alert.
    @Test func aStreamFloodIsCappedAndHealthAnswersPromptly() throws {
        let serve = try Serve(config: "serve:\n  max_connections: 128\n  max_streams: 4\n")
        defer { serve.stop() }
        var streams: [RawConnection] = []
        for _ in 0..<50 {
            let c = try #require(RawConnection(port: serve.port))
            c.send("GET /events/stream HTTP/1.1\r\nHost: 127.0.0.1:\(serve.port)\r\nAccept: text/event-stream\r\n\r\n")
            streams.append(c)
        }
        for c in streams { c.read(timeout: 5) { String(decoding: $0, as: UTF8.self).contains("\r\n\r\n") } }
        let statuses = streams.map(\.status)
        #expect(statuses.filter { $0 == 200 }.count == 4, "\(statuses)")
        #expect(statuses.filter { $0 == 503 }.count == 46, "\(statuses)")
        #expect(streams.first { $0.status == 503 }?.text.contains("Retry-After") == true)
        serve.expectHealthy(timeout: 2, "50 streams")
        #expect(try serve.health()["connections"]?["streams"]?.int64Value == 4)
        #expect(try serve.post(Array(alertLine(7, rule: "to every stream").utf8)).status == 200)
        let open = streams.filter { $0.status == 200 }
        for c in open { c.read(timeout: 10) { String(decoding: $0, as: UTF8.self).contains("to every stream") } }
        #expect(open.allSatisfy { $0.text.contains("to every stream") })
        serve.expectHealthy("the streams")
    }

    /// Every kind of hostile request, each followed by a valid alert: serve answers each with
    /// a clear error, /health stays 200, and every valid alert is in the history.
    @Test func hostileRequestsInterleavedWithValidAlertsLoseNothing() throws {
        let serve = try Serve(config: "serve:\n  max_body: 1MiB\n  max_body_memory: 4MiB\n  header_timeout: 2s\n")
        defer { serve.stop() }
        let port = serve.port
        func raw(_ request: String) -> RawConnection? {
            guard let c = RawConnection(port: port) else { return nil }
            c.send(request)
            c.read(timeout: 5) { String(decoding: $0, as: UTF8.self).contains("\r\n\r\n{") && $0.last == 0x0A }
            return c
        }
        let forged = alertLine(999, priority: "Critical", rule: "Forged by a web page")
        let length = "Content-Length: \(forged.utf8.count)\r\n\r\n"
        let hostile: [(String, Int, () throws -> Int?)] = [
            ("text/plain (a page's simple request)", 415, { try serve.post(Array(forged.utf8), type: "text/plain").status }),
            ("a form", 415, { try serve.post(Array(forged.utf8), type: "application/x-www-form-urlencoded").status }),
            ("no Content-Type", 415, { raw("POST /falco HTTP/1.1\r\nHost: 127.0.0.1\r\n" + length + forged)?.status }),
            ("an Origin header", 403, {
                raw("POST /falco HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://attacker.example\r\nContent-Type: application/json\r\n" + length + forged)?.status
            }),
            ("a rebinding Host", 403, {
                raw("POST /falco HTTP/1.1\r\nHost: rebind.attacker.example:\(port)\r\nContent-Type: application/json\r\n" + length + forged)?.status
            }),
            ("a rebinding read of /events", 403, { raw("GET /events HTTP/1.1\r\nHost: rebind.attacker.example:\(port)\r\n\r\n")?.status }),
            ("Sec-Fetch-Site: cross-site", 403, { raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: cross-site\r\n\r\n")?.status }),
            ("a body over max_body", 413, {
                raw("POST /falco HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(2 << 20)\r\n\r\n[[[")?.status
            }),
            ("1 MiB of [1,1,1,…] in one alert", 400, {
                let ones = Array(repeating: "1", count: 400_000).joined(separator: ",")
                return try serve.post(Array(#"{"rule":"r","priority":"Notice","time":"2026-01-01T00:00:00Z","output":"o","output_fields":{"a":[\#(ones)]}}"#.utf8)).status
            }),
            ("a truncated array", 400, { try serve.post(Array("[{\"rule\":".utf8)).status }),
            ("nested brackets", 400, { try serve.post(Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)).status }),
            ("headers over 80 KiB", 400, { raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + String(repeating: "a", count: 100_000) + "\r\n\r\n")?.status }),
            ("a malformed request line", 400, { raw("GARBAGE\r\n\r\n")?.status }),
            // Times out of range (issue 15, item 1): a clear 400, never a trap.
            ("an alert dated 9999", 400, {
                try serve.post(Array(#"{"time":"9999-12-31T23:59:59Z","rule":"r","priority":"Critical","output":"x"}"#.utf8)).status
            }),
            ("/events?since=9999-01-01", 400, { try CurlHTTP.send(HTTPRequest(url: serve.base + "/events?since=9999-01-01")).status }),
            ("/events?since=8000000000s8000000000s", 400, {
                try CurlHTTP.send(HTTPRequest(url: serve.base + "/events?since=8000000000s8000000000s")).status
            }),
            ("/events/stream?since=9999-12-31T23:59:59Z", 400, {
                try CurlHTTP.send(HTTPRequest(url: serve.base + "/events/stream?since=9999-12-31T23:59:59Z", timeout: 5)).status
            }),
            ("/incidents?since=9999-01-01", 400, { try CurlHTTP.send(HTTPRequest(url: serve.base + "/incidents?since=9999-01-01")).status }),
        ]
        var sent: [String] = []
        for (n, (name, expected, attack)) in hostile.enumerated() {
            let status = try attack()
            #expect(status == expected, "\(name): \(status.map(String.init) ?? "no answer")")
            serve.expectHealthy(name)
            let line = alertLine(n, rule: "valid after \(name)")
            #expect(try serve.post(Array(line.utf8)).status == 200, "valid alert after \(name)")
            sent.append(line)
        }
        let store = try AlertStore(path: serve.db, readOnly: true)
        // Acknowledged alerts move from the intake journal into the history within milliseconds.
        var stored: [String] = []
        let settle = Date().addingTimeInterval(10)
        repeat {
            stored = try store.alerts(AlertQuery(limit: 1000)).map(\.alert.raw)
            if stored.count >= sent.count { break }
            usleep(10_000)
        } while Date() < settle
        #expect(Set(stored) == Set(sent), "stored \(stored.count) of \(sent.count) valid alerts, and nothing forged")
        #expect(!stored.contains { $0.contains("Forged") })
    }
}
