import Actions
import Config
import Console
import Gauges
import Notify
import Processor
import Sensor
import TradsecCore

/// config.yaml as every command reads it: once, into every section at once.
///
/// Adding a section: its type conforms to ``ConfigSection`` in the module that uses it, and
/// is named in ``sections``; the command that needs it asks ``DecodedConfig`` for it.
public enum TradsecConfig {
    /// Every top-level key config.yaml may have, with the type that decodes it.
    public static let sections: [any ConfigSection.Type] = [
        ThemeSetting.self, SourceList.self, KeyMap.self,                       // the console
        ServeSettings.self, EnrichmentConfig.self, CorrelationConfig.self,     // tradsec serve
        ResponseConfig.self,                                                   // the processing step
        NotificationConfig.self, ActionsConfig.self, GaugesConfig.self, SensorConfig.self,
    ]

    /// `$XDG_CONFIG_HOME/tradsec/config.yaml`.
    public static var defaultPath: String { Paths.configDirectory + "/config.yaml" }

    /// The file `--config` names (it must exist), else the default one (absent: an empty config),
    /// read once and decoded.
    public static func load(flag: String?, reader: ConfigDocument.Reader = .disk) -> DecodedConfig {
        ConfigLoader(sections: sections).load(path: flag ?? defaultPath, required: flag != nil, reader: reader)
    }

    /// `yaml` as the content of config file `file`, decoded into every section (tests, tools).
    public static func decode(yaml: String, file: String = "config.yaml", directory: String? = nil) -> DecodedConfig {
        ConfigLoader(sections: sections).decode(yaml: yaml, file: file, directory: directory)
    }

    /// One section of `yaml` (a whole config file's text), its errors and the file's thrown.
    public static func section<S: ConfigSection>(_ type: S.Type, yaml: String, file: String = "config.yaml",
                                                 directory: String? = nil) throws(ConfigError) -> S {
        let decoded = decode(yaml: yaml, file: file, directory: directory)
        if let error = decoded.errors(in: [type]).first { throw error }
        return try decoded.section(type)
    }

    /// One section of the file `--config` names (else the default one), for a command that
    /// needs only it: its errors and the file's stop the command (78).
    public static func section<S: ConfigSection>(_ type: S.Type, flag: String?) throws(AssemblyError) -> S {
        try load(flag: flag).required(type)
    }
}

extension DecodedConfig {
    /// Stops with every error of the file and of `types`' sections (exit 78).
    public func require(_ types: [any ConfigSection.Type]) throws(AssemblyError) {
        let errors = errors(in: types)
        if !errors.isEmpty { throw .config(errors) }
    }

    /// Stops with every error in the file, whichever section it is in (`tradsec serve`).
    public func requireAll() throws(AssemblyError) {
        let errors = allErrors
        if !errors.isEmpty { throw .config(errors) }
    }

    /// The section, its errors stopping the command (exit 78) with the file's own.
    public func required<S: ConfigSection>(_ type: S.Type) throws(AssemblyError) -> S {
        try require([type])
        do { return try section(type) } catch { throw .config([error]) }
    }
}
