import AlertStore
import Foundation
import NIOPosix
import TradsecCore

/// Everything the HTTP handlers share: settings, the history, the writer, the feed signal,
/// metrics, and a thread pool for blocking history reads (never done on an event loop).
public final class ProcessorApp: Sendable {
    public let settings: ServeSettings
    public let store: AlertStore
    public let pipeline: IngestPipeline
    public let hub: FeedHub
    public let metrics: ProcessorMetrics
    public let version: String
    let started = Date()
    let readers: NIOThreadPool
    /// Extra sections for /health (the notification outbox adds its state here).
    let healthSections: @Sendable () -> [(String, JSONValue, Bool)]
    /// More exposition text for /metrics (the notification dispatcher's families).
    let extraMetrics: @Sendable () -> String

    public init(settings: ServeSettings, store: AlertStore, pipeline: IngestPipeline, metrics: ProcessorMetrics,
                version: String, healthSections: @escaping @Sendable () -> [(String, JSONValue, Bool)] = { [] },
                extraMetrics: @escaping @Sendable () -> String = { "" }) {
        self.settings = settings
        self.store = store
        self.pipeline = pipeline
        self.hub = FeedHub()
        self.metrics = metrics
        self.version = version
        self.healthSections = healthSections
        self.extraMetrics = extraMetrics
        readers = NIOThreadPool(numberOfThreads: 2)
        readers.start()
        let hub = self.hub
        pipeline.onCommit { _ in hub.signal() }
    }

    func shutdown() {
        try? readers.syncShutdownGracefully()
    }
}
