import Foundation
import TradsecCore

/// The embedded Falco-compatible engine: loads rules files in order into one collection,
/// recompiles after each file (as Falco does), and hands out a matcher for evaluation.
public final class RulesEngine {
    /// Reported engine version; the official rules require 0.57.0 or later (same major).
    public static let engineVersion = SemanticVersion(major: 0, minor: 63, patch: 0)

    public struct Plugin: Sendable {
        public var name: String
        public var version: SemanticVersion
        public init(name: String, version: SemanticVersion) { self.name = name; self.version = version }
    }

    /// Event sources the engine knows (each with its field catalog).
    public var sources: Set<String> { didSet { collection.sources = sources } }
    /// Rules less severe than this are compiled but never enabled.
    public var minimumPriority: Priority

    let collection = RuleCollection()
    public private(set) var slots = FieldSlotTable()
    public private(set) var rules: [CompiledRule] = []
    /// Enabled state per compiled rule (defaults, then selection).
    public private(set) var enabled: [Bool] = []
    public private(set) var results: [LoadResult] = []
    /// Macros of the last successful compile, expanded and shared.
    private var macroExpansions: [String: MacroExpansion] = [:]
    /// Closures the last successful compile built for conditions: linear in the rules'
    /// size, however often shared macros are named.
    public private(set) var compiledConditionNodes = 0

    public init(sources: Set<String> = ["syscall", "k8s_audit"], minimumPriority: Priority = .debug) {
        self.sources = sources
        self.minimumPriority = minimumPriority
        collection.sources = sources
    }

    /// Loads one file's text; the result covers this load (errors stop it, warnings accumulate).
    @discardableResult
    public func load(content: String, name: String) -> LoadResult {
        var result = LoadResult(file: name)
        var reader = RulesFileReader(file: name, collection: collection, engineVersion: Self.engineVersion)
        do {
            try reader.read(content)
            result.warnings += reader.warnings
            let newSlots = FieldSlotTable()
            var compiler = CollectionCompiler(collection: collection, sources: sources, slots: newSlots)
            do {
                try compiler.compile()
                result.warnings += compiler.warnings
                slots = newSlots
                rules = compiler.rules
                macroExpansions = compiler.compiledMacros
                compiledConditionNodes = compiler.compiledNodes
                enabled = rules.map { $0.enabledByDefault && $0.priority.isAtLeast(minimumPriority) }
            } catch {
                result.warnings += compiler.warnings
                result.errors.append(error.message)
            }
        } catch {
            result.warnings += reader.warnings
            result.errors.append(error.message)
        }
        result.schemaValid = reader.schemaValid
        results.append(result)
        return result
    }

    /// Largest rules file read: the official files are a few hundred KiB.
    public static let maxFileSize = 32 << 20

    /// Loads files in order, stopping at the first one that fails (as Falco does).
    @discardableResult
    public func load(paths: [String]) -> [LoadResult] {
        var out: [LoadResult] = []
        for path in paths {
            let r: LoadResult
            switch Self.read(path) {
            case .success(let text):
                r = load(content: text, name: path)
            case .failure(let problem):
                var failed = LoadResult(file: path)
                failed.errors.append(LoadMessage(code: "LOAD_ERR_FILE_READ", message: problem.message,
                    locations: [LoadLocation(itemType: "rules content", itemName: "", file: path, line: 0, column: 0)]))
                results.append(failed)
                r = failed
            }
            out.append(r)
            if !r.successful { break }
        }
        return out
    }

    struct ReadProblem: Error { var message: String }

