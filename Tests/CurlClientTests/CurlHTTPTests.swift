import CurlClient
import Foundation
import Testing
import TestSupport

@Suite struct CurlHTTPTests {
    @Test func postsJSONAndReadsTheReply() throws {
        let server = try RecordingHTTPServer { request in
            .init(status: 201, body: #"{"ok":true}"#, headers: ["X-Reply": "yes"])
        }
        defer { server.stop() }
        let response = try CurlHTTP.send(.postJSON(server.baseURL + "/hook?x=1", body: Array(#"{"a":1}"#.utf8),
                                                  headers: [("Authorization", "Bearer t0k")]))
        #expect(response.status == 201)
        #expect(response.bodyText == #"{"ok":true}"#)
        #expect(response.headers["x-reply"] == "yes")
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/hook?x=1")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["authorization"] == "Bearer t0k")
        #expect(request.bodyText == #"{"a":1}"#)
    }

    @Test func speaksHTTPOverAUnixSocket() throws {
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        let server = try RecordingHTTPServer(unixSocket: directory + "/api.sock") { request in
            .init(status: 200, body: request.method == "DELETE" ? "gone" : "here")
        }
        defer { server.stop() }
        let got = try CurlHTTP.send(HTTPRequest(url: "http://localhost/v1.41/_ping", unixSocketPath: directory + "/api.sock"))
        #expect(got.bodyText == "here")
        let deleted = try CurlHTTP.send(HTTPRequest(method: "DELETE", url: "http://localhost/networks/q",
                                                    unixSocketPath: directory + "/api.sock"))
        #expect(deleted.bodyText == "gone")
        #expect(server.requests.map(\.path) == ["/v1.41/_ping", "/networks/q"])
        #expect(server.requests.map(\.method) == ["GET", "DELETE"])
    }

    @Test func aSlowPeerTimesOutWithATimeoutError() throws {
        let server = try RecordingHTTPServer { _ in .init(status: 200, body: "late", delay: 2) }
        defer { server.stop() }
        do {
            _ = try CurlHTTP.send(HTTPRequest(url: server.baseURL + "/slow", timeout: 0.3))
            Issue.record("a 2 s reply within a 0.3 s timeout should fail")
        } catch let error as CurlError {
            #expect(error.isTimeout)
            #expect(error.elapsed < 1.5)
        }
    }

    @Test func aSecondStopLeavesAnotherServersListenerAlone() throws {
        // An explicit stop() plus a `defer { stop() }`: the second call used to shut down the old
        // descriptor number, which by then may be another server's listener (connections refused).
        let first = try RecordingHTTPServer()
        first.stop()
        usleep(200_000)   // its accept thread closes the listener; the next socket may get its number
        let second = try RecordingHTTPServer { _ in .init(status: 200, body: "second") }
        defer { second.stop() }
        first.stop()
        let reply = try CurlHTTP.send(HTTPRequest(url: second.baseURL + "/x", timeout: 2))
        #expect(reply.bodyText == "second")
    }

    @Test func aRefusedConnectionIsAnErrorNotAStatus() throws {
        // Bind and close to learn a port nothing listens on.
        let server = try RecordingHTTPServer()
        let url = server.baseURL
        server.stop()
        #expect(throws: CurlError.self) { try CurlHTTP.send(HTTPRequest(url: url + "/x", timeout: 2)) }
    }

    @Test func anOversizedReplyIsRefused() throws {
        let server = try RecordingHTTPServer { _ in .init(body: String(repeating: "x", count: 100_000)) }
        defer { server.stop() }
        do {
            _ = try CurlHTTP.send(HTTPRequest(url: server.baseURL, maxResponseBytes: 1000))
            Issue.record("a 100 kB reply over a 1 kB limit should fail")
        } catch let error as CurlError {
            #expect(error.message.contains("larger than 1000"))
        }
    }

    @Test func headerValuesCannotSmuggleHeaders() throws {
        let server = try RecordingHTTPServer()
        defer { server.stop() }
        _ = try CurlHTTP.send(HTTPRequest(url: server.baseURL, headers: [("X-Title", "a\r\nX-Evil: 1")]))
        let request = try #require(server.requests.first)
        #expect(request.headers["x-evil"] == nil)
        #expect(request.headers["x-title"] == "aX-Evil: 1")
    }

    @Test func onlyHTTPSchemesAreFollowed() {
        #expect(throws: CurlError.self) { try CurlHTTP.send(HTTPRequest(url: "file:///etc/passwd")) }
    }

    @Test func streamsTheBodyToAConsumerThatCanStop() throws {
        let server = try RecordingHTTPServer { _ in .init(body: String(repeating: "line\n", count: 400_000)) }
        defer { server.stop() }
        let counter = ByteCounter()
        _ = try CurlHTTP.stream(HTTPRequest(url: server.baseURL)) { bytes in
            counter.add(bytes.count)
            return counter.total < 10   // stop after the first chunk
        }
        #expect(counter.total > 0)
        #expect(counter.total < 2_000_000)
    }
}

final class ByteCounter: @unchecked Sendable {
    var total = 0
    func add(_ n: Int) { total += n }
}

@Suite struct CurlStreamStopTests {
    @Test func aQuietStreamCanBeLeftPromptly() throws {
        // The server answers after 5 s; the caller asks to stop after 0.3 s.
        let server = try RecordingHTTPServer { _ in .init(body: "late", delay: 5) }
        defer { server.stop() }
        let start = Date()
        let response = try CurlHTTP.stream(HTTPRequest(url: server.baseURL, timeout: 0),
                                           shouldStop: { Date().timeIntervalSince(start) > 0.3 }) { _ in true }
        #expect(Date().timeIntervalSince(start) < 2)
        #expect(response.body.isEmpty)
    }
}
