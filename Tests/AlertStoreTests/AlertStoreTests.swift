#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import AlertStore
import TradsecCore

/// A fresh history in a temporary directory, removed when the test ends.
final class TemporaryStore {
    let directory: String
    let store: AlertStore
    var path: String { directory + "/history.sqlite" }

    init() throws {
        var template = Array("/tmp/tradsec-store-XXXXXX".utf8CString)
        directory = String(cString: mkdtemp(&template)!)
        store = try AlertStore(path: directory + "/history.sqlite")
    }

    deinit {
        for suffix in ["", "-wal", "-shm", ".open-lock"] { unlink(path + suffix) }
        rmdir(directory)
    }
}

func makeAlert(_ seconds: Int64, rule: String = "Read sensitive file untrusted", priority: Priority = .warning,
               container: (id: String, name: String)? = nil, host: String = "trade-host", output: String? = nil) -> Alert {
    var fields: [(String, JSONValue)] = [("proc.name", .string("cat")), ("user.name", .string("root"))]
    if let container {
        fields += [("container.id", .string(container.id)), ("container.name", .string(container.name)),
                   ("container.image.repository", .string("ghcr.io/acme/\(container.name)"))]
    } else {
        fields.append(("container.id", .string("host")))
    }
    return Alert(time: Timestamp(nanoseconds: 1_763_800_000_000_000_000 + seconds * 1_000_000_000), rule: rule,
                 priority: priority, output: output ?? "\(rule) at \(seconds)", outputFields: JSONObject(fields),
                 hostname: host)
}

@Suite struct AlertStoreTests {
    let bot = (id: "3ad7b26ded6d", name: "ai-trading-bot")
    let dash = (id: "9f00aa11bb22", name: "dashboard")

    func filled() throws -> TemporaryStore {
        let t = try TemporaryStore()
        try t.store.insert([
            makeAlert(1, priority: .notice, output: "shell spawned in bot bash"),
            makeAlert(2, rule: "Exchange API key read", priority: .critical, container: bot, output: "key /app/.env read by cat"),
            makeAlert(3, rule: "Outbound connection to unknown exchange", priority: .error, container: bot, output: "connect to 203.0.113.9:443"),
            makeAlert(4, rule: "Exchange API key read", priority: .critical, container: dash, host: "other-host", output: "key /app/binance.key read"),
            makeAlert(5, rule: "Debug trace", priority: .debug, output: "trace"),
        ], origin: "test")
        return t
    }

    @Test func returnsNewestFirstWithinTheLimit() throws {
        let t = try filled()
        let all = try t.store.alerts(AlertQuery(limit: 100))
        #expect(all.map { $0.alert.time.nanoseconds % 100_000_000_000 / 1_000_000_000 } == [5, 4, 3, 2, 1])
        #expect(try t.store.alerts(AlertQuery(limit: 2)).count == 2)
        #expect(try t.store.totalCount() == 5)
    }

