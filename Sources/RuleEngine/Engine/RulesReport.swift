import Foundation
import TradsecCore

/// Text and JSON reports of `tradsec rules validate` / `tradsec rules list`.
public enum RulesReport {
    /// Loads `paths` in order into one engine (stopping at the first invalid file).
    public static func load(_ paths: [String]) -> (engine: RulesEngine, results: [LoadResult]) {
        let engine = RulesEngine()
        let results = engine.load(paths: paths)
        return (engine, results)
    }

    static func entry(_ m: LoadMessage) -> JSONValue {
        .object(JSONObject([
            ("code", .string(m.code)), ("message", .string(m.message)), ("file", .string(m.file)),
            ("line", .int(Int64(m.line))), ("column", .int(Int64(m.column))), ("item", .string(m.item)),
        ]))
    }

    /// `{"valid","errors":[...],"warnings":[...],"rules":[{"name","enabled","priority","source"}]}`.
    public static func validationJSON(engine: RulesEngine, results: [LoadResult]) -> String {
        let valid = results.allSatisfy(\.successful)
        let rules: [JSONValue] = valid ? engine.ruleSummaries.map { r in
            .object(JSONObject([("name", .string(r.name)), ("enabled", .bool(r.enabled)),
                                ("priority", .string(r.priority.name)), ("source", .string(r.source))]))
        } : []
        let value = JSONValue.object(JSONObject([
            ("valid", .bool(valid)),
            ("errors", .array(results.flatMap(\.errors).map(entry))),
            ("warnings", .array(results.flatMap(\.warnings).map(entry))),
            ("rules", .array(rules)),
        ]))
        return JSONWriter.string(value)
    }

    /// `file: Ok` / `file: Ok, with warnings` / `file: Invalid`, then one line per entry.
    /// For a terminal: every name, path and message from the files is escaped by scalar.
    public static func validationText(results: [LoadResult]) -> String {
        var lines: [String] = []
        for r in results {
            lines.append(TerminalSafe.escape(r.file) + ": " + (r.successful ? (r.warnings.isEmpty ? "Ok" : "Ok, with warnings") : "Invalid"))
            for e in r.errors { lines.append("  " + describe(e, kind: "error")) }
            for w in r.warnings { lines.append("  " + describe(w, kind: "warning")) }
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ m: LoadMessage, kind: String) -> String {
        "\(TerminalSafe.escape(m.file)):\(m.line):\(m.column): \(kind): " + m.description
    }

    /// One line per rule after appends and overrides: state, priority, source, name (escaped).
    public static func listText(engine: RulesEngine) -> String {
        engine.ruleSummaries.map { r in
            let state = r.enabled ? "enabled " : "disabled"
            return "\(state)  \(pad(r.priority.name, 13))  \(pad(TerminalSafe.escape(r.source), 9))  \(TerminalSafe.escape(r.name))"
        }.joined(separator: "\n")
    }

    /// Pads to a column; a longer text is kept whole (cutting an escape would hide it).
    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
