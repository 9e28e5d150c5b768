import Actions
import AlertStore
import Config
import Processor
import RuleEngine
import Sensor
import Synchronization
import TradsecCore

/// The host sensor as `tradsec sense` and the console's `host` source build it: rules, options
/// from `sensor:` (and `actions.docker.socket`, which the sensor asks for container names).
public enum SensorAssembly {
    /// `--rules`, else `sensor.rules`, else the trading rule pack.
    public static func rulePaths(flag: [String], sensor: SensorConfig) throws(AssemblyError) -> [String] {
        if !flag.isEmpty { return flag }
        if !sensor.rules.isEmpty { return sensor.rules }
        return [try BundledFiles.tradingRulePack()]
    }

    /// The sensor's options; `ringBuffer` is the `--ring-buffer` flag.
    public static func options(sensor: SensorConfig, actions: ActionsConfig, ringBuffer: String? = nil) throws(AssemblyError) -> HostSensor.Options {
        var options = HostSensor.Options()
        options.ringBufferBytes = sensor.ringBufferBytes
        if let ringBuffer {
            guard let bytes = ByteSize.parse(ringBuffer, bare: 1), bytes <= 1 << 30 else {
                throw .usage("--ring-buffer must be a size like 8MB, not '\(ringBuffer)'")
            }
            options.ringBufferBytes = Int(bytes)
        }
        var sockets = sensor.engineSockets ?? options.engineSockets
        if !sockets.contains(actions.docker.socket) { sockets.insert(actions.docker.socket, at: 0) }
        options.engineSockets = sockets
        return options
    }

    /// A sensor on `rulePaths`, ready to start.
    public static func sensor(rulePaths: [String], options: HostSensor.Options) throws(AssemblyError) -> HostSensor {
        let (engine, results) = RulesReport.load(rulePaths)
        guard engine.isValid else { throw .rules(RulesReport.validationText(results: results)) }
        do { return try HostSensor(engine: engine, options: options) } catch {
            throw error.assemblyError
        }
    }
}

extension SensorAssembly {
    /// The sensor as a source that stores and processes its alerts (the console's `host`,
    /// `serve --sensor`). What the machine lacks (root, BTF, the BPF object) makes a source
    /// that failed and says why, so the process runs on without it; rules and settings that
    /// cannot work are errors (78).
    static func hostSource(rules: [String], config: DecodedConfig, processor: AlertProcessor?) throws(AssemblyError) -> HostSource {
        let sensor = try config.required(SensorConfig.self)
        let actions = (try? config.section(ActionsConfig.self)) ?? ActionsConfig()
        let options = try SensorAssembly.options(sensor: sensor, actions: actions)
        do {
            return HostSource(sensor: try SensorAssembly.sensor(rulePaths: try SensorAssembly.rulePaths(flag: rules, sensor: sensor),
                                                               options: options), processor: processor)
        } catch .unavailable(let why) {
            return HostSource(failure: why)
        }
    }
}

extension SensorError {
    /// 69 (unavailable) for what the machine lacks; 78 for settings that cannot work.
    public var assemblyError: AssemblyError {
        switch self {
        case .badConfiguration, .nothingToWatch: return .rules("the host sensor cannot start: \(self)")
        default: return .unavailable("the host sensor cannot start: \(self)")
        }
    }
}

/// The sensor's alerts between its thread and the history: collected as they are raised,
/// decoded and stored in batches (origin `sensor`), each stored batch handed to the
/// processing step when there is one.
public final class SensorAlertSink: Sendable {
    private let pending = Mutex<[SensorAlert]>([])
    private let processor: AlertProcessor?

    public init(processor: AlertProcessor? = nil) { self.processor = processor }

    /// Called on the sensor's thread.
    public func add(_ alert: SensorAlert) { pending.withLock { $0.append(alert) } }

    /// What one flush did.
    public struct Flushed: Sendable {
        public var stored = 0
        /// Alerts the decoder refused.
        public var refused = 0
        /// The id of the newest alert stored (0: none).
        public var newest: Int64 = 0
    }

    /// Stores what is pending; `each` sees every alert first (`sense` prints them).
    public func flush(into history: AlertStore, each: (SensorAlert) -> Void = { _ in }) throws -> Flushed {
        let batch = pending.withLock { alerts -> [SensorAlert] in defer { alerts.removeAll(keepingCapacity: true) }; return alerts }
        var flushed = Flushed()
        guard !batch.isEmpty else { return flushed }
        var decoded: [Alert] = []
        decoded.reserveCapacity(batch.count)
        for alert in batch {
            each(alert)
            do { decoded.append(try AlertDecoder.decode(line: alert.line)) } catch { flushed.refused += 1 }
        }
        let result = try history.insert(decoded, origin: "sensor")
        flushed.stored = result.inserted
        flushed.newest = result.added.map(\.id).max() ?? 0
        processor?.submit(result.added.map { StoredAlert(id: $0.id, alert: decoded[$0.index]) })
        return flushed
    }
}