    @Test func filtersByPriorityRuleContainerHostAndTime() throws {
        let t = try filled()
        func rules(_ q: AlertQuery) throws -> [String] { try t.store.alerts(q).map(\.alert.output) }
        #expect(try rules(AlertQuery(priorities: PriorityFilter(">=error"))) ==
            ["key /app/binance.key read", "connect to 203.0.113.9:443", "key /app/.env read by cat"])
        #expect(try rules(AlertQuery(priorities: PriorityFilter("debug"))) == ["trace"])
        #expect(try rules(AlertQuery(ruleGlob: "exchange api*")) == ["key /app/binance.key read", "key /app/.env read by cat"])
        #expect(try rules(AlertQuery(ruleGlob: "*unknown?exchange")) == ["connect to 203.0.113.9:443"])
        #expect(try rules(AlertQuery(container: "ai-trading-bot")).count == 2)
        #expect(try rules(AlertQuery(container: "3ad7")).count == 2)
        #expect(try rules(AlertQuery(container: "3ad7b26ded6d")).count == 2)
        #expect(try rules(AlertQuery(container: "host")) == ["trace", "shell spawned in bot bash"])
        #expect(try rules(AlertQuery(container: "nope")).isEmpty)
        #expect(try rules(AlertQuery(hostname: "other-host")) == ["key /app/binance.key read"])
        let base = Timestamp(nanoseconds: 1_763_800_000_000_000_000)
        #expect(try rules(AlertQuery(since: base.adding(nanoseconds: 2_000_000_000), until: base.adding(nanoseconds: 3_000_000_000))) ==
            ["connect to 203.0.113.9:443", "key /app/.env read by cat"])
        #expect(try t.store.count(AlertQuery(priorities: PriorityFilter("critical"), container: "dashboard")) == 1)
    }

    @Test func searchesTheOutputText() throws {
        let t = try filled()
        #expect(try t.store.alerts(AlertQuery(search: "binance")).map(\.alert.output) == ["key /app/binance.key read"])
        #expect(try t.store.alerts(AlertQuery(search: "/app/.env")).map(\.alert.output) == ["key /app/.env read by cat"])
        #expect(try t.store.alerts(AlertQuery(search: "203.0.113")).count == 1)
        #expect(try t.store.alerts(AlertQuery(search: "shel")).count == 1)          // prefix
        #expect(try t.store.alerts(AlertQuery(search: "key read")).count == 2)      // every word
        #expect(try t.store.alerts(AlertQuery(search: "\"quoted\" OR * -x")).isEmpty) // FTS syntax stays literal
    }

    @Test func storesTheSameAlertOnlyOnce() throws {
        let t = try TemporaryStore()
        let a = makeAlert(1)
        var r = try t.store.insert([a, a, makeAlert(2)])
        #expect(r.inserted == 2 && r.duplicates == 1)
        r = try t.store.insert([a])
        #expect(r.inserted == 0 && r.duplicates == 1)
        #expect(try t.store.totalCount() == 2)
    }

    @Test func givesBackTheRawLineByteForByte() throws {
        let t = try TemporaryStore()
        let raw = #"{"time":"2024-01-01T00:00:00.000000001Z","rule":"r \u001b[2J","priority":"Critical","output":"o","zzz":[1,{"b":null}],"output_fields":{"n":1.5e300}}"#
        try t.store.insert([try AlertDecoder.decode(line: raw)])
        #expect(try t.store.alerts(AlertQuery()).first?.alert.raw == raw)
    }

    @Test func countsByPriorityRuleContainerAndHost() throws {
        let t = try filled()
        let s = try t.store.stats(AlertQuery())
        #expect(s.total == 5)
        #expect(s.byPriority.map(\.0) == [.critical, .error, .notice, .debug])
        #expect(s.byPriority.first?.1 == 2)
        #expect(s.byRule.first?.key == "Exchange API key read")
        #expect(s.byRule.first?.count == 2)
        #expect(s.byContainer.first?.key == "ai-trading-bot (3ad7b26ded6d)" || s.byContainer.first?.key == "host")
        #expect(Set(s.byContainer.map(\.key)) == ["ai-trading-bot (3ad7b26ded6d)", "host", "dashboard (9f00aa11bb22)"])
        #expect(s.byHost.map(\.count).reduce(0, +) == 5)
        let containers = try t.store.containers()
        #expect(containers.first?.ref.isHost == true)   // the debug trace at 5 s was last
        #expect(containers.first?.ref.name == "trade-host")
        #expect(containers.contains { $0.ref.image == "ghcr.io/acme/ai-trading-bot" })
    }

    @Test func retentionDeletesByAgeAndRowCountAndKeepsSearchConsistent() throws {
        let t = try filled()
        let base = Timestamp(nanoseconds: 1_763_800_000_000_000_000)
        let deleted = try t.store.applyRetention(RetentionPolicy(maxAge: 2_500_000_000), now: base.adding(nanoseconds: 5_000_000_000))
        #expect(deleted == 2)
        #expect(try t.store.totalCount() == 3)
        #expect(try t.store.alerts(AlertQuery(search: "env")).isEmpty)
        #expect(try t.store.applyRetention(RetentionPolicy(maxRows: 1), now: base) == 2)
        #expect(try t.store.alerts(AlertQuery()).map(\.alert.output) == ["trace"])
        #expect(try t.store.containers().map(\.ref.id) == ["host"])
        #expect(try t.store.integrityCheck() == ["ok"])
    }

    @Test func keepsFollowCheckpointsAndRejects() throws {
        let t = try TemporaryStore()
        #expect(try t.store.checkpoint(for: "/var/log/falco.log") == nil)
        let c = FollowCheckpoint(path: "/var/log/falco.log", device: UInt64.max, inode: 42, offset: 1234, lineNumber: 7)
        try t.store.insert([makeAlert(1)], checkpoint: c,
                           rejects: [.init(origin: "f", lineNumber: 3, code: "not_json", message: "m", excerpt: "e")])
        #expect(try t.store.checkpoint(for: "/var/log/falco.log") == c)
        #expect(try t.store.recentRejects().map(\.lineNumber) == [3])
    }

    @Test func keepsOnlyTheNewestTenThousandRejects() throws {
        let t = try TemporaryStore()
        let flood = (1...10_050).map { AlertStore.RejectRecord(origin: "f", lineNumber: $0, code: "not_json", message: "m", excerpt: "x") }
        try t.store.insert([Alert](), rejects: flood)
        try t.store.insert([Alert](), rejects: [.init(origin: "f", lineNumber: 99_999, code: "not_json", message: "m", excerpt: "x")])
        let newest = try t.store.recentRejects(limit: 20_000)
        #expect(newest.count == 10_000)
        #expect(newest.first?.lineNumber == 99_999)
        #expect(newest.last?.lineNumber == 52)
    }

    @Test func reopensAnExistingHistoryAndItsWAL() throws {
        let t = try filled()
        let again = try AlertStore(path: t.path)
        #expect(try again.totalCount() == 5)
        let readOnly = try AlertStore(path: t.path, readOnly: true)
        #expect(try readOnly.alerts(AlertQuery(limit: 1)).count == 1)
    }

    @Test func refusesAFileThatIsNotADatabase() throws {
        let t = try TemporaryStore()
        let bogus = t.directory + "/bogus.sqlite"
        let fd = open(bogus, O_CREAT | O_WRONLY, 0o600)
        _ = "this is not sqlite, just text that is long enough to be a header....................................".withCString { write(fd, $0, strlen($0)) }
        close(fd)
        defer { unlink(bogus) }
        #expect(throws: (any Error).self) { try AlertStore(path: bogus) }
    }
}

