/// A top-level section of config.yaml (`gauges:`, `serve:`, `theme:`…), decoded by the module
/// that uses it, through ``ConfigValue``.
///
/// Adding a section: a type that conforms (its key, its defaults, a decoding initializer) and
/// its name in the list of sections the loader is given.
public protocol ConfigSection: Sendable {
    /// The top-level key.
    static var key: String { get }
    /// The section when the file does not have it (or gives it no value).
    init()
    /// Decodes the section's value; throws its first mistake.
    init(config value: ConfigValue) throws(ConfigError)
}

extension ConfigSection {
    /// This section alone, out of a whole config text (tests, tools). Commands decode every
    /// section at once through ``ConfigLoader``, reading the file once.
    public static func decode(yaml: String, file: String = "config.yaml", directory: String? = nil) throws(ConfigError) -> Self {
        let document = try ConfigDocument.parse(yaml, file: file, directory: directory)
        return try ConfigLoader(sections: [Self.self]).decode(document).section(Self.self)
    }
}

/// Decodes a whole config file in one pass into the sections it is given.
///
/// Each top-level key goes to its section; a key no section claims is one error for the file
/// (the same shape as an unknown key inside a section). Errors are kept per section, so a
/// caller chooses what stops it: `serve` refuses every error, the console opens with a
/// broken `actions:` or `gauges:` section and says why.
public struct ConfigLoader: Sendable {
    public let sections: [any ConfigSection.Type]

    public init(sections: [any ConfigSection.Type]) {
        self.sections = sections
    }

    /// Reads `path` once and decodes it. A missing file is an empty config unless `required`.
    public func load(path: String, required: Bool, reader: ConfigDocument.Reader = .disk) -> DecodedConfig {
        do {
            return decode(try ConfigDocument.read(path: path, required: required, reader: reader))
        } catch {
            return DecodedConfig(file: path, exists: true, fileErrors: [error], sections: [:])
        }
    }

    /// `yaml` as the content of `file`, decoded (tests, tools); a text that is not YAML is
    /// the file's error.
    public func decode(yaml: String, file: String, directory: String? = nil) -> DecodedConfig {
        do { return decode(try ConfigDocument.parse(yaml, file: file, directory: directory)) } catch {
            return DecodedConfig(file: file, exists: true, fileErrors: [error], sections: [:])
        }
    }

    public func decode(_ document: ConfigDocument) -> DecodedConfig {
        var decoded: [String: Result<any ConfigSection, ConfigError>] = [:]
        guard let top = document.value else {
            return DecodedConfig(file: document.file, exists: document.exists, fileErrors: [], sections: [:])
        }
        let entries: [ConfigMapping.Entry]
        do { entries = try top.entries() } catch {
            return DecodedConfig(file: document.file, exists: true,
                                 fileErrors: [top.invalid("the file must be a mapping of sections (theme:, gauges:, serve:…)")], sections: [:])
        }
        let known = sections.map { $0.key }
        var fileErrors: [ConfigError] = []
        for entry in entries {
            guard let type = sections.first(where: { $0.key == entry.key }) else {
                fileErrors.append(.unknownKey(entry.keyValue.location, key: entry.key, section: "", known: known,
                                              suggestion: KeySuggestion.closest(to: entry.key, in: known)))
                continue
            }
            if entry.value.isNull { continue }
            do { decoded[entry.key] = .success(try type.init(config: entry.value)) } catch { decoded[entry.key] = .failure(error) }
        }
        return DecodedConfig(file: document.file, exists: true, fileErrors: fileErrors, sections: decoded)
    }
}

/// A config file decoded into typed sections, with the errors of each.
public struct DecodedConfig: Sendable {
    /// The file (named or default), whether or not it exists.
    public let file: String
    public let exists: Bool
    /// Errors of the file as a whole: unreadable, not YAML, a top-level key no section has.
    public let fileErrors: [ConfigError]
    let sections: [String: Result<any ConfigSection, ConfigError>]

    init(file: String, exists: Bool, fileErrors: [ConfigError], sections: [String: Result<any ConfigSection, ConfigError>]) {
        self.file = file
        self.exists = exists
        self.fileErrors = fileErrors
        self.sections = sections
    }

    /// No file at all: every section at its defaults (a demo on a history of its own).
    public static func empty(file: String) -> DecodedConfig {
        DecodedConfig(file: file, exists: false, fileErrors: [], sections: [:])
    }

    /// True when the file could not be read or composed: no section could be decoded.
    public var isUnreadable: Bool {
        fileErrors.contains { if case .unknownKey = $0 { return false } else { return true } }
    }

    /// The section, its defaults when the file lacks it, or its error (the file's own when
    /// it could not be read at all).
    public func result<S: ConfigSection>(_ type: S.Type) -> Result<S, ConfigError> {
        if isUnreadable, let error = fileErrors.first { return .failure(error) }
        switch sections[S.key] {
        case nil: return .success(S())
        case .success(let section)?: return .success(section as! S)
        case .failure(let error)?: return .failure(error)
        }
    }

    public func section<S: ConfigSection>(_ type: S.Type) throws(ConfigError) -> S {
        try result(type).get()
    }

    /// True when the file gives `type`'s section a value (its defaults are not all there is).
    public func contains<S: ConfigSection>(_ type: S.Type) -> Bool { sections[S.key] != nil }

    /// The error of `type`'s section, if any.
    public func error<S: ConfigSection>(of type: S.Type) -> ConfigError? {
        if case .failure(let error) = result(type) { return error }
        return nil
    }

    /// The file's errors and those of `types`' sections, in file order.
    public func errors(in types: [any ConfigSection.Type]) -> [ConfigError] {
        if isUnreadable { return fileErrors }
        let sectionErrors = types.compactMap { type -> ConfigError? in
            if case .failure(let error)? = sections[type.key] { return error }
            return nil
        }
        return (fileErrors + sectionErrors).sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
    }

    /// Every error in the file, in file order.
    public var allErrors: [ConfigError] {
        if isUnreadable { return fileErrors }
        let sectionErrors = sections.values.compactMap { result -> ConfigError? in
            if case .failure(let error) = result { return error }
            return nil
        }
        return (fileErrors + sectionErrors).sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
    }
}
