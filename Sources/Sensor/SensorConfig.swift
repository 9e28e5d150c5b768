#if canImport(Glibc)
import Glibc
#endif
import TradsecCore
import Yams

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

    public struct ConfigError: Error, CustomStringConvertible, Sendable { public var description: String }

    /// The section of the config file at `path`; defaults when the file or the section is absent.
    public static func load(path: String) throws(ConfigError) -> SensorConfig {
        guard access(path, F_OK) == 0 else { return SensorConfig() }
        let text: String
        do { text = try TextFile.read(path, limit: 1 << 20) } catch { throw ConfigError(description: error.description) }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        return try parse(text, source: path, baseDirectory: directory)
    }

    public static func parse(_ yaml: String, source: String, baseDirectory: String) throws(ConfigError) -> SensorConfig {
        var config = SensorConfig()
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch { throw ConfigError(description: "\(source): \(error)") }
        guard let section = root?.mapping?["sensor"] else { return config }
        func fail(_ node: Node, _ message: String) -> ConfigError {
            let line = node.mark.map { ":\($0.line):\($0.column)" } ?? ""
            return ConfigError(description: "\(source)\(line): \(message)")
        }
        func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : baseDirectory + "/" + path }
        func paths(_ node: Node, _ key: String) throws(ConfigError) -> [String] {
            if let single = node.string, node.scalar != nil { return [resolve(single)] }
            guard let items = node.sequence else { throw fail(node, "sensor.\(key) must be a path or a list of paths") }
            var out: [String] = []
            for item in items {
                guard let text = item.string, !text.isEmpty else { throw fail(item, "sensor.\(key) entries must be paths") }
                out.append(resolve(text))
            }
            return out
        }
        guard let mapping = section.mapping else { throw fail(section, "sensor must be a mapping") }
        for (key, value) in mapping {
            switch key.string ?? "" {
            case "ring_buffer":
                guard let text = value.string, let bytes = ByteSize.parse(text, bare: 1),
                      bytes >= 4096, bytes <= 1 << 30, bytes & (bytes - 1) == 0 else {
                    throw fail(value, "sensor.ring_buffer must be a power of two between 4KiB and 1GiB (like 8MB), not '\(value.string ?? "?")'")
                }
                config.ringBufferBytes = Int(bytes)
            case "engine_sockets": config.engineSockets = try paths(value, "engine_sockets")
            case "rules": config.rules = try paths(value, "rules")
            default:
                throw fail(key, "unknown key sensor.\(key.string ?? "?") (known: ring_buffer, engine_sockets, rules)")
            }
        }
        return config
    }
}