/// The processor stores alerts with the full-text index trailing behind: searches must find
/// them anyway, before and after the index catches up.
@Suite struct DeferredFullTextTests {
    func line(_ n: Int, _ words: String) -> String {
        #"{"time":"2026-11-22T10:00:\#(String(format: "%02d", n)).000000000Z","rule":"R\#(n)","priority":"Warning","output":"\#(words)","output_fields":{"container.id":"host"},"hostname":"h"}"#
    }

    @Test func searchesSeeTheBacklogAndTheIndex() throws {
        let directory = "/tmp/tradsec-fts-\(UInt32.random(in: 0...UInt32.max))"
        defer { for s in ["", "-wal", "-shm"] { unlink(directory + ".sqlite" + s) } }
        let store = try AlertStore(path: directory + ".sqlite")
        try store.insert([try AlertDecoder.decode(line: line(1, "wallet file opened by python"))])
        try store.insert([try AlertDecoder.decode(line: line(2, "wallet keystore read by curl")),
                          try AlertDecoder.decode(line: line(3, "shell spawned in bot"))], fullText: .deferred)
        #expect(try store.fullTextBacklogCount() == 2)
        func search(_ text: String) throws -> [String] { try store.alerts(AlertQuery(search: text, limit: 10)).map(\.alert.rule) }
        #expect(try search("wallet") == ["R2", "R1"])          // one from the backlog, one from the index
        #expect(try search("shell bot") == ["R3"])
        #expect(try store.count(AlertQuery(search: "wallet")) == 2)
        #expect(try store.alerts(after: 0, matching: AlertQuery(search: "keystore", limit: 10)).map(\.alert.rule) == ["R2"])
        #expect(try store.indexFullTextBacklog() == 2)
        #expect(try store.fullTextBacklogCount() == 0)
        #expect(try search("wallet") == ["R2", "R1"])
        #expect(try search("shell bot") == ["R3"])
        #expect(try store.indexFullTextBacklog() == 0)
        // LIKE wildcards typed by the user are literal.
        #expect(try search("%") == [])
    }

