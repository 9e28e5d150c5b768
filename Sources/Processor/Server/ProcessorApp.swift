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
    /// History reads for /events, /incidents and the streams.
    let readers: NIOThreadPool
    /// /health and /metrics on their own thread, so they answer while streams or large
    /// queries keep the readers busy.
    let statusReaders: NIOThreadPool
    /// Large bodies are decoded here, off the event loops, at most `maxDecodes` at once.
    let decoders: NIOThreadPool
    public let connections: ConnectionRegistry
    public let bodies: BodyBudget
    let watcher: HistoryWatcher
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
        statusReaders = NIOThreadPool(numberOfThreads: 1)
        statusReaders.start()
        decoders = NIOThreadPool(numberOfThreads: min(settings.maxDecodes, max(2, ProcessInfo.processInfo.activeProcessorCount)))
        decoders.start()
        connections = ConnectionRegistry(limits: .init(settings)) { reason in metrics.connectionClosed(reason) }
        bodies = BodyBudget(maxBytes: settings.maxBodyMemory, maxDecodes: settings.maxDecodes)
        watcher = HistoryWatcher(historyPath: store.path, hub: self.hub)
        let hub = self.hub
        pipeline.onCommit { _ in hub.signal() }
        pipeline.processor?.onProcessed { report in
            hub.signal()
            if report.opened > 0 { metrics.incidentsOpened.increment(by: Int64(report.opened)) }
            if report.escalated > 0 { metrics.incidentsEscalated.increment(by: Int64(report.escalated)) }
        }
    }

    func shutdown() {
        try? readers.syncShutdownGracefully()
        try? statusReaders.syncShutdownGracefully()
        try? decoders.syncShutdownGracefully()
    }
}
