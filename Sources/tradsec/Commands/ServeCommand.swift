#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import Assembly
import ArgumentParser
import Foundation
import Notify
import Processor
import TradsecCore

/// `tradsec serve`: the event processor. Falco's http_output posts alerts here; they are
/// committed to the history, enriched and correlated, and served to consoles and scrapers.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the event processor: receive Falco alerts over HTTP, store, enrich, correlate, serve.",
        discussion: """
            Endpoints: POST /falco (also /): one Falco JSON alert, JSON Lines or a JSON array, as \
            Content-Type: application/json (or application/x-ndjson); 200 only after the alerts are committed. GET /health, GET /events (since, limit, priority, rule, container), \
            GET /events/stream (Server-Sent Events; Last-Event-ID resumes), GET /incidents[/ID], GET /metrics.

            Falco side (falco.yaml): json_output: true, http_output: {enabled: true, url: http://127.0.0.1:8080/falco}.

            Listens on 127.0.0.1:8080 unless told otherwise; any other address needs a bearer token \
            (serve.auth_token_env or serve.auth_token_file in the config). Requests from web pages (an Origin \
            header, a Host that is not this loopback listener's) are refused. Limits on connections, streams, \
            timeouts and body memory: the serve section (docs/processor.md). Configuration: serve, enrichment \
            and correlation sections of config.yaml.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Address to listen on (default 127.0.0.1:8080, or serve.listen).", valueName: "host:port"))
    var listen: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file (default $XDG_CONFIG_HOME/tradsec/config.yaml).", valueName: "file"))
    var config: String?

    @Flag(name: .long, help: "Also run the host sensor (eBPF; root): this host's syscalls through the rules of sensor.rules (else the trading pack); /metrics gains tradsec_sensor_*.")
    var sensor = false

    @OptionGroup var store: StoreOptions

    func run() throws {
        try reportingErrors {
            let history = try store.open()
            let built = try ServeAssembly.build(config: TradsecConfig.load(flag: config), listen: listen, store: history, version: Tradsec.version,
                                                sensor: sensor)
            let processing = built.processing, pipeline = built.pipeline, app = built.app
            for warning in processing.warnings { Terminal.printError("tradsec serve: \(warning)") }
            processing.start()
            pipeline.start()
            let server: ProcessorServer
            do {
                server = try ProcessorServer(app: app)
            } catch {
                pipeline.stop()
                processing.finish(through: 0)
                throw CLIError.unavailable("\(error)")
            }
            let shown = server.boundHost.contains(":") ? "[\(server.boundHost)]" : server.boundHost
            Terminal.printError("tradsec serve: listening on http://\(shown):\(server.boundPort) (history \(history.path))")
            if let why = built.sensorFailure {
                Terminal.printError("tradsec serve: \(why); serving without it")
            } else if let host = built.sensor {
                host.start(store: history)
                Terminal.printError("tradsec serve: the host sensor is watching this host")
            }
            let stop = StopSignal.install()
            while !stop.isSet { usleep(100_000) }
            Terminal.printError("tradsec serve: stopping; committing what is queued")
            built.sensor?.stop()
            server.stop()
            processing.finish(through: 0)
            try? history.checkpointWAL()
        }
    }
}