    /// Retention over rows of which some are indexed and some still wait: the indexed ones
    /// leave the (contentless) index with the text they were indexed with, the waiting ones
    /// leave the backlog, and nothing else changes.
    @Test func retentionOverABacklogKeepsTheIndexExact() throws {
        let t = try TemporaryStore()
        func alert(_ n: Int) -> Alert { makeAlert(Int64(n), output: n % 2 == 0 ? "wallet read \(n)" : "shell spawned \(n)") }
        try t.store.insert((1...1000).map(alert))                                            // indexed as stored
        try t.store.insert((1001...3000).map(alert), fullText: .deferred)      // one backlog range
        #expect(try t.store.indexFullTextBacklog(limit: 500) == 500)                         // 1001...1500 indexed
        #expect(try t.store.fullTextBacklogCount() == 1500)
        func indexed(_ word: String) throws -> Int {
            try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM alerts_fts WHERE alerts_fts MATCH ?", arguments: [word]) ?? 0 }
        }
        #expect(try indexed("wallet") == 750)
        // Keep the newest 1,200 (1801...3000): 1,500 indexed rows and 300 waiting ones go.
        #expect(try t.store.applyRetention(RetentionPolicy(maxRows: 1200)) == 1800)
        #expect(try indexed("wallet") == 0)
        #expect(try t.store.fullTextBacklogCount() == 1200)
        #expect(try t.store.count(AlertQuery(search: "wallet")) == 600)
        #expect(try t.store.stats(AlertQuery(search: "wallet")).total == 600)     // all from the backlog
        #expect(try t.store.alerts(AlertQuery(search: "shell", limit: 3)).map(\.alert.output) == ["shell spawned 2999", "shell spawned 2997", "shell spawned 2995"])
        #expect(try t.store.indexFullTextBacklog(limit: 100_000) == 1200)
        #expect(try indexed("wallet") == 600)
        #expect(try t.store.count(AlertQuery(search: "wallet")) == 600)
        let stats = try t.store.stats(AlertQuery(search: "wallet read"))       // all from the index
        #expect(stats.total == 600 && stats.newest == makeAlert(3000).time && stats.oldest == makeAlert(1802).time)
        #expect(try t.store.applyRetention(RetentionPolicy(maxRows: 100)) == 1100)
        #expect(try indexed("wallet") == 50)
        #expect(try indexed("shell") == 50)
        try t.store.pool.write { try $0.execute(sql: "INSERT INTO alerts_fts(alerts_fts) VALUES ('integrity-check')") }
        #expect(try t.store.integrityCheck() == ["ok"])
    }
}

/// Several processes open a new history at the same moment (a follower, a console, a query):
/// each must find the schema ready, none may fail on a migration another one ran.
@Suite struct ConcurrentOpenTests {
    @Test func manyOpenersOfANewHistoryAllSucceed() throws {
        for round in 0..<5 {
            let path = "/tmp/tradsec-open-\(UInt32.random(in: 0...UInt32.max))-\(round).sqlite"
            defer { for s in ["", "-wal", "-shm", ".open-lock"] { unlink(path + s) } }
            let failures = OpenFailures()
            let threads = (0..<6).map { _ in
                Thread {
                    do { _ = try AlertStore(path: path) } catch { failures.add("\(error)") }
                    failures.done()
                }
            }
            threads.forEach { $0.start() }
            failures.wait(for: 6)
            #expect(failures.messages.isEmpty, "\(failures.messages)")
        }
    }
}

final class OpenFailures: @unchecked Sendable {
    private let lock = NSCondition()
    private(set) var messages: [String] = []
    private var finished = 0
    func add(_ m: String) { lock.lock(); messages.append(m); lock.unlock() }
    func done() { lock.lock(); finished += 1; lock.broadcast(); lock.unlock() }
    func wait(for n: Int) { lock.lock(); while finished < n { lock.wait() }; lock.unlock() }
}
