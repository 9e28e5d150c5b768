import Config
import TradsecCore

/// The `sensor:` section of config.yaml. Every key is checked: a typo is an error with the file
/// and line, never a silently ignored setting.
///
/// ```yaml
/// sensor:
///   ring_buffer: 8MB              # kernel memory for records in flight (a power of two)
///   engine_sockets: [/var/run/docker.sock, /run/podman/podman.sock]
///   rules: [/etc/falco/falco_rules.yaml, /etc/tradsec/trading_rules.yaml]
/// ```
/// Relative paths are relative to the config file's directory.
public struct SensorConfig: Sendable, Equatable {
    public var ringBufferBytes = 8 << 20
    /// nil: the defaults of `HostSensor.Options` (plus `actions.docker.socket`, which the caller adds).
    public var engineSockets: [String]?
    /// Rules files the sensor loads when the command line names none.
    public var rules: [String] = []

    public init() {}
}

extension SensorConfig: ConfigSection {
    public static let key = "sensor"

    public init(config value: ConfigValue) throws(ConfigError) {
        self.init()
        let m = try value.mapping(known: ["ring_buffer", "engine_sockets", "rules"])
        if let v = m["ring_buffer"] {
            guard let bytes = try? v.size(bare: 1, maximum: 1 << 30), bytes >= 4096, bytes & (bytes - 1) == 0 else {
                throw v.wrongType("a power of two between 4KiB and 1GiB (like 8MB)")
            }
            ringBufferBytes = Int(bytes)
        }
        if let v = m["engine_sockets"] { engineSockets = try v.paths() }
        if let v = m["rules"] { rules = try v.paths() }
    }
}
