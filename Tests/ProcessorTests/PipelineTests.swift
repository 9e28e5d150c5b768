import AlertStore
import Foundation
@testable import Processor
import Testing
import TestSupport
import TradsecCore

@Suite struct IngestPipelineLifecycleTests {
    @Test func stopWithoutStartReturnsAndStartTwiceIsHarmless() throws {
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        let store = try AlertStore(path: directory + "/history.sqlite")
        do {
            let never = try IngestPipeline(store: store, processor: nil, metrics: ProcessorMetrics(version: "test"))
            let began = Date()
            never.stop()   // used to wait forever for a writer that was never started
            #expect(Date().timeIntervalSince(began) < 2)
            #expect(!never.submit(alerts: [], rejects: [], received: 0) { _ in })
            // A second taker of the same history would interleave the intake log: refused
            // while the first lives.
            #expect(throws: (any Error).self) {
                _ = try IngestPipeline(store: store, processor: nil, metrics: ProcessorMetrics(version: "test"))
            }
        }

        let twice = try IngestPipeline(store: store, processor: nil, metrics: ProcessorMetrics(version: "test"))
        twice.start()
        twice.start()
        let alert = try AlertDecoder.decode(line: falcoAlert())
        let done = DispatchSemaphore(value: 0)
        #expect(twice.submit(alerts: [alert], rejects: [], received: 0) { _ in done.signal() })
        #expect(done.wait(timeout: .now() + 10) == .success)
        twice.stop()
        #expect(try store.totalCount() == 1)
        #expect(twice.status.committedAlerts == 1)
    }
}
