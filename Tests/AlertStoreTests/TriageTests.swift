import Testing
@testable import AlertStore
import TradsecCore

@Suite struct TriageTests {
    let bot = (id: "3ad7b26ded6d", name: "ai-trading-bot")

    @Test func acknowledgementsAreKeptInTheHistory() throws {
        let t = try TemporaryStore()
        try t.store.insert([makeAlert(1), makeAlert(2), makeAlert(3)])
        let ids = try t.store.alerts(AlertQuery()).map(\.id)
        try t.store.acknowledge([ids[0], ids[2]], who: "alice")
        try t.store.acknowledge([ids[0]], who: "bob")      // twice is harmless
        let reopened = try AlertStore(path: t.path)
        #expect(try reopened.acknowledged(among: ids) == [ids[0], ids[2]])
    }

    @Test func silencesExpireAndCoverRulesOrContainers() throws {
        let t = try TemporaryStore()
        let now = Timestamp(nanoseconds: 1_763_800_000_000_000_000)
        let id = try t.store.addSilence(.rule, value: "Debug trace", until: now.adding(nanoseconds: 60_000_000_000), who: "alice", now: now)
        try t.store.addSilence(.container, value: bot.id, until: now.adding(nanoseconds: -1), who: "alice", now: now)
        let active = try t.store.activeSilences(now: now)
        #expect(active.map(\.id) == [id])
        #expect(active[0].covers(makeAlert(1, rule: "Debug trace")))
        #expect(!active[0].covers(makeAlert(1)))
        try t.store.removeSilence(id: id)
        #expect(try t.store.activeSilences(now: now).isEmpty)
    }

    @Test func countsPerBucketAndPerContainer() throws {
        let t = try TemporaryStore()
        try t.store.insert([
            makeAlert(0, priority: .critical, container: bot), makeAlert(30, priority: .critical, container: bot),
            makeAlert(70, priority: .notice), makeAlert(179, priority: .warning, container: bot),
        ])
        let now = Timestamp(nanoseconds: 1_763_800_000_000_000_000 + 180_000_000_000)
        #expect(try t.store.histogram(AlertQuery(), bucket: 60_000_000_000, buckets: 3, now: now) == [2, 1, 1])
        #expect(try t.store.histogram(AlertQuery(priorities: PriorityFilter("critical")), bucket: 60_000_000_000, buckets: 3, now: now) == [2, 0, 0])
        let activity = try t.store.containerActivity(AlertQuery())
        #expect(activity.map(\.container.ref.name) == ["ai-trading-bot", "trade-host"])
        #expect(activity[0].counts == [.critical: 2, .warning: 1])
        #expect(activity[0].total == 3)
        #expect(try t.store.newestID() == 4)
    }
}

@Suite struct CountAddedTests {
    @Test func countsOnlyTheNewIDsThatMatch() throws {
        let t = try TemporaryStore()
        try t.store.insert((0..<10).map { makeAlert(Int64($0), priority: $0 % 2 == 0 ? .critical : .notice) })
        let before = try t.store.newestID()
        try t.store.insert((10..<16).map { makeAlert(Int64($0), priority: $0 % 3 == 0 ? .critical : .notice) })
        let after = try t.store.newestID()
        let critical = AlertQuery(priorities: PriorityFilter("critical"))
        #expect(try t.store.countAdded(critical, after: before, upTo: after) == 2)   // 12 and 15
        #expect(try t.store.countAdded(AlertQuery(), after: before, upTo: after) == 6)
        #expect(try t.store.countAdded(critical, after: after, upTo: after) == 0)
        #expect(try t.store.count(critical) == 5 + 2)
    }
}