    /// The file's text: UTF-8, at most `maxFileSize` bytes.
    static func read(_ path: String) -> Result<String, ReadProblem> {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .failure(ReadProblem(message: "Could not read file \(path)")) }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: maxFileSize + 1) ?? Data() } catch {
            return .failure(ReadProblem(message: "Could not read file \(path)"))
        }
        guard data.count <= maxFileSize else {
            return .failure(ReadProblem(message: "File \(path) is larger than \(maxFileSize) bytes"))
        }
        guard let text = String(data: data, encoding: .utf8) else { return .failure(ReadProblem(message: "Could not read file \(path)")) }
        return .success(text)
    }

    public var isValid: Bool { results.allSatisfy(\.successful) }

    // MARK: - Selection (spec 1.15)

    public enum Selector: Sendable { case rule(String), tag(String) }

    /// Enables or disables rules by name pattern (`*` wildcard, whole name) or tag.
    /// Rules below the minimum priority stay out.
    public func setEnabled(_ on: Bool, _ selector: Selector) {
        for (i, rule) in rules.enumerated() {
            let hit: Bool
            switch selector {
            case .rule(let pattern): hit = Self.wildcardMatch(pattern, rule.name)
            case .tag(let tag): hit = rule.tags.contains(tag)
            }
            if hit { enabled[i] = on && rule.priority.isAtLeast(minimumPriority) }
        }
    }

    static func wildcardMatch(_ pattern: String, _ name: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(name.utf8)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && p[pi] == UInt8(ascii: "*") { star = pi; mark = ti; pi += 1 }
            else if pi < p.count && p[pi] == t[ti] { pi += 1; ti += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }

    public var enabledRules: [CompiledRule] { rules.indices.filter { enabled[$0] }.map { rules[$0] } }

    /// A matcher over the enabled rules (build once, use for many events).
    public func makeMatcher() -> RuleMatcher { RuleMatcher(rules: enabledRules) }

    public func makeDecoder(for matcher: RuleMatcher) -> EventDecoder {
        EventDecoder(slots: slots, eventTypeIDs: matcher.eventTypeIDs)
    }

    // MARK: - Introspection

    public var requiredEngineVersion: SemanticVersion? { collection.requiredEngineVersion }

    /// Whether every `required_plugin_versions` entry is met by one loaded plugin.
    public func pluginRequirementsSatisfied(by plugins: [Plugin]) -> Bool {
        collection.pluginRequirements.allSatisfy { alternatives in
            alternatives.contains { req in
                plugins.contains { $0.name == req.name && $0.version.isCompatible(with: req.version) }
            }
        }
    }

    /// Rule names in definition order with their state after appends and overrides
    /// (including rules of unknown sources, which are never compiled).
    public struct RuleSummary: Sendable {
        public var name: String
        public var enabled: Bool
        public var priority: Priority
        public var source: String
        public var tags: [String]
        public var condition: String
        public var output: String
        public var description: String
        public var capture: Bool
        public var captureDuration: UInt32
        /// Canonical text of the compiled condition (nil: the rule was not compiled).
        public var compiledCondition: String? { compiled.map { CanonicalPrinter.print($0) } }
        let compiled: ConditionExpr?
    }

    public var ruleSummaries: [RuleSummary] {
        let enabledByName = Dictionary(rules.indices.map { (rules[$0].name, enabled[$0]) }, uniquingKeysWith: { a, _ in a })
        let compiledByName = Dictionary(rules.map { ($0.name, $0.condition) }, uniquingKeysWith: { a, _ in a })
        return collection.rules.map { r in
            RuleSummary(name: r.name, enabled: enabledByName[r.name] ?? false, priority: r.priority, source: r.source,
                        tags: r.tags.sorted(), condition: r.condition, output: r.output, description: r.description,
                        capture: r.capture, captureDuration: r.captureDuration, compiled: compiledByName[r.name])
        }
    }

    /// A macro's condition after list substitution and macro expansion, canonically printed.
    public func compiledMacro(_ name: String) -> String? {
        macroExpansions[name].map { CanonicalPrinter.print($0.body) }
    }

    public func compiledList(_ name: String) -> [String]? {
        collection.listIndex[name].map { collection.lists[$0].compiledItems }
    }

    public func compiledOutput(_ rule: String) -> String? {
        rules.first { $0.name == rule }?.outputText
    }
}
